/* Breaks EINPROGRESS / EALREADY ("The socket is nonblocking and the
 * connection cannot be completed immediately"): a non-blocking connect that
 * is still in progress is reported as done. */
#include "shim_common.h"

int connect(int fd, const struct sockaddr* addr, socklen_t len) {
  const int ret = real_connect(fd, addr, len);
  if (ret < 0 && (errno == EINPROGRESS || errno == EALREADY)) {
    errno = 0;
    return 0;
  }
  return ret;
}
