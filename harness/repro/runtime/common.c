// The fixed part of every reproducer: reporting in the harness's trace
// format, the watchdog and interrupt timers, the address arena (the same
// layout as exec/address_memory.cc), and the post-state reads (as
// exec/backend.cc). Helpers are `static inline` so a reproducer that needs
// only some of them still compiles without -Wunused-function noise.
// Everything above the first `// @embed:` line is for compilers and editors
// only (the file compiles on its own: ctest repro.runtime_c.*); the sections
// below are embedded byte for byte by embed_c.cmake and assembled by
// emit_c.cc into one self-contained reproducer.
#include "prelude.h"
/* emit_c.cc writes the run's bound (RunOptions::bound) here. */
#define BOUND_MS 1000
// @embed: text

/* The machine cannot give us the sandbox: not a finding, exit 3. */
static inline void env_die(const char *what, int err) {
  fprintf(stderr, "repro: environment problem: %s: %s\n", what, strerror(err));
  exit(3);
}

/* The harness prints errno names with strerrorname_np, "E<n>" if unnamed. */
static inline const char *errname(int e) {
  static char buf[16];
  const char *n = strerrorname_np(e);
  if (n) return n;
  snprintf(buf, sizeof buf, "E%d", e);
  return buf;
}

/* Socket slots, as in the executor: closed or empty slots pass fd -1. */
static int slots[8] = {-1, -1, -1, -1, -1, -1, -1, -1};
static inline void slot_set(int s, int fd) {
  if (slots[s] >= 0) close(slots[s]);
  slots[s] = fd;
}

/* How a step is compared with what the harness recorded. */
enum check { CHECK_NONE, CHECK_EXACT, CHECK_FD /* only success: fd numbers differ */ };
static int differences;

/* Ends a step's line: " = ret" or " = -1 ENAME (text)", the hang and
   post-state comments, then compares with the recorded outcome. */
static inline void step_result(int step, long ret, int err, int hung, int refused, const char *note,
                               enum check check, long want_ret, const char *want_err) {
  if (refused)
    printf(" = ? /* not issued: refused by the harness guard */");
  else if (ret < 0)
    printf(" = -1 %s (%s)", errname(err), strerror(err));
  else
    printf(" = %ld", ret);
  if (hung) printf(" /* HANG: interrupted by the watchdog */");
  if (note && note[0]) printf(" /* %s */", note);
  printf("\n");
  fflush(stdout);
  if (check == CHECK_NONE) return;
  int same;
  if (strcmp(want_err, "?") == 0)
    same = refused;
  else if (refused)
    same = 0;
  else if (check == CHECK_FD && want_ret >= 0)
    same = ret >= 0;
  else
    same = ret == want_ret && strcmp(ret < 0 ? errname(err) : "", want_err) == 0;
  if (!same) {
    ++differences;
    fprintf(stderr, "repro: step %d differs: got %ld %s, harness recorded %ld %s\n", step, ret,
            refused   ? "(refused)"
            : ret < 0 ? errname(err)
                      : "",
            want_ret, want_err);
  }
}

/* Watchdog: SIGRTMIN+1 after BOUND_MS and every BOUND_MS after until
   disarmed (one signal could land before the call starts), caught without
   SA_RESTART so a blocked call comes back with EINTR. A hang is an EINTR the
   Program did not cause (is_hang() in backend.cc): with no interrupt asked
   for, only the watchdog's signal interrupts; with one, the watchdog waits
   1000 ms past it (kInterruptMargin) and the Program's EINTR is no hang. */
static volatile sig_atomic_t watchdog_fired;
static volatile sig_atomic_t interrupt_fired;
static timer_t watchdog_timer;
static int watchdog_ready;
static inline void on_watchdog(int sig) {
  (void)sig;
  watchdog_fired = 1;
}
static inline void watchdog_arm_ms(long ms) {
  if (ms == 0) return;
  if (!watchdog_ready) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_watchdog;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGRTMIN + 1, &sa, NULL) != 0) env_die("sigaction(watchdog)", errno);
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGRTMIN + 1;
    if (timer_create(CLOCK_MONOTONIC, &ev, &watchdog_timer) != 0)
      env_die("timer_create(watchdog)", errno);
    watchdog_ready = 1;
  }
  watchdog_fired = 0;
  struct itimerspec its;
  memset(&its, 0, sizeof its);
  its.it_value.tv_sec = ms / 1000;
  its.it_value.tv_nsec = (ms % 1000) * 1000000L;
  its.it_interval = its.it_value;
  timer_settime(watchdog_timer, 0, &its, NULL);
}
static inline void watchdog_arm(void) { watchdog_arm_ms(BOUND_MS); }
/* The watchdog of a call the Program interrupts after ms: far past it. */
static inline void watchdog_arm_interrupted(long ms) {
  watchdog_arm_ms(BOUND_MS == 0 ? 0 : BOUND_MS > ms + 1000 ? BOUND_MS : ms + 1000);
}
static inline int watchdog_disarm(long ret, int err) {
  if (watchdog_ready) {
    struct itimerspec zero;
    memset(&zero, 0, sizeof zero);
    timer_settime(watchdog_timer, 0, &zero, NULL);
  }
  return ret < 0 && err == EINTR && !interrupt_fired;
}

