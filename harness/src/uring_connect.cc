#include "conncheck/uring_connect.h"

#include <liburing.h>

#include <cerrno>

#include "conncheck/errors.h"

namespace conncheck {
namespace {

constexpr std::uint64_t kConnectTag = 1;
constexpr std::uint64_t kCancelTag = 2;

struct Ring {
  io_uring ring{};
  Ring() {
    if (int r = io_uring_queue_init(4, &ring, 0); r < 0)
      throw env_error("io_uring_queue_init", -r);
  }
  ~Ring() { io_uring_queue_exit(&ring); }
};

io_uring& ring() {
  thread_local Ring r;
  return r.ring;
}

// Waits for one CQE; a signal interrupting the wait is not an outcome of
// the connect, so the wait goes on.
io_uring_cqe* wait_one(io_uring& r, __kernel_timespec* ts, int* wait_err) {
  io_uring_cqe* cqe = nullptr;
  int w;
  do {
    w = ts ? io_uring_wait_cqe_timeout(&r, &cqe, ts) : io_uring_wait_cqe(&r, &cqe);
  } while (w == -EINTR);
  *wait_err = w;
  return w == 0 ? cqe : nullptr;
}

}  // namespace

void uring_prepare() { ring(); }

long uring_connect(int fd, const sockaddr* sa, socklen_t len,
                   std::chrono::milliseconds bound, int* err, bool* hung) {
  io_uring& r = ring();
  *hung = false;
  io_uring_sqe* sqe = io_uring_get_sqe(&r);
  io_uring_prep_connect(sqe, fd, sa, len);
  io_uring_sqe_set_data64(sqe, kConnectTag);
  if (int s = io_uring_submit(&r); s < 0) throw env_error("io_uring_submit(connect)", -s);

  __kernel_timespec ts{};
  ts.tv_sec = bound.count() / 1000;
  ts.tv_nsec = (bound.count() % 1000) * 1'000'000;
  int wait_err = 0;
  io_uring_cqe* cqe = wait_one(r, bound.count() ? &ts : nullptr, &wait_err);
  if (cqe == nullptr && wait_err == -ETIME) {
    // Past its bound: cancel, then collect both completions so the ring is
    // clean for the next call.
    *hung = true;
    io_uring_sqe* c = io_uring_get_sqe(&r);
    io_uring_prep_cancel64(c, kConnectTag, 0);
    io_uring_sqe_set_data64(c, kCancelTag);
    io_uring_submit(&r);
    int res = -ECANCELED, cancel_res = 0;
    for (int seen = 0; seen < 2;) {
      io_uring_cqe* x = wait_one(r, nullptr, &wait_err);
      if (x == nullptr) throw env_error("io_uring_wait_cqe(cancel)", -wait_err);
      (io_uring_cqe_get_data64(x) == kConnectTag ? res : cancel_res) = x->res;
      io_uring_cqe_seen(&r, x);
      ++seen;
    }
    // The cancel found nothing (ENOENT) when the connect completed on its
    // own before it arrived: then its result stands and it did not hang.
    // A cancelled connect's result is ECANCELED, or what the socket says
    // when its retry is cut short (EALREADY on a connect still pending).
    *hung = cancel_res != -ENOENT;
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
