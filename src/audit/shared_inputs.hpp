#pragma once

#include "audit/registry.hpp"
#include "model/finding.hpp"
#include "pg/session.hpp"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace audit {

// The inputs of one audit (queries/inputs/<id>.sql): rows several checks need, each read once,
// on the session of the first check that asks for it, and handed to every check that declares
// it, on any session. The sessions share one exported snapshot, so a check sees the rows it
// would have read itself. An input read in pages (sequence values, which no snapshot governs)
// is read on a session of its own instead, a transaction per page. Thread-safe: a check whose input another session is reading waits
// for it.
class SharedInputs
{
public:
  // Opens a session of its own (not in the audit's snapshot) for an input read in pages.
  using OpenSession = std::function<std::unique_ptr<pg::Session>()>;

  // `open_reader` serves the inputs read in pages (CheckDef::page_rows); without it, or when it
  // cannot connect, their pages are read on the asking session, in the audit's transaction.
  SharedInputs(const Registry& registry, int server_major, OpenSession open_reader = {});

  // The rows of input `id` as a JSON array of objects (column name -> string or null), read on
  // `session` unless a session read it already. Throws pg::QueryFailed when the input failed,
  // now or for an earlier check (the same cause for every check that needs it), and
  // util::Fatal(connection) when the connection is lost.
  const std::string& json(const std::string& id, pg::Session& session);

  // Sets the rows of input `id` to `json`, read elsewhere (replica_usage: on the replicas): no
  // session reads it. Call before the checks run.
  void provide(const std::string& id, std::string json);

  // Whether input `id` was provided rather than read on a session of the audit.
  bool provided(const std::string& id) const;

  // Each input that was read (its id, statement time and rows), in the order they were read.
  std::vector<model::CheckTiming> timings() const;

private:
  struct Input
  {
    const model::CheckDef* def = nullptr;
    std::mutex mutex; // held while the input is read: the other sessions wait for its rows
    bool read = false;
    bool provided = false;
    std::string json;
    std::optional<pg::QueryFailed> failure;
  };

  // Reads `def`'s pages on a session of its own, a transaction each, or on `asking` when none
  // could be opened.
  pg::QueryResult read_in_pages(const model::CheckDef& def, pg::Session& asking);

  int m_server_major;
  OpenSession m_open_reader;
  std::map<std::string, std::unique_ptr<Input>, std::less<>> m_inputs;
  mutable std::mutex m_timings_mutex;
  std::vector<model::CheckTiming> m_timings;
};

} // namespace audit
