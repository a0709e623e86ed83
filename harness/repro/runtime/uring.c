// IORING_OP_CONNECT without liburing: the few raw io_uring syscalls
// exec/uring_connect.cc makes through liburing (a 4-entry ring made on
// first use, one connect, a wait bounded by BOUND_MS, cancel past the
// bound); only in io_uring reproducers with a connect (EmitNeeds::io_uring).
// Everything above the first `// @embed:` line is for compilers and editors
// only (the file compiles on its own: ctest repro.runtime_c.*); the sections
// below are embedded byte for byte by embed_c.cmake and assembled by
// emit_c.cc into one self-contained reproducer.
#include "common.c"
// @embed: includes
#include <linux/io_uring.h>
// @embed: text

/* io_uring with raw syscalls (no liburing), as uring_connect.cc uses it. */
static struct {
  int fd;
  unsigned *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
  struct io_uring_sqe *sqes;
  struct io_uring_cqe *cqes;
} ring = {-1, 0, 0, 0, 0, 0, 0, 0, 0};
static inline void uring_init(void) {
  struct io_uring_params p;
  memset(&p, 0, sizeof p);
  int fd = (int)syscall(__NR_io_uring_setup, 4, &p);
  if (fd < 0) env_die("io_uring_setup", errno);
  size_t sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
  size_t cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
  const int single = (p.features & IORING_FEAT_SINGLE_MMAP) != 0;
  if (single) sq_len = cq_len = sq_len > cq_len ? sq_len : cq_len;
  char *sq =
      mmap(NULL, sq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQ_RING);
  if (sq == MAP_FAILED) env_die("mmap(io_uring sq)", errno);
  char *cq = single ? sq
                    : mmap(NULL, cq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
                           IORING_OFF_CQ_RING);
  if (cq == MAP_FAILED) env_die("mmap(io_uring cq)", errno);
  void *sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
                    MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQES);
  if (sqes == MAP_FAILED) env_die("mmap(io_uring sqes)", errno);
  ring.fd = fd;
  ring.sq_tail = (unsigned *)(sq + p.sq_off.tail);
  ring.sq_mask = (unsigned *)(sq + p.sq_off.ring_mask);
  ring.sq_array = (unsigned *)(sq + p.sq_off.array);
  ring.cq_head = (unsigned *)(cq + p.cq_off.head);
  ring.cq_tail = (unsigned *)(cq + p.cq_off.tail);
  ring.cq_mask = (unsigned *)(cq + p.cq_off.ring_mask);
  ring.sqes = sqes;
  ring.cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
}
static inline void uring_push(const struct io_uring_sqe *e) {
  const unsigned tail = *ring.sq_tail;
  const unsigned i = tail & *ring.sq_mask;
  ring.sqes[i] = *e;
  ring.sq_array[i] = i;
  __atomic_store_n(ring.sq_tail, tail + 1, __ATOMIC_RELEASE);
  if (syscall(__NR_io_uring_enter, ring.fd, 1, 0, 0, NULL, 0) < 0)
    env_die("io_uring_enter(submit)", errno);
}
/* One completion: 1 and its tag/res, or 0 when none came within the bound
   (ms == 0: no bound). A signal interrupting the wait is not an outcome of
   the connect, so the wait goes on for the time left (as in
   uring_connect.cc: a Program's interrupt re-fires every interrupt_ms, and
   restarting with the whole bound never timed out). */
static inline long long monotonic_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}
static inline int uring_wait(long ms, unsigned long long *tag, int *res) {
  const long long deadline = monotonic_ns() + (long long)ms * 1000000LL;
  for (;;) {
    const unsigned head = *ring.cq_head;
    if (head != __atomic_load_n(ring.cq_tail, __ATOMIC_ACQUIRE)) {
      const struct io_uring_cqe *c = &ring.cqes[head & *ring.cq_mask];
      *tag = c->user_data;
      *res = c->res;
      __atomic_store_n(ring.cq_head, head + 1, __ATOMIC_RELEASE);
      return 1;
    }
    long r;
    if (ms) {
      long long left = deadline - monotonic_ns();
      if (left < 0) left = 0; /* a zero timeout only peeks */
      struct __kernel_timespec ts = {left / 1000000000LL, left % 1000000000LL};
      struct io_uring_getevents_arg arg;
      memset(&arg, 0, sizeof arg);
      arg.ts = (unsigned long long)(uintptr_t)&ts;
      r = syscall(__NR_io_uring_enter, ring.fd, 0, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG,
                  &arg, sizeof arg);
    } else {
      r = syscall(__NR_io_uring_enter, ring.fd, 0, 1, IORING_ENTER_GETEVENTS, NULL, 0);
    }
    if (r < 0 && errno == ETIME) return 0;
    if (r < 0 && errno != EINTR) env_die("io_uring_enter(wait)", errno);
  }
}
static inline long uring_connect(int fd, const struct sockaddr *sa, socklen_t len, int *err,
                                 int *hung) {
  if (ring.fd < 0) uring_init();
  struct io_uring_sqe e;
  memset(&e, 0, sizeof e);
  e.opcode = IORING_OP_CONNECT;
  e.fd = fd;
  e.addr = (unsigned long long)(uintptr_t)sa;
  e.off = len; /* io_uring_prep_connect passes addrlen in off */
  e.user_data = 1;
  uring_push(&e);
  unsigned long long tag;
  int res;
  *hung = 0;
  if (!uring_wait(BOUND_MS, &tag, &res)) {
    /* Past its bound: cancel, again while the cancel finds nothing (the
       request in transit), and collect every completion. Cut short by a
       cancel that found it is a hang, as is EINTR (only a cancel's
       notification interrupts an io_uring connect); a connect that
       completed on its own while every cancel missed it is not. */
    int done = 0;
    while (!done) {
      memset(&e, 0, sizeof e);
      e.opcode = IORING_OP_ASYNC_CANCEL;
      e.fd = -1;
      e.addr = 1; /* the connect's tag */
      e.user_data = 2;
      uring_push(&e);
      int cancel_res = 0, cancel_seen = 0;
      while (!cancel_seen) {
        int r;
        uring_wait(0, &tag, &r);
        if (tag == 1) {
          res = r;
          done = 1;
        } else {
          cancel_res = r;
          cancel_seen = 1;
        }
      }
      if (cancel_res != -ENOENT) *hung = 1;
      if (done || cancel_res == -ENOENT) continue;
      uring_wait(0, &tag, &res);
      done = 1;
    }
  }
  if (res == -EINTR) *hung = 1;
  *err = res < 0 ? -res : 0;
  return res < 0 ? -1 : res;
}
