// Must not compile: the Model is pure and does not know how calls are made.
#include "exec/backend.h"
