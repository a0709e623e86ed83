#include "netlink.h"

#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>
#include <unistd.h>

#include <fmt/format.h>

#include "program/errors.h"

namespace conncheck::netlink {
namespace {

void check(int r, const std::string& what) {
  if (r < 0) throw EnvironmentError(fmt::format("netlink: {}: {}", what, nl_geterror(r)));
}

// Owners for libnl objects, so an exception leaks nothing.
template <typename T, void (*Free)(T*)>
struct Owned {
  T* p = nullptr;
  ~Owned() {
    if (p) Free(p);
  }
};
using Addr = Owned<nl_addr, nl_addr_put>;
using Link = Owned<rtnl_link, rtnl_link_put>;
using RAddr = Owned<rtnl_addr, rtnl_addr_put>;
using Route = Owned<rtnl_route, rtnl_route_put>;

int family_of(const std::string& a) {
  return a.find(':') != std::string::npos ? AF_INET6 : AF_INET;
}

}  // namespace

Socket::Socket() : sock_(nl_socket_alloc()) {
  if (sock_ == nullptr) throw EnvironmentError("netlink: nl_socket_alloc failed");
  if (int r = nl_connect(sock_, NETLINK_ROUTE); r < 0) {
    nl_socket_free(sock_);
    throw EnvironmentError(fmt::format("netlink: connect(NETLINK_ROUTE): {}", nl_geterror(r)));
  }
}

Socket::~Socket() { nl_socket_free(sock_); }

int ifindex(Socket& s, const std::string& name) {
  Link link;
  check(rtnl_link_get_kernel(s.get(), 0, name.c_str(), &link.p), "find link " + name);
  return rtnl_link_get_ifindex(link.p);
}

void link_up(Socket& s, const std::string& name) {
  Link link, change;
  check(rtnl_link_get_kernel(s.get(), 0, name.c_str(), &link.p), "find link " + name);
  change.p = rtnl_link_alloc();
  rtnl_link_set_flags(change.p, IFF_UP);
  check(rtnl_link_change(s.get(), link.p, change.p, 0), "set " + name + " up");
}

void add_veth(Socket& s, const std::string& name, const std::string& peer) {
  // Both ends in this process's namespace: nothing is moved towards the host.
  check(rtnl_link_veth_add(s.get(), name.c_str(), peer.c_str(), ::getpid()),
        fmt::format("add veth {} <-> {}", name, peer));
}

void add_address(Socket& s, const std::string& dev, const std::string& cidr,
                 const std::string& broadcast) {
  const int family = family_of(cidr);
  RAddr a;
  Addr local, brd;
  a.p = rtnl_addr_alloc();
  rtnl_addr_set_ifindex(a.p, ifindex(s, dev));
  check(nl_addr_parse(cidr.c_str(), family, &local.p), "parse " + cidr);
  check(rtnl_addr_set_local(a.p, local.p), "set local " + cidr);
  if (!broadcast.empty()) {
    check(nl_addr_parse(broadcast.c_str(), family, &brd.p), "parse " + broadcast);
    check(rtnl_addr_set_broadcast(a.p, brd.p), "set broadcast " + broadcast);
  }
  if (family == AF_INET6) rtnl_addr_set_flags(a.p, IFA_F_NODAD);
  check(rtnl_addr_add(s.get(), a.p, 0), fmt::format("add address {} to {}", cidr, dev));
}

void add_typed_route(Socket& s, int type, const std::string& cidr) {
  Route r;
  Addr dst;
  r.p = rtnl_route_alloc();
  const int family = family_of(cidr);
  check(nl_addr_parse(cidr.c_str(), family, &dst.p), "parse " + cidr);
  rtnl_route_set_family(r.p, static_cast<uint8_t>(family));
  rtnl_route_set_type(r.p, static_cast<uint8_t>(type));
  rtnl_route_set_table(r.p, RT_TABLE_MAIN);
  rtnl_route_set_protocol(r.p, RTPROT_STATIC);
  check(rtnl_route_set_dst(r.p, dst.p), "set route dst " + cidr);
  char tname[32];
  check(rtnl_route_add(s.get(), r.p, NLM_F_EXCL),
        fmt::format("add route {} {}", nl_rtntype2str(type, tname, sizeof tname), cidr));
}

}  // namespace conncheck::netlink
