// Model: what TCP and UDP share on AF_INET and AF_INET6. The checks of
// tcp_v4/v6_connect() and ip4/ip6_datagram_connect() up to the route
// lookup (the AF_INET6 ones in model_inet6.cc), the route's own answers,
// and what bind() fixes besides the name (inet_bind(), inet6_bind()).
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstddef>

#include "model/model_internal.h"

namespace conncheck::model_internal {
namespace {

// SIN6_LEN_RFC2133: a sockaddr_in6 without sin6_scope_id is long enough.
constexpr socklen_t kSin6MinLen = offsetof(sockaddr_in6, sin6_scope_id);

bool refuse(Expectation& e, std::string_view situation, int err) {
  e.situation = situation;
  e.allow_documented(err);
  return true;
}

bool refuse_known(Expectation& e, std::string_view situation, int err, Column col, Situation k) {
  e.situation = situation;
  known(e, err, col, k);
  return true;
}

}  // namespace

bool inet_checks(const SocketModel& m, const op::Connect& c, Column col, Expectation& e,
                 InetDest& t) {
  const SlotModel& s = m.slots[c.slot];
  const Address& a = c.addr;
  t.fam = a.family();
  t.v4_on_v6 = s.domain == AF_INET6 && t.fam == AF_INET;
  inet6_dest(a, t);
  if (inet6_family_refuses(s, a, col, e)) return true;
  const socklen_t min_len = (s.domain == AF_INET || t.v4_on_v6) ? sizeof(sockaddr_in) : kSin6MinLen;
  if (a.addrlen < min_len)
    return refuse_known(e, "addrlen shorter than the family's sockaddr", EINVAL, col,
                        Situation::kShortAddrlen);
  if (t.fam != s.domain && !(t.v4_on_v6 && s.type != SOCK_STREAM))
    return refuse(e, "sa_family is not the socket's family", EAFNOSUPPORT);
  if (inet6_v6only_refuses(s, t, e)) return true;
  if (m.world.connect_hook_denies)
    return refuse(e, "a cgroup BPF connect hook rejects every connect", EPERM);
  // Bound to a device by an earlier sin6_scope_id: every route goes
  // through that device, which the model does not follow (it may not exist).
  if (s.device_maybe_bound) {
    e.open = true;
    return refuse_known(e, "IP socket bound to a device by an earlier link-local connect", ENODEV,
                        col, Situation::kDeviceBound);
  }
  if (inet6_bad_source_refuses(s, t, col, e)) return true;
  t.d = classify_destination(m, c.slot, a);
  if (t.d.dest == Dest::kLinkLocalNoScope)
    return refuse_known(e, "IPv6 link-local destination without sin6_scope_id", EINVAL, col,
                        Situation::kLinkLocalNoScope);
  // The route lookup comes first: an unroutable destination keeps its own error.
  t.routed = t.d.dest != Dest::kNoRoute && t.d.dest != Dest::kUnreachable &&
             t.d.dest != Dest::kProhibit && t.d.dest != Dest::kBlackhole;
  return inet6_mapped_local_refuses(s, t, col, e);
}

void route_error(Dest d, Column col, Expectation& e) {
  switch (d) {
    case Dest::kNoRoute:
      e.situation = "no route to the destination";
      e.allow_documented(ENETUNREACH);
      break;
    case Dest::kUnreachable:
      e.situation = "`unreachable` route";
      known(e, EHOSTUNREACH, col, Situation::kUnreachableRoute);
      break;
    case Dest::kProhibit:
      e.situation = "`prohibit` route (a local policy rule)";
      documented_row(e, "EACCES-broadcast");
      break;
    case Dest::kBlackhole:
      e.situation = "`blackhole` route";
      known(e, EINVAL, col, Situation::kBlackholeRoute);
      break;
    default: CONNCHECK_CHECK_MSG(false, "route_error() for a routed destination {}", int(d));
  }
}

void off_link_from_loopback(Column col, Expectation& e) {
  e.situation = "IPv4 destination off the loopback device from a 127/8 source address";
  known(e, EINVAL, col, Situation::kLoopbackSourceOffLink);
}

void allow_success(Column col, bool v4_on_v6, Expectation& e) {
  if (v4_on_v6)
    known(e, 0, col, Situation::kWrongFamilyInet6);
  else
    e.allow(0, Tier::kDocumented, kSuccessQuote);
}

// What a successful bind fixes besides the name (inet_bind(), inet6_bind()).
void inet_bind(SlotModel& s, const op::Bind& x) {
  s.local = key_of(x.addr);
  s.explicitly_bound = true;
  if (s.state == SockState::kUnbound) s.state = SockState::kBound;
  // A specific IPv4 (or v4-mapped) address is the source. inet_bind()
  // zeroes a broadcast/multicast one ("use device"), so the first UDP
  // connect fixes one; inet6_bind() keeps it, and connects fail on it.
  if (const auto v4 = v4_of(s.local)) {
    const V4Source k = v4_source(*v4);
    if (fixes_source(k)) {
      s.src.src4_fixed = true;
      s.src.loopback_src4 = k == V4Source::kLoopback;
    } else if (leaves_source_to_route(k) && s.domain == AF_INET6) {
      s.src.bad_src4 = k == V4Source::kMulticast ? EINVAL : ENETUNREACH;
    }
  }
  if (s.domain == AF_INET6) inet6_bind(s);
}

}  // namespace conncheck::model_internal
