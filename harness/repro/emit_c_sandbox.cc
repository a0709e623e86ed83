// The sandbox pieces of a reproducer, as C with no library but libc:
// namespace entry (as sandbox_enter.cc), the private filesystem (as
// sandbox_files.cc: fresh tmpfs over /tmp, /var/tmp, /dev/shm, every other
// mount read-only), lo up, the cc0/cc1 world over raw
// rtnetlink (as netlink.cc does through libnl), and private AF_UNIX
// directories (as Sandbox::enter makes its unix_dir).
#include <fmt/format.h>

#include "emit_c_internal.h"

namespace conncheck::emitc {
namespace {

constexpr const char* kEnter = R"C(
/* The reproducer only ever acts inside a network namespace of its own;
   if it cannot make one it refuses to run rather than use the host's. */
static inline void write_proc(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) env_die(path, errno);
  ssize_t n = write(fd, text, strlen(text));
  int err = errno;
  close(fd);
  if (n != (ssize_t)strlen(text)) env_die(path, err);
}
static inline unsigned long netns_inode(void) {
  struct stat st;
  if (stat("/proc/self/ns/net", &st) != 0) env_die("stat(/proc/self/ns/net)", errno);
  return (unsigned long)st.st_ino;
}
static inline void link_up(const char *name) {
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) env_die("socket(for SIOCSIFFLAGS)", errno);
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
  if (ioctl(s, SIOCGIFFLAGS, &ifr) != 0) env_die(name, errno);
  ifr.ifr_flags |= IFF_UP;
  if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0) env_die(name, errno);
  close(s);
}
/* A bind() of an AF_UNIX path creates a file: here it lands in a tmpfs
   that dies with the namespace, or fails with EROFS, never on the host. */
static const char *const scratch_dirs[] = {"/tmp", "/var/tmp", "/dev/shm"};
static inline int under(const char *path, const char *dir) {
  size_t n = strlen(dir);
  return strncmp(path, dir, n) == 0 && (path[n] == 0 || path[n] == '/');
}
static inline void unescape_mount_point(char *s) { /* mountinfo writes blanks as \040 */
  char *out = s;
  for (; *s; ++s, ++out) {
    if (s[0] == '\\' && s[1] && s[2] && s[3]) {
      *out = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
      s += 3;
    } else {
      *out = *s;
    }
  }
  *out = 0;
}
static inline unsigned long kept_mount_flags(const char *path) { /* locked in a user namespace */
  struct statvfs v;
  unsigned long f = 0;
  if (statvfs(path, &v) != 0) return 0;
  if (v.f_flag & ST_NOSUID) f |= MS_NOSUID;
  if (v.f_flag & ST_NODEV) f |= MS_NODEV;
  if (v.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
  if (v.f_flag & ST_NOATIME) f |= MS_NOATIME;
  if (v.f_flag & ST_NODIRATIME) f |= MS_NODIRATIME;
  if (v.f_flag & ST_RELATIME) f |= MS_RELATIME;
  return f;
}
static inline void private_files(void) {
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) env_die("mount(/, MS_REC|MS_PRIVATE)", errno);
  char points[256][256];
  int n = 0;
  FILE *f = fopen("/proc/self/mountinfo", "re");
  if (!f) env_die("/proc/self/mountinfo", errno);
  char line[4096];
  while (n < 256 && fgets(line, sizeof line, f)) {
    char point[256], fstype[64];
    const char *dash = strstr(line, " - ");
    if (!dash || sscanf(line, "%*s %*s %*s %*s %255s", point) != 1 || sscanf(dash, " - %63s", fstype) != 1) continue;
    unescape_mount_point(point);
    if (strcmp(fstype, "proc") == 0 || strncmp(fstype, "cgroup", 6) == 0 || under(point, "/proc")) continue;
    int scratch = 0;
    for (size_t i = 0; i < sizeof scratch_dirs / sizeof *scratch_dirs; ++i) scratch |= under(point, scratch_dirs[i]);
    if (!scratch) snprintf(points[n++], sizeof points[0], "%s", point);
  }
  fclose(f);
  for (size_t i = 0; i < sizeof scratch_dirs / sizeof *scratch_dirs; ++i) {
    struct stat st;
    if (lstat(scratch_dirs[i], &st) != 0 || !S_ISDIR(st.st_mode)) continue;
    if (mount("conncheck", scratch_dirs[i], "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") != 0)
      env_die(scratch_dirs[i], errno);
  }
  for (int i = 0; i < n; ++i) {
    unsigned long flags = MS_REMOUNT | MS_BIND | MS_RDONLY | kept_mount_flags(points[i]);
    if (mount(NULL, points[i], NULL, flags, NULL) != 0 && errno != ENOENT) env_die(points[i], errno);
  }
}
static inline void enter_sandbox(void) {
  const unsigned long host = netns_inode();
  const uid_t uid = geteuid();
  const gid_t gid = getegid();
  if (uid == 0) {
    if (unshare(CLONE_NEWNET | CLONE_NEWNS) != 0) {
      fprintf(stderr, "repro: refusing to run: unshare(CLONE_NEWNET|CLONE_NEWNS): %s\n", strerror(errno));
      exit(3);
    }
  } else {
    if (unshare(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWNS) != 0) {
      fprintf(stderr, "repro: refusing to run: unshare(CLONE_NEWUSER|CLONE_NEWNET|CLONE_NEWNS): %s "
              "(unprivileged user namespaces disabled?)\n", strerror(errno));
      exit(3);
    }
    char map[64];
    write_proc("/proc/self/setgroups", "deny");
    snprintf(map, sizeof map, "0 %u 1", (unsigned)uid);
    write_proc("/proc/self/uid_map", map);
    snprintf(map, sizeof map, "0 %u 1", (unsigned)gid);
    write_proc("/proc/self/gid_map", map);
  }
  if (netns_inode() == host) {
    fprintf(stderr, "repro: refusing to run: the network namespace did not change\n");
    exit(3);
  }
  private_files();
  link_up("lo");
}
)C";

