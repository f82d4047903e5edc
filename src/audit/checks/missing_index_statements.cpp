// missing_index_statements: parses the top pg_stat_statements texts and the statements of the
// query logs with libpg_query and proposes an index on the columns they filter, for tables that
// are scanned sequentially.
#include "audit/finding_rows.hpp"
#include "audit/checks/logged_statements.hpp"
#include "audit/checks/statement_rows.hpp"
#include "audit/checks/usage_history.hpp"
#include "audit/needs.hpp"
#include "audit/statement_parser.hpp"
#include "pg/session.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace audit::checks {

namespace {

using nlohmann::json;

constexpr std::size_t k_max_index_columns = 3;
constexpr std::size_t k_max_proposals_per_table = 3;
constexpr std::size_t k_max_hypopg_confirmations = 50;

struct TableInfo
{
  json data;
  std::map<std::string, std::string> quoted; // column -> quote_ident(column)
  std::vector<std::vector<std::string>> index_keys;
};

struct Proposal
{
  std::vector<std::string> columns;
  std::vector<std::string> queryids;
  std::string sample_query;
  double total_ms = 0;
  std::int64_t calls = 0;
  // What the query logs' statements add (their queryids are "log:<fingerprint>").
  std::size_t logged = 0;
  double logged_ms = 0;
  std::int64_t logged_calls = 0;
  // The full text of the statement with the most total time, when hypopg can EXPLAIN it
  // (a single SELECT, UPDATE or DELETE).
  std::string explain_query;
  double explain_query_ms = -1;
};

// What hypopg says about one proposal.
struct HypoOutcome
{
  nlohmann::json evidence;
  bool used = false;
};

// Plans `query` generically (its $n are unknown) as prepared statement `name` and returns the
// plan's JSON text and total cost.
std::pair<std::string, double>
generic_plan(pg::Session& session, const std::string& name, const std::string& query)
{
  session.run("hypopg", fmt::format("prepare {} as {}", name, query));
  const auto params = session.run(
    "hypopg", "select pg_catalog.cardinality(parameter_types) from pg_catalog.pg_prepared_statements where name = $1",
    {name});
  const auto count = std::stoi(params.rows.at(0).at(0).value_or("0"));
  std::vector<std::string> nulls(static_cast<std::size_t>(count), "null");
  const auto r = session.run("hypopg", fmt::format("explain (format json) execute {}{}", name,
                                                   count ? fmt::format("({})", fmt::join(nulls, ", ")) : ""));
  const auto plan_text = r.rows.at(0).at(0).value_or("[]");
  const auto plan = json::parse(plan_text);
  return {plan_text, plan.at(0).at("Plan").at("Total Cost").get<double>()};
}

// Whether an "Index Name" in the EXPLAIN (FORMAT JSON) output `plan` is `index_name`.
bool
plan_uses_index(const json& plan, const std::string& index_name)
{
  if (plan.is_object()) {
    if (const auto it = plan.find("Index Name"); it != plan.end() && it->is_string() && *it == index_name) {
      return true;
    }
  }
  if (plan.is_object() || plan.is_array()) {
    for (const auto& child : plan) {
      if (plan_uses_index(child, index_name)) {
        return true;
      }
    }
  }
  return false;
}

// EXPLAIN before and after a hypothetical index (hypopg) for one proposal. hypopg keeps
// hypothetical indexes in the backend's memory: nothing is written, and it works inside the
// read-only transaction of a pg::Session.
HypoOutcome
confirm_with_hypopg(pg::Session& session, std::size_t n, const std::string& quoted_table,
                    const std::vector<std::string>& quoted_columns, const std::string& query)
{
  HypoOutcome outcome;
  try {
    const auto [plan_before, before] = generic_plan(session, fmt::format("sa_hypo_{}_before", n), query);
    const auto index = session.run("hypopg", "select indexname from hypopg_create_index($1)",
                                   {fmt::format("create index on {} ({})", quoted_table, fmt::join(quoted_columns, ", "))});
    const auto index_name = index.rows.at(0).at(0).value_or("");
    // A new prepared statement: a cached plan would not see the hypothetical index.
    const auto [plan_after, after] = generic_plan(session, fmt::format("sa_hypo_{}_after", n), query);
    session.run("hypopg", "select hypopg_reset()");
    outcome.used = plan_uses_index(json::parse(plan_after), index_name) && after < before;
    outcome.evidence = json{{"cost_before", before}, {"cost_after", after}, {"index_used", outcome.used}};
  } catch (const std::exception& e) {
    // util::Error (the statement does not plan), util::Fatal (this side connection broke: the
    // audit goes on without it), or an unexpected EXPLAIN output.
    outcome.evidence = json{{"error", e.what()}};
    outcome.used = true; // not refuted: keep the proposal as it is
    try {
      session.run("hypopg", "select hypopg_reset()");
    } catch (const std::exception&) {
      // The session closes right after; its hypothetical indexes go with it.
    }
  }
  return outcome;
}

void
add_unique(std::vector<std::string>& list, const std::string& value)
{
  if (std::find(list.begin(), list.end(), value) == list.end()) {
    list.push_back(value);
  }
}

// The index columns for one table of one statement: its equality columns in order of
// appearance, then one range column; a join column when nothing is compared with a constant.
std::vector<std::string>
index_columns(const std::vector<std::string>& equality,
              const std::vector<std::string>& range,
              const std::vector<std::string>& join)
{
  std::vector<std::string> cols;
  for (const auto& c : equality) {
    if (cols.size() < k_max_index_columns) {
      add_unique(cols, c);
    }
  }
  for (const auto& c : range) {
    if (cols.size() < k_max_index_columns && std::find(cols.begin(), cols.end(), c) == cols.end()) {
      cols.push_back(c);
      break;
    }
  }
  if (cols.empty() && !join.empty()) {
    cols.push_back(join.front());
  }
  return cols;
}

// Whether an existing index leads with `cols` (in any order among them).
bool
covered(const std::vector<std::vector<std::string>>& index_keys, const std::vector<std::string>& cols)
{
  const std::set<std::string> wanted(cols.begin(), cols.end());
  for (const auto& keys : index_keys) {
    if (keys.size() >= cols.size()
        && std::set<std::string>(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(cols.size())) == wanted) {
      return true;
    }
  }
  return false;
}

// A plain identifier for the proposed index: lowercase letters, digits and underscores, at most
// 63 bytes, ending in _idx (so it is never a keyword and needs no quoting).
std::string
index_name(const std::string& table, const std::vector<std::string>& cols)
{
  std::string raw = table;
  for (const auto& c : cols) {
    raw += "_" + c;
  }
  std::string name;
  for (const char ch : util::to_lower(raw)) {
    const bool plain = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
    if (plain) {
      name += ch;
    } else if (!name.empty() && name.back() != '_') {
      name += '_';
    }
  }
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) {
    name = "i_" + name;
  }
  name = name.substr(0, 59);
  while (!name.empty() && name.back() == '_') {
    name.pop_back();
  }
  return name + "_idx";
}

