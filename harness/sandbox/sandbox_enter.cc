// Entering the sandbox: unshare a network and a mount namespace (a user
// namespace first when not root), then build the small world described in
// sandbox.h and the private filesystem (sandbox_files.cc).
#include <fcntl.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "exec/destination_guard.h"
#include "netlink.h"
#include "program/errors.h"
#include "sandbox/sandbox.h"
#include "sandbox_state.h"

namespace conncheck {
namespace {

unsigned long ns_inode(const char* path) {
  struct stat st;
  if (::stat(path, &st) != 0) throw env_error(fmt::format("stat({})", path), errno);
  return st.st_ino;
}
unsigned long netns_inode() { return ns_inode("/proc/self/ns/net"); }
unsigned long mntns_inode() { return ns_inode("/proc/self/ns/mnt"); }

int thread_count() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  return 1;
}

void write_file(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) throw env_error("open(" + path + ")", errno);
  const ssize_t n = ::write(fd, text.data(), text.size());
  const int err = errno;
  ::close(fd);
  if (n != static_cast<ssize_t>(text.size())) throw env_error("write(" + path + ")", err);
}

void unshare_namespaces(SandboxWorld& w) {
  // unshare() moves only the calling thread; a second thread would stay on
  // the host's network, so refuse rather than half-enter.
  if (int n = thread_count(); n != 1)
    throw EnvironmentError(
        fmt::format("sandbox: entered with {} threads; enter before starting any thread", n));
  if (::geteuid() == 0) {
    if (::unshare(CLONE_NEWNET | CLONE_NEWNS) != 0)
      throw env_error("unshare(CLONE_NEWNET|CLONE_NEWNS)", errno);
    return;
  }
  const uid_t uid = ::geteuid();
  const gid_t gid = ::getegid();
  if (::unshare(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWNS) != 0)
    throw env_error(
        "unshare(CLONE_NEWUSER|CLONE_NEWNET|CLONE_NEWNS) (are unprivileged user "
        "namespaces disabled? see kernel.unprivileged_userns_clone)",
        errno);
  w.user_namespace = true;
  write_file("/proc/self/setgroups", "deny");
  write_file("/proc/self/uid_map", fmt::format("0 {} 1", uid));
  write_file("/proc/self/gid_map", fmt::format("0 {} 1", gid));
}

void build_world() {
  namespace n = netlink;
  n::Socket s;
  n::link_up(s, "lo");
  n::add_veth(s, world::kVethA, world::kVethB);
  const auto v4 = [](const char* a) { return fmt::format("{}/{}", a, world::kVethPrefix4); };
  const auto v6 = [](const char* a) { return fmt::format("{}/{}", a, world::kVethPrefix6); };
  n::add_address(s, world::kVethA, v4(world::kVethAddr4), world::kBroadcast4);
  n::add_address(s, world::kVethB, v4(world::kVethPeer4), world::kBroadcast4);
  n::add_address(s, world::kVethA, v6(world::kVethAddr6));
  n::add_address(s, world::kVethB, v6(world::kVethPeer6));
  n::link_up(s, world::kVethA);
  n::link_up(s, world::kVethB);
  // No default route: everything not listed below is ENETUNREACH.
  for (const world::TypedRoute& r : world::kTypedRoutes) {
    const int type = r.kind == world::RouteKind::kUnreachable ? RTN_UNREACHABLE
                     : r.kind == world::RouteKind::kProhibit  ? RTN_PROHIBIT
                                                              : RTN_BLACKHOLE;
    n::add_typed_route(s, type, fmt::format("{}/{}", r.net4, r.prefix4));
    n::add_typed_route(s, type, fmt::format("{}/{}", r.net6, r.prefix6));
  }
}

// In the private /tmp, so it goes with the namespace, however the process
// ends. Always /tmp (not $TMPDIR): that is the tmpfs, and recorded
// Programs name /tmp/conncheck.XXXXXX (unix_dirs.h rebases them).
std::string make_unix_dir() {
  std::string tmpl = "/tmp/conncheck.XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) throw env_error("mkdtemp(" + tmpl + ")", errno);
  return tmpl;
}

