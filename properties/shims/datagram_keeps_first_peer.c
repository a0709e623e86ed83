/* Breaks "connectionless protocol sockets may use connect() multiple times
 * to change their association": a datagram socket that already has a peer
 * keeps it, and the new connect reports success without happening. */
#include "shim_common.h"

int connect(int fd, const struct sockaddr* addr, socklen_t len) {
  struct sockaddr_storage peer;
  socklen_t peer_len = sizeof peer;
  if (socket_type(fd) == SOCK_DGRAM && family_of(addr, len) != AF_UNSPEC &&
      getpeername(fd, (struct sockaddr*)&peer, &peer_len) == 0)
    return 0;
  return real_connect(fd, addr, len);
}
