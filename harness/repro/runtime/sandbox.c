// Entering the sandbox, in every reproducer: namespace entry (as
// sandbox/sandbox_enter.cc), the private filesystem (as sandbox_files.cc:
// fresh tmpfs over /tmp, /var/tmp, /dev/shm, every other mount read-only)
// and lo up.
// Everything above the first `// @embed:` line is for compilers and editors
// only (the file compiles on its own: ctest repro.runtime_c.*); the sections
// below are embedded byte for byte by embed_c.cmake and assembled by
// emit_c.cc into one self-contained reproducer.
#include "common.c"
// @embed: text

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
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
    env_die("mount(/, MS_REC|MS_PRIVATE)", errno);
  char points[256][256];
  int n = 0;
  FILE *f = fopen("/proc/self/mountinfo", "re");
  if (!f) env_die("/proc/self/mountinfo", errno);
  char line[4096];
  while (n < 256 && fgets(line, sizeof line, f)) {
    char point[256], fstype[64];
    const char *dash = strstr(line, " - ");
    if (!dash || sscanf(line, "%*s %*s %*s %*s %255s", point) != 1 ||
        sscanf(dash, " - %63s", fstype) != 1)
      continue;
    unescape_mount_point(point);
    if (strcmp(fstype, "proc") == 0 || strncmp(fstype, "cgroup", 6) == 0 || under(point, "/proc"))
      continue;
    int scratch = 0;
    for (size_t i = 0; i < sizeof scratch_dirs / sizeof *scratch_dirs; ++i)
      scratch |= under(point, scratch_dirs[i]);
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
    if (mount(NULL, points[i], NULL, flags, NULL) != 0 && errno != ENOENT)
      env_die(points[i], errno);
  }
}
static inline void enter_sandbox(void) {
  const unsigned long host = netns_inode();
  const uid_t uid = geteuid();
  const gid_t gid = getegid();
  if (uid == 0) {
    if (unshare(CLONE_NEWNET | CLONE_NEWNS) != 0) {
      fprintf(stderr, "repro: refusing to run: unshare(CLONE_NEWNET|CLONE_NEWNS): %s\n",
              strerror(errno));
      exit(3);
    }
  } else {
    if (unshare(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWNS) != 0) {
      fprintf(stderr,
              "repro: refusing to run: unshare(CLONE_NEWUSER|CLONE_NEWNET|CLONE_NEWNS): %s "
              "(unprivileged user namespaces disabled?)\n",
              strerror(errno));
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
