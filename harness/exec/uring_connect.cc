#include "exec/uring_connect.h"

#include <liburing.h>

#include <cerrno>
#include <optional>

#include "program/errors.h"

namespace conncheck {
namespace {

constexpr std::uint64_t kConnectTag = 1;
constexpr std::uint64_t kCancelTag = 2;

struct Ring {
  io_uring ring{};
  Ring() {
    if (int r = io_uring_queue_init(4, &ring, 0); r < 0) throw env_error("io_uring_queue_init", -r);
  }
  ~Ring() { io_uring_queue_exit(&ring); }
};

io_uring& ring() {
  thread_local Ring r;
  return r.ring;
}

// Waits for one CQE until `deadline` (none when bound is zero); a signal
// interrupting the wait is not an outcome of the connect, so the wait goes
// on for the time left. (Restarting with the whole bound never timed out
// under a Program's interrupt, which re-fires every interrupt_ms: the
// EINTR/full-backlog conformance case waited for good.)
using Clock = std::chrono::steady_clock;
io_uring_cqe* wait_one(io_uring& r, std::optional<Clock::time_point> deadline, int* wait_err) {
  io_uring_cqe* cqe = nullptr;
  int w;
  do {
    if (!deadline) {
      w = io_uring_wait_cqe(&r, &cqe);
      continue;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::nanoseconds>(*deadline - Clock::now());
    __kernel_timespec ts{};
    if (left.count() > 0) {
      ts.tv_sec = left.count() / 1'000'000'000;
      ts.tv_nsec = left.count() % 1'000'000'000;
    }
    w = io_uring_wait_cqe_timeout(&r, &cqe, &ts);  // a zero timeout only peeks
  } while (w == -EINTR);
  *wait_err = w;
  return w == 0 ? cqe : nullptr;
}

}  // namespace

void uring_prepare() { ring(); }

long uring_connect(int fd, const sockaddr* sa, socklen_t len, std::chrono::milliseconds bound,
                   int* err, bool* cancelled) {
  io_uring& r = ring();
  *cancelled = false;
  io_uring_sqe* sqe = io_uring_get_sqe(&r);
  io_uring_prep_connect(sqe, fd, sa, len);
  io_uring_sqe_set_data64(sqe, kConnectTag);
  if (int s = io_uring_submit(&r); s < 0) throw env_error("io_uring_submit(connect)", -s);

  int wait_err = 0;
  std::optional<Clock::time_point> deadline;
  if (bound.count()) deadline = Clock::now() + bound;
  io_uring_cqe* cqe = wait_one(r, deadline, &wait_err);
  if (cqe == nullptr && wait_err == -ETIME) {
    // Past its bound with no completion in the ring: cancel it and collect
    // every completion, so the ring is clean for the next call. A cancel
    // that finds nothing (ENOENT) met the request in transit (between its
    // poll and the io-wq worker, say, on a loaded machine) or just done:
    // cancel again until its completion arrives (the old code took ENOENT
    // for "completed" and then waited for good, or for a stale signal).
    int res = 0;
    bool connect_done = false;
    while (!connect_done) {
      io_uring_sqe* c = io_uring_get_sqe(&r);
      io_uring_prep_cancel64(c, kConnectTag, 0);
      io_uring_sqe_set_data64(c, kCancelTag);
      if (int s = io_uring_submit(&r); s < 0) throw env_error("io_uring_submit(cancel)", -s);
      int cancel_res = 0;
      for (bool cancel_done = false; !cancel_done;) {
        io_uring_cqe* x = wait_one(r, std::nullopt, &wait_err);
        if (x == nullptr) throw env_error("io_uring_wait_cqe(cancel)", -wait_err);
        if (io_uring_cqe_get_data64(x) == kConnectTag) {
          res = x->res;
          connect_done = true;
        } else {
          cancel_res = x->res;
          cancel_done = true;
        }
        io_uring_cqe_seen(&r, x);
      }
      // Found (0) or running in io-wq (EALREADY): cut short, its completion
      // before or after the cancel's. A connect that completed on its own
      // while every cancel missed it returned its own result: no hang, as
      // a libc call that returns its own result as the watchdog fires.
      if (cancel_res != -ENOENT) *cancelled = true;
      if (connect_done || cancel_res == -ENOENT) continue;
      io_uring_cqe* x = wait_one(r, std::nullopt, &wait_err);
      if (x == nullptr) throw env_error("io_uring_wait_cqe(cancelled connect)", -wait_err);
      res = x->res;
      connect_done = true;
      io_uring_cqe_seen(&r, x);
    }
    *err = res < 0 ? -res : 0;
    return res < 0 ? -1 : 0;
  }
  if (cqe == nullptr) throw env_error("io_uring_wait_cqe(connect)", -wait_err);
  const int res = cqe->res;
  io_uring_cqe_seen(&r, cqe);
  *err = res < 0 ? -res : 0;
  return res < 0 ? -1 : res;
}

}  // namespace conncheck
