// What the kernel says the sandbox looks like, and whether that world could
// reach the host: the proof `conncheck sandbox-check` prints.
#include <linux/if_arp.h>
#include <linux/magic.h>
#include <linux/rtnetlink.h>
#include <netlink/cache.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "netlink.h"
#include "program/errors.h"
#include "sandbox/sandbox.h"
#include "sandbox_state.h"

namespace conncheck {
namespace {

struct Cache {
  nl_cache* p = nullptr;
  ~Cache() {
    if (p) nl_cache_free(p);
  }
};

std::string addr_str(nl_addr* a) {
  char buf[128];
  return a ? nl_addr2str(a, buf, sizeof buf) : "?";
}

void read_links(netlink::Socket& s, SandboxWorld& w) {
  Cache c;
  if (int r = rtnl_link_alloc_cache(s.get(), AF_UNSPEC, &c.p); r < 0)
    throw EnvironmentError(fmt::format("netlink: list links: {}", nl_geterror(r)));
  for (nl_object* o = nl_cache_get_first(c.p); o; o = nl_cache_get_next(o)) {
    auto* l = reinterpret_cast<rtnl_link*>(o);
    InterfaceInfo i;
    i.name = rtnl_link_get_name(l);
    i.ifindex = rtnl_link_get_ifindex(l);
    i.up = (rtnl_link_get_flags(l) & IFF_UP) != 0;
    const char* type = rtnl_link_get_type(l);
    i.kind = type ? type : (rtnl_link_get_arptype(l) == ARPHRD_LOOPBACK ? "loopback" : "other");
    i.peer_ifindex = 0;
    int32_t nsid;
    // IFLA_LINK_NETNSID is present only when the peer lives in another
    // namespace: then this is a way out, and we say so.
    if (rtnl_link_get_link_netnsid(l, &nsid) == 0)
      i.peer_ifindex = -1;
    else if (i.kind == "veth")
      i.peer_ifindex = static_cast<int>(rtnl_link_get_link(l));
    w.interfaces.push_back(std::move(i));
  }
}

void read_addresses(netlink::Socket& s, SandboxWorld& w) {
  Cache c;
  if (int r = rtnl_addr_alloc_cache(s.get(), &c.p); r < 0)
    throw EnvironmentError(fmt::format("netlink: list addresses: {}", nl_geterror(r)));
  for (nl_object* o = nl_cache_get_first(c.p); o; o = nl_cache_get_next(o)) {
    auto* a = reinterpret_cast<rtnl_addr*>(o);
    for (auto& i : w.interfaces)
      if (i.ifindex == rtnl_addr_get_ifindex(a))
        i.addresses.push_back(addr_str(rtnl_addr_get_local(a)));
  }
}

void read_routes(netlink::Socket& s, SandboxWorld& w) {
  Cache c;
  if (int r = rtnl_route_alloc_cache(s.get(), AF_UNSPEC, 0, &c.p); r < 0)
    throw EnvironmentError(fmt::format("netlink: list routes: {}", nl_geterror(r)));
  for (nl_object* o = nl_cache_get_first(c.p); o; o = nl_cache_get_next(o)) {
    auto* r = reinterpret_cast<rtnl_route*>(o);
    nl_addr* dst = rtnl_route_get_dst(r);
    const bool is_default = dst == nullptr || nl_addr_get_prefixlen(dst) == 0;
    // The local table holds the kernel's own local/broadcast entries; show
    // the main table, but a default route anywhere is a problem.
    if (rtnl_route_get_table(r) != RT_TABLE_MAIN && !is_default) continue;
    char type[32];
    std::string text =
        fmt::format("{} {}", nl_rtntype2str(rtnl_route_get_type(r), type, sizeof type),
                    is_default ? "default" : addr_str(dst));
    if (rtnl_route_get_nnexthops(r) > 0) {
      const int dev = rtnl_route_nh_get_ifindex(rtnl_route_nexthop_n(r, 0));
      char name[16] = "?";  // IF_NAMESIZE
      for (const auto& i : w.interfaces)
        if (i.ifindex == dev) std::strncpy(name, i.name.c_str(), sizeof name - 1);
      text += fmt::format(" dev {}", name);
    }
    if (rtnl_route_get_table(r) != RT_TABLE_MAIN)
      text += fmt::format(" table {}", rtnl_route_get_table(r));
    w.routes.push_back({text, is_default});
  }
}

}  // namespace

namespace {

// The filesystem half: which scratch dirs are tmpfs mounts now, and
// whether "/" is read-only, as statfs/statvfs report them.
void read_files(SandboxWorld& w) {
  struct stat st;
  if (::stat("/proc/self/ns/mnt", &st) == 0) w.mntns_inode = st.st_ino;
  for (const std::string& d : internal::scratch_dirs()) {
    struct statfs f;
    if (::statfs(d.c_str(), &f) == 0 && f.f_type == TMPFS_MAGIC) w.scratch_dirs.push_back(d);
  }
  w.writable = internal::kept_writable();
  struct statvfs v;
  w.root_read_only = ::statvfs("/", &v) == 0 && (v.f_flag & ST_RDONLY);
}

}  // namespace

SandboxWorld Sandbox::inspect() {
  SandboxWorld w;
  struct stat st;
  if (::stat("/proc/self/ns/net", &st) == 0) w.netns_inode = st.st_ino;
  netlink::Socket s;
  read_links(s, w);
  read_addresses(s, w);
  read_routes(s, w);
  read_files(w);
  return w;
}

std::vector<std::string> Sandbox::isolation_problems(const SandboxWorld& w) {
  std::vector<std::string> p;
  if (w.netns_inode == 0 || w.netns_inode == w.host_netns_inode)
    p.push_back(fmt::format("network namespace {} is the one we started in", w.netns_inode));
  for (const auto& i : w.interfaces) {
    const bool ours = i.name == "lo" || i.name == world::kVethA || i.name == world::kVethB;
    if (!ours) p.push_back(fmt::format("unexpected interface {} ({})", i.name, i.kind));
    if (i.peer_ifindex < 0)
      p.push_back(fmt::format("{} has its peer in another namespace", i.name));
  }
  for (const auto& r : w.routes)
    if (r.is_default) p.push_back("default route present: " + r.text);
  if (w.mntns_inode == 0 || w.mntns_inode == w.host_mntns_inode)
    p.push_back(fmt::format("mount namespace {} is the one we started in", w.mntns_inode));
  if (std::find(w.scratch_dirs.begin(), w.scratch_dirs.end(), "/tmp") == w.scratch_dirs.end())
    p.push_back("/tmp is not a private tmpfs");
  if (!w.root_read_only) p.push_back("/ is writable");
  return p;
}

std::string describe(const SandboxWorld& w) {
  std::string s =
      fmt::format("network namespace: net:[{}] (started in net:[{}]){}\n", w.netns_inode,
                  w.host_netns_inode, w.user_namespace ? ", inside a user namespace" : "");
  s += "interfaces:\n";
  for (const auto& i : w.interfaces) {
    std::string peer;
    if (i.peer_ifindex > 0) {
      for (const auto& j : w.interfaces)
        if (j.ifindex == i.peer_ifindex) peer = " peer " + j.name + " (same namespace)";
    } else if (i.peer_ifindex < 0) {
      peer = " peer IN ANOTHER NAMESPACE";
    }
    s += fmt::format("  {}: {} {}{} {}\n", i.ifindex, i.name, i.kind, peer, i.up ? "UP" : "DOWN");
    for (const auto& a : i.addresses) s += fmt::format("      {}\n", a);
  }
  s += "routes (main table):\n";
  for (const auto& r : w.routes) s += fmt::format("  {}\n", r.text);
  s += fmt::format("mount namespace: mnt:[{}] (started in mnt:[{}]), / {}\n", w.mntns_inode,
                   w.host_mntns_inode, w.root_read_only ? "read-only" : "WRITABLE");
  s += fmt::format("fresh tmpfs: {}\n", fmt::join(w.scratch_dirs, ", "));
  if (!w.writable.empty())
    s += fmt::format("kept writable for the harness: {}\n", fmt::join(w.writable, ", "));
  if (!w.unix_dir.empty()) s += fmt::format("AF_UNIX directory: {}\n", w.unix_dir);
  return s;
}

}  // namespace conncheck
