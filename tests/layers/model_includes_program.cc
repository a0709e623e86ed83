// Must compile: program/ is below model/ (the control for the probes).
#include "model/model.h"
#include "program/program.h"