/* op::Connect::interrupt_ms: SIGUSR1, caught without SA_RESTART, after ms
   and every ms after until cancelled (as the watchdog, so a first signal
   that lands before the call starts is not the last). */
static inline void on_interrupt(int sig) {
  (void)sig;
  interrupt_fired = 1;
}
static timer_t interrupt_timer;
static inline void interrupt_after(int ms) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, NULL);
  interrupt_fired = 0;
  struct sigevent ev;
  memset(&ev, 0, sizeof ev);
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = SIGUSR1;
  if (timer_create(CLOCK_MONOTONIC, &ev, &interrupt_timer) != 0)
    env_die("timer_create(interrupt)", errno);
  struct itimerspec its;
  memset(&its, 0, sizeof its);
  its.it_value.tv_sec = ms / 1000;
  its.it_value.tv_nsec = (ms % 1000) * 1000000L;
  its.it_interval = its.it_value;
  timer_settime(interrupt_timer, 0, &its, NULL);
}
static inline void interrupt_cancel(void) {
  timer_delete(interrupt_timer);
  interrupt_fired = 0;
}

/* The address arena of address_memory.cc: 16 data pages, a PROT_NONE guard
   page, then an unmapped hole. */
enum placement { PLACE_NORMAL, PLACE_GUARD_END, PLACE_NULL, PLACE_UNMAPPED };
static unsigned char *arena_data, *arena_guard, *arena_hole;
static inline void arena_init(void) {
  const size_t page = (size_t)sysconf(_SC_PAGESIZE);
  unsigned char *m =
      mmap(NULL, 18 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) env_die("mmap(address arena)", errno);
  arena_data = m;
  arena_guard = m + 16 * page;
  arena_hole = arena_guard + page;
  if (mprotect(arena_guard, page, PROT_NONE) != 0) env_die("mprotect(guard page)", errno);
  if (munmap(arena_hole, page) != 0) env_die("munmap(hole page)", errno);
}
static inline const struct sockaddr *place(const unsigned char *bytes, size_t n, enum placement p) {
  switch (p) {
    case PLACE_NULL: return NULL;
    case PLACE_UNMAPPED: return (const struct sockaddr *)arena_hole;
    case PLACE_GUARD_END:
      memcpy(arena_guard - n, bytes, n);
      return (const struct sockaddr *)(arena_guard - n);
    case PLACE_NORMAL: break;
  }
  /* Bytes, then zeros up to sizeof(struct sockaddr_storage): an addrlen
     longer than the bytes reads zeros, as in the harness. */
  memcpy(arena_data, bytes, n);
  if (n < sizeof(struct sockaddr_storage))
    memset(arena_data + n, 0, sizeof(struct sockaddr_storage) - n);
  return (const struct sockaddr *)arena_data;
}

/* A returned sockaddr as address_print.cc shows it (AF_INET, AF_INET6,
   AF_UNIX; other families by number). */
