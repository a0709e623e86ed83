// Throughput reference for connect_sockaddr_fuzzer (issue 5): the same
// syscalls as the target's inputs, without the harness around them (no
// Outcome, Trace, Oracle, leak check or libFuzzer), next to the harness's
// own loop over the same inputs.
//
//   conncheck_bare_loop [--seconds N] [--harness] DIR
//
// DIR holds connect_sockaddr_fuzzer inputs (corpus/connect_sockaddr_fuzzer).
// Inputs whose run hangs (a blocking connect the watchdog ends) are left
// out of both loops: a bare loop has no watchdog, and a 200 ms wait would
// measure the bound, not the code. Prints one line: mode, inputs, execs/s.
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "exec/address_memory.h"
#include "fuzz/fuzz_input.h"
#include "sandbox/sandbox.h"

namespace {

using namespace conncheck;
using Clock = std::chrono::steady_clock;

// One input's syscalls, straight: what execute() issues for the ops the
// sockaddr target produces, minus recording and judging.
void bare_run(const Program& p) {
  std::array<int, kMaxSlots> fd;
  fd.fill(-1);
  for (const Op& o : p.ops) {
    if (const auto* s = std::get_if<op::Socket>(&o)) {
      if (fd[s->slot] >= 0) ::close(fd[s->slot]);
      fd[s->slot] = ::socket(s->domain, s->type | SOCK_CLOEXEC, s->protocol);
    } else if (const auto* b = std::get_if<op::Bind>(&o)) {
      AddressMemory m(b->addr);
      ::bind(fd[b->slot], m.ptr(), b->addr.addrlen);
    } else if (const auto* l = std::get_if<op::Listen>(&o)) {
      ::listen(fd[l->slot], l->backlog);
    } else if (const auto* c = std::get_if<op::Connect>(&o)) {
      AddressMemory m(c->addr);
      ::connect(fd[c->slot], m.ptr(), c->addr.addrlen);
    } else if (const auto* so = std::get_if<op::SetSockOpt>(&o)) {
      ::setsockopt(fd[so->slot], so->level, so->name, &so->value, sizeof so->value);
    } else if (const auto* n = std::get_if<op::SetNonblock>(&o)) {
      const int fl = ::fcntl(fd[n->slot], F_GETFL);
      ::fcntl(fd[n->slot], F_SETFL, n->on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
    }
  }
  for (int f : fd)
    if (f >= 0) ::close(f);
  // The same clean-up the harness does: bound AF_UNIX names are files.
  for (const Op& o : p.ops)
    if (const auto* b = std::get_if<op::Bind>(&o);
        b && b->addr.family() == AF_UNIX && b->addr.bytes.size() > 2 && b->addr.bytes[2] != 0)
      ::unlink(reinterpret_cast<const char*>(b->addr.bytes.data()) + 2);
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 60;
  bool harness = false;
  std::string dir;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--seconds" && i + 1 < argc)
      seconds = std::stod(argv[++i]);
    else if (a == "--harness")
      harness = true;
    else
      dir = a;
  }
  if (dir.empty()) {
    std::fprintf(stderr, "usage: conncheck_bare_loop [--seconds N] [--harness] DIR\n");
    return 2;
  }
  // The corpus is usually under /tmp (measure.sh's work dir), which the
  // sandbox covers with a fresh tmpfs: keep it visible inside. It is read,
  // so it must be there (keep_writable would make an empty one).
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    std::fprintf(stderr, "conncheck_bare_loop: %s: not a directory\n", dir.c_str());
    return 2;
  }
  Sandbox::keep_writable(dir, Sandbox::Kept::kDirectory);
  Sandbox::enter();
  constexpr FuzzTarget kT = FuzzTarget::kSockaddr;
  std::vector<std::vector<std::uint8_t>> raw;
  std::vector<Program> programs;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::vector<std::uint8_t> b{std::istreambuf_iterator<char>(in),
                                std::istreambuf_iterator<char>()};
    Program p = decode_input(kT, b);
    const TargetResult r = run_target(kT, p);
    if (r.traces.empty() || r.traces[0].hung()) continue;
    raw.push_back(std::move(b));
    programs.push_back(std::move(p));
  }
  if (programs.empty()) {
    std::fprintf(stderr, "no usable inputs in %s\n", dir.c_str());
    return 3;
  }
  const auto end = Clock::now() + std::chrono::duration<double>(seconds);
  long execs = 0;
  const auto start = Clock::now();
  while (Clock::now() < end) {
    for (std::size_t i = 0; i < programs.size(); ++i) {
      if (harness)
        (void)run_target(kT, decode_input(kT, raw[i]));  // as the target: decode, run, judge
      else
        bare_run(programs[i]);
    }
    execs += static_cast<long>(programs.size());
  }
  const double s = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("%s: %zu inputs, %ld execs in %.1f s = %.0f execs/s\n", harness ? "harness" : "bare",
              programs.size(), execs, s, execs / s);
  return 0;
}
