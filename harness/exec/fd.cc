#include "exec/fd.h"

#include <unistd.h>

namespace conncheck {

void FileDescriptor::reset(int fd) {
  // close() errors are not actionable here: on Linux the fd is released
  // even when close reports EINTR/EIO, so retrying would close a reused fd.
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

}  // namespace conncheck
