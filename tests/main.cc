// gtest main for the harness tests and the properties: enter the sandbox
// first, while the process has one thread, so every test or generated case
// calls connect() on the sandbox's network only (RapidCheck starts no threads).
#include <gtest/gtest.h>

#include <cstdio>

#include "program/errors.h"
#include "sandbox/sandbox.h"

int main(int argc, char** argv) {
  // Before gtest takes its own flags out of argv: --gtest_output's file is
  // written after the tests, inside the sandbox's read-only filesystem.
  conncheck::Sandbox::keep_writable_from_args(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  // Listing tests (ctest discovery) needs no sandbox.
  if (!::testing::GTEST_FLAG(list_tests)) {
    try {
      conncheck::Sandbox::enter();
    } catch (const conncheck::EnvironmentError& e) {
      std::fprintf(stderr, "cannot enter the sandbox: %s\n", e.what());
      return 3;
    }
  }
  return RUN_ALL_TESTS();
}
