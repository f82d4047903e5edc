#include "audit/checks/logged_statements.hpp"

#include "util/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
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

namespace {

// The identifiers of a plan's filter, unquoted: "((\"Customer\" = ?) AND (status = ?))" ->
// {Customer, status}.
std::set<std::string>
words_of(std::string_view text)
{
  std::set<std::string> words;
  std::string word;
  bool quoted = false;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"') {
      quoted = !quoted;
    } else if (quoted || std::isalnum(u) || c == '_' || c == '$' || u >= 0x80) {
      word += c;
      continue;
    }
    if (!word.empty()) {
      words.insert(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) {
    words.insert(std::move(word));
  }
  return words;
}

} // namespace

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
LoggedStatements::seq_scans(const std::string& schema, const std::string& relation,
                            const std::vector<std::string>& columns, std::size_t limit) const
{
  auto found = log ? log->seq_scans_of(database, schema, relation) : std::vector<const querylog::LoggedSeqScan*>{};
  // A filter names a column when the column is one of its words (quoted or not).
  const auto names_one = [&](const std::string& filter) {
    const auto words = words_of(filter);
    return std::any_of(columns.begin(), columns.end(), [&](const std::string& c) { return words.count(c) > 0; });
  };
  found.erase(std::remove_if(found.begin(), found.end(), [&](const auto* s) { return !names_one(s->filter); }),
              found.end());
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
  return fmt::format("{} statement(s) {}", statements.size(), period());
}

std::string
LoggedStatements::period() const
{
  return fmt::format("run {} time(s) from {} to {}, {:.1f} days", executions, evidence.value("period_from", "?"),
                     evidence.value("period_to", "?"), period_days);
}

} // namespace audit::checks
