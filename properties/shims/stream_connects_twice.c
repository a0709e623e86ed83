/* Breaks "connection-based protocol sockets may successfully connect()
 * only once": a connect that the kernel refuses with EISCONN is reported
 * as a success. */
#include "shim_common.h"

int connect(int fd, const struct sockaddr* addr, socklen_t len) {
  const int ret = real_connect(fd, addr, len);
  if (ret < 0 && errno == EISCONN) {
    errno = 0;
    return 0;
  }
  return ret;
}
