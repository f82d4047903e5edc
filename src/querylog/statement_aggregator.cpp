#include "querylog/statement_aggregator.hpp"

#include "querylog/normalize.hpp"
#include "querylog/plan_seq_scans.hpp"
#include "querylog/statement_shape.hpp"

namespace querylog {

namespace {

void
add_words(std::string_view shape, std::set<std::string>& words)
{
  std::string word;
  for (const char c : shape) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' || u >= 0x80) {
      word += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    } else if (!word.empty()) {
      words.insert(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) {
    words.insert(std::move(word));
  }
}

} // namespace

StatementAggregator::StatementAggregator(QueryLog& log, std::size_t max_distinct)
  : m_log(log),
    m_max_distinct(max_distinct)
{
}

void
StatementAggregator::add(const LogEntry& entry)
{
  if (entry.epoch) {
    if (!m_log.first_epoch || *entry.epoch < *m_log.first_epoch) {
      m_log.first_epoch = entry.epoch;
      m_log.first_timestamp = entry.timestamp;
    }
    if (!m_log.last_epoch || *entry.epoch > *m_log.last_epoch) {
      m_log.last_epoch = entry.epoch;
      m_log.last_timestamp = entry.timestamp;
    }
  }
  if (entry.severity != "LOG") {
    return;
  }
  if (const auto m = parse_statement_message(entry.message)) {
    if (m->kind == StatementMessage::Kind::plan) {
      add_plan(entry, *m);
    } else {
      add_statement(entry, *m);
    }
  }
}

void
StatementAggregator::add_plan(const LogEntry& entry, const StatementMessage& m)
{
  ++m_log.plans;
  const auto nodes = plan_seq_scans(m.text);
  if (!nodes) {
    ++m_log.unparsed_plans;
    return;
  }
  const auto database = entry.database.value_or("");
  for (const auto& n : *nodes) {
    const auto key = database + '\x1f' + n.schema + '\x1f' + n.relation + '\x1f' + n.filter;
    auto it = m_seq_scans.find(key);
    if (it == m_seq_scans.end()) {
      if (m_log.seq_scans.size() >= m_max_distinct) {
        continue;
      }
      m_log.seq_scans.push_back(LoggedSeqScan{database, n.schema, n.relation, n.filter, 0, 0, 0, 0});
      it = m_seq_scans.emplace(key, m_log.seq_scans.size() - 1).first;
    }
    auto& s = m_log.seq_scans[it->second];
    ++s.plans;
    s.loops += n.loops;
    s.rows_removed += n.rows_removed * n.loops;
    s.total_ms += n.total_ms;
  }
}

void
StatementAggregator::add_statement(const LogEntry& entry, const StatementMessage& m)
{
  ++m_log.executions;
  const auto database = entry.database.value_or("");
  auto shape = statement_shape(m.text, true);
  std::string shape_key = database;
  shape_key += '\x1f';
  shape_key += shape;
  auto it = m_shapes.find(shape_key);
  if (it == m_shapes.end()) {
    if (m_shapes.size() >= 2 * m_max_distinct) {
      ++m_log.dropped_executions;
      return;
    }
    std::ptrdiff_t index = -1;
    if (const auto normalized = normalize_statement(statement_shape(m.text, false))) {
      auto fingerprint_key = database + '\x1f' + normalized->fingerprint;
      auto found = m_fingerprints.find(fingerprint_key);
      if (found == m_fingerprints.end()) {
        if (m_log.statements.size() >= m_max_distinct) {
          ++m_log.dropped_executions;
          return;
        }
        LoggedStatement s;
        s.database = database;
        s.fingerprint = normalized->fingerprint;
        s.query = normalized->query;
        s.first_seen = entry.timestamp;
        m_log.statements.push_back(std::move(s));
        found = m_fingerprints.emplace(std::move(fingerprint_key), m_log.statements.size() - 1).first;
      }
      index = static_cast<std::ptrdiff_t>(found->second);
    } else {
      add_words(shape, m_log.unparsed_words[database]);
    }
    it = m_shapes.emplace(std::move(shape_key), index).first;
  }
  if (it->second < 0) {
    ++m_log.unparsed_executions;
    return;
  }
  auto& s = m_log.statements[static_cast<std::size_t>(it->second)];
  ++s.calls;
  if (m.duration_ms) {
    s.total_ms += *m.duration_ms;
    ++s.timed_calls;
  }
  if (s.first_seen.empty()) {
    s.first_seen = entry.timestamp;
  }
  s.last_seen = entry.timestamp;
}

} // namespace querylog