std::string
shorten(std::string_view query)
{
  std::string out;
  for (const char c : query) {
    const bool space = c == '\n' || c == '\r' || c == '\t' || c == ' ';
    if (!(space && (out.empty() || out.back() == ' '))) {
      out += space ? ' ' : c;
    }
  }
  return out.size() > 200 ? out.substr(0, 197) + "..." : out;
}

// The tables the statements touch, with their quoted column names and the key columns of
// their indexes.
std::map<TableName, TableInfo>
table_infos(std::map<TableName, json>& rows)
{
  std::map<TableName, TableInfo> tables;
  for (auto& [name, data] : rows) {
    TableInfo info;
    for (const auto& c : data.at("columns")) {
      info.quoted[c.at(0).get<std::string>()] = c.at(1).get<std::string>();
    }
    for (const auto& keys : data.at("indexes")) {
      std::vector<std::string> k;
      for (const auto& key : keys) {
        k.push_back(key.is_string() ? key.get<std::string>() : std::string()); // "" = expression
      }
      info.index_keys.push_back(std::move(k));
    }
    info.data = std::move(data);
    tables.emplace(name, std::move(info));
  }
  return tables;
}

// Adds what statement `s` filters on to `proposals`: per table, the index columns its equality,
// range and join filters call for, unless an index already covers them.
void
add_proposals(const json& s,
              const ParsedStatement& parsed,
              const ColumnCatalog& catalog,
              const std::map<TableName, TableInfo>& tables,
              std::map<TableName, std::vector<Proposal>>& proposals)
{
  static const std::set<std::string> explainable = {"SelectStmt", "UpdateStmt", "DeleteStmt"};
  struct Filters
  {
    std::vector<std::string> equality, range, join;
  };
  std::map<TableName, Filters> by_table;
  for (const auto& f : parsed.filters) {
    const auto table = catalog.resolve(f);
    if (!table || f.column == "*") {
      continue;
    }
    auto& filters = by_table[*table];
    add_unique(f.use == ColumnUse::equality ? filters.equality
               : f.use == ColumnUse::range ? filters.range
                                           : filters.join,
               f.column);
  }
  const auto query = s.value("query", "");
  for (const auto& [table, filters] : by_table) {
    const auto cols = index_columns(filters.equality, filters.range, filters.join);
    if (cols.empty() || covered(tables.at(table).index_keys, cols)) {
      continue;
    }
    auto& list = proposals[table];
    auto it = std::find_if(list.begin(), list.end(), [&](const Proposal& p) { return p.columns == cols; });
    if (it == list.end()) {
      list.push_back(Proposal{cols, {}, shorten(query), 0, 0, 0, 0, 0, {}, -1});
      it = std::prev(list.end());
    }
    it->queryids.push_back(s.value("queryid", ""));
    it->total_ms += s.value("total_ms", 0.0);
    it->calls += s.value("calls", std::int64_t{0});
    if (s.value("source", "") == "log") {
      ++it->logged;
      it->logged_ms += s.value("total_ms", 0.0);
      it->logged_calls += s.value("calls", std::int64_t{0});
    }
    if (parsed.kinds.size() == 1 && explainable.count(parsed.kinds.front())
        && s.value("total_ms", 0.0) > it->explain_query_ms) {
      it->explain_query = query;
      it->explain_query_ms = s.value("total_ms", 0.0);
    }
  }
}

