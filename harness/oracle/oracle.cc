// Oracle: turns (expectation, outcome) into a verdict. Rules are judged
// first, because a rule broken is a violation even when the errno seen is
// documented somewhere else (EISCONN's opposite is success, not an errno).
#include "oracle/oracle.h"

#include <stdexcept>

#include <fmt/format.h>

#include "exec/kernel_release.h"
#include "program/errors.h"

namespace conncheck {
namespace {

// A known entry for err, in the columns of mask, that holds for `kernel`.
const KnownOutcome* any_known(int err, ColumnMask mask, std::optional<KernelVersion> kernel) {
  for (const KnownOutcome& k : known_outcomes())
    if (k.err == err && (k.columns & mask) && applies(k, kernel)) return &k;
  return nullptr;
}

// SO_ERROR after a pending connect: "SO_ERROR is one of the usual error
// codes listed here" (linux-man-pages-3.35-connect.2.txt).
bool usual_connect_error(int v, std::optional<KernelVersion> kernel) {
  return v == 0 || find_linux_documented(v) != nullptr || any_known(v, kAllColumns, kernel);
}

}  // namespace

KernelVersion running_kernel() {
  static const KernelVersion v = [] {
    const std::string release = kernel_release();
    const auto parsed = parse_kernel_version(release);
    if (!parsed)
      throw EnvironmentError("uname release '" + release + "' does not start with a version");
    return *parsed;
  }();
  return v;
}

WorldFacts with_running_kernel(WorldFacts w) {
  if (!w.kernel) w.kernel = running_kernel();
  return w;
}

std::string_view verdict_name(VerdictKind k) {
  constexpr std::string_view kNames[] = {"not-judged", "ok", "known", "violation", "hang", "leak"};
  return kNames[static_cast<int>(k)];
}

Verdict judge(const Expectation& e, const Op& op, const Outcome& o) {
  Verdict v;
  v.err = o.ret < 0 ? o.err : 0;
  v.situation = e.situation;
  v.rule = e.rule;
  v.expected = e;
  if (!e.judged || o.refused) return v;
  if (o.hung && e.open && !e.rule) {
    // Where the model cannot classify the destination (a subnet's network
    // address, a device it does not follow), blocking may be what the
    // kernel does: neither a finding nor a pass.
    v.basis = "blocked where the model does not classify the destination; not judged";
    return v;
  }
  if (o.hung) {
    // Blocking is what the kernel does on a full backlog; a bounded run
    // reports it, but it is no finding there.
    v.kind = e.may_block ? VerdictKind::kKnown : VerdictKind::kHang;
    v.basis =
        e.may_block
            ? "blocked as expected: the peer cannot take the connection; the watchdog ended it"
            : "the call blocked past the run's bound where nothing should block";
    return v;
  }
  if (e.check_so_error && o.post && !usual_connect_error(o.post->so_error, e.kernel)) {
    v.kind = VerdictKind::kViolation;
    v.err = o.post->so_error;
    v.basis = "SO_ERROR is neither zero nor one of the usual connect error codes";
    return v;
  }
  if (e.check_peer && v.err == 0 && o.post) {
    const AddrKey got = key_of(o.post->peer.addr.data(), o.post->peer.addr.size());
    if (!(got == e.peer)) {
      v.kind = VerdictKind::kViolation;
      v.basis = "getpeername reports another peer than the latest successful connect";
      return v;
    }
  }
  if (const Allowance* a = e.find(v.err)) {
    v.kind = a->tier == Tier::kDocumented ? VerdictKind::kOk : VerdictKind::kKnown;
    v.basis = a->basis;
    return v;
  }
  if (e.open && !e.rule) {
    const ColumnMask any = kAllColumns;
    if (v.err == 0) {
      v.kind = VerdictKind::kOk;
      v.basis = "success; the model could not narrow this case";
      return v;
    }
    if (const DocumentedError* d = find_linux_documented(v.err);
        d && std::holds_alternative<op::Connect>(op)) {
      v.kind = VerdictKind::kOk;
      v.basis = d->cites[0].quote;
      return v;
    }
    if (const KnownOutcome* k = any_known(v.err, any, e.kernel)) {
      v.kind = VerdictKind::kKnown;
      v.basis = k->reason;
      return v;
    }
  }
  v.kind = VerdictKind::kViolation;
  v.basis = e.rule ? rule(*e.rule).statement
                   : "outcome outside the documented and known sets for this situation";
  return v;
}

Verdict TraceJudge::step(const Op& op, const Outcome& o) {
  before(op);
  return after(o);
}

const Expectation& TraceJudge::before(const Op& op) {
  pending_ = expect(model_, op);
  pending_op_ = &op;
  return pending_;
}

Verdict TraceJudge::after(const Outcome& o) {
  if (!pending_op_) throw std::logic_error("TraceJudge::after() without before()");
  const Op& op = *pending_op_;
  pending_op_ = nullptr;
  Verdict v = judge(pending_, op, o);
  apply(model_, op, o);
  return v;
}

std::vector<Verdict> judge_trace(const Trace& t, WorldFacts world) {
  world.backend = t.backend;
  TraceJudge j(world);
  std::vector<Verdict> out;
  out.reserve(t.steps.size());
  for (const Step& s : t.steps) out.push_back(j.step(s.op, s.outcome));
  return out;
}

Verdict judge_leaks(const std::vector<LeakedFd>& leaked) {
  Verdict v;
  if (leaked.empty()) {
    v.kind = VerdictKind::kOk;
    v.basis = "no descriptor left open";
    return v;
  }
  v.kind = VerdictKind::kLeak;
  v.basis = "the run left descriptors open";
  return v;
}

std::string explain(const Verdict& v) {
  std::string allowed;
  for (std::uint8_t i = 0; i < v.expected.count; ++i) {
    const int e = v.expected.allowed[i].err;
    allowed += fmt::format("{}{}", i ? "|" : "", e ? errno_name(e) : "0");
  }
  if (v.expected.open) allowed += allowed.empty() ? "any Spec outcome" : "|any Spec outcome";
  std::string s = fmt::format("{}: {} in situation \"{}\"", verdict_name(v.kind),
                              v.err ? errno_name(v.err) : "0", v.situation);
  if (v.kind == VerdictKind::kViolation || v.kind == VerdictKind::kHang)
    s += fmt::format("; allowed: {}", allowed.empty() ? "-" : allowed);
  if (v.rule) s += fmt::format("; {}", rule(*v.rule).row);
  if (!v.basis.empty()) s += fmt::format("; {}", v.basis);
  return s;
}

}  // namespace conncheck