constexpr const char* kWorld = R"C(
/* The world of sandbox.h, over raw rtnetlink (no iproute2, no libnl). */
static int nl_fd = -1;
static unsigned nl_seq;
struct nl_req { struct nlmsghdr h; char buf[1024]; };
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
  if (sendto(nl_fd, h, h->nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) env_die(what, errno);
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
static inline void add_address(const char *dev, int family, const char *ip, int prefix, const char *brd) {
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
static inline void build_world(void) {
  add_veth("cc0", "cc1");
  add_address("cc0", AF_INET, "10.254.0.1", 24, "10.254.0.255");
  add_address("cc1", AF_INET, "10.254.0.2", 24, "10.254.0.255");
  add_address("cc0", AF_INET6, "fd00:254::1", 64, NULL);
  add_address("cc1", AF_INET6, "fd00:254::2", 64, NULL);
  link_up("cc0");
  link_up("cc1");
  /* No default route: everything not listed is ENETUNREACH. */
  add_typed_route(AF_INET, RTN_UNREACHABLE, "10.255.1.0", 24);
  add_typed_route(AF_INET, RTN_PROHIBIT, "10.255.2.0", 24);
  add_typed_route(AF_INET, RTN_BLACKHOLE, "10.255.3.0", 24);
  add_typed_route(AF_INET6, RTN_UNREACHABLE, "fd00:255:1::", 48);
  add_typed_route(AF_INET6, RTN_PROHIBIT, "fd00:255:2::", 48);
  add_typed_route(AF_INET6, RTN_BLACKHOLE, "fd00:255:3::", 48);
  close(nl_fd);
  nl_fd = -1;
}
)C";

constexpr const char* kUnixDir = R"C(
/* Private AF_UNIX directories: made like the harness's (mkdtemp of
   /tmp/conncheck.XXXXXX, in the private tmpfs) and removed, with their
   sockets, at exit. */
#define MAX_UNIX_DIRS 8
static char *unix_dirs[MAX_UNIX_DIRS];
static int unix_dir_count;
static inline void remove_unix_dirs(void) {
  for (int i = 0; i < unix_dir_count; ++i) {
    DIR *d = opendir(unix_dirs[i]);
    if (d) {
      struct dirent *e;
      while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        unlinkat(dirfd(d), e->d_name, 0);
      }
      closedir(d);
    }
    rmdir(unix_dirs[i]);
  }
}
static inline void make_unix_dir(char *tmpl) {
  if (mkdtemp(tmpl) == NULL) env_die(tmpl, errno);
  if (unix_dir_count == 0) atexit(remove_unix_dirs);
  if (unix_dir_count < MAX_UNIX_DIRS) unix_dirs[unix_dir_count++] = tmpl;
}
)C";

}  // namespace

std::string sandbox_runtime(const EmitNeeds& n) {
  std::string s = kEnter;
  if (n.world) s += kWorld;
  if (n.unix_dir) s += kUnixDir;
  return s;
}

std::string sandbox_setup(const EmitNeeds& n, const std::vector<std::string>& dirs) {
  std::string s = "  enter_sandbox();\n";
  if (n.world) s += "  build_world();\n";
  for (std::size_t k = 0; k < dirs.size(); ++k) {
    // Same parent and length as the recorded directory, so every address
    // keeps its length; only mkdtemp's six characters differ.
    const std::string tmpl = dirs[k].substr(0, dirs[k].size() - 6) + "XXXXXX";
    s += fmt::format("  // recorded as {}\n  static char unix_dir_{}[] = {};\n  make_unix_dir(unix_dir_{});\n",
                     c_comment(dirs[k]), k, c_literal(tmpl), k);
  }
  return s;
}

}  // namespace conncheck::emitc
