/* Reports a wrong errno for malformed input: where the kernel says EINVAL
 * (bad length, wrong family for AF_UNIX, ...) or EAFNOSUPPORT, the shim says
 * E2BIG, which neither tier of the Spec allows for connect(). Only the libc
 * backend sees it, so libc also disagrees with syscall and io_uring. */
#include "shim_common.h"

int connect(int fd, const struct sockaddr* addr, socklen_t len) {
  const int ret = real_connect(fd, addr, len);
  if (ret < 0 && (errno == EINVAL || errno == EAFNOSUPPORT)) errno = E2BIG;
  return ret;
}
