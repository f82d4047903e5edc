#include "audit/needs.hpp"

#include <fmt/format.h>

namespace audit {

std::optional<std::string>
unmet_need(const model::CheckDef& def, const model::Capabilities& caps, const AuditOptions& options, bool has_previous)
{
  if (caps.major() < def.min_server_major) {
    return fmt::format("needs PostgreSQL {} or newer (server is {})", def.min_server_major,
                       caps.server_version);
  }
  for (const auto& need : def.needs) {
    if (need == "read_all_stats") {
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
  }
  return std::nullopt;
}

} // namespace audit
