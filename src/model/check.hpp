#pragma once

#include "model/severity.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace model {

// The type of a check param: what its SQL casts `$n` to (`$1::bigint`, `$2::text[]`).
enum class ParamType { integer, big_integer, number, boolean, text, array };

std::string_view to_string(ParamType type);

// What a query file returns: findings (the fixed finding aliases), metrics (per-object numbers
// that trends and history-aware checks need), or an input: rows that several checks need, read
// once per audit (queries/inputs/<id>.sql) and handed to each check that declares it.
enum class CheckKind { findings, metrics, input };

// A trend chart of the report that sums an evidence number of a check's findings over every
// snapshot ("-- trend:" in the header): unused_index_size (evidence size_bytes), bloat
// (evidence bloat_bytes, tables and indexes apart). The history keeps finding totals per
// category, so a chart takes the whole category of each check that names it.
enum class TrendChart { none, unused_index_size, bloat };

// A section of the report that lists a check's findings ("-- report:"): deprecation_board (the
// objects marked deprecated, with their age and whether they are ready to drop).
enum class ReportSection { none, deprecation_board };

// Which findings of a check are one entry of the outputs ("-- group:" in the header; see
// audit::assign_groups): object (one per object; the same object in many schemas, and the
// partitions of one table, are one), table (the findings on one table's columns or
// constraints, rolled up the same way) or check (every finding: a design-wide pattern such as a
// framework's default type is one decision).
enum class GroupBy { object, table, check };

std::string_view to_string(TrendChart chart);
std::string_view to_string(ReportSection section);
std::string_view to_string(GroupBy group_by);

// The header default of a param that takes the config's default ("grace_days=(config)"): a
// setting of the whole config has its default in one place, the config.
inline constexpr std::string_view k_config_default = "(config)";

// The lowest and highest severity a check gives its findings.
struct SeverityRange
{
  Severity lowest = Severity::medium;
  Severity highest = Severity::medium;

  bool contains(Severity s) const { return s >= lowest && s <= highest; }
};

// "medium..critical", or "medium" for a range of one.
std::string to_string(const SeverityRange& range);

// One check: a queries/<id>.sql file and its metadata header. See queries/README.md for the
// header keys and the fixed column aliases.
struct CheckDef
{
  std::string id;
  std::string category;
  // The part of the schema's health the check speaks for ("-- area:"), one line of the report's
  // summary each: indexes, bloat, limits, types, integrity, cleanup; "other" when not given.
  std::string area = "other";
  std::string title;
  // The severity of a finding whose row sets none ("-- severity:"), and the range every finding of
  // the check falls in, from the header: cli.check_severity_ranges keeps the ranges true.
  Severity severity = Severity::medium;
  SeverityRange severity_range;
  Effort effort = Effort::low;
  CheckKind kind = CheckKind::findings;
  // Capabilities the check needs, e.g. "read_all_stats", "pg_stat_statements", "history",
  // "query_log"; "a|b" is met when either is (audit/needs.cpp).
  std::vector<std::string> needs;
  int min_server_major = 13;
  // Relative run time on a large database ("cost: low | medium | high" = 1 | 2 | 3): the runner
  // starts the costliest checks first, so a long one does not start last and run alone.
  int cost = 2;
  // $1..$n in declaration order, with their defaults; config [checks.<id>] overrides them.
  std::vector<std::pair<std::string, std::string>> params;
  // The params whose header default is k_config_default: settings of the whole config (e.g.
  // grace_days), whose default is the config's; audit::Registry fills it in.
  std::vector<std::string> config_params;
  // The inputs ("-- input: a, b") the check reads instead of reading the same objects again:
  // each is bound after the params ($n+1, ...) as the JSON array of its rows, one object per
  // row keyed by column name, every value a string or null.
  std::vector<std::string> inputs;
  // An input read in pages of this many rows ("-- pages: N"), each in a read-only transaction of
  // its own on a connection of its own, so that the locks it takes (one per relation it opens:
  // every sequence) are released page by page instead of held until the audit ends. Its SQL
  // takes $1 (the first column's value on the last row of the previous page, '0' at first) and
  // $2 (N), and returns its rows ordered by that column. Only for values no snapshot governs.
  std::size_t page_rows = 0;
  TrendChart trend = TrendChart::none;
  ReportSection report_section = ReportSection::none;
  GroupBy group_by = GroupBy::object;
  std::string rationale;
  // How a finding's severity follows its evidence (rows, bytes, traffic, how close to a limit),
  // from "-- grading:"; empty when every finding has the header's severity.
  std::string grading;
  std::string sql;
  // Server-major-specific SQL from <id>.pg<NN>.sql files: used when the server is >= NN.
  std::map<int, std::string> variants;
  // Where it came from: "queries/x.sql" (embedded) or a path under --queries.
  std::string source;

  // The SQL for a server of major version `major`.
  const std::string& sql_for(int major) const;

  // The declared type of param `index` (0-based): the cast of its first `$n::type` in the SQL;
  // nullopt when the SQL does not cast it.
  std::optional<ParamType> param_type(std::size_t index) const;
};

// Parses a query file: a header of "-- key: value" lines (a value may continue on following
// "--   " lines), then the SQL. Throws util::Fatal(config) naming `source` and the line for an
// unknown key, a missing id/category/title, or a bad value. The keys are documented in
// queries/README.md.
CheckDef parse_check(std::string_view source, std::string_view text);

// "unused_index.pg16.sql" -> {"unused_index", 16}; "unused_index.sql" -> {"unused_index", 0}.
std::pair<std::string, int> split_query_file_name(std::string_view file_name);

// The check `id` of `checks`, or null.
const CheckDef* find_check(const std::vector<CheckDef>& checks, std::string_view id);

} // namespace model
