#pragma once

#include "audit/check_context.hpp"
#include "audit/statement_parser.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace audit::checks {

// The statements the query logs (AuditOptions::query_log) hold for the audited database, as the
// statement-driven checks take pg_stat_statements' rows: {"queryid": "log:<fingerprint>",
// "query", "calls", "total_ms", "source": "log"}. Only normalized texts: the constants of the
// logged statements never reach a finding.
struct LoggedStatements
{
  bool given = false; // the audit has query logs
  std::vector<nlohmann::json> statements;
  std::int64_t executions = 0; // the calls of `statements`
  double period_days = 0;
  // Words of logged statements that did not parse (a column named there may be read).
  std::set<std::string> unparsed_words;
  std::uint64_t unparsed = 0;
  // What a finding resting on them says: the files, the period (first and last timestamp and
  // its days), the statement and execution counts, and what could not be read.
  nlohmann::json evidence;

  // "N statement(s) run M time(s) from A to B, D days"
  std::string describe() const;
  // "run M time(s) from A to B, D days"
  std::string period() const;

  // auto_explain's Seq Scan nodes on `schema`.`relation` whose filter names one of `columns`,
  // the costliest first (at most `limit`): [{"filter" (constants masked), "plans", "loops",
  // "rows_removed", "total_ms"}].
  nlohmann::json seq_scans(const std::string& schema, const std::string& relation,
                           const std::vector<std::string>& columns, std::size_t limit = 5) const;

  const querylog::QueryLog* log = nullptr;
  std::string database;
};

LoggedStatements logged_statements(const CheckContext& ctx);

// The tables the statements of `logged` name, as they name them (`schema` empty when not
// qualified), each with the number of statements that name it. Statements that do not parse
// name none: their words are in `logged.unparsed_words`.
std::map<TableName, std::size_t> logged_tables(const LoggedStatements& logged);

} // namespace audit::checks
