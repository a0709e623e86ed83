// Model internals shared by the expectation files: how an allowance is
// added with its Spec basis, and the expectations for the ops that follow
// a connect (model_expect_after.cc).
#pragma once

#include <string_view>

#include "base/check.h"
#include "model/model.h"

namespace conncheck::model_internal {

inline void known(Expectation& e, int err, Column c, Situation s) {
  const KnownOutcome* k = find_known(err, c, s);
  CONNCHECK_CHECK_MSG(k, "every known allowance needs its Spec entry: errno {}", err);
  e.allow(err, Tier::kKnown, k ? k->reason : "");
}

inline void by_rule(Expectation& e, int err, RuleId r) {
  e.rule = r;
  e.allow(err, Tier::kDocumented, rule(r).cites[0].quote);
}

inline void documented_row(Expectation& e, std::string_view id) {
  const DocumentedError* d = find_documented(id);
  CONNCHECK_CHECK_MSG(d, "no documented row {}", id);
  e.allow(d->err, Tier::kDocumented, d->cites[0].quote);
}

Expectation expect_peer(const SocketModel& m, int slot);
Expectation expect_send(const SocketModel& m, int slot);
Expectation expect_so_error(const SocketModel& m, int slot);

}  // namespace conncheck::model_internal