static inline void quote(char *out, size_t cap, const unsigned char *p, size_t n) {
  size_t o = 0;
  out[o++] = '"';
  for (size_t i = 0; i < n && o + 6 < cap; ++i) {
    if (p[i] == '"' || p[i] == '\\') {
      out[o++] = '\\';
      out[o++] = (char)p[i];
    } else if (p[i] >= 0x20 && p[i] < 0x7f)
      out[o++] = (char)p[i];
    else
      o += (size_t)snprintf(out + o, cap - o, "\\x%02x", p[i]);
  }
  out[o++] = '"';
  out[o] = 0;
}
static inline void sockaddr_text(char *out, size_t cap, const struct sockaddr_storage *ss,
                                 socklen_t len) {
  char ip[INET6_ADDRSTRLEN], q[512];
  const unsigned char *b = (const unsigned char *)ss;
  if (len < sizeof(sa_family_t)) {
    snprintf(out, cap, "{sa_data=\"\" /* shorter than sa_family */}");
    return;
  }
  if (ss->ss_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
    const struct sockaddr_in *s = (const struct sockaddr_in *)ss;
    inet_ntop(AF_INET, &s->sin_addr, ip, sizeof ip);
    snprintf(out, cap, "{sa_family=AF_INET, sin_port=htons(%u), sin_addr=inet_addr(\"%s\")}",
             ntohs(s->sin_port), ip);
  } else if (ss->ss_family == AF_INET6 && len >= 24) {
    const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)ss;
    inet_ntop(AF_INET6, &s->sin6_addr, ip, sizeof ip);
    int n = snprintf(out, cap,
                     "{sa_family=AF_INET6, sin6_port=htons(%u), sin6_flowinfo=htonl(%u), "
                     "inet_pton(AF_INET6, \"%s\", &sin6_addr)",
                     ntohs(s->sin6_port), ntohl(s->sin6_flowinfo), ip);
    if (len >= sizeof(struct sockaddr_in6))
      n += snprintf(out + n, cap - n, ", sin6_scope_id=%u", s->sin6_scope_id);
    snprintf(out + n, cap - n, "}");
  } else if (ss->ss_family == AF_UNIX) {
    const size_t off = offsetof(struct sockaddr_un, sun_path);
    if (len <= off) {
      snprintf(out, cap, "{sa_family=AF_UNIX}");
      return;
    }
    const unsigned char *path = b + off;
    size_t n = len - off;
    if (path[0] == 0) {
      quote(q, sizeof q, path + 1, n - 1);
      snprintf(out, cap, "{sa_family=AF_UNIX, sun_path=@%s}", q);
      return;
    }
    const unsigned char *nul = memchr(path, 0, n);
    quote(q, sizeof q, path, nul ? (size_t)(nul - path) : n);
    snprintf(out, cap, "{sa_family=AF_UNIX, sun_path=%s%s}", q,
             nul ? "" : " /* not NUL-terminated */");
  } else {
    quote(q, sizeof q, b + sizeof(sa_family_t), len - sizeof(sa_family_t));
    snprintf(out, cap, "{sa_family=%u, sa_data=%s}", ss->ss_family, q);
  }
}

/* Post-state after each connect, as read_post_state() in backend.cc. The
   SO_ERROR read clears a pending error, so it is replayed even though its
   text is only a comment: later steps must see what the harness saw. */
static char post_note[1200];
static inline void name_part(char *out, size_t cap, const char *what, int fd, int peer) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  memset(&ss, 0, sizeof ss);
  int r = peer ? getpeername(fd, (struct sockaddr *)&ss, &len)
               : getsockname(fd, (struct sockaddr *)&ss, &len);
  if (r < 0) {
    snprintf(out, cap, "%s=-1 %s", what, errname(errno));
    return;
  }
  char a[560];
  sockaddr_text(a, sizeof a, &ss, len < sizeof ss ? len : sizeof ss);
  snprintf(out, cap, "%s=%s", what, a);
}
static inline void post_state(int fd) {
  char peer[580], local[580];
  name_part(peer, sizeof peer, "peer", fd, 1);
  name_part(local, sizeof local, "local", fd, 0);
  int v = 0;
  socklen_t len = sizeof v;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &v, &len) < 0)
    snprintf(post_note, sizeof post_note, "%s, %s, SO_ERROR=? (%s)", peer, local, errname(errno));
  else
    snprintf(post_note, sizeof post_note, "%s, %s, SO_ERROR=%s", peer, local, v ? errname(v) : "0");
}

/* getpeername/getsockname as a step: the harness prints the returned
   address in the arguments, or a "not written" note on failure. */
static char name_arg[600];
static inline long name_query(int fd, int peer, int *err) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  memset(&ss, 0, sizeof ss);
  long r = peer ? getpeername(fd, (struct sockaddr *)&ss, &len)
                : getsockname(fd, (struct sockaddr *)&ss, &len);
  *err = r < 0 ? errno : 0;
  if (r < 0) {
    snprintf(name_arg, sizeof name_arg, "0x... /* not written */");
    return r;
  }
  if (len > sizeof ss) len = sizeof ss;
  char a[560];
  sockaddr_text(a, sizeof a, &ss, len);
  snprintf(name_arg, sizeof name_arg, "%s, [%u]", a, (unsigned)len);
  return r;
}
