// Watchdog: no blocking call can hang a run.
//
// A CallWatchdog armed for `bound` sends this thread a signal (SIGRTMIN+1,
// handler installed without SA_RESTART) when the bound passes, and again
// every `bound` until it is disarmed, so a signal that lands before the
// call has started (the thread descheduled in between) is not the last
// word. A blocking
// connect/accept/recv then returns EINTR, which the caller reports as a
// hang when the Program asked for no interrupt (is_hang() in backend.h: the
// verdict rests on the EINTR and on whose signal it was, not on fired(),
// which a timer expiring beside a call that returned its own result also
// sets). The timer is created once per thread and reused.
//
// Example usage:
//   {
//     CallWatchdog dog(std::chrono::milliseconds(200));
//     ret = ::connect(fd, sa, len);      // blocks on a full backlog
//   }                                    // disarmed here
//   if (is_hang({.ret = ret, .err = errno})) report_hang(...);
#pragma once

#include <chrono>

namespace conncheck {

class CallWatchdog {
 public:
  explicit CallWatchdog(std::chrono::milliseconds bound);
  ~CallWatchdog();
  CallWatchdog(const CallWatchdog&) = delete;
  CallWatchdog& operator=(const CallWatchdog&) = delete;

  bool fired() const;

 private:
  bool armed_ = false;
};

// The signal the watchdog uses; programs that provoke EINTR themselves use
// a different one (see executor).
int watchdog_signal();

}  // namespace conncheck
