// Decoding fuzz inputs into Programs (fuzz_input.h). Never rejects: a
// missing byte reads as zero, every choice is taken modulo its table, and
// every value lands in range, so validate() accepts whatever comes out.
#include <sys/socket.h>

#include <nlohmann/json.hpp>

#include "exec/destination_guard.h"
#include "fuzz/fuzz_input.h"
#include "fuzz_format.h"

namespace conncheck {
namespace {

using namespace fuzzfmt;

constexpr int kDomains[] = {AF_INET, AF_INET6, AF_UNIX};

// The sockaddr target's prior states, built from ops before its connect.
enum class Prior : std::uint8_t {
  kFresh,
  kBound,
  kListening,
  kConnected,
  kConnecting,
  kDissolved,
  kCount
};

// Where the prior-state sockets sit: ports 20000/20001 and the names
// "self"/"peer" are in the tables and the dictionaries, so fuzzed
// addresses reach them.
Address local_address(int domain, bool peer) {
  Writer w;
  if (domain == AF_UNIX) {
    w.byte(kUnixInDir);
    w.byte(4);
    w.bytes(std::span<const std::uint8_t>(
        reinterpret_cast<const std::uint8_t*>(peer ? "peer" : "self"), 4));
  } else {
    w.byte(domain == AF_INET ? kInet : kInet6);
    w.byte(0);             // 127.0.0.1 / ::1
    w.byte(peer ? 1 : 0);  // port 20001 / 20000
    if (domain == AF_INET6) w.byte(0);
  }
  Reader r(w.out());
  return read_address(r);
}

Op read_op(Reader& r) {
  const std::uint8_t kind = r.byte() % std::variant_size_v<Op>;
  const int slot = r.byte() % kSlots;
  auto pick = [&](std::span<const std::uint32_t> t) { return static_cast<int>(r.pick(t)); };
  switch (kind) {
    case 0: return read_socket(r, slot);
    case 1: return op::NotSocket{slot};
    case 2: return op::Bind{slot, read_address(r)};
    case 3: return op::Listen{slot, pick(backlog_table())};
    case 4: {
      Address a = read_address(r);
      const std::uint8_t irq = r.byte();  // mostly none: a signal costs a wait
      return op::Connect{slot, std::move(a),
                         irq >= kRawSelector ? (irq - kRawSelector + 1) * 5 : 0};
    }
    case 5: return op::Accept{slot, r.byte() % kSlots};
    case 6: return op::Send{slot, pick(len_table())};
    case 7: {
      Address a = read_address(r);
      return op::SendTo{slot, std::move(a), pick(len_table())};
    }
    case 8: return op::Recv{slot};
    case 9: return op::GetPeerName{slot};
    case 10: return op::GetSockName{slot};
    case 11: return op::Shutdown{slot, pick(how_table())};
    case 12: return op::Close{slot};
    case 13: return op::SetNonblock{slot, r.byte() % 2 == 0};
    case 14: {
      const std::uint8_t b = r.byte();
      SockOpt o = sockopt_table()[b % sockopt_table().size()];
      if (b >= kRawSelector) o = {static_cast<int>(r.raw(4)), static_cast<int>(r.raw(4))};
      return op::SetSockOpt{slot, o.level, o.name, pick(value_table())};
    }
    case 15: return op::PollOut{slot, pick(poll_table())};
    default: return op::GetSoError{slot};
  }
}

Program decode_program(std::span<const std::uint8_t> data) {
  Reader r(data);
  Program p;
  while (!r.empty() && p.ops.size() < kMaxOps) p.ops.push_back(read_op(r));
  return p;
}

Program decode_sockaddr(std::span<const std::uint8_t> data) {
  Reader r(data);
  op::Socket s = read_socket(r, 0);
  const auto prior = static_cast<Prior>(r.byte() % static_cast<int>(Prior::kCount));
  Address target = read_address(r);
  Program p;
  auto& ops = p.ops;
  const bool ip = s.domain != AF_UNIX;
  const bool dgram = (s.type & 0xf) == SOCK_DGRAM;
  const int blocking_type = s.type & ~SOCK_NONBLOCK;
  const bool nonblock = s.type & SOCK_NONBLOCK;
  // A helper socket of the same kind (blocking), bound at the peer address.
  auto peer = [&](int slot, int backlog) {
    ops.push_back(op::Socket{slot, s.domain, blocking_type, s.protocol});
    if (ip) ops.push_back(op::SetSockOpt{slot, SOL_SOCKET, SO_REUSEADDR, 1});
    ops.push_back(op::Bind{slot, local_address(s.domain, true)});
    if (!dgram) ops.push_back(op::Listen{slot, backlog});
  };
  // Every state has a peer of the socket's own kind at the peer address
  // (slot 1), so a well-formed connect from a fresh socket can succeed. In
  // the connecting state its backlog of 0 is already full.
  peer(1, prior == Prior::kConnecting ? 0 : 8);
  switch (prior) {
    case Prior::kBound:
    case Prior::kListening:
      ops.push_back(s);
      if (ip) ops.push_back(op::SetSockOpt{0, SOL_SOCKET, SO_REUSEADDR, 1});
      ops.push_back(op::Bind{0, local_address(s.domain, false)});
      if (prior == Prior::kListening) ops.push_back(op::Listen{0, 8});
      break;
    case Prior::kConnected:
    case Prior::kDissolved:
      ops.push_back(op::Socket{0, s.domain, blocking_type, s.protocol});
      ops.push_back(op::Connect{0, local_address(s.domain, true)});
      if (prior == Prior::kDissolved) ops.push_back(op::Connect{0, Address::unspec()});
      if (nonblock) ops.push_back(op::SetNonblock{0, true});
      break;
    case Prior::kConnecting:
      // Slot 2's connection fills the queue, so slot 0's SYN is dropped
      // and its non-blocking connect stays pending.
      ops.push_back(op::Socket{2, s.domain, blocking_type, s.protocol});
      ops.push_back(op::Connect{2, local_address(s.domain, true)});
      ops.push_back(op::Socket{0, s.domain, blocking_type | SOCK_NONBLOCK, s.protocol});
      ops.push_back(op::Connect{0, local_address(s.domain, true)});
      // A blocking connect on it would wait out the bound, so only when the
      // input asks, with the CLOEXEC flag bit (a no-op: every socket has it).
      if (!nonblock && s.type & SOCK_CLOEXEC) ops.push_back(op::SetNonblock{0, false});
      break;
    default: ops.push_back(s); break;  // fresh
  }
  ops.push_back(op::Connect{0, std::move(target)});
  return p;
}

}  // namespace

namespace fuzzfmt {

Address peer_address(int domain) { return local_address(domain, true); }

op::Socket read_socket(Reader& r, int slot) {
  const std::uint8_t b = r.byte();
  op::Socket s{slot, 0, 0, 0};
  if (b < kRawSelector) {
    const SocketKind& k = socket_kinds()[b % socket_kinds().size()];
    s = {slot, k.domain, k.type, k.protocol};
  } else {
    s.domain = kDomains[r.byte() % 3];
    s.type = static_cast<int>(r.raw(4));
    s.protocol = static_cast<int>(r.raw(4));
    if (!module_safe(s.domain, s.type, s.protocol)) {
      s.protocol = 0;
      const int base = s.type & 0xf;
      if (base != SOCK_STREAM && base != SOCK_DGRAM) s.type = (s.type & ~0xf) | SOCK_RAW;
    }
  }
  const std::uint8_t flags = r.byte();
  if (flags & kFlagNonblock) s.type |= SOCK_NONBLOCK;
  if (flags & kFlagCloexec) s.type |= SOCK_CLOEXEC;
  return s;
}

}  // namespace fuzzfmt

std::string_view target_name(FuzzTarget t) {
  switch (t) {
    case FuzzTarget::kSockaddr: return "connect_sockaddr_fuzzer";
    case FuzzTarget::kProgram: return "connect_program_fuzzer";
    case FuzzTarget::kBackendDiff: return "connect_backend_diff_fuzzer";
  }
  return "?";
}

bool parse_target(std::string_view name, FuzzTarget* out) {
  for (FuzzTarget t : kAllFuzzTargets) {
    std::string_view full = target_name(t);
    std::string_view shorter = full.substr(8, full.size() - 8 - 7);  // "connect_" ... "_fuzzer"
    if (name == full || name == shorter) {
      *out = t;
      return true;
    }
  }
  return false;
}

Program decode_input(FuzzTarget t, std::span<const std::uint8_t> data) {
  return t == FuzzTarget::kSockaddr ? decode_sockaddr(data) : decode_program(data);
}

Program input_program(FuzzTarget t, std::span<const std::uint8_t> data, bool* was_json) {
  if (was_json) *was_json = false;
  // Only text that starts like a JSON array is tried, so the fuzzer's own
  // inputs rarely pay for a parse.
  if (!data.empty() && data[0] == '[') {
    const auto j =
        nlohmann::json::parse(data.begin(), data.end(), nullptr, /*allow_exceptions=*/false);
    if (!j.is_discarded() && j.is_array()) {
      try {
        Program p = j.get<Program>();
        if (validate(p).empty()) {
          if (was_json) *was_json = true;
          return p;
        }
      } catch (const std::exception&) {
        // not a Program: the bytes are a fuzz input like any other
      }
    }
  }
  return decode_input(t, data);
}

}  // namespace conncheck
