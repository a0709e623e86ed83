// The documented tier of the Spec: every errno of the Linux tables
// (man-pages 3.35, the syscall reference) and of the FreeBSD/DragonFly
// table, and the documented rules. Quotes are verbatim (whitespace aside;
// tests/spec_quotes_test.cc finds each one in its file). Where the 3.35
// extract lost a line (EALREADY, EBADF, ECONNREFUSED), the syscall
// reference carries the row.
#include <errno.h>

#include "spec/spec.h"

namespace conncheck {
namespace {

constexpr Citation man(std::string_view q) { return {Source::kLinuxMan, q}; }
constexpr Citation ref(std::string_view q) { return {Source::kLinuxRef, q}; }
constexpr Citation bsd(std::string_view q) { return {Source::kFreeBSD, q}; }
constexpr Citation none() { return {Source::kLinuxMan, {}}; }

constexpr DocumentedError kErrors[] = {
    {"EACCES-path",
     EACCES,
     "AF_UNIX: no write permission on the socket file, or no search permission on a directory",
     kUnixColumns,
     {man("Write permission is denied on the socket file, or search permission is denied for one "
          "of the directories in the path prefix."),
      ref("Write permission is denied on the socket file, or search permission is denied for one "
          "of the directories in the path prefix."),
      bsd("Write access to the named socket is denied.")}},
    {"EACCES-broadcast",
     EACCES,
     "broadcast address without SO_BROADCAST, or a local firewall rule",
     kInetColumns,
     {man("The user tried to connect to a broadcast address without having the socket broadcast "
          "flag enabled or the connection request failed because of a local firewall rule."),
      ref("The user tried to connect to a broadcast address without having the socket broadcast "
          "flag enabled or the connection request failed because of a local firewall rule."),
      none()}},
    {"EPERM",
     EPERM,
     "the connection request failed because of a local firewall rule",
     kAllColumns,
     {man("the connection request failed because of a local firewall rule."),
      ref("EACCES, EPERM | The user tried to connect to a broadcast address"), none()}},
    {"EADDRINUSE",
     EADDRINUSE,
     "local address is already in use",
     kAllColumns,
     {man("Local address is already in use."), ref("Local address is already in use."),
      bsd("The address is already in use.")}},
    {"EADDRNOTAVAIL",
     EADDRNOTAVAIL,
     "non-existent interface, or the requested address is not local",
     kInetColumns,
     {ref("Non-existent interface was requested or the requested address was not local."),
      bsd("The specified address is not available on this machine."), none()}},
    {"EAFNOSUPPORT",
     EAFNOSUPPORT,
     "sa_family is not the socket's address family",
     kAllColumns,
     {man("The passed address didn't have the correct address family in its sa_family field."),
      ref("The passed address didnt have the correct address family in its sa_family field."),
      bsd("Addresses in the specified address family cannot be used with this socket.")}},
    {"EAGAIN",
     EAGAIN,
     "no more free local ports, or routing cache full",
     kAllColumns,
     {man("No more free local ports or insufficient entries in the routing cache."), none(),
      none()}},
    {"EALREADY",
     EALREADY,
     "non-blocking socket, previous connection attempt not yet completed",
     kConnectionOriented,
     {ref("The socket is non-blocking and a previous connection attempt has not yet been "
          "completed."),
      bsd("and a previous connection attempt"), none()}},
    {"EBADF",
     EBADF,
     "not a valid file descriptor",
     kAllColumns,
     {ref("The file descriptor is not a valid index in the descriptor table."),
      bsd("is not a valid descriptor."), none()}},
    {"ECONNREFUSED",
     ECONNREFUSED,
     "no one listening on the remote address",
     kAllColumns,
     {ref("No one listening on the remote address."),
      bsd("The attempt to connect was forcefully rejected."), none()}},
    {"EFAULT",
     EFAULT,
     "the address is outside the process's address space",
     kAllColumns,
     {man("The socket structure address is outside the user's address"),
      ref("The socket structure address is outside the users address space."),
      bsd("the process address space.")}},
    {"EHOSTUNREACH",
     EHOSTUNREACH,
     "the remote host is not reachable",
     kInetColumns,
     {bsd("The remote host is not reachable from this host."), none(), none()}},
    {"EINPROGRESS",
     EINPROGRESS,
     "non-blocking socket, connection cannot complete immediately",
     kConnectionOriented,
     {man("The socket is nonblocking and the connection cannot be completed immediately."),
      ref("The socket is non-blocking and the connection cannot be completed immediately."),
      bsd("be completed immediately.")}},
    {"EINTR",
     EINTR,
     "interrupted by a caught signal",
     kConnectionOriented,
     {man("The system call was interrupted by a signal that was caught"),
      ref("The system call was interrupted by a signal that was caught."), none()}},
    {"EISCONN",
     EISCONN,
     "the socket is already connected",
     kConnectionOriented,
     {man("The socket is already connected."), ref("The socket is already connected."),
      bsd("The socket is already connected.")}},
    {"ENETUNREACH",
     ENETUNREACH,
     "network is unreachable",
     kInetColumns,
     {man("Network is unreachable."), ref("Network is unreachable."),
      bsd("The network is not reachable from this host.")}},
    {"ENOTSOCK",
     ENOTSOCK,
     "the descriptor is not a socket",
     kAllColumns,
     {man("The file descriptor is not associated with a socket."),
      ref("The file descriptor is not associated with a socket."),
      bsd("is a descriptor for a file, not a socket.")}},
    {"ETIMEDOUT",
     ETIMEDOUT,
     "timeout while attempting connection",
     kIpStream,
     {man("Timeout while attempting connection."), ref("Timeout while attempting connection."),
      bsd("Connection establishment timed out without establishing a connection.")}},
    {"ENOTDIR",
     ENOTDIR,
     "AF_UNIX: a component of the path prefix is not a directory",
     kUnixColumns,
     {bsd("A component of the path prefix is not a directory."), none(), none()}},
    {"ENAMETOOLONG",
     ENAMETOOLONG,
     "AF_UNIX: a path component over 255 or a path over 1023 characters",
     kUnixColumns,
     {bsd("A component of a pathname exceeded 255 characters,"), none(), none()}},
    {"ENOENT",
     ENOENT,
     "AF_UNIX: the named socket does not exist",
     kUnixColumns,
     {bsd("The named socket does not exist."), none(), none()}},
    {"ELOOP",
     ELOOP,
     "AF_UNIX: too many symbolic links in the path",
     kUnixColumns,
     {bsd("Too many symbolic links were encountered in translating the pathname."), none(),
      none()}},
};

constexpr Rule kRules[] = {
    {RuleId::kStreamConnectsOnce,
     "rule: stream connects once",
     "a connected stream/seqpacket socket never connects again; a further connect fails with "
     "EISCONN",
     kConnectionOriented,
     {man("connection-based protocol sockets may successfully connect() only once"),
      bsd("only once; datagram sockets may use")},
     "FreeBSD also refuses AF_UNSPEC on a connected TCP socket; Linux performs an abortive "
     "disconnect (second tier)"},
    {RuleId::kDatagramReconnect,
     "rule: datagram re-connect changes peer",
     "a datagram socket connects again to another peer; getpeername reports the latest",
     kDatagram,
     {man("connectionless protocol sockets may use connect() multiple times to change their "
          "association."),
      bsd("multiple times to change their association.")},
     ""},
    {RuleId::kUnspecDissolves,
     "rule: AF_UNSPEC dissolves datagram association",
     "connect(AF_UNSPEC) returns 0; then getpeername fails ENOTCONN and send without an address "
     "EDESTADDRREQ",
     kDatagram,
     {man("Connectionless sockets may dissolve the association by connecting to an address with "
          "the sa_family member of sockaddr set to AF_UNSPEC"),
      bsd("by connecting to an invalid address, such as a null address.")},
     "FreeBSD clears the peer but returns EAFNOSUPPORT (spec README); not checked here"},
    {RuleId::kNonblockingInProgress,
     "rule: non-blocking EINPROGRESS then SO_ERROR",
     "a non-blocking connect that cannot complete gives EINPROGRESS; once writable, SO_ERROR is 0 "
     "or the failure",
     kConnectionOriented,
     {man("use getsockopt(2) to read the SO_ERROR option at level SOL_SOCKET to determine whether "
          "connect() completed successfully (SO_ERROR is zero)"),
      ref("After select(2) indicates writability, use getsockopt(2) to read the SO_ERROR option at "
          "level SOL_SOCKET")},
     ""},
    {RuleId::kAlreadyWhilePending,
     "rule: EALREADY while pending",
     "a second connect on a non-blocking socket whose first is still pending fails with EALREADY",
     kConnectionOriented,
     {ref("a previous connection attempt has not yet been completed."),
      bsd("has not yet been completed.")},
     ""},
};

}  // namespace

bool DocumentedError::in_linux() const {
  for (const Citation& c : cites)
    if (!c.quote.empty() && (c.source == Source::kLinuxMan || c.source == Source::kLinuxRef))
      return true;
  return false;
}

bool DocumentedError::in_freebsd() const {
  for (const Citation& c : cites)
    if (!c.quote.empty() && c.source == Source::kFreeBSD) return true;
  return false;
}

std::span<const DocumentedError> documented_errors() { return kErrors; }
std::span<const Rule> rules() { return kRules; }

const Rule& rule(RuleId id) { return kRules[static_cast<int>(id)]; }

const DocumentedError* find_linux_documented(int err) {
  for (const DocumentedError& e : kErrors)
    if (e.err == err && e.in_linux()) return &e;
  return nullptr;
}

const DocumentedError* find_documented(std::string_view id) {
  for (const DocumentedError& e : kErrors)
    if (e.id == id) return &e;
  return nullptr;
}

}  // namespace conncheck
