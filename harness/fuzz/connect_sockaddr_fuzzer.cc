// connect_sockaddr_fuzzer: one connect() per input: the socket (domain, type, protocol, flags,
// prior state) and the Address (family, bytes, addrlen, placement) come from the input. Input
// format: fuzz_input.h / harness/fuzz/fuzz_format.h.
#include "fuzz_entry.h"

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  return conncheck::fuzz::initialize(argc, argv);
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return conncheck::fuzz::test_one(conncheck::FuzzTarget::kSockaddr, data, size);
}
