// The running kernel's release, as uname(2) gives it ("6.1.0-57-amd64"):
// the Oracle parses it into the version the Model judges (oracle.h
// running_kernel()); the Model and the Spec make no syscall themselves.
#pragma once

#include <string>

namespace conncheck {

// Throws EnvironmentError if uname(2) fails.
std::string kernel_release();

}  // namespace conncheck
