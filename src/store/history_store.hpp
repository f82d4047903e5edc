#pragma once

#include "model/history_store.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace store {

// Whether `location` names a PostgreSQL database (a postgresql:// or postgres:// URL, or a
// key=value connection string such as "host=h dbname=history") rather than a SQLite file.
bool is_postgresql_location(const std::string& location);

// Opens the history at `location`: PostgreSQL when is_postgresql_location(), else a SQLite file.
std::unique_ptr<model::HistoryStore> open_history(const std::string& location, model::HistoryStore::Mode mode);

// Opens the SQLite history file at `path` (a recovery file is one too).
std::unique_ptr<model::HistoryStore> open_history_file(const std::filesystem::path& path, model::HistoryStore::Mode mode);

} // namespace store
