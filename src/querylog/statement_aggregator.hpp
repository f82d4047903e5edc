#pragma once

#include "querylog/log_entry.hpp"
#include "querylog/query_log.hpp"
#include "querylog/statement_message.hpp"

#include <cstddef>
#include <string>
#include <unordered_map>

namespace querylog {

// Adds the statements of log messages up into a QueryLog: executions whose texts differ only in
// their constants meet under one shape before anything is parsed (statement_shape), and each
// new shape is normalized and fingerprinted once (normalize_statement), so that shapes which
// libpg_query finds the same statement meet too.
class StatementAggregator
{
public:
  // At most `max_distinct` distinct statements and twice as many shapes are kept.
  StatementAggregator(QueryLog& log, std::size_t max_distinct = 100000);

  // Adds the message of `entry` when it is a statement's or an auto_explain plan's (else only its
  // timestamp counts).
  void add(const LogEntry& entry);

private:
  void add_statement(const LogEntry& entry, const StatementMessage& m);
  void add_plan(const LogEntry& entry, const StatementMessage& m);

  QueryLog& m_log;
  std::size_t m_max_distinct;
  // database + '\x1f' + shape -> index in m_log.statements, or -1 when it did not parse
  std::unordered_map<std::string, std::ptrdiff_t> m_shapes;
  // database + '\x1f' + fingerprint -> index in m_log.statements
  std::unordered_map<std::string, std::size_t> m_fingerprints;
  // database, schema, relation and filter, '\x1f'-separated -> index in m_log.seq_scans
  std::unordered_map<std::string, std::size_t> m_seq_scans;
};

} // namespace querylog
