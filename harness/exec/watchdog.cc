#include "exec/watchdog.h"

#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>

#include "program/errors.h"

namespace conncheck {
namespace {

thread_local volatile sig_atomic_t g_fired = 0;

void on_watchdog(int) { g_fired = 1; }

void install_handler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa {};
    sa.sa_handler = on_watchdog;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: the blocked call must come back
    if (::sigaction(watchdog_signal(), &sa, nullptr) != 0)
      throw env_error("sigaction(watchdog signal)", errno);
  });
}

// One timer per thread, aimed at that thread (SIGEV_THREAD_ID), so a
// watchdog on one thread never interrupts another.
struct ThreadTimer {
  timer_t id{};
  ThreadTimer() {
    sigevent ev{};
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = watchdog_signal();
    ev._sigev_un._tid = ::gettid();  // sigev_notify_thread_id; glibc 2.36 does not name it
    if (::timer_create(CLOCK_MONOTONIC, &ev, &id) != 0)
      throw env_error("timer_create(watchdog)", errno);
  }
  ~ThreadTimer() { ::timer_delete(id); }
};

timer_t thread_timer() {
  thread_local ThreadTimer t;
  return t.id;
}

// Fires at `ms` and then every `ms` until disarmed. One signal is not
// enough: when the thread is descheduled between arming and the call (a
// loaded machine, a 1 ms bound), the first one lands before the call starts
// and the call then blocks for good. The soak saw accept() stay blocked
// this way; the next expiry interrupts it.
void set_timer(std::chrono::milliseconds ms) {
  itimerspec its{};
  its.it_value.tv_sec = ms.count() / 1000;
  its.it_value.tv_nsec = (ms.count() % 1000) * 1'000'000;
  its.it_interval = its.it_value;  // zero with zero: disarmed
  ::timer_settime(thread_timer(), 0, &its, nullptr);
}

}  // namespace

int watchdog_signal() { return SIGRTMIN + 1; }

CallWatchdog::CallWatchdog(std::chrono::milliseconds bound) {
  g_fired = 0;
  if (bound.count() <= 0) return;
  install_handler();
  set_timer(bound);
  armed_ = true;
}

CallWatchdog::~CallWatchdog() {
  if (armed_) set_timer(std::chrono::milliseconds(0));  // zero disarms
}

bool CallWatchdog::fired() const { return g_fired != 0; }

}  // namespace conncheck
