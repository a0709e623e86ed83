// What execute() adds around a Program's calls (issue 16): the fuzz
// targets run one execute() per input and backend, so what it costs per
// Program (its checks, the slots, the Trace) is paid at every exec. A
// one-op Program whose connect fails with EBADF (its slot holds no socket,
// so fd -1) is the cheapest Program there is: next to `ebadf/<backend>`,
// the same call without execute(), the difference is the per-Program cost.
// The options are the fuzz targets' (fuzz_run.cc: no timing, no
// post-state, a bound_for callback capturing a pointer) but for the bound:
// none, so no watchdog timer is armed around the call, as in the bare path.
#include <cerrno>

#include "exec/executor.h"
#include "fixtures.h"
#include "paths.h"

namespace conncheck::bench {
namespace {

void execute_ebadf(benchmark::State& st, Backend b) {
  const Program p{{op::Connect{0, Address::inet("127.0.0.1", 9)}}};
  const void* owner = &st;  // a capture, as the fuzz targets' [this]
  const RunOptions o{.backend = b,
                     .bound = std::chrono::milliseconds(0),
                     .post_state = false,
                     .timing = false,
                     .bound_for = [owner](const std::vector<Step>&, const Op&) {
                       return std::chrono::milliseconds(owner != nullptr ? 0 : 1);
                     }};
  for (auto _ : st) {
    const Trace t = execute(p, o);
    const Outcome& out = t.steps.front().outcome;
    if (!gave(out.ret, out.err, EBADF)) {
      skip_unexpected(st, "execute", EBADF, out.ret, out.err);
      break;
    }
  }
}

}  // namespace

void register_execute_paths() { register_path("execute_ebadf", execute_ebadf); }

}  // namespace conncheck::bench
