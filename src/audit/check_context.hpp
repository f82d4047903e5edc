#pragma once

#include "audit/audit_options.hpp"
#include "audit/config.hpp"
#include "audit/replica_usage.hpp"
#include "model/check.hpp"
#include "model/finding.hpp"
#include "model/snapshot.hpp"
#include "model/target.hpp"
#include "pg/session.hpp"

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
};

// What turns one check's result into findings: the generic mapping of the fixed aliases
// (audit/finding_rows.hpp), or the logic of audit/checks/<id>.cpp for what SQL cannot express.
using CheckLogic = std::function<void(const pg::QueryResult&, const CheckContext&, std::vector<model::Finding>&)>;

} // namespace audit
