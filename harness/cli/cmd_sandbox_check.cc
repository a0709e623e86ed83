// `conncheck sandbox-check`: enter the sandbox, show it, prove it is shut.
#include <fmt/format.h>

#include "commands.h"
#include "sandbox/sandbox.h"

namespace conncheck::cli {

void add_sandbox_check(CLI::App& app, Registry& reg) {
  auto* sub = app.add_subcommand(
      "sandbox-check",
      "Enter the sandbox, print its interfaces, routes and mounts, and check that no interface\n"
      "reaches the host network and no file the host sees is writable (exit 0 isolated, 1 not,\n"
      "3 could not build it).");
  reg.add(sub, [] {
    const SandboxWorld& w = Sandbox::enter();
    fmt::print("{}", describe(w));
    // Re-read from the kernel rather than trusting what enter() built.
    SandboxWorld now = Sandbox::inspect();
    now.host_netns_inode = w.host_netns_inode;
    now.host_mntns_inode = w.host_mntns_inode;
    const auto problems = Sandbox::isolation_problems(now);
    if (problems.empty()) {
      fmt::print(
          "isolated: yes (own network namespace; only lo and the {}/{} veth pair, "
          "both ends here; no default route; own mount namespace, / read-only, fresh tmpfs on "
          "/tmp)\n",
          world::kVethA, world::kVethB);
      return 0;
    }
    for (const auto& p : problems) fmt::print("NOT ISOLATED: {}\n", p);
    return 1;
  });
}

}  // namespace conncheck::cli
