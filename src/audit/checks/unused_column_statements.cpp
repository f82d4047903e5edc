// unused_column_statements: parses every pg_stat_statements text and every statement of the
// query logs with libpg_query, collects the column references resolved to tables, and flags the
// columns of referenced tables that no statement references.
#include "audit/finding_rows.hpp"
#include "audit/checks/logged_statements.hpp"
#include "audit/checks/statement_rows.hpp"
#include "audit/checks/usage_history.hpp"
#include "audit/statement_parser.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace audit::checks {

namespace {

using nlohmann::json;

// The words of `text`, lowercased: identifiers and keywords.
std::set<std::string>
words_of(std::string_view text)
{
  std::set<std::string> words;
  std::string word;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '_' || c == '$' || u >= 0x80) {
      word += static_cast<char>(std::tolower(u));
    } else if (!word.empty()) {
      words.insert(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) {
    words.insert(std::move(word));
  }
  return words;
}

// What the statements reference: tables, (table, column) pairs, and, conservatively, the
// names of columns that could not be tied to a table and the words of texts that did not parse.
struct References
{
  std::set<TableName> tables;
  std::set<std::pair<TableName, std::string>> columns;
  std::set<std::string> loose_names;
  std::size_t unparsed = 0;
};

References
references_of(const std::vector<std::string>& statements, const ColumnCatalog& catalog)
{
  References refs;
  for (const auto& query : statements) {
    ParsedStatement parsed;
    try {
      parsed = parse_statement(query);
    } catch (const util::Error& e) {
      ++refs.unparsed;
      util::log(util::LogLevel::debug, "unused_column_statements: {}", e.what());
      const auto words = words_of(query);
      refs.loose_names.insert(words.begin(), words.end());
      continue;
    }
    for (const auto& t : parsed.tables) {
      if (const auto table = catalog.resolve_table(t)) {
        refs.tables.insert(*table);
      }
    }
    for (const auto& ref : parsed.references) {
      if (const auto table = catalog.resolve(ref)) {
        refs.columns.emplace(*table, ref.column);
      } else if (ref.tables.empty()
                 || std::any_of(ref.tables.begin(), ref.tables.end(),
                                [&](const TableName& t) { return catalog.resolve_table(t).has_value(); })) {
        // A column of a CTE or subquery, or of an audited table that lacks it (so of some
        // outer level): it may stand for a column of an audited table.
        refs.loose_names.insert(util::to_lower(ref.column));
      }
    }
  }
  if (refs.unparsed > 0) {
    util::log(util::LogLevel::info, "unused_column_statements: {} statement(s) did not parse; their words count as references",
              refs.unparsed);
  }
  return refs;
}

} // namespace

