// The Spec's columns (a family and a socket type each) and the sources it
// quotes: names for the matrix and the reports.
#include <sys/socket.h>

#include "spec/spec.h"

namespace conncheck {

std::optional<Column> column_of(int domain, int type) {
  const int t = type & 0xf;
  if (domain == AF_INET)
    return t == SOCK_STREAM  ? Column::kInetStream
           : t == SOCK_DGRAM ? std::optional(Column::kInetDgram)
                             : std::nullopt;
  if (domain == AF_INET6)
    return t == SOCK_STREAM  ? Column::kInet6Stream
           : t == SOCK_DGRAM ? std::optional(Column::kInet6Dgram)
                             : std::nullopt;
  if (domain == AF_UNIX) {
    if (t == SOCK_STREAM) return Column::kUnixStream;
    if (t == SOCK_DGRAM) return Column::kUnixDgram;
    if (t == SOCK_SEQPACKET) return Column::kUnixSeqpacket;
  }
  return std::nullopt;
}

std::string_view column_name(Column c) {
  constexpr std::string_view kNames[] = {"AF_INET/stream",   "AF_INET/dgram",  "AF_INET6/stream",
                                         "AF_INET6/dgram",   "AF_UNIX/stream", "AF_UNIX/dgram",
                                         "AF_UNIX/seqpacket"};
  return kNames[static_cast<int>(c)];
}

std::string_view source_file(Source s) {
  switch (s) {
    case Source::kLinuxMan: return "linux-man-pages-3.35-connect.2.txt";
    case Source::kLinuxRef: return "linux-syscall-reference-connect.txt";
    case Source::kFreeBSD: return "freebsd-dragonfly-connect.2.txt";
    case Source::kSpecReadme: return "README.md";
  }
  return "?";
}

}  // namespace conncheck
