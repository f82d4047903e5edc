#pragma once

#include "model/history_store.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

namespace store {

// `findings` without repeated fingerprints (the first one wins): what a snapshot stores.
// Returns `findings` itself when there are none, else a copy kept in `storage`.
const std::vector<model::Finding>& distinct_findings(const std::vector<model::Finding>& findings,
                                                     std::vector<model::Finding>& storage);

// Whether `location` names a PostgreSQL database (a postgresql:// or postgres:// URL, or a
// key=value connection string such as "host=h dbname=history") rather than a SQLite file.
bool is_postgresql_location(const std::string& location);

// An embedded schema migration: `dir`NNNN_<what>.sql.
struct Migration
{
  int version;
  std::string_view path;
  std::string_view sql;
};

// The migrations directly in `dir` (e.g. "history/" or "history/postgresql/"), in version order.
std::vector<Migration> embedded_migrations(std::string_view dir);

// Opens the store at `location`: PostgreSQL when is_postgresql_location(), else a SQLite file.
std::unique_ptr<model::HistoryStore> open_history(const std::string& location, model::HistoryStore::Mode mode);

} // namespace store
