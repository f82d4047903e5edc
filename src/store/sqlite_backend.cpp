#include "store/migrations.hpp"
#include "store/sql_backend.hpp"
#include "util/log.hpp"

#include <fmt/ranges.h>
#include <sqlite3.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <unistd.h>

namespace store {

namespace {

using Mode = model::HistoryStore::Mode;

// How long a statement waits for another process's lock on the file (SQLite's busy timeout).
constexpr int k_busy_timeout_ms = 30000;

std::string
hint_for(int rc)
{
  switch (rc & 0xff) {
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB:
    return "the file is not a schema-audit history or is damaged; restore it from a backup or "
           "point --history at a new file";
  case SQLITE_READONLY:
  case SQLITE_PERM:
  case SQLITE_CANTOPEN:
    return "check that the file and its folder exist and are writable by this user";
  case SQLITE_FULL:
  case SQLITE_IOERR:
    return "free disk space (nothing was stored; the file is unchanged)";
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    return "another schema-audit is writing this file; try again when it has finished";
  default:
    return "nothing was stored";
  }
}

// An open SQLite file. Errors throw util::Fatal(history) with `context` and SQLite's reason,
// plus a hint for the common causes (corrupt, read-only, full, locked).
class Database
{
public:
  // Opens `path`, or the URI `uri` when given (SQLITE_OPEN_URI; messages still name `path`).
  Database(const std::string& path, int flags, const std::optional<std::string>& uri = std::nullopt)
    : m_path(path)
  {
    // SQLite's memory statistics take a global mutex on every allocation, and nothing reads
    // them: off, before the first open (a later call is refused, harmlessly).
    static const bool configured = [] {
      sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
      return true;
    }();
    (void)configured;
    const int rc = sqlite3_open_v2(uri.value_or(path).c_str(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
      fail(rc, "cannot open");
    }
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, k_busy_timeout_ms);
  }
  ~Database() { sqlite3_close_v2(m_db); }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  sqlite3* handle() const { return m_db; }
  const std::string& path() const { return m_path; }

  void exec(const std::string& sql, std::string_view context) const
  {
    if (const int rc = sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, nullptr); rc != SQLITE_OK) {
      fail(rc, context);
    }
  }

