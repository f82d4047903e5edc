#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace store {

enum class Dialect { sqlite, postgresql };

// A schema migration of the history as the backend of one dialect runs it.
struct Migration
{
  int version = 0;
  std::string path; // the embedded file, for messages
  std::string sql;
};

// The migrations of `dialect` in version order (all embedded, append-only). history/NNNN_<what>.sql
// is migration NNNN of both backends, written once with the words migration_sql() spells for
// each; history/postgresql/NNNN_<what>.sql, where there is one, is PostgreSQL's own instead
// (migrations 1 to 5 were written twice, and a migration whose SQL differs beyond those words,
// e.g. a back-fill reading JSON, needs its own file too).
std::vector<Migration> migrations(Dialect dialect);

// The schema version this build writes: the number of the last migration.
int schema_version(Dialect dialect);

// `sql` with {id} (an identity primary key), {bigint}, {real} and {without rowid} (SQLite's
// table option, nothing in PostgreSQL) spelled for `dialect`.
std::string migration_sql(std::string_view sql, Dialect dialect);

// Refuses (util::Fatal(history)) the history `name` at schema `found` when it is newer than
// `current`, this build's.
void refuse_newer(const std::string& name, int found, int current);

} // namespace store
