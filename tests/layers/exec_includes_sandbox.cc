// Must not compile: exec/ sits below sandbox/.
#include "sandbox/sandbox.h"
