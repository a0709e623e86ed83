// The commands of the stateful model-based test (rc::state), over a few
// socket slots. Each command is one Program step or a short fixed group
// (SO_REUSEADDR then bind; poll then SO_ERROR), so the generated sequence
// is a Program: the executor runs it, the Model predicts every outcome, and
// a shrunk failure is replayable anywhere a Program is.
//
// The rc::state model here is only a guide for generation (which slots hold
// sockets of which kind, what is bound where, who listens), so connects aim
// at listeners and peers often enough to fill backlogs, leave connects
// pending, dissolve datagram associations and outlive closed peers. It is
// updated optimistically; the real prediction is conncheck's SocketModel,
// advanced by what actually happened (model.h). No command has a
// precondition: every op is legal in every state (an empty slot is the
// Model's EBADF case), so any shrunk sequence is still a valid test.
//
// Example usage:
//   const auto cmds = *rc::state::gen::commands(GenModel{}, &next_command);
//   Program p;
//   rc::state::runAll(cmds, GenModel{}, p);   // appends each command's ops
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <ostream>
#include <vector>

#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include "program/program.h"
#include "generators.h"

namespace conncheck::props {

inline constexpr int kStateSlots = 4;

struct GenSlot {
  bool open = false;
  SocketKind kind{};
  std::optional<Address> bound;
  bool listening = false;
};

struct GenModel {
  std::array<GenSlot, kStateSlots> slots;
};

using SockCommandBase = rc::state::Command<GenModel, Program>;

struct SockCommand : SockCommandBase {
  std::vector<Op> ops;

  explicit SockCommand(std::vector<Op> o) : ops(std::move(o)) {}
  void apply(GenModel& m) const override;
  void run(const GenModel&, Program& p) const override;
  void show(std::ostream& os) const override;  // the ops as Program JSON
};

// The next command, given the generation model.
rc::Gen<std::shared_ptr<const SockCommandBase>> next_command(const GenModel& m);

// A whole command sequence, kept short enough for the 60 s budget.
rc::Gen<rc::state::Commands<SockCommandBase>> command_sequence();
Program to_program(const rc::state::Commands<SockCommandBase>& cmds);

}  // namespace conncheck::props
