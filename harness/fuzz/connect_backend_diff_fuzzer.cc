// connect_backend_diff_fuzzer: one Program through libc, syscall and io_uring on fresh state; any
// difference outside the known ones (docs/FINDINGS.md) is a finding. Input format: fuzz_input.h /
// harness/fuzz/fuzz_format.h.
#include "fuzz_entry.h"

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  return conncheck::fuzz::initialize(argc, argv);
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return conncheck::fuzz::test_one(conncheck::FuzzTarget::kBackendDiff, data, size);
}
