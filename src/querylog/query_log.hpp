#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace querylog {

// One statement of the log, normalized, with every execution of it added up.
struct LoggedStatement
{
  // The session's database; empty when the log does not say (a stderr prefix without %d).
  std::string database;
  std::string fingerprint;
  std::string query; // normalized: constants are $n
  std::int64_t calls = 0;
  // The durations logged with it (log_min_duration_statement); executions logged without one
  // (log_statement) add a call and no time.
  double total_ms = 0;
  std::int64_t timed_calls = 0;
  std::string first_seen;
  std::string last_seen;
};

// The Seq Scan nodes of auto_explain's plans on one relation with one filter (constants
// masked), added up over the plans.
struct LoggedSeqScan
{
  std::string database; // as LoggedStatement's
  std::string schema;   // empty unless the plans say (auto_explain.log_verbose)
  std::string relation;
  std::string filter;
  std::int64_t plans = 0;
  double loops = 0;
  double rows_removed = 0; // summed over the loops
  double total_ms = 0;
};

// What the query logs of one audit held: the statements, aggregated, and what could not be read.
struct QueryLog
{
  // The files read, and the format each was read as ("stderr (log_line_prefix '%m [%p] ')",
  // "csvlog", "jsonlog").
  std::vector<std::pair<std::string, std::string>> files;
  std::uint64_t lines = 0;
  // Lines that are not part of a message of the file's format (counted, never fatal).
  std::uint64_t unparsed_lines = 0;
  // Statement executions logged, and those of them libpg_query could not parse (left out).
  std::uint64_t executions = 0;
  std::uint64_t unparsed_executions = 0;
  // Executions of statements beyond max_distinct distinct ones (left out: memory stays bounded).
  std::uint64_t dropped_executions = 0;
  // The period of the messages read: the first and the last timestamp as logged.
  std::string first_timestamp;
  std::string last_timestamp;
  std::optional<double> first_epoch;
  std::optional<double> last_epoch;
  std::vector<LoggedStatement> statements;
  // auto_explain's plans: how many, those that could not be read, and their sequential scans.
  std::uint64_t plans = 0;
  std::uint64_t unparsed_plans = 0;
  std::vector<LoggedSeqScan> seq_scans;
  // Per database, the words (identifiers and keywords; constants masked) of the statements
  // that did not parse: a column named among them may be read by them.
  std::map<std::string, std::set<std::string>> unparsed_words;

  // The period's length in days (0 when the log has no timestamps).
  double period_days() const;
  // The statements of `database`, with those of unknown database.
  std::vector<const LoggedStatement*> statements_of(const std::string& database) const;
  // The sequential scans of `database`'s plans on `relation` (of `schema`, or unqualified), with
  // those of unknown database.
  std::vector<const LoggedSeqScan*> seq_scans_of(const std::string& database, const std::string& schema,
                                                 const std::string& relation) const;
  // The relations the plans of `database` (and of unknown database) scan sequentially, as
  // {schema (empty unless the plans say), relation} -> the plans that do.
  std::map<std::pair<std::string, std::string>, std::int64_t> seq_scanned(const std::string& database) const;
  // The words of `database`'s statements that did not parse, with those of unknown database.
  std::set<std::string> unparsed_words_of(const std::string& database) const;
};

} // namespace querylog
