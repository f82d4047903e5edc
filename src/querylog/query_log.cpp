#include "querylog/query_log.hpp"

namespace querylog {

double
QueryLog::period_days() const
{
  if (!first_epoch || !last_epoch || *last_epoch < *first_epoch) {
    return 0;
  }
  return (*last_epoch - *first_epoch) / 86400.0;
}

std::vector<const LoggedStatement*>
QueryLog::statements_of(const std::string& database) const
{
  std::vector<const LoggedStatement*> out;
  for (const auto& s : statements) {
    if (s.database.empty() || s.database == database) {
      out.push_back(&s);
    }
  }
  return out;
}

std::vector<const LoggedSeqScan*>
QueryLog::seq_scans_of(const std::string& database, const std::string& schema, const std::string& relation) const
{
  std::vector<const LoggedSeqScan*> out;
  for (const auto& s : seq_scans) {
    if ((s.database.empty() || s.database == database) && (s.schema.empty() || s.schema == schema)
        && s.relation == relation) {
      out.push_back(&s);
    }
  }
  return out;
}

std::set<std::string>
QueryLog::unparsed_words_of(const std::string& database) const
{
  std::set<std::string> words;
  for (const auto& [db, w] : unparsed_words) {
    if (db.empty() || db == database) {
      words.insert(w.begin(), w.end());
    }
  }
  return words;
}

std::map<std::pair<std::string, std::string>, std::int64_t>
QueryLog::seq_scanned(const std::string& database) const
{
  std::map<std::pair<std::string, std::string>, std::int64_t> out;
  for (const auto& s : seq_scans) {
    if (s.database.empty() || s.database == database) {
      out[{s.schema, s.relation}] += s.plans;
    }
  }
  return out;
}

} // namespace querylog