  // Switches the file to WAL. The switch needs the file's exclusive lock, and while another
  // process holds a lock SQLite answers SQLITE_BUSY at once, without its busy handler (it would
  // deadlock): so it is retried here for as long as the busy timeout, as when audits that
  // create one new history start together.
  void enable_wal() const
  {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(k_busy_timeout_ms);
    for (;;) {
      const int rc = sqlite3_exec(m_db, "pragma journal_mode = wal", nullptr, nullptr, nullptr);
      if (rc == SQLITE_OK) {
        return;
      }
      if ((rc & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() >= until) {
        fail(rc, "cannot enable WAL mode");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  [[noreturn]] void fail(int rc, std::string_view context) const
  {
    const int primary = rc & 0xff;
    const bool plain = primary == SQLITE_CANTOPEN || primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT
                       || primary == SQLITE_FULL;
    throw history_error("history file {}: {}: {}; {}", m_path, context,
                        m_db && !plain ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc), hint_for(rc));
  }

  // Runs `body` in one transaction that holds the file's write lock from its start, so that it
  // never fails half-way for want of the lock.
  void write_transaction(std::string_view begin_context, std::string_view commit_context, const std::function<void()>& body)
  {
    exec("begin immediate", begin_context);
    try {
      body();
      exec("commit", commit_context);
    } catch (...) {
      sqlite3_exec(m_db, "rollback", nullptr, nullptr, nullptr);
      throw;
    }
  }

private:
  sqlite3* m_db = nullptr;
  std::string m_path;
};

// Rows of one bulk statement (for_rows) bound to one SQLite statement.
constexpr std::size_t k_rows_per_statement = 64;

// A prepared statement whose $n parameters are bound by number.
class Statement final : public SqlRows
{
public:
  Statement(const Database& db, const std::string& sql)
    : m_db(db)
  {
    if (const int rc = sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &m_stmt, nullptr); rc != SQLITE_OK) {
      db.fail(rc, "cannot read");
    }
    for (int i = 1; i <= sqlite3_bind_parameter_count(m_stmt); ++i) {
      const char* name = sqlite3_bind_parameter_name(m_stmt, i); // "$n"
      const auto number = name ? static_cast<std::size_t>(std::atoi(name + 1)) : 0;
      m_index.resize(std::max(m_index.size(), number + 1));
      m_index[number] = i;
    }
  }
  ~Statement() override { sqlite3_finalize(m_stmt); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds `values` to $first, $first + 1, ...; those the statement does not use are left out.
  void bind(const std::vector<SqlValue>& values, std::size_t first = 1)
  {
    for (std::size_t n = first; n < first + values.size() && n < m_index.size(); ++n) {
      const int i = m_index[n];
      const auto& value = values[n - first];
      if (i == 0) {
        continue;
      }
      if (const auto* number = std::get_if<std::int64_t>(&value)) {
        sqlite3_bind_int64(m_stmt, i, *number);
      } else if (const auto* real = std::get_if<double>(&value)) {
        sqlite3_bind_double(m_stmt, i, *real);
      } else if (const auto* text = std::get_if<std::string>(&value)) {
        sqlite3_bind_text(m_stmt, i, text->data(), static_cast<int>(text->size()), SQLITE_TRANSIENT);
      } else {
        sqlite3_bind_null(m_stmt, i);
      }
    }
  }

  bool next() override
  {
    const int rc = sqlite3_step(m_stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
      m_db.fail(rc, "cannot access");
    }
    return rc == SQLITE_ROW;
  }
  void reset() { sqlite3_reset(m_stmt); }

  bool is_null(int column) const override { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }
  std::int64_t int64(int column) const override { return sqlite3_column_int64(m_stmt, column); }
  double real(int column) const override { return sqlite3_column_double(m_stmt, column); }
  std::string text(int column) const override
  {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column))) : std::string();
  }

private:
  const Database& m_db;
  sqlite3_stmt* m_stmt = nullptr;
  std::vector<int> m_index; // $n -> SQLite's parameter index
};

// The first number `sql` returns.
std::int64_t
number(const Database& db, const std::string& sql)
{
  Statement st(db, sql);
  st.next();
  return st.int64(0);
}

// Whether the file holds tables but no history schema: some other program's database, which we
// must never migrate into. One statement, so a concurrent first migration is seen either wholly
// or not at all.
bool
holds_another_programs_tables(const Database& db)
{
  return number(db, "select count(*) from sqlite_schema where (select user_version from pragma_user_version) = 0") > 0;
}

// Gives the free pages of the file back to the file system when they are most of it: a migration
// that rebuilds a table (history/0003) leaves the old table's pages free, and the file would
// stay twice its size until many snapshots later. A failure (another writer, no space for the
// copy) leaves the file as usable as before, so it is logged, not thrown.
void
compact_if_mostly_free(const Database& db)
{
  const auto free_pages = number(db, "select freelist_count from pragma_freelist_count");
  const auto pages = number(db, "select page_count from pragma_page_count");
  if (free_pages * 2 <= pages) {
    return;
  }
  util::log(util::LogLevel::info, "history file {}: compacting after migrating ({} of {} pages free)", db.path(),
            free_pages, pages);
  if (sqlite3_exec(db.handle(), "vacuum", nullptr, nullptr, nullptr) != SQLITE_OK) {
    util::log(util::LogLevel::info, "history file {}: not compacted ({}); it works as it is", db.path(),
              sqlite3_errmsg(db.handle()));
  }
}

// How a reader opens the file, so that it works for a user who may read the file but not write
// its folder, and never leaves a file of its own beside it (a -wal or -shm owned by a reader
// breaks its owner's next write):
// - while a writer has it open (its -wal exists): read-only (mode=ro) through the writer's own
//   -wal and -shm, with the usual locks, so the reader sees only committed snapshots;
// - otherwise (no -wal: no writer has it open, every snapshot is in the file itself):
//   immutable=1, which reads the file without locks and creates nothing. A writer that opens
//   the file during such a read writes to its new -wal, not to the file, until it checkpoints
//   when it closes; a read that overlaps that checkpoint may fail or be inconsistent and is
//   simply run again. Writers are never disturbed by readers.
std::string
read_only_uri(const std::filesystem::path& path)
{
  std::string uri = "file:";
  for (const char c : path.string()) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '/' || c == '.' || c == '-' || c == '_' || c == '~') {
      uri += c;
    } else {
      uri += fmt::format("%{:02X}", u);
    }
  }
  std::error_code ec;
  const bool writer_open = std::filesystem::exists(path.string() + "-wal", ec);
  return uri + (writer_open ? "?mode=ro" : "?mode=ro&immutable=1");
}

