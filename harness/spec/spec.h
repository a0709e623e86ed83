// Spec: what the documents in shared/spec say connect() may return, and what
// real Linux returns that they do not say. Three tables, all constant data
// compiled into the library (no file to find or parse at run time, so the
// oracle can consult them from a fuzzer's hot loop without allocating):
//
//   documented_errors()  one row per errno *meaning* of the Linux tables
//                        (man-pages 3.35, the syscall reference) and the
//                        FreeBSD/DragonFly table; every row cites the file and
//                        quotes the text it rests on
//   rules()              the documented behaviours (connect once, re-connect,
//                        AF_UNSPEC dissolve, EINPROGRESS + SO_ERROR, EALREADY)
//   known_outcomes()     the second tier: outcomes Linux gives that the Linux
//                        pages do not document, each with a one-line reason
//
// Quotes are checked against the files themselves by tests/spec_quotes_test.cc.
//
// Example usage:
//   for (const DocumentedError& e : documented_errors())
//     if (e.in_linux()) fmt::print("{}: {}\n", errno_name(e.err), e.meaning);
//   const KnownOutcome* k = find_known(EINVAL, Column::kInetStream, Situation::kBlackholeRoute);
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "spec/kernel_version.h"

namespace conncheck {

// The matrix columns: the (family, type) pairs the harness checks.
enum class Column : std::uint8_t {
  kInetStream,
  kInetDgram,
  kInet6Stream,
  kInet6Dgram,
  kUnixStream,
  kUnixDgram,
  kUnixSeqpacket,
};
inline constexpr int kColumnCount = 7;
using ColumnMask = std::uint8_t;
inline constexpr ColumnMask bit(Column c) { return ColumnMask(1u << static_cast<int>(c)); }
inline constexpr ColumnMask kAllColumns = 0x7f;
inline constexpr ColumnMask kInetColumns = 0x0f;  // AF_INET, AF_INET6 x stream, dgram
inline constexpr ColumnMask kIpStream = bit(Column::kInetStream) | bit(Column::kInet6Stream);
inline constexpr ColumnMask kIpDgram = bit(Column::kInetDgram) | bit(Column::kInet6Dgram);
inline constexpr ColumnMask kUnixColumns = 0x70;
inline constexpr ColumnMask kUnixConnected = bit(Column::kUnixStream) | bit(Column::kUnixSeqpacket);
inline constexpr ColumnMask kConnectionOriented = kIpStream | kUnixConnected;
inline constexpr ColumnMask kDatagram = kIpDgram | bit(Column::kUnixDgram);

// nullopt for pairs outside the matrix (raw sockets, ...). `type` may carry
// SOCK_NONBLOCK / SOCK_CLOEXEC.
std::optional<Column> column_of(int domain, int type);
std::string_view column_name(Column c);  // "AF_INET/stream"
inline constexpr std::array<Column, kColumnCount> kColumns = {
    Column::kInetStream, Column::kInetDgram, Column::kInet6Stream,  Column::kInet6Dgram,
    Column::kUnixStream, Column::kUnixDgram, Column::kUnixSeqpacket};

enum class Source : std::uint8_t { kLinuxMan, kLinuxRef, kFreeBSD, kSpecReadme };
std::string_view source_file(Source s);  // "linux-man-pages-3.35-connect.2.txt"

struct Citation {
  Source source;
  std::string_view quote;  // verbatim up to whitespace; empty: no citation
};

// One errno meaning. EACCES has two rows (AF_UNIX path permission; broadcast
// or firewall), because the pages give it two unrelated causes.
struct DocumentedError {
  std::string_view id;  // stable row id: "EACCES-path", "EACCES-broadcast", "ETIMEDOUT"
  int err;
  std::string_view meaning;  // one short line
  ColumnMask columns;        // where the meaning can apply at all
  std::array<Citation, 3> cites;
  bool in_linux() const;    // cited by a Linux page
  bool in_freebsd() const;  // cited by the FreeBSD page
};

enum class RuleId : std::uint8_t {
  kStreamConnectsOnce,
  kDatagramReconnect,
  kUnspecDissolves,
  kNonblockingInProgress,
  kAlreadyWhilePending,
};
struct Rule {
  RuleId id;
  std::string_view row;        // "rule: stream connects once"
  std::string_view statement;  // what the harness checks
  ColumnMask columns;
  std::array<Citation, 2> cites;
  std::string_view freebsd;  // how FreeBSD differs (documented only), or empty
};

// What a connect is aimed at, as far as the known outcomes care.
enum class Situation : std::uint8_t {
  kAny,
  kShortAddrlen,
  kLongAddrlen,
  kBlackholeRoute,
  kUnreachableRoute,
  kWrongFamilyUnix,
  kWrongFamilyInet6,
  kUnspecConnectedStream,
  kUnspecTcp,
  kUnixPathMissing,
  kUnixWrongType,
  kPortsExhausted,
  kBacklogFullNonblocking,
  kInProgressUnix,
  kUnixConnectedOther,
  kPendingCompleted,
  kUnixPeerTaken,
  kSendUnconnected,
  kTupleTaken,
  kUringNonblocking,
  kPeerPortZero,
  kSelfConnect,
  kShutdownPending,
  kConnectionEnded,
  kLoopbackSource,
  kSendShutdown,
  kMappedLocal,  // found by properties/ (issue 4)
  kLinkLocalNoScope,
  kLoopbackSourceOffLink,
  kSilentNeighbour,
  kMappedOpsKept,  // found by the fuzz targets (issue 5)
  kBadSource,
  kDeviceBound,
  kFormerListener,
  kPendingResetAfterFin,  // found by exploration (issue 14)  // found by exploration (issue 14)
};

// The second tier: real Linux, not in the Linux pages. err 0 means success.
struct KnownOutcome {
  std::string_view id;
  int err;
  ColumnMask columns;
  Situation situation;
  std::string_view condition;  // when it happens
  std::string_view reason;     // one line: why Linux does it
  // The kernels it holds for; the Model does not apply it on others, where
  // the outcome is then a violation unless documented. Default: every one.
  KernelRange kernels{};
};

std::span<const DocumentedError> documented_errors();
std::span<const Rule> rules();
std::span<const KnownOutcome> known_outcomes();
// Its second part, the socket-state entries (spec_known_states.cc).
std::span<const KnownOutcome> known_socket_states();

const Rule& rule(RuleId id);
// The first documented row with this errno that a Linux page cites, or null.
const DocumentedError* find_linux_documented(int err);
const DocumentedError* find_documented(std::string_view id);
// A known outcome for exactly this errno, column and situation; with
// Situation::kAny, the first one for the errno and column.
const KnownOutcome* find_known(int err, Column c, Situation s = Situation::kAny);

}  // namespace conncheck
