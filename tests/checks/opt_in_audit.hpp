#pragma once

#include "support/test_db.hpp"

#include <ctime>
#include <set>
#include <string>
#include <vector>

namespace test {

// Audits `db` with only `checks`, as `schema-audit audit --opt-in <mode>` would for each of
// `opt_ins` (ScratchDb::audit passes none).
inline model::AuditResult
audit_with_opt_ins(const ScratchDb& db,
                   const std::vector<std::string>& checks,
                   const std::set<std::string>& opt_ins,
                   const audit::Config& config = audit::default_config())
{
  static const auto registry = audit::Registry::load();
  audit::AuditOptions options;
  options.conninfo = db.conninfo();
  options.taken_at = std::time(nullptr);
  options.only_checks.insert(checks.begin(), checks.end());
  options.opt_ins = opt_ins;
  auto result = audit::run_audit(registry, config, options);
  result.restore_suppressed(); // the tests read every finding's words (findings are read whole)
  return result;
}

} // namespace test