// The kernel installs an IPv6 address's local route (table local, dev lo)
// asynchronously after the link comes up, even with IFA_F_NODAD. Until it
// is there, a connect to fd00:254::1 is routed out of cc0 as an on-link
// neighbour that nobody answers (EHOSTUNREACH after ~3 s instead of an
// immediate ECONNREFUSED): seen as a flaky property in the first cases
// after enter(). So wait, bounded, until both veth addresses are local.
bool ipv6_local_route(const std::string& hex_addr) {
  std::ifstream in("/proc/net/ipv6_route");  // this process's namespace
  // dest plen src splen nexthop metric refcnt use flags dev
  std::string dest, plen, src, splen, nexthop, metric, refcnt, use, flags, dev;
  while (in >> dest >> plen >> src >> splen >> nexthop >> metric >> refcnt >> use >> flags >> dev) {
    constexpr unsigned long kRtfLocal = 0x80000000;  // RTF_LOCAL, linux/ipv6_route.h
    if (dest == hex_addr && plen == "80" && (std::stoul(flags, nullptr, 16) & kRtfLocal))
      return true;
  }
  return false;
}

void wait_for_ipv6_local_routes() {
  // fd00:254::1 and fd00:254::2 (world::kVethAddr6, kVethPeer6), as /proc prints them.
  const char* wanted[] = {"fd000254000000000000000000000001", "fd000254000000000000000000000002"};
  for (int tries = 0; tries < 400; ++tries) {  // 400 x 5 ms: 2 s
    if (ipv6_local_route(wanted[0]) && ipv6_local_route(wanted[1])) return;
    ::usleep(5000);
  }
  throw EnvironmentError(
      "sandbox: the IPv6 local routes of fd00:254::1/::2 did not appear within 2 s");
}

SandboxWorld build() {
  SandboxWorld w;
  w.host_netns_inode = netns_inode();
  const unsigned long host_mntns = mntns_inode();
  unshare_namespaces(w);
  w.netns_inode = netns_inode();
  if (w.netns_inode == w.host_netns_inode)
    throw EnvironmentError("sandbox: unshare succeeded but the network namespace did not change");
  internal::make_private_filesystem();
  build_world();
  wait_for_ipv6_local_routes();
  internal::mark_in_sandbox();
  SandboxWorld seen = Sandbox::inspect();
  seen.user_namespace = w.user_namespace;
  seen.host_netns_inode = w.host_netns_inode;
  seen.host_mntns_inode = host_mntns;
  seen.unix_dir = make_unix_dir();
  if (auto problems = Sandbox::isolation_problems(seen); !problems.empty())
    throw EnvironmentError("sandbox: not isolated: " + problems.front());
  return seen;
}

}  // namespace

const SandboxWorld& Sandbox::enter() {
  static const SandboxWorld w = build();
  return w;
}

bool Sandbox::drop_time_wait() {
  if (!in_sandbox()) return false;  // never the host's setting
  const int fd = ::open("/proc/sys/net/ipv4/tcp_max_tw_buckets", O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::write(fd, "0", 1) == 1;
  ::close(fd);
  return ok;
}

LocalPortRange::LocalPortRange(int low, int high) : saved_(current()) {
  // Per-namespace sysctl; outside the sandbox this would change the host.
  if (!in_sandbox())
    throw EnvironmentError("ip_local_port_range: refusing to change it outside the sandbox");
  write_file("/proc/sys/net/ipv4/ip_local_port_range", fmt::format("{} {}", low, high));
}

LocalPortRange::~LocalPortRange() {
  try {
    write_file("/proc/sys/net/ipv4/ip_local_port_range",
               fmt::format("{} {}", saved_.first, saved_.second));
  } catch (const EnvironmentError&) {
    // Restoring a namespace-private sysctl: nothing outside is affected.
  }
}

std::pair<int, int> LocalPortRange::current() {
  std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
  std::pair<int, int> r{0, 0};
  if (!(in >> r.first >> r.second)) throw EnvironmentError("cannot read ip_local_port_range");
  return r;
}

}  // namespace conncheck
