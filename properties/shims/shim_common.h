/* What every test-only shim shares: the real connect() (the next one in
 * link order after the shim: libc's), found once with dlsym(RTLD_NEXT).
 * Each shim breaks exactly one rule of connect() on purpose, so that the
 * property holding that rule is seen to fail (issue 4, item 6). */
#pragma once
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>

typedef int (*connect_fn)(int, const struct sockaddr*, socklen_t);

static inline int real_connect(int fd, const struct sockaddr* addr, socklen_t len) {
  static connect_fn next;
  if (!next) next = (connect_fn)dlsym(RTLD_NEXT, "connect");
  if (!next) abort(); /* no connect after us: the shim cannot work */
  return next(fd, addr, len);
}

static inline int socket_type(int fd) {
  int type = 0;
  socklen_t len = sizeof type;
  return getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 ? type : -1;
}

/* sa_family without reading past addrlen or a bad pointer's first bytes
 * (connect reports EFAULT for those; the shim leaves them to it). */
static inline int family_of(const struct sockaddr* addr, socklen_t len) {
  if (!addr || len < sizeof(sa_family_t)) return -1;
  return addr->sa_family;
}