// The session that confirms proposals with hypopg: only with the extension and --opt-in hypopg,
// on a connection of its own (a read-only transaction, closed when done). Null, with the reason
// in `unmet`, when there is none.
std::unique_ptr<pg::Session>
hypopg_session(const CheckContext& ctx, bool wanted, std::optional<std::string>& unmet)
{
  model::CheckDef hypopg_def;
  hypopg_def.needs = {"hypopg", "opt_in:hypopg"};
  unmet = unmet_need(hypopg_def, ctx.capabilities, ctx.options, true);
  if (unmet || !wanted) {
    return nullptr;
  }
  try {
    auto session = std::make_unique<pg::Session>(ctx.options.conninfo, ctx.options.session);
    session->run("hypopg", "set local plan_cache_mode = force_generic_plan");
    return session;
  } catch (const std::runtime_error& e) {
    unmet = fmt::format("no session for hypopg: {}", e.what());
    return nullptr;
  }
}

// The finding of proposal `p` on `table` (its columns `quoted`): the index to build concurrently
// (a failed build's invalid leftover dropped by the step after it), its undo, and the statements
// as evidence.
model::Finding
proposal_finding(const CheckContext& ctx,
                 const TableName& table,
                 const TableInfo& info,
                 const Proposal& p,
                 const std::vector<std::string>& quoted,
                 const LoggedStatements& logged)
{
  const auto name = index_name(table.name, p.columns);
  model::Finding f;
  f.severity = ctx.def.severity;
  f.schema_name = table.schema;
  f.object = info.data.value("quoted", "");
  f.object_type = "table";
  f.message = fmt::format("table {} is scanned sequentially ({} scans, {} live rows) by {} "
                          "statement(s) that filter on ({}); an index on these columns would serve them",
                          f.object, info.data.value("seq_scan", std::int64_t{0}),
                          info.data.value("n_live_tup", std::int64_t{0}), p.queryids.size(),
                          fmt::join(p.columns, ", "));
  if (p.logged > 0) {
    f.message += fmt::format(" ({} of them from the query logs, run {} time(s) for {:.0f} ms from {} to {})", p.logged,
                             p.logged_calls, p.logged_ms, logged.evidence.value("period_from", "?"),
                             logged.evidence.value("period_to", "?"));
  }
  f.evidence = json{{"columns", p.columns},
                    {"queryids", p.queryids},
                    {"calls", p.calls},
                    {"total_ms", p.total_ms},
                    {"statement", p.sample_query},
                    {"seq_scan", info.data.value("seq_scan", json())},
                    {"seq_tup_read", info.data.value("seq_tup_read", json())},
                    {"idx_scan", info.data.value("idx_scan", json())},
                    {"n_live_tup", info.data.value("n_live_tup", json())},
                    {"size_bytes", info.data.value("size_bytes", json())}};
  if (logged.given) {
    f.evidence["query_log"] = logged.evidence;
    f.evidence["query_log"]["proposal_statements"] = p.logged;
    f.evidence["query_log"]["proposal_calls"] = p.logged_calls;
    f.evidence["query_log"]["proposal_total_ms"] = p.logged_ms;
    // auto_explain's own word: the Seq Scan nodes of the logged plans on this table.
    auto scans = logged.seq_scans(table.schema, table.name, p.columns);
    if (!scans.empty()) {
      double removed = 0;
      double ms = 0;
      std::int64_t plans = 0;
      for (const auto& s : scans) {
        removed += s.value("rows_removed", 0.0);
        ms += s.value("total_ms", 0.0);
        plans += s.value("plans", std::int64_t{0});
      }
      f.message += fmt::format("; auto_explain logged {} plan(s) scanning it sequentially with a filter on these "
                               "columns ({:.0f} rows removed by filter, {:.0f} ms)",
                               plans, removed, ms);
    }
    f.evidence["query_log"]["seq_scans"] = std::move(scans);
  }
  const auto stats = stats_window(ctx);
  std::vector<std::string> sources{counters_source(ctx, "sequential scans (pg_stat_user_tables)",
                                                   stats.since ? std::optional(stats.age_days) : std::nullopt)};
  if (p.queryids.size() > p.logged) {
    sources.push_back(fmt::format("pg_stat_statements: {} statement(s)", p.queryids.size() - p.logged));
  }
  if (p.logged > 0) {
    sources.push_back(fmt::format("query logs: {} statement(s) {}", p.logged, logged.period()));
  }
  if (const auto& plans = f.evidence.value("query_log", json::object()).value("seq_scans", json::array()); !plans.empty()) {
    sources.push_back(fmt::format("auto_explain: {} Seq Scan node(s) with a filter on these columns", plans.size()));
  }
  set_rests_on(f, sources);
  const auto qualified = fmt::format("{}.{}", info.data.value("quoted_schema", ""), name);
  f.remediation = fmt::format(
    "set lock_timeout = '5s';\ncreate index concurrently if not exists {} on {} ({});\n"
    "do $$\nbegin\n"
    "  if exists (select from pg_catalog.pg_index x where x.indexrelid = pg_catalog.to_regclass({}) and not x.indisvalid) then\n"
    "    drop index {};\n"
    "    raise warning '% was left invalid by a failed build and is dropped: run this script again', {};\n"
    "  end if;\nend $$;",
    name, info.data.value("quoted", ""), fmt::join(quoted, ", "), util::sql_literal(qualified), qualified,
    util::sql_literal(qualified));
  f.undo = fmt::format("set lock_timeout = '5s';\ndrop index concurrently if exists {};", qualified);
  const auto identity = fmt::format("{}({})", info.data.value("quoted", ""), fmt::join(quoted, ","));
  f.fingerprint = model::make_fingerprint(ctx.def.id, identity);
  return f;
}

} // namespace

