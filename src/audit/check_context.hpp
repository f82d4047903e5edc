#pragma once

#include "audit/audit_options.hpp"
#include "audit/config.hpp"
#include "audit/replica_usage.hpp"
#include "model/check.hpp"
#include "model/finding.hpp"
#include "model/snapshot.hpp"
#include "model/target.hpp"
#include "pg/session.hpp"

#include <any>
#include <functional>
#include <optional>
#include <vector>

namespace audit {

// Everything a check's logic may look at.
struct CheckContext
{
  const model::CheckDef& def;
  const model::Capabilities& capabilities;
  const Config& config;
  const AuditOptions& options;
  const std::optional<model::PreviousSnapshot>& previous;
  // The replicas whose usage counters the checks' input replica_usage summed, and those missed.
  const ReplicaUsage& replicas;
  // What the check's logic works out once for all the pages of its rows (the runner maps them a
  // page at a time): empty before the first page, kept until the last. See carried().
  std::any& carried;
};

// The value the check's logic carries across its pages, made by `make()` on the first page.
template <class T, class Make>
T&
carried(const CheckContext& ctx, Make&& make)
{
  if (!ctx.carried.has_value()) {
    ctx.carried = make();
  }
  return std::any_cast<T&>(ctx.carried);
}

// What turns one check's result into findings: the generic mapping of the fixed aliases
// (audit/finding_rows.hpp), or the logic of audit/checks/<id>.cpp for what SQL cannot express.
using CheckLogic = std::function<void(const pg::QueryResult&, const CheckContext&, std::vector<model::Finding>&)>;

} // namespace audit
