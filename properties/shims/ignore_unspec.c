/* Breaks "Connectionless sockets may dissolve the association by connecting
 * to an address with the sa_family member of sockaddr set to AF_UNSPEC":
 * an AF_UNSPEC connect reports success and does nothing (the association,
 * or a TCP connection, stays). */
#include "shim_common.h"

int connect(int fd, const struct sockaddr* addr, socklen_t len) {
  if (family_of(addr, len) == AF_UNSPEC) return 0;
  return real_connect(fd, addr, len);
}