// Whether this user may write `path` and create files beside it.
bool
can_write_beside(const std::filesystem::path& path)
{
  const auto folder = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  return ::access(path.c_str(), W_OK) == 0 && ::access(folder.c_str(), W_OK) == 0;
}

constexpr SqlBackend::Spellings k_spellings{
  "{0} in (select value from json_each({1}))",
  "case when json_type({0}, '$.' || json_quote({1})) in ('integer', 'real') then json_extract({0}, '$.' || "
  "json_quote({1})) end"};

// The history file: WAL mode, one transaction per migration and per snapshot.
class SqliteBackend final : public SqlBackend
{
public:
  SqliteBackend(const std::filesystem::path& path, Mode mode);

  const std::string& name() const override { return m_name; }

  std::unique_ptr<SqlRows> query(const std::string& sql, const std::vector<SqlValue>& params) override
  {
    auto st = std::make_unique<Statement>(*m_db, sql);
    st->bind(params);
    return st;
  }

  // The rows go k_rows_per_statement to a statement, as a VALUES list: a statement per row
  // spent more on stepping it (its cursors opened and closed each time) than on the row.
  void for_rows(const std::string& sql,
                const std::vector<SqlValue>& params,
                const RowBatch& rows,
                const std::function<void(const SqlRows&)>& on_row) override
  {
    const auto width = rows.columns.size();
    const auto statement_of = [&](std::size_t count) {
      std::vector<std::string> names;
      for (std::size_t c = 0; c < width; ++c) {
        names.push_back(fmt::format("column{} as {}", c + 1, rows.columns[c].name));
      }
      std::vector<std::string> tuples;
      for (std::size_t r = 0; r < count; ++r) {
        std::vector<std::string> values;
        for (std::size_t c = 0; c < width; ++c) {
          values.push_back(fmt::format("${}", params.size() + r * width + c + 1));
        }
        tuples.push_back(fmt::format("({})", fmt::join(values, ", ")));
      }
      auto text = sql;
      text.replace(text.find("{rows}"), 6,
                   fmt::format("(select {} from (values {})) as u", fmt::join(names, ", "), fmt::join(tuples, ", ")));
      auto st = std::make_unique<Statement>(*m_db, text);
      st->bind(params);
      return st;
    };
    const auto per_statement = std::min(rows.size, k_rows_per_statement);
    std::unique_ptr<Statement> full;
    for (std::size_t next = 0; next < rows.size;) {
      const auto count = std::min(per_statement, rows.size - next);
      std::unique_ptr<Statement> partial;
      if (count == per_statement && !full) {
        full = statement_of(count);
      } else if (count != per_statement) {
        partial = statement_of(count);
      }
      auto& st = count == per_statement ? *full : *partial;
      for (std::size_t r = 0; r < count; ++r, ++next) {
        st.bind(rows.row(next), params.size() + r * width + 1);
      }
      while (st.next()) {
        if (on_row) {
          on_row(st);
        }
      }
      st.reset();
    }
  }

