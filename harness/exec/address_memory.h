// Puts an Address's bytes where its Placement says, for the duration of one
// call. Reuses one thread-local arena, so the hot path (fuzzing, benchmarks)
// does no mmap per call.
//
// Example usage:
//   AddressMemory mem(addr);
//   ::connect(fd, mem.ptr(), addr.addrlen);
#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>

#include "program/address.h"

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

namespace detail {
// The hot part of this thread's arena, for call_connect's inline bare path
// (backend.h): `data` is null until the arena is mapped; `dirty` is as in
// address_memory.cc. constinit, so reading it is one %fs-relative load.
struct ArenaHot {
  std::uint8_t* data = nullptr;
  std::size_t dirty = 0;
};
extern constinit thread_local ArenaHot g_arena_hot;

// A plain word-by-word copy, not memcpy: addresses are a few dozen bytes,
// and libc's memcpy (a PLT jump, then its size dispatch) measured several
// ns per call on the benchmark's EBADF path, which is all budget.
inline void copy_small(std::uint8_t* dst, const std::uint8_t* src, std::size_t n) {
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) __builtin_memcpy(dst + i, src + i, 8);
  for (; i < n; ++i) dst[i] = src[i];
}

// Normal placement into an already mapped arena, inline; null when the
// slow path (AddressMemory) must do it.
inline const sockaddr* place_normal_fast(const Address& a) {
  ArenaHot& h = g_arena_hot;
  const std::size_t n = a.bytes.size();
  if (a.placement != Placement::kNormal || h.data == nullptr || n > sizeof(sockaddr_storage) ||
      h.dirty > n)
    return nullptr;
  copy_small(h.data, a.bytes.data(), n);
  h.dirty = n;
  return reinterpret_cast<const sockaddr*>(h.data);
}
}  // namespace detail

// The arena's pages, exposed for tests: the guard page must be PROT_NONE and
// the hole must be unmapped.
struct ArenaLayout {
  const void* data_page;   // read/write
  const void* guard_page;  // PROT_NONE, right after data_page
  const void* hole;        // unmapped page (kUnmapped points here)
};
ArenaLayout arena_layout();

}  // namespace conncheck
