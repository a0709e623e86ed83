// The matrix: rows (every errno meaning of both tables, every rule, the
// second-tier outcomes the cases provoke) x columns, each cell saying what
// happened and why, never leaving a cell silent.
#include <errno.h>

#include <map>
#include <set>

#include <fmt/format.h>

#include "conform/conform.h"

namespace conncheck {
namespace {

// Why a row cannot apply to a column outside its Spec mask.
std::string not_applicable(std::string_view id, Column c) {
  const bool unix_col = c >= Column::kUnixStream;
  static const std::map<std::string_view, std::string_view> kWhy = {
      {"EACCES-path", "IP addresses have no file permissions"},
      {"EACCES-broadcast", "AF_UNIX has no broadcast and no routes"},
      {"EADDRNOTAVAIL", "AF_UNIX has no interfaces or ports"},
      {"EALREADY", "a datagram connect never pends"},
      {"EINPROGRESS", "a datagram connect completes at once"},
      {"EINTR", "a datagram connect never blocks"},
      {"EISCONN", "datagram sockets may re-connect (rule: datagram re-connect)"},
      {"ENETUNREACH", "AF_UNIX has no network"},
      {"EHOSTUNREACH", "AF_UNIX has no hosts"},
      {"ETIMEDOUT", "only TCP waits on a handshake with a timer"},
  };
  if (auto it = kWhy.find(id); it != kWhy.end()) return fmt::format("n/a: {}", it->second);
  if (!unix_col && (id == "ENOTDIR" || id == "ENAMETOOLONG" || id == "ENOENT" || id == "ELOOP"))
    return "n/a: IP addresses have no paths";
  return "n/a: outside the Spec entry's columns";
}

// Cells inside a row's mask that no case provokes, and why.
std::string not_provoked(std::string_view id, Column c) {
  const bool ip_dgram = c == Column::kInetDgram || c == Column::kInet6Dgram;
  if (id == "ENAMETOOLONG")
    return "not provoked: sun_path holds 108 bytes, so no component can exceed 255 nor a path "
           "1023; "
           "a longer addrlen is EINVAL (second tier)";
  if (id == "ECONNREFUSED" && ip_dgram)
    return "not provoked: a UDP connect sends nothing; a refusal is reported by a later send/recv";
  if (id == "EADDRINUSE" && ip_dgram)
    return "not provoked: UDP does not keep 4-tuples unique (SO_REUSEADDR sockets may share one)";
  if (id == "EADDRINUSE")
    return "not provoked: AF_UNIX connect binds nothing a second socket could hold";
  if (id == "EADDRNOTAVAIL" && ip_dgram)
    return "not provoked: UDP reports exhausted ports as EAGAIN (row EAGAIN); no other UDP cause "
           "found";
  if (id == "EAGAIN" && c == Column::kUnixDgram)
    return "not provoked: AF_UNIX datagram connect takes no port and no backlog slot";
  if (id == "EPERM" && c >= Column::kUnixStream)
    return "not provoked: the AF_UNIX cgroup connect hook (BPF_CGROUP_UNIX_CONNECT, Linux 6.7) is "
           "not in this "
           "system's <linux/bpf.h>; see row EPERM-unix-dgram-peer for the one AF_UNIX EPERM seen";
  return "not provoked: no curated program for this cell (a gap in the matrix)";
}

std::string got_text(const CaseRun& r) {
  if (!r.setup_error.empty()) return fmt::format("set-up failed: {}", r.setup_error);
  const Outcome& o = r.trace.steps.at(r.c->target).outcome;
  std::string got = o.hung ? "a hang (watchdog)" : o.ret < 0 ? errno_name(o.err) : "0";
  if (r.c->want_so_error >= 0 && o.post)
    got += fmt::format(" with SO_ERROR={}", o.post->so_error ? errno_name(o.post->so_error) : "0");
  const Verdict& v = r.verdicts.at(r.c->target);
  return fmt::format("got {} ({})", got, verdict_name(v.kind));
}

}  // namespace

std::vector<MatrixRow> matrix_rows() {
  std::vector<MatrixRow> rows;
  for (const DocumentedError& e : documented_errors()) {
    const std::string label =
        e.id.find('-') != std::string_view::npos
            ? fmt::format("{} ({})", errno_name(e.err), e.id.substr(e.id.find('-') + 1))
            : std::string(e.id);
    rows.push_back({std::string(e.id), RowKind::kDocumented, label, e.err});
  }
  for (const Rule& r : rules())
    rows.push_back({std::string(r.row), RowKind::kRule, std::string(r.row), 0});
  for (const char* id : {"EINVAL-short-addrlen", "EINVAL-blackhole", "EINVAL-inet6-sockaddr_in",
                         "success-inet6-dgram-sockaddr_in", "success-tcp-unspec",
                         "EINVAL-unix-unspec", "EPROTOTYPE-unix", "EPERM-unix-dgram-peer"}) {
    for (const KnownOutcome& k : known_outcomes())
      if (k.id == id)
        rows.push_back({std::string(id), RowKind::kKnown, fmt::format("linux: {}", id), k.err});
  }
  return rows;
}

std::string cell_without_case(const MatrixRow& row, Column c) {
  ColumnMask mask = kAllColumns;
  if (row.kind == RowKind::kDocumented) mask = find_documented(row.id)->columns;
  if (row.kind == RowKind::kRule)
    for (const Rule& r : rules())
      if (r.row == row.id) mask = r.columns;
  if (row.kind == RowKind::kKnown)
    for (const KnownOutcome& k : known_outcomes())
      if (k.id == row.id) mask = k.columns;
  if (!(mask & bit(c))) {
    if (row.kind == RowKind::kRule)
      return (mask & kIpStream) ? "n/a: datagram sockets may re-connect"
                                : "n/a: no datagram association on a connection-oriented socket";
    if (row.kind == RowKind::kKnown)
      return "n/a: Linux gives this outcome only in the other columns";
    return not_applicable(row.id, c);
  }
  if (row.id == "rule: EALREADY while pending" ||
      row.id == "rule: non-blocking EINPROGRESS then SO_ERROR")
    if (c >= Column::kUnixStream)
      return "not provoked: AF_UNIX connects complete or fail at once (see rows EINPROGRESS, "
             "EALREADY)";
  return not_provoked(row.id, c);
}

void build_matrix(ConformReport& r) {
  r.rows = matrix_rows();
  r.cells.assign(r.rows.size(), std::vector<Cell>(kColumnCount));
  std::set<Backend> all;
  for (const CaseRun& run : r.runs) all.insert(run.backend);
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    for (Column c : kColumns) {
      Cell& cell = r.cells[i][static_cast<int>(c)];
      std::map<Backend, std::vector<const CaseRun*>> by_backend;
      for (const CaseRun& run : r.runs)
        if (run.c->row == r.rows[i].id && run.c->column == c)
          by_backend[run.backend].push_back(&run);
      if (by_backend.empty()) {
        cell.text = cell_without_case(r.rows[i], c);
        cell.state =
            cell.text.starts_with("n/a") ? CellState::kNotApplicable : CellState::kNotProvoked;
        continue;
      }
      std::set<std::string> by;
      std::vector<std::string> misses;
      int provoked_backends = 0;
      for (const auto& [b, runs] : by_backend) {
        bool any = false;
        for (const CaseRun* run : runs)
          if (run->provoked()) {
            any = true;
            by.insert(run->c->name);
          }
        provoked_backends += any;
        if (!any) misses.push_back(fmt::format("{}: {}", backend_name(b), got_text(*runs.front())));
      }
      const std::string names = fmt::format("{}", fmt::join(by, ", "));
      if (provoked_backends == static_cast<int>(by_backend.size())) {
        cell.state = CellState::kProvoked;
        cell.text = fmt::format("provoked by {}", names);
      } else if (provoked_backends > 0) {
        cell.state = CellState::kPartly;
        cell.text = fmt::format("provoked by {} except {}", names, fmt::join(misses, "; "));
      } else {
        cell.state = CellState::kNotProvoked;
        cell.text =
            fmt::format("not provoked by {}: {}", by_backend.begin()->second.front()->c->name,
                        fmt::join(misses, "; "));
      }
    }
  }
}

}  // namespace conncheck
