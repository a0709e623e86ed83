// The stateful model-based test on RapidCheck's own framework (rc::state):
// a plain model struct, one command class per Program op, and the real
// sockets as the system under test. A command is exactly one op, so a
// command list is a Program (to_program) and RapidCheck's printed
// counterexample, one op per line in the Program's JSON form, is the Program
// a finding replays as (`conncheck repro`).
//
//   StateModel   what the commands have done to each slot: which hold
//                sockets of which kind, SO_REUSEADDR, what is bound where,
//                who listens, who connected. apply() advances it; it steers generation
//                (connects aim at listeners and peers often enough to fill
//                backlogs, leave connects pending, dissolve datagram
//                associations and outlive closed peers) and holds the
//                preconditions. It is the plan, updated as if every op did
//                what it asked.
//   RealSockets  the SUT: the sockets in the sandbox, through the libc
//                backend (so an LD_PRELOAD shim applies), with conncheck's
//                Oracle following them. conncheck's SocketModel predicts a
//                SET of outcomes and advances by the outcome the kernel
//                gave, which rc::state's apply() never sees; so the
//                SocketModel lives here, beside the outcomes, and run()
//                judges each op against it.
//
// Preconditions are few on purpose: every op is legal in every state (an
// empty slot is the Model's EBADF case), so almost any shrunk sequence is
// still a test. What they hold: the slot is one of the kStateSlots, an IP
// socket is bound only after SO_REUSEADDR (TIME_WAIT sockets of earlier
// cases would refuse the bind; property_support.h), accept() takes its
// connection into another slot.
//
// Example usage (what StatefulModel.ModelPredictsEveryOutcome does):
//   const Commands cmds = *command_sequence();
//   RealSockets sut(bound);
//   rc::state::runAll(cmds, StateModel{}, sut);   // each run() does its op and RC_ASSERTs it
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <ostream>
#include <vector>

#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include "exec/executor.h"
#include "exec/fd_leak.h"
#include "generators.h"
#include "oracle/oracle.h"
#include "program/program.h"

namespace conncheck::props {

inline constexpr int kStateSlots = 4;

// ---- the model --------------------------------------------------------

struct PlanSlot {
  bool open = false;
  SocketKind kind{};
  bool reuseaddr = false;  // SO_REUSEADDR set since the socket was made
  std::optional<Address> bound;
  bool listening = false;
  bool connected = false;  // a connect was made (whatever it answered)
};

struct StateModel {
  std::array<PlanSlot, kStateSlots> slots;
};

// ---- the system under test ---------------------------------------------

// The sockets, run one op per command (exec/executor.h's Execution) in a
// clean sandbox through the libc backend, with the Oracle following them:
// each run() does its op on the kernel and judges the outcome by the Model
// advanced over every outcome before it.
class RealSockets {
 public:
  explicit RealSockets(std::chrono::milliseconds bound);

  struct Judged {
    const Step& step;
    Verdict verdict;
  };
  // Runs `op` now and judges its outcome.
  Judged step(const Op& op);

  // The ops run so far, as a Program to save and replay.
  const Program& program() const { return program_; }
  // Closes every slot and returns the descriptors the run left open.
  std::vector<LeakedFd> finish();
  int second_tier_seen() const { return known_; }

 private:
  FdLeakCheck leaks_;   // before the run opens anything
  RunOptions options_;  // run_ holds them by reference
  std::optional<Execution> run_;
  Program program_;
  TraceJudge judge_;
  int known_ = 0;  // steps judged "known" (second tier)
};

// ---- the commands -------------------------------------------------------

using CommandBase = rc::state::Command<StateModel, RealSockets>;

// What every command shares: it is one Program op, run and judged the same
// way, shown as that op's JSON.
struct OpCommand : CommandBase {
  virtual Op op() const = 0;
  void checkPreconditions(const StateModel& m) const override;  // the slot is one of kStateSlots
  // Runs the op on the SUT, logs its trace line, and RC_ASSERTs
  // that the Oracle finds nothing (violation or hang); on a finding the log
  // ends with the Oracle's explanation and the Program to replay.
  void run(const StateModel& m, RealSockets& sut) const override;
  void show(std::ostream& os) const override;  // {"op": "connect", "slot": 0, ...}
};

// One op of type O; a command class per op kind derives from it and draws
// its values in the constructor from the model (rc::state::gen::execOneOfWithArgs).
template <typename O>
struct OneOp : OpCommand {
  O o{};
  Op op() const override { return o; }
};

struct SocketCmd : OneOp<op::Socket> {
  explicit SocketCmd(const StateModel& m);
  void apply(StateModel& m) const override;
};
struct ReuseAddrCmd : OneOp<op::SetSockOpt> {  // setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
  explicit ReuseAddrCmd(const StateModel& m);
  void apply(StateModel& m) const override;
};
struct BindCmd : OneOp<op::Bind> {
  explicit BindCmd(const StateModel& m);
  void checkPreconditions(const StateModel& m) const override;  // IP: SO_REUSEADDR first
  void apply(StateModel& m) const override;
};
struct ListenCmd : OneOp<op::Listen> {
  explicit ListenCmd(const StateModel& m);
  void apply(StateModel& m) const override;
};
struct ConnectCmd : OneOp<op::Connect> {
  explicit ConnectCmd(const StateModel& m);
  void apply(StateModel& m) const override;
};
struct AcceptCmd : OneOp<op::Accept> {
  explicit AcceptCmd(const StateModel& m);
  void checkPreconditions(const StateModel& m) const override;  // into another slot
  void apply(StateModel& m) const override;
};
struct SendCmd : OneOp<op::Send> {
  explicit SendCmd(const StateModel& m);
};
struct RecvCmd : OneOp<op::Recv> {
  explicit RecvCmd(const StateModel& m);
};
struct GetPeerNameCmd : OneOp<op::GetPeerName> {
  explicit GetPeerNameCmd(const StateModel& m);
};
struct GetSockNameCmd : OneOp<op::GetSockName> {
  explicit GetSockNameCmd(const StateModel& m);
};
struct ShutdownCmd : OneOp<op::Shutdown> {
  explicit ShutdownCmd(const StateModel& m);
};
struct CloseCmd : OneOp<op::Close> {
  explicit CloseCmd(const StateModel& m);
  void apply(StateModel& m) const override;
};
struct SetNonblockCmd : OneOp<op::SetNonblock> {
  explicit SetNonblockCmd(const StateModel& m);
};
struct PollOutCmd : OneOp<op::PollOut> {
  explicit PollOutCmd(const StateModel& m);
};
struct GetSoErrorCmd : OneOp<op::GetSoError> {
  explicit GetSoErrorCmd(const StateModel& m);
};

using Commands = rc::state::Commands<CommandBase>;

// The next command for the model: one of the classes above, weighted by
// what the model holds (more binds while sockets are unbound, more connects
// while something listens, ...).
rc::Gen<std::shared_ptr<const CommandBase>> next_command(const StateModel& m);

// A whole command sequence from the empty model, kept short enough for the
// 60 s budget.
rc::Gen<Commands> command_sequence();

// The Program the commands are: their ops, in order.
Program to_program(const Commands& cmds);

}  // namespace conncheck::props
