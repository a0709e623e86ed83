// Must compile: program/ is below model/ (the control for the probes).
#include "program/program.h"
#include "model/model.h"
