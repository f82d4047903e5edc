#include "audit/checks/logged_statements.hpp"

#include <fmt/format.h>

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
                                {"dropped_executions", log->dropped_executions}};
  return out;
}

std::string
LoggedStatements::describe() const
{
  return fmt::format("{} statement(s) run {} time(s) in the query logs from {} to {} ({:.1f} days)", statements.size(),
                     executions, evidence.value("period_from", "?"), evidence.value("period_to", "?"), period_days);
}

} // namespace audit::checks