  void write_transaction(const std::function<void()>& body) override
  {
    m_db->write_transaction("cannot start writing", "cannot commit the snapshot", body);
  }

  void release_memory() override { sqlite3_db_release_memory(m_db->handle()); }

private:
  void migrate(int found);

  std::unique_ptr<Database> m_db;
  std::string m_name;
};

SqliteBackend::SqliteBackend(const std::filesystem::path& path, Mode mode)
  : SqlBackend(k_spellings)
  , m_name("history file " + path.string())
{
  std::error_code ec;
  if (mode == Mode::read_only && !std::filesystem::exists(path, ec)) {
    throw history_error("{} does not exist; create it with \"schema-audit audit --history {}\"", m_name, path.string());
  }
  if (std::filesystem::is_directory(path, ec)) {
    throw history_error("{} is a directory; give a file path", m_name);
  }
  const auto open_read_write = [&] {
    m_db = std::make_unique<Database>(path.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX);
  };
  if (mode == Mode::read_only) {
    m_db = std::make_unique<Database>(path.string(), SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_FULLMUTEX,
                                      read_only_uri(path));
  } else {
    open_read_write();
  }
  const char* const version = "pragma user_version";
  auto found = static_cast<int>(number(*m_db, version)); // the first read: fails here for a non-SQLite file
  const int current = schema_version(Dialect::sqlite);
  if (mode == Mode::read_only && found < current && can_write_beside(path)) {
    // An older file is migrated by whoever first opens it and may write it, readers included.
    open_read_write();
    found = static_cast<int>(number(*m_db, version));
  }
  refuse_newer(m_name, found, current);
  const bool read_only = sqlite3_db_readonly(m_db->handle(), "main") == 1;
  if (mode == Mode::read_write && read_only) {
    // Fail before the audit runs, not after it when the snapshot cannot be stored.
    throw history_error("{} is read-only; make it writable by this user or point --history at another file", m_name);
  }
  if (found == 0 && holds_another_programs_tables(*m_db)) {
    throw history_error("{} is an SQLite database but not a schema-audit history; point --history at a new file",
                        m_name);
  }
  if (found < current && read_only) {
    throw history_error("{} needs migrating from schema {} to {} but is read-only; make it writable once", m_name, found,
                        current);
  }
  if (found < current) {
    migrate(found);
  }
  m_db->exec("pragma foreign_keys = on", "cannot configure");
  // A snapshot of a large database writes ~40,000 findings and ~130,000 metrics into a file of
  // many snapshots: with SQLite's default 2 MB page cache most index pages are re-read. 64 MB
  // saved ~15 % of the save's time on the 1,000-schema benchmark (1.7 against 2.0 s) but was
  // all held at the audit's peak, beside the findings: 16 MB. A reader (report, diff) reads each
  // page about once and keeps SQLite's default 2 MB: 16 MB of a report's 263 MB at 10,000 schemas.
  if (mode == Mode::read_write) {
    m_db->exec("pragma cache_size = -16384", "cannot configure"); // 16 MB
  }
}

void
SqliteBackend::migrate(int found)
{
  m_db->enable_wal();
  for (const auto& m : migrations(Dialect::sqlite)) {
    if (m.version <= found) {
      continue;
    }
    m_db->write_transaction("cannot start migration", "cannot commit migration", [&] {
      // Another schema-audit may have migrated the file since we read its version.
      if (number(*m_db, "pragma user_version") < m.version) {
        m_db->exec(m.sql, fmt::format("cannot apply {}", m.path));
        m_db->exec(fmt::format("pragma user_version = {}", m.version), "cannot record migration");
      }
    });
  }
  compact_if_mostly_free(*m_db);
}

} // namespace

std::unique_ptr<SqlBackend>
open_sqlite_backend(const std::filesystem::path& path, model::HistoryStore::Mode mode)
{
  return std::make_unique<SqliteBackend>(path, mode);
}

} // namespace store
