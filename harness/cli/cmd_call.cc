// `conncheck call`: one connect from arguments, printed strace-style.
#include <sys/socket.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "exec/destination_guard.h"
#include "exec/executor.h"
#include "program/errors.h"
#include "sandbox/sandbox.h"

namespace conncheck::cli {
namespace {

struct CallArgs {
  std::string family;  // socket domain; default: the address's family
  std::string type = "stream";
  int protocol = 0;
  std::string addr;
  std::string bind;
  long addrlen = -1;
  std::string placement = "normal";
  std::string backend = "libc";
  bool nonblock = false;
  bool no_sandbox = false;
  bool verbose = false;
  bool json = false;
  int timeout_ms = 5000;
};

Address parse_address(const std::string& spec, const char* what) {
  Address a;
  std::string err;
  if (!parse_spec(spec, &a, &err)) throw UsageError(fmt::format("{}: {}", what, err));
  return a;
}

int run_call(const CallArgs& a) {
  Address addr = parse_address(a.addr, "--addr");
  if (a.addrlen >= 0) addr.addrlen = static_cast<socklen_t>(a.addrlen);
  parse_placement(a.placement, &addr.placement);
  int domain = addr.family();
  if (!a.family.empty() && !parse_family(a.family, &domain))
    throw UsageError(fmt::format("--family: unknown family '{}'", a.family));
  if (a.family.empty() && domain == AF_UNSPEC)
    throw UsageError("--family is needed when the address is unspec or raw");
  const int type = (a.type == "stream"  ? SOCK_STREAM
                    : a.type == "dgram" ? SOCK_DGRAM
                                        : SOCK_SEQPACKET) |
                   (a.nonblock ? SOCK_NONBLOCK : 0);

  Program p;
  p.ops.push_back(op::Socket{0, domain, type, a.protocol});
  if (!a.bind.empty()) p.ops.push_back(op::Bind{0, parse_address(a.bind, "--bind")});
  p.ops.push_back(op::Connect{0, addr});

  if (!a.no_sandbox) Sandbox::enter();
  std::vector<Backend> backends;
  if (a.backend == "all")
    backends.assign(std::begin(kAllBackends), std::end(kAllBackends));
  else
    parse_backend(a.backend, &backends.emplace_back());  // IsMember checked the name

  nlohmann::json out = nlohmann::json::array();
  for (Backend b : backends) {
    RunOptions opt{.backend = b, .bound = std::chrono::milliseconds(a.timeout_ms)};
    const Trace t = execute(p, opt);
    const std::string prefix = backends.size() > 1 ? fmt::format("[{}] ", backend_name(b)) : "";
    if (a.json) {
      out.push_back(
          {{"backend", backend_name(b)}, {"program", p}, {"outcome", t.steps.back().outcome}});
      continue;
    }
    if (a.verbose)
      for (std::size_t i = 0; i + 1 < t.steps.size(); ++i)
        fmt::print("{}{}\n", prefix, step_to_string(t.steps[i]));
    const Step& last = t.steps.back();
    if (last.outcome.refused) throw UnsafeDestination(destination_refusal(addr));
    fmt::print("{}{}\n", prefix, step_to_string(last));
  }
  if (a.json) fmt::print("{}\n", out.dump(2));
  return 0;
}

}  // namespace

void add_call(CLI::App& app, Registry& reg) {
  auto args = std::make_shared<CallArgs>();
  auto* sub = app.add_subcommand(
      "call",
      "Make one socket and one connect() from arguments and print it strace-style,\n"
      "with the post-call state (getpeername, getsockname, SO_ERROR) as a comment.\n"
      "Example: conncheck call --family inet --type stream --addr 10.255.0.1:80 --backend syscall");
  sub->add_option("--addr", args->addr,
                  "Destination: IP:PORT, [IP6]:PORT, [IP6%SCOPE]:PORT, unix:PATH, abstract:NAME,\n"
                  "unnamed, unspec, or raw:FAMILY:HEX (bytes after sa_family)")
      ->required();
  sub->add_option("--family", args->family,
                  "Socket domain: inet, inet6, unix, or a number (default: the address's family)");
  sub->add_option("--type", args->type, "Socket type")
      ->check(CLI::IsMember({"stream", "dgram", "seqpacket"}))
      ->capture_default_str();
  sub->add_option("--protocol", args->protocol, "Socket protocol")->capture_default_str();
  sub->add_option("--bind", args->bind, "Bind the socket to this address first");
  sub->add_option("--addrlen", args->addrlen, "Declared addrlen (default: the address's own size)")
      ->check(CLI::Range(0L, 0xffffffffL));
  sub->add_option(
         "--placement", args->placement,
         "Where the address bytes sit: normal, guard (end at a PROT_NONE page), null, unmapped")
      ->check(CLI::IsMember({"normal", "guard", "null", "unmapped"}))
      ->capture_default_str();
  sub->add_option("--backend", args->backend, "How connect() is issued")
      ->check(CLI::IsMember({"libc", "syscall", "io_uring", "all"}))
      ->capture_default_str();
  sub->add_flag("--nonblock", args->nonblock, "Create the socket with SOCK_NONBLOCK");
  sub->add_option("--timeout-ms", args->timeout_ms,
                  "Watchdog bound: a call blocked longer is a hang")
      ->check(CLI::Range(1, 600000))
      ->capture_default_str();
  sub->add_flag("--no-sandbox", args->no_sandbox,
                "Run on this host's network; only loopback, AF_UNIX and AF_UNSPEC\n"
                "destinations are then allowed (checked before the call)");
  sub->add_flag("-v,--verbose", args->verbose, "Also print the socket/bind steps");
  sub->add_flag("--json", args->json, "Print the program and outcome as JSON");
  reg.add(sub, [args] { return run_call(*args); });
}

}  // namespace conncheck::cli
