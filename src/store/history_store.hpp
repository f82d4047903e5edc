#pragma once

#include "audit/runner.hpp"
#include "audit/snapshot.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

namespace store {

// Where snapshots are kept: a SQLite file (store::History, the default) or a PostgreSQL
// database shared by a team (store::PgHistory). Both apply the same numbered migrations
// (history/ and history/postgresql/), write each snapshot in one transaction and report every
// failure as util::Fatal(history) with a message that says what to do. Not thread-safe: callers
// that share one store between threads serialise their calls.
class HistoryStore
{
public:
  enum class Mode { read_only, read_write };

  virtual ~HistoryStore() = default;

  // Stores `result` as a snapshot of target `name`; returns its id.
  virtual std::int64_t save(const audit::AuditResult& result, const std::string& name) = 0;

  // Snapshots oldest first; of target `name` only when given.
  virtual std::vector<audit::SnapshotInfo> list(const std::optional<std::string>& name = std::nullopt) const = 0;
  virtual std::vector<std::string> target_names() const = 0;
  virtual audit::Snapshot load(std::int64_t snapshot_id) const = 0;

  // What history-aware checks need from the latest snapshot of `name`, if there is one.
  virtual std::optional<audit::PreviousSnapshot> previous(const std::string& name) const = 0;

};

// Whether `location` names a PostgreSQL database (a postgresql:// or postgres:// URL, or a
// key=value connection string such as "host=h dbname=history") rather than a SQLite file.
bool is_postgresql_location(const std::string& location);

// Opens the store at `location`: PostgreSQL when is_postgresql_location(), else a SQLite file.
// An embedded schema migration: `dir`NNNN_<what>.sql.
struct Migration
{
  int version;
  std::string_view path;
  std::string_view sql;
};

// The migrations directly in `dir` (e.g. "history/" or "history/postgresql/"), in version order.
std::vector<Migration> embedded_migrations(std::string_view dir);

std::unique_ptr<HistoryStore> open_history(const std::string& location, HistoryStore::Mode mode);

} // namespace store
