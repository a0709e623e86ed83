// The sandbox: a private network namespace with a small, known world in
// which every documented connect() outcome can be provoked, and from which
// nothing reaches the host's network.
//
// The world (addresses are fixed so traces read the same on every machine):
//   lo            127.0.0.1/8, ::1
//   cc0 <-> cc1   a veth pair, both ends in this namespace. cc0 holds
//                 10.254.0.1/24 brd 10.254.0.255 and fd00:254::1/64;
//                 cc1 holds 10.254.0.2/24 and fd00:254::2/64.
//   no default route                      -> ENETUNREACH (e.g. 192.0.2.1)
//   unreachable 10.255.1.0/24, fd00:255:1::/48 -> EHOSTUNREACH
//   prohibit    10.255.2.0/24, fd00:255:2::/48 -> EACCES
//   blackhole   10.255.3.0/24, fd00:255:3::/48 -> EINVAL
//   a private mount namespace: fresh tmpfs over /tmp, /var/tmp, /dev/shm
//   (the private AF_UNIX dir is in the first), every other mount read-only
//   but proc, cgroup and the paths kept writable for the harness's outputs
//
// Example usage:
//   const SandboxWorld& w = Sandbox::enter();   // throws EnvironmentError
//   fmt::print("{}\n", describe(w));
#pragma once

#include <string>
#include <vector>

#include "world/world.h"

namespace conncheck {

struct InterfaceInfo {
  std::string name;
  int ifindex;
  bool up;
  std::string kind;                    // "loopback", "veth"
  int peer_ifindex;                    // for veth: the other end (in this namespace), else 0
  std::vector<std::string> addresses;  // "10.254.0.1/24"
};

struct RouteInfo {
  std::string text;  // "unreachable 10.255.1.0/24"
  bool is_default;   // 0.0.0.0/0 or ::/0
};

struct SandboxWorld {
  bool user_namespace = false;  // entered CLONE_NEWUSER first (not root)
  unsigned long netns_inode = 0;
  unsigned long host_netns_inode = 0;  // the namespace we started in
  std::string unix_dir;                // private temp dir for AF_UNIX paths
  unsigned long mntns_inode = 0;
  unsigned long host_mntns_inode = 0;
  std::vector<std::string> scratch_dirs;  // fresh tmpfs mounts ("/tmp", ...)
  std::vector<std::string> writable;      // kept writable for the harness
  bool root_read_only = false;            // "/" as this namespace sees it
  std::vector<InterfaceInfo> interfaces;
  std::vector<RouteInfo> routes;
};

class Sandbox {
 public:
  // Enters the sandbox once per process (later calls return the same world).
  // Must run before the process starts threads when not root (CLONE_NEWUSER
  // requires a single-threaded caller). Throws EnvironmentError naming the
  // step that failed; never falls back to the host's network.
  static const SandboxWorld& enter();

  // What a kept path is when entry finds nothing there yet.
  enum class Kept {
    kFile,       // an output file: made, empty, at entry, and kept itself
    kDirectory,  // an output directory: made at entry, and kept itself
    kIfExists,   // maybe an input: kept if it exists, else its directory
                 // (unless a scratch tmpfs covers that: then nothing)
  };
  // Paths the harness writes after entry (an output file or directory, a
  // corpus): kept writable in the otherwise read-only mount namespace, and
  // what is written there is on the host after the process ends, also in
  // a directory that a scratch tmpfs covers inside (/tmp/x.json). An
  // output that does not exist yet is made on the host at entry (empty),
  // so a run that fails after entry leaves it empty. "/" and the scratch
  // dirs themselves are never kept: a Program could then write anywhere
  // in them. Must be called before the first enter(); throws after.
  static void keep_writable(const std::string& path, Kept kind = Kept::kFile);
  // The same for every argument that names an existing path, or a path in
  // a directory: "-flag=VALUE" gives VALUE, "@FILE" gives FILE. For the
  // binaries whose outputs are in their command lines (libFuzzer, Google
  // Benchmark, gtest) and which can be respawned by themselves (fork mode).
  // The values of --gtest_output, --benchmark_out, -exact_artifact_path and
  // -artifact_prefix=DIR/ are outputs (kFile, or kDirectory when ending in
  // '/'); any other is kIfExists.
  static void keep_writable_from_args(int argc, char** argv);

  // Empties the scratch tmpfs mounts (the private AF_UNIX dir stays, empty;
  // kept paths stay): each backend replaying a Program, and each run of a
  // fuzz target, finds the files as the first did.
  static void fresh_files();

  // The world as the kernel reports it now (links, addresses, routes).
  static SandboxWorld inspect();

  // Sets the namespace's net.ipv4.tcp_max_tw_buckets (IPv6 too) to 0, so a
  // closed connection leaves no TIME_WAIT socket holding its port: for
  // callers that run many Programs in one sandbox and want each to find the
  // ports as the first did (fuzz targets, replay tests). False when it
  // cannot, which costs only that determinism.
  static bool drop_time_wait();

  // Reasons this world could reach the host's network; empty when isolated:
  // a namespace that is the host's, an interface other than lo and our own
  // veth pair, a veth whose peer is elsewhere, or a default route; and
  // files: a mount namespace that is the host's, /tmp not a fresh tmpfs,
  // or "/" writable.
  static std::vector<std::string> isolation_problems(const SandboxWorld& w);
};

std::string describe(const SandboxWorld& w);

// /proc/sys/net/ipv4/ip_local_port_range of this namespace, set for the
// lifetime of the object and restored after (for port exhaustion).
class LocalPortRange {
 public:
  LocalPortRange(int low, int high);
  ~LocalPortRange();
  LocalPortRange(const LocalPortRange&) = delete;
  LocalPortRange& operator=(const LocalPortRange&) = delete;
  static std::pair<int, int> current();

 private:
  std::pair<int, int> saved_;
};

}  // namespace conncheck
