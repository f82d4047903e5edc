#include "audit/needs.hpp"

#include "util/text.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <vector>

namespace audit {

namespace {

std::optional<std::string>
unmet_one(const std::string& need, const model::Capabilities& caps, const AuditOptions& options, bool has_previous)
{
  if (need == "query_log") {
    if (!options.query_log) {
      return "needs query logs (--query-log, or query_logs in the target's [[targets]] entry)";
    }
  } else if (need == "read_all_stats") {
    if (!caps.can_read_all_stats) {
      return "needs pg_read_all_stats (grant pg_monitor to the auditing role)";
    }
  } else if (need == "history") {
    if (!has_previous) {
      // With a history given, this audit is its first snapshot of the database.
      return options.load_previous ? "not enough history: needs a previous snapshot of this database, and this "
                                     "is the first one in the history; the next audit will have it"
                                   : "not enough history: needs a previous snapshot of this database (run with "
                                     "--history; the next audit will have one)";
    }
  } else if (need.rfind("opt_in:", 0) == 0) {
    const auto mode = need.substr(7);
    if (!options.opt_ins.count(mode)) {
      return fmt::format("opt-in mode; run with --opt-in {} to enable it", mode);
    }
  } else if (!caps.extensions.count(need)) {
    return fmt::format("needs the {} extension (CREATE EXTENSION {} in this database)", need,
                       need);
  }
  return std::nullopt;
}

// "a|b": met when one of them is; the reasons of all when none is.
std::optional<std::string>
unmet_any(const std::string& needs, const model::Capabilities& caps, const AuditOptions& options, bool has_previous)
{
  std::vector<std::string> reasons;
  for (const auto& need : util::split(needs, '|')) {
    auto reason = unmet_one(need, caps, options, has_previous);
    if (!reason) {
      return std::nullopt;
    }
    reasons.push_back(std::move(*reason));
  }
  return fmt::format("{}", fmt::join(reasons, ", or "));
}

} // namespace

std::optional<std::string>
unmet_need(const model::CheckDef& def, const model::Capabilities& caps, const AuditOptions& options, bool has_previous)
{
  if (caps.major() < def.min_server_major) {
    return fmt::format("needs PostgreSQL {} or newer (server is {})", def.min_server_major,
                       caps.server_version);
  }
  // every need not met, in the header's order: one at a time, a user met the first and was told
  // the next only by the following audit (Umami: pgstattuple, then the opt-in)
  std::vector<std::string> reasons;
  for (const auto& need : def.needs) {
    auto reason = need.find('|') != std::string::npos ? unmet_any(need, caps, options, has_previous)
                                                      : unmet_one(need, caps, options, has_previous);
    if (reason) {
      reasons.push_back(std::move(*reason));
    }
  }
  if (reasons.empty()) {
    return std::nullopt;
  }
  return fmt::format("{}", fmt::join(reasons, "; and "));
}

} // namespace audit
