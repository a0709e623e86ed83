// The cc0/cc1 world over raw rtnetlink (as sandbox/netlink.cc does
// through libnl), only in reproducers whose addresses depend on it
// (EmitNeeds::world). The helpers are fixed; build_world(), which names the
// interfaces, addresses and routes, is written by emit_c_sandbox.cc from
// world/world.h, the one table of the world, right after this text.
// Everything above the first `// @embed:` line is for compilers and editors
// only (the file compiles on its own: ctest repro.runtime_c.*); the sections
// below are embedded byte for byte by embed_c.cmake and assembled by
// emit_c.cc into one self-contained reproducer.
#include "sandbox.c"
// @embed: includes
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
// @embed: text

/* The world of sandbox.h, over raw rtnetlink (no iproute2, no libnl). */
static int nl_fd = -1;
static unsigned nl_seq;
struct nl_req {
  struct nlmsghdr h;
  char buf[1024];
};
static inline void nl_attr(struct nlmsghdr *h, unsigned short type, const void *data, size_t len) {
  struct rtattr *a = (struct rtattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));
  a->rta_type = type;
  a->rta_len = (unsigned short)RTA_LENGTH(len);
  if (len) memcpy(RTA_DATA(a), data, len);
  h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len);
}
static inline struct rtattr *nl_nest(struct nlmsghdr *h, unsigned short type) {
  struct rtattr *a = (struct rtattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));
  nl_attr(h, type, NULL, 0);
  return a;
}
static inline void nl_nest_end(struct nlmsghdr *h, struct rtattr *a) {
  a->rta_len = (unsigned short)((char *)h + h->nlmsg_len - (char *)a);
}
/* Sends one request and waits for its ack; a NACK is an environment problem. */
static inline void nl_talk(struct nlmsghdr *h, const char *what) {
  if (nl_fd < 0) {
    nl_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (nl_fd < 0) env_die("socket(AF_NETLINK)", errno);
  }
  h->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
  h->nlmsg_seq = ++nl_seq;
  struct sockaddr_nl kernel;
  memset(&kernel, 0, sizeof kernel);
  kernel.nl_family = AF_NETLINK;
  if (sendto(nl_fd, h, h->nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0)
    env_die(what, errno);
  char reply[4096];
  ssize_t n = recv(nl_fd, reply, sizeof reply, 0);
  if (n < 0) env_die(what, errno);
  struct nlmsghdr *r = (struct nlmsghdr *)reply;
  if (r->nlmsg_type == NLMSG_ERROR) {
    const struct nlmsgerr *e = NLMSG_DATA(r);
    if (e->error != 0) env_die(what, -e->error);
  }
}
static inline void add_veth(const char *name, const char *peer) {
  struct nl_req q;
  memset(&q, 0, sizeof q);
  q.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
  q.h.nlmsg_type = RTM_NEWLINK;
  q.h.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
  nl_attr(&q.h, IFLA_IFNAME, name, strlen(name) + 1);
  struct rtattr *info = nl_nest(&q.h, IFLA_LINKINFO);
  nl_attr(&q.h, IFLA_INFO_KIND, "veth", 4);
  struct rtattr *data = nl_nest(&q.h, IFLA_INFO_DATA);
  struct rtattr *p = nl_nest(&q.h, VETH_INFO_PEER);
  q.h.nlmsg_len += NLMSG_ALIGN(sizeof(struct ifinfomsg)); /* the peer's ifinfomsg, zeroed */
  nl_attr(&q.h, IFLA_IFNAME, peer, strlen(peer) + 1);
  nl_nest_end(&q.h, p);
  nl_nest_end(&q.h, data);
  nl_nest_end(&q.h, info);
  nl_talk(&q.h, "rtnetlink: add veth cc0 <-> cc1");
}
static inline void add_address(const char *dev, int family, const char *ip, int prefix,
                               const char *brd) {
  struct nl_req q;
  memset(&q, 0, sizeof q);
  q.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg));
  q.h.nlmsg_type = RTM_NEWADDR;
  q.h.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
  struct ifaddrmsg *m = NLMSG_DATA(&q.h);
  m->ifa_family = (unsigned char)family;
  m->ifa_prefixlen = (unsigned char)prefix;
  m->ifa_flags = family == AF_INET6 ? IFA_F_NODAD : 0; /* usable at once, not tentative */
  m->ifa_index = if_nametoindex(dev);
  unsigned char a[16];
  const size_t len = family == AF_INET ? 4 : 16;
  inet_pton(family, ip, a);
  nl_attr(&q.h, IFA_LOCAL, a, len);
  nl_attr(&q.h, IFA_ADDRESS, a, len);
  if (brd) {
    inet_pton(family, brd, a);
    nl_attr(&q.h, IFA_BROADCAST, a, len);
  }
  nl_talk(&q.h, "rtnetlink: add address");
}
static inline void add_typed_route(int family, unsigned char type, const char *dst, int prefix) {
  struct nl_req q;
  memset(&q, 0, sizeof q);
  q.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct rtmsg));
  q.h.nlmsg_type = RTM_NEWROUTE;
  q.h.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
  struct rtmsg *m = NLMSG_DATA(&q.h);
  m->rtm_family = (unsigned char)family;
  m->rtm_dst_len = (unsigned char)prefix;
  m->rtm_table = RT_TABLE_MAIN;
  m->rtm_protocol = RTPROT_STATIC;
  m->rtm_scope = RT_SCOPE_UNIVERSE;
  m->rtm_type = type;
  unsigned char a[16];
  inet_pton(family, dst, a);
  nl_attr(&q.h, RTA_DST, a, family == AF_INET ? 4 : 16);
  nl_talk(&q.h, "rtnetlink: add route");
}