void
map_missing_index_statements(const pg::QueryResult& result, const CheckContext& ctx, std::vector<model::Finding>& out)
{
  auto rows = read_statement_rows(result, ctx.def);
  const auto logged = logged_statements(ctx);
  rows.statements.insert(rows.statements.end(), logged.statements.begin(), logged.statements.end());
  const auto tables = table_infos(rows.tables);
  std::map<TableName, std::vector<Proposal>> proposals;
  std::size_t unparsed = 0;
  for (const auto& s : rows.statements) {
    try {
      add_proposals(s, parse_statement(s.value("query", "")), rows.catalog, tables, proposals);
    } catch (const util::Error& e) {
      ++unparsed;
      util::log(util::LogLevel::debug, "missing_index_statements: statement {}: {}", s.value("queryid", ""), e.what());
    }
  }
  if (unparsed > 0) {
    util::log(util::LogLevel::info, "missing_index_statements: {} statement(s) did not parse and were skipped", unparsed);
  }

  std::optional<std::string> hypopg_unmet;
  const auto hypopg = hypopg_session(ctx, !proposals.empty(), hypopg_unmet);
  std::size_t confirmations = 0;
  for (auto& [table, list] : proposals) {
    std::sort(list.begin(), list.end(), [](const Proposal& a, const Proposal& b) { return a.total_ms > b.total_ms; });
    const auto& info = tables.at(table);
    for (std::size_t i = 0; i < list.size() && i < k_max_proposals_per_table; ++i) {
      const auto& p = list[i];
      std::vector<std::string> quoted;
      for (const auto& c : p.columns) {
        quoted.push_back(info.quoted.at(c));
      }
      auto f = proposal_finding(ctx, table, info, p, quoted, logged);
      if (hypopg && !p.explain_query.empty() && confirmations < k_max_hypopg_confirmations) {
        const auto hypo = confirm_with_hypopg(*hypopg, ++confirmations, info.data.value("quoted", ""), quoted,
                                              p.explain_query);
        f.evidence["hypopg"] = hypo.evidence;
        if (!hypo.used) {
          f.severity = model::Severity::info;
          f.message += "; but hypopg finds the planner would not use it for the costliest of them";
        }
      } else if (hypopg_unmet) {
        f.evidence["hypopg"] = json{{"skipped", *hypopg_unmet}};
      }
      add_finding(ctx, std::move(f), table.name, out);
    }
  }
}

} // namespace audit::checks