void
map_unused_column_statements(const pg::QueryResult& result, const CheckContext& ctx, std::vector<model::Finding>& out)
{
  const auto rows = read_statement_rows(result, ctx.def);
  const auto& catalog = rows.catalog;
  const auto& tables = rows.tables;
  const auto& meta = rows.meta;
  const auto logged = logged_statements(ctx);
  const bool recorded = ctx.capabilities.extensions.count("pg_stat_statements") > 0;
  std::vector<std::string> statements;
  for (const auto& s : rows.statements) {
    statements.push_back(s.value("query", ""));
  }
  for (const auto& s : logged.statements) {
    statements.push_back(s.value("query", ""));
  }
  // Where the statements come from, as the messages say it.
  const auto sources = recorded && logged.given
                         ? fmt::format("recorded in pg_stat_statements or in the query logs ({} of them, {})",
                                       logged.statements.size(), logged.period())
                       : logged.given ? fmt::format("of the query logs ({})", logged.period())
                                      : std::string("recorded in pg_stat_statements");
  const auto count = meta.value("statements", std::int64_t{0}) + static_cast<std::int64_t>(logged.statements.size());
  const auto minimum = meta.value("min_statements", std::int64_t{0});
  if (count < minimum) {
    throw util::Error(fmt::format("only {} statement(s) for this database ({}), fewer than min_statements ({}): "
                                  "too few to tell an unused column; run again later",
                                  count, sources, minimum));
  }

  auto refs = references_of(statements, catalog);
  refs.loose_names.insert(logged.unparsed_words.begin(), logged.unparsed_words.end());
  // pg_stat_statements records this server's statements only (a standby's are its own), since the
  // window began: the verdict is as sure as the usage verdicts on counters. A
  // pg_stat_statements_reset() alone shortens the window without showing in stats_reset. The
  // query logs cover their own period: with both, the longer one.
  auto confidence = server_confidence(ctx);
  const auto stats = stats_window(ctx);
  const double window_days = logged.given ? std::max(logged.period_days, recorded ? stats.age_days : 0.0) : stats.age_days;
  std::string trust;
  if (window_days < ctx.config.stats_min_age_days) {
    trust = fmt::format("the statements {} cover only {:.1f} day(s), fewer than stats_min_age_days ({}); "
                        "a column read once a month may not be among them",
                        logged.given ? "recorded and logged" : "recorded", window_days, ctx.config.stats_min_age_days);
    confidence.cap(Confidence::Level::low, trust);
  }
  if (recorded) {
    confidence.rests_on(fmt::format("pg_stat_statements: {} statement(s) recorded over {} day(s)", rows.statements.size(),
                                    static_cast<std::int64_t>(stats.age_days + 0.5)));
  }
  if (logged.given) {
    confidence.rests_on("query logs: " + logged.describe());
  }
  for (const auto& [table, data] : tables) {
    if (!refs.tables.count(table) || refs.columns.count({table, "*"})) {
      continue;
    }
    const auto quoted_table = data.value("quoted", "");
    // As the query was given it: [checks.unused_column_statements] grace_days, else the config's.
    const auto grace_days = data.at("grace_days").get<int>();
    for (const auto& c : data.at("columns")) {
      const auto column = c.at(0).get<std::string>();
      if (!c.at(3).get<bool>() || refs.columns.count({table, column}) || refs.loose_names.count(util::to_lower(column))) {
        continue;
      }
      model::Finding f;
      f.severity = ctx.def.severity;
      f.schema_name = table.schema;
      f.object = fmt::format("{}.{}", quoted_table, c.at(1).get<std::string>());
      f.object_type = "column";
      f.message = fmt::format("column {} of {} is never referenced by the {} statement(s) {}, though they "
                              "use the table; rename it to deprecated_{}, then drop it after {} days",
                              c.at(1).get<std::string>(), quoted_table, statements.size(), sources, column,
                              grace_days);
      f.evidence = json{{"statements", statements.size()},
                        {"unparsed_statements", refs.unparsed},
                        {"reltuples", data.value("reltuples", json())}};
      if (logged.given) {
        f.evidence["query_log"] = logged.evidence;
      }
      confidence.apply_to(f);
      if (confidence.level() == Confidence::Level::low) {
        set_severity(f, model::Severity::info, ctx);
        f.message += "; not enough evidence yet: " + trust;
        f.remediation = util::sql_comment(fmt::format("not enough evidence yet: {}; no rename is proposed until an "
                                                      "audit can judge its usage",
                                                      trust));
        f.undo = "-- nothing to undo: the advice runs nothing";
      } else {
        // run again once renamed, it says so and changes nothing
        const auto column = c.at(1).get<std::string>();
        f.remediation = fmt::format("set lock_timeout = '5s';\n"
                                    "do $$\nbegin\n"
                                    "  if exists (select from pg_catalog.pg_attribute where attrelid = {}::regclass\n"
                                    "             and pg_catalog.quote_ident(attname) = {} and not attisdropped) then\n"
                                    "    alter table {} rename column {} to {};\n"
                                    "  else\n"
                                    "    raise notice '%: no column % (renamed already, or gone): nothing to do', {}, {};\n"
                                    "  end if;\nend $$;\n"
                                    "-- after {} days without errors, drop the renamed column (alter table ... drop column)",
                                    util::sql_literal(quoted_table), util::sql_literal(column), quoted_table, column,
                                    c.at(2).get<std::string>(), util::sql_literal(quoted_table), util::sql_literal(column),
                                    grace_days);
        // it had none: the fix, its undo and the fix again failed on the second rename
        f.undo = fmt::format("set lock_timeout = '5s';\nalter table {} rename column {} to {};\n"
                             "-- once dropped, its values cannot be brought back without a backup taken before the drop",
                             quoted_table, c.at(2).get<std::string>(), c.at(1).get<std::string>());
      }
      f.fingerprint = model::make_fingerprint(ctx.def.id, f.object);
      add_finding(ctx, std::move(f), table.name, out);
    }
  }
}

} // namespace audit::checks
