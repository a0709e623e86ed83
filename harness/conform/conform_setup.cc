// Set-ups of the conformance cases that change the whole process: run only
// in a case's forked child (see conform.h). Raw syscalls where no Debian
// library is already linked: capset(2) for one capability set, and bpf(2)
// for a two-instruction program (libbpf would be a new dependency for 20
// lines).
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "conform/conform.h"
#include "program/errors.h"

namespace conncheck {
namespace {

constexpr const char* kCgroupRoot = "/sys/fs/cgroup/unified";

// Drops the capabilities that let root ignore file permissions, so the
// AF_UNIX EACCES of the man page can happen to uid 0.
void drop_dac_capabilities() {
  __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  if (::syscall(SYS_capget, &hdr, data) != 0) throw env_error("capget", errno);
  for (int cap : {CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER}) {
    data[cap / 32].effective &= ~(1u << (cap % 32));
    data[cap / 32].permitted &= ~(1u << (cap % 32));
  }
  if (::syscall(SYS_capset, &hdr, data) != 0)
    throw env_error("capset(drop CAP_DAC_OVERRIDE)", errno);
}

int unix_listener(const std::string& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw env_error("socket(AF_UNIX)", errno);
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  std::strncpy(sa.sun_path, path.c_str(), sizeof sa.sun_path - 1);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0)
    throw env_error("bind(" + path + ")", errno);
  if (::listen(fd, 8) != 0) throw env_error("listen", errno);
  return fd;
}

long bpf(int cmd, bpf_attr* attr) { return ::syscall(SYS_bpf, cmd, attr, sizeof *attr); }

// `r0 = 0; exit`: a cgroup sock_addr program that rejects every connect,
// which the kernel reports as EPERM.
int load_reject_program(bpf_attach_type type) {
  static const bpf_insn kInsns[] = {
      {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0},
      {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
  };
  static const char kLicense[] = "GPL";
  bpf_attr a{};
  a.prog_type = BPF_PROG_TYPE_CGROUP_SOCK_ADDR;
  a.expected_attach_type = type;
  a.insns = reinterpret_cast<std::uint64_t>(kInsns);
  a.insn_cnt = 2;
  a.license = reinterpret_cast<std::uint64_t>(kLicense);
  const long fd = bpf(BPF_PROG_LOAD, &a);
  if (fd < 0) throw env_error("bpf(BPF_PROG_LOAD, CGROUP_SOCK_ADDR)", errno);
  return static_cast<int>(fd);
}

// Moves this process into a fresh child cgroup with connect4/connect6
// hooks that reject. The cgroup is removed by the parent (cgroup_path()).
void deny_connect_by_bpf() {
  const std::string dir = fmt::format("{}/conncheck-{}", kCgroupRoot, ::getpid());
  if (::mkdir(dir.c_str(), 0755) != 0) throw env_error("mkdir(" + dir + ")", errno);
  const int cg = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (cg < 0) throw env_error("open(" + dir + ")", errno);
  for (bpf_attach_type t : {BPF_CGROUP_INET4_CONNECT, BPF_CGROUP_INET6_CONNECT}) {
    bpf_attr a{};
    a.target_fd = static_cast<std::uint32_t>(cg);
    a.attach_bpf_fd = static_cast<std::uint32_t>(load_reject_program(t));
    a.attach_type = t;
    if (bpf(BPF_PROG_ATTACH, &a) != 0) throw env_error("bpf(BPF_PROG_ATTACH)", errno);
  }
  const std::string procs = dir + "/cgroup.procs";
  const int f = ::open(procs.c_str(), O_WRONLY | O_CLOEXEC);
  const std::string pid = std::to_string(::getpid());
  if (f < 0 || ::write(f, pid.data(), pid.size()) < 0)
    throw env_error("write(" + procs + ")", errno);
  ::close(f);
}

}  // namespace

std::string cgroup_path_for(int pid) { return fmt::format("{}/conncheck-{}", kCgroupRoot, pid); }

std::vector<int> apply_setup(const ConformCase& c) {
  std::vector<int> keep;
  switch (c.setup) {
    case Setup::kNone:
    case Setup::kOnePort: break;  // kOnePort: held by the runner
    case Setup::kBpfDenyConnect: deny_connect_by_bpf(); break;
    case Setup::kUnixNoWrite:
      keep.push_back(unix_listener(c.setup_path));
      if (::chmod(c.setup_path.c_str(), 0500) != 0) throw env_error("chmod", errno);
      drop_dac_capabilities();
      break;
    case Setup::kUnixNoSearch: {
      const std::string dir = std::filesystem::path(c.setup_path).parent_path();
      if (::mkdir(dir.c_str(), 0700) != 0) throw env_error("mkdir(" + dir + ")", errno);
      keep.push_back(unix_listener(c.setup_path));
      if (::chmod(dir.c_str(), 0600) != 0) throw env_error("chmod", errno);
      drop_dac_capabilities();
      break;
    }
    case Setup::kSymlinkLoop:
      if (::symlink(c.setup_path.c_str(), c.setup_path.c_str()) != 0)
        throw env_error("symlink", errno);
      break;
  }
  return keep;
}

std::string_view setup_name(Setup s) {
  constexpr std::string_view kNames[] = {"none",
                                         "one local port",
                                         "cgroup BPF connect hook rejects",
                                         "socket file mode 0500, no CAP_DAC_OVERRIDE",
                                         "directory mode 0600, no CAP_DAC_OVERRIDE",
                                         "symlink loop"};
  return kNames[static_cast<int>(s)];
}

}  // namespace conncheck
