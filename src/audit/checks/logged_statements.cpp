#include "audit/checks/logged_statements.hpp"

#include "util/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace audit::checks {

LoggedStatements
logged_statements(const CheckContext& ctx)
{
  LoggedStatements out;
  const auto& log = ctx.options.query_log;
  if (!log) {
    return out;
  }
  out.given = true;
  out.log = log.get();
  out.database = ctx.capabilities.database;
  for (const auto* s : log->statements_of(ctx.capabilities.database)) {
    out.statements.push_back(nlohmann::json{{"queryid", "log:" + s->fingerprint},
                                            {"query", s->query},
                                            {"calls", s->calls},
                                            {"total_ms", s->total_ms},
                                            {"source", "log"}});
    out.executions += s->calls;
  }
  out.unparsed_words = log->unparsed_words_of(ctx.capabilities.database);
  out.unparsed = log->unparsed_executions;
  out.period_days = log->period_days();
  nlohmann::json files = nlohmann::json::array();
  for (const auto& [path, format] : log->files) {
    files.push_back(nlohmann::json{{"path", path}, {"format", format}});
  }
  out.evidence = nlohmann::json{{"files", std::move(files)},
                                {"period_from", log->first_timestamp},
                                {"period_to", log->last_timestamp},
                                {"period_days", std::round(out.period_days * 100) / 100},
                                {"statements", out.statements.size()},
                                {"executions", out.executions},
                                {"lines", log->lines},
                                {"unparsed_lines", log->unparsed_lines},
                                {"unparsed_executions", log->unparsed_executions},
                                {"dropped_executions", log->dropped_executions},
                                {"plans", log->plans},
                                {"unparsed_plans", log->unparsed_plans}};
  return out;
}

std::map<TableName, std::size_t>
logged_tables(const LoggedStatements& logged)
{
  std::map<TableName, std::size_t> tables;
  for (const auto& s : logged.statements) {
    try {
      for (const auto& t : parse_statement(s.value("query", "")).tables) {
        ++tables[t];
      }
    } catch (const util::Error&) {
      // counted by the reader; its words stand for it
    }
  }
  return tables;
}

nlohmann::json
LoggedStatements::seq_scans(const std::string& schema, const std::string& relation, std::size_t limit) const
{
  auto found = log ? log->seq_scans_of(database, schema, relation) : std::vector<const querylog::LoggedSeqScan*>{};
  std::sort(found.begin(), found.end(), [](const auto* a, const auto* b) { return a->total_ms > b->total_ms; });
  auto out = nlohmann::json::array();
  for (std::size_t i = 0; i < found.size() && i < limit; ++i) {
    const auto& s = *found[i];
    out.push_back(nlohmann::json{{"filter", s.filter},
                                 {"plans", s.plans},
                                 {"loops", s.loops},
                                 {"rows_removed", s.rows_removed},
                                 {"total_ms", std::round(s.total_ms * 1000) / 1000}});
  }
  return out;
}

std::string
LoggedStatements::describe() const
{
  return fmt::format("{} statement(s) run {} time(s) in the query logs from {} to {} ({:.1f} days)", statements.size(),
                     executions, evidence.value("period_from", "?"), evidence.value("period_to", "?"), period_days);
}

} // namespace audit::checks
