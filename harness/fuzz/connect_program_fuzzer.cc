// connect_program_fuzzer: a Program of up to 16 ops over 4 slots, judged op by op by the Oracle
// against the Model. Input format: fuzz_input.h / harness/fuzz/fuzz_format.h.
#include "fuzz_entry.h"

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  return conncheck::fuzz::initialize(argc, argv);
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return conncheck::fuzz::test_one(conncheck::FuzzTarget::kProgram, data, size);
}
