// The reproducer's first lines: the headers every reproducer includes.
// The pieces that are included only when needed (sandbox_world.c,
// unix_dirs.c, uring.c) list their extra headers in their own `includes`
// section; emit_c.cc appends those after these.
// Everything above the first `// @embed:` line is for compilers and editors
// only (the file compiles on its own: ctest repro.runtime_c.*); the sections
// below are embedded byte for byte by embed_c.cmake and assembled by
// emit_c.cc into one self-contained reproducer.
// @embed: text
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
