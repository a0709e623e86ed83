#include "exec/address_memory.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "base/check.h"
#include "program/errors.h"

namespace conncheck {
namespace {

constexpr std::size_t kDataPages = 16;  // room for any Address (validate() caps bytes)

// One per thread: [data pages, rw][guard page, PROT_NONE][hole, unmapped].
// Never freed: threads that make calls live as long as the process.
struct Arena {
  std::uint8_t* data;
  std::size_t data_size;
  std::uint8_t* guard;
  std::uint8_t* hole;

  Arena() {
    const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    data_size = kDataPages * page;
    void* m = ::mmap(nullptr, data_size + 2 * page, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) throw env_error("mmap(address arena)", errno);
    data = static_cast<std::uint8_t*>(m);
    guard = data + data_size;
    hole = guard + page;
    if (::mprotect(guard, page, PROT_NONE) != 0) throw env_error("mprotect(guard page)", errno);
    if (::munmap(hole, page) != 0) throw env_error("munmap(hole page)", errno);
#if defined(__x86_64__)
    // A later mmap can take the page just freed (ASan's allocator does, in
    // the fuzz build), and a kUnmapped connect then reads real memory. The
    // page below 2^47 lies past TASK_SIZE_MAX (4-level paging) and
    // mmap(NULL, ...) never goes above 2^47, so it stays unmapped.
    hole = reinterpret_cast<std::uint8_t*>((std::uintptr_t{1} << 47) - page);
#endif
    detail::g_arena_hot.data = data;
  }
};

Arena& arena() {
  thread_local Arena a;
  return a;
}

constexpr std::size_t kStorage = sizeof(sockaddr_storage);

}  // namespace

// dirty: bytes of data[] that may be non-zero (the last kNormal write).
// Everything from there to sizeof(sockaddr_storage) is zero, so a call only
// clears what an earlier, longer Address left; a benchmark loop repeating
// one Address clears nothing.
constinit thread_local detail::ArenaHot detail::g_arena_hot;

AddressMemory::AddressMemory(const Address& a) {
  Arena& ar = arena();
  const std::size_t n = a.bytes.size();
  CONNCHECK_CHECK_MSG(n + kStorage <= ar.data_size, "{} address bytes: validate() caps them", n);
  switch (a.placement) {
    case Placement::kNull: ptr_ = nullptr; break;
    case Placement::kUnmapped: ptr_ = reinterpret_cast<const sockaddr*>(ar.hole); break;
    case Placement::kNormal: {
      // Bytes then zeros up to sockaddr_storage: an addrlen longer than the
      // bytes (the kernel copies at most sizeof(sockaddr_storage)) reads
      // zeros, the same on every run.
      detail::copy_small(ar.data, a.bytes.data(), n);
      std::size_t& dirty = detail::g_arena_hot.dirty;
      const std::size_t clear_to = std::min(dirty, kStorage);
      if (n < clear_to) std::memset(ar.data + n, 0, clear_to - n);
      dirty = n;
      ptr_ = reinterpret_cast<const sockaddr*>(ar.data);
      break;
    }
    case Placement::kGuardEnd: {
      std::uint8_t* start = ar.guard - n;
      std::memcpy(start, a.bytes.data(), n);
      ptr_ = reinterpret_cast<const sockaddr*>(start);
      break;
    }
  }
}

ArenaLayout arena_layout() {
  Arena& ar = arena();
  return {ar.data, ar.guard, ar.hole};
}

}  // namespace conncheck
