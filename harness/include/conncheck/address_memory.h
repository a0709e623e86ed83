// Puts an Address's bytes where its Placement says, for the duration of one
// call. Reuses one thread-local arena, so the hot path (fuzzing, benchmarks)
// does no mmap per call.
//
// Example usage:
//   AddressMemory mem(addr);
//   ::connect(fd, mem.ptr(), addr.addrlen);
#pragma once

#include <sys/socket.h>

#include "conncheck/address.h"

namespace conncheck {

class AddressMemory {
 public:
  explicit AddressMemory(const Address& a);
  AddressMemory(const AddressMemory&) = delete;
  AddressMemory& operator=(const AddressMemory&) = delete;

  const sockaddr* ptr() const { return ptr_; }

 private:
  const sockaddr* ptr_ = nullptr;
};

// The arena's pages, exposed for tests: the guard page must be PROT_NONE and
// the hole must be unmapped.
struct ArenaLayout {
  const void* data_page;   // read/write
  const void* guard_page;  // PROT_NONE, right after data_page
  const void* hole;        // unmapped page (kUnmapped points here)
};
ArenaLayout arena_layout();

}  // namespace conncheck
