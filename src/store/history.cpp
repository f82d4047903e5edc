#include "store/history.hpp"

#include "store/finding_columns.hpp"
#include "store/sqlite.hpp"
#include "util/embedded_files.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/time.hpp"

#include <fmt/format.h>

#include <cctype>
#include <map>
#include <unistd.h>

namespace store {

namespace {


int
user_version(const Database& db)
{
  Statement st(db, "pragma user_version");
  st.step();
  return static_cast<int>(st.int64(0));
}

// Whether the file already holds tables: a file at schema 0 with tables is some other
// program's database, which we must never migrate into. One statement, so a concurrent
// first migration is seen either wholly or not at all.
bool
has_foreign_tables(const Database& db)
{
  Statement st(db,
               "select count(*) from sqlite_schema "
               "where (select user_version from pragma_user_version) = 0");
  st.step();
  return st.int64(0) > 0;
}

// Gives the free pages of the file back to the file system when they are most of it: a migration
// that rebuilds a table (history/0003) leaves the old table's pages free, and the file would
// stay twice its size until many snapshots later. A failure (another writer, no space for the
// copy) leaves the file as usable as before, so it is logged, not thrown.
void
compact_if_mostly_free(const Database& db)
{
  std::int64_t free_pages = 0;
  std::int64_t pages = 0;
  {
    Statement st(db, "select f.freelist_count, p.page_count from pragma_freelist_count f, pragma_page_count p");
    st.step();
    free_pages = st.int64(0);
    pages = st.int64(1);
  }
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

std::int64_t
count_findings(const Database& db, std::int64_t snapshot_id)
{
  Statement st(db, "select ifnull(sum(findings), 0) from finding_totals where snapshot_id = ?1");
  st.bind(1, snapshot_id);
  st.step();
  return st.int64(0);
}

// The checks without a result in snapshot `snapshot_id`.
std::vector<model::SkippedCheck>
skipped_checks(const Database& db, std::int64_t snapshot_id)
{
  std::vector<model::SkippedCheck> out;
  Statement st(db, "select check_id, reason, cause from skipped_checks where snapshot_id = ?1 order by check_id");
  st.bind(1, snapshot_id);
  while (st.step()) {
    out.push_back(
      model::SkippedCheck{st.text(0), st.text(1), model::parse_skip_cause(st.text(2)).value_or(model::SkipCause::error)});
  }
  return out;
}

} // namespace

struct History::Impl
{
  std::unique_ptr<Database> db;
};

int
History::current_version()
{
  const auto all = embedded_migrations("history/");
  return all.empty() ? 0 : all.back().version;
}

History::History(const std::filesystem::path& path, Mode mode)
  : m_impl(std::make_unique<Impl>())
{
  std::error_code ec;
  if (mode == Mode::read_only && !std::filesystem::exists(path, ec)) {
    throw util::Fatal(util::ExitCode::history,
                      fmt::format("history file {} does not exist; create it with "
                                  "\"schema-audit audit --history {}\"",
                                  path.string(), path.string()));
  }
  if (std::filesystem::is_directory(path, ec)) {
    throw util::Fatal(util::ExitCode::history,
                      fmt::format("history file {} is a directory; give a file path", path.string()));
  }
  const auto open_read_write = [&] {
    m_impl->db = std::make_unique<Database>(path.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                                             | SQLITE_OPEN_FULLMUTEX);
  };
  if (mode == Mode::read_only) {
    m_impl->db = std::make_unique<Database>(path.string(), SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_FULLMUTEX,
                                            read_only_uri(path));
  } else {
    open_read_write();
  }
  int found = user_version(*m_impl->db); // the first read: fails here for a non-SQLite file
  const int current = current_version();
  if (mode == Mode::read_only && found < current && can_write_beside(path)) {
    // An older file is migrated by whoever first opens it and may write it, readers included.
    open_read_write();
    found = user_version(*m_impl->db);
  }
  auto& db = *m_impl->db;
  if (found > current) {
    throw util::Fatal(util::ExitCode::history,
                      fmt::format("history file {} was written by a newer schema-audit (history "
                                  "schema {}, this build knows up to {}); upgrade schema-audit",
                                  path.string(), found, current));
  }
  const bool read_only = sqlite3_db_readonly(db.handle(), "main") == 1;
  if (mode == Mode::read_write && read_only) {
    // Fail before the audit runs, not after it when the snapshot cannot be stored.
    throw util::Fatal(util::ExitCode::history,
                      fmt::format("history file {} is read-only; make it writable by this user "
                                  "or point --history at another file",
                                  path.string()));
  }
  if (found == 0 && has_foreign_tables(db)) {
    throw util::Fatal(util::ExitCode::history,
                      fmt::format("history file {} is an SQLite database but not a schema-audit "
                                  "history; point --history at a new file",
                                  path.string()));
  }
  if (found < current) {
    if (read_only) {
      throw util::Fatal(util::ExitCode::history,
                        fmt::format("history file {} needs migrating from schema {} to {} but is "
                                    "read-only; make it writable once",
                                    path.string(), found, current));
    }
    db.exec("pragma journal_mode = wal", "cannot enable WAL mode");
    for (const auto& m : embedded_migrations("history/")) {
      if (m.version <= found) {
        continue;
      }
      db.exec("begin immediate", "cannot start migration");
      try {
        // Another schema-audit may have migrated the file since we read its version.
        if (user_version(db) >= m.version) {
          db.exec("commit", "cannot commit migration");
          continue;
        }
        db.exec(std::string(m.sql), fmt::format("cannot apply {}", m.path));
        db.exec(fmt::format("pragma user_version = {}", m.version), "cannot record migration");
        db.exec("commit", "cannot commit migration");
      } catch (...) {
        sqlite3_exec(db.handle(), "rollback", nullptr, nullptr, nullptr);
        throw;
      }
    }
    compact_if_mostly_free(db);
  }
  db.exec("pragma foreign_keys = on", "cannot configure");
  // A snapshot of a large database writes ~40,000 findings and ~130,000 metrics into a file of
  // many snapshots: with SQLite's default 2 MB page cache most index pages are re-read.
  db.exec("pragma cache_size = -65536", "cannot configure"); // 64 MB
}

History::~History() = default;
History::History(History&&) noexcept = default;
History& History::operator=(History&&) noexcept = default;

std::int64_t
History::save(const model::AuditResult& result, const std::string& name)
{
  auto& db = *m_impl->db;
  std::vector<model::Finding> storage;
  const auto& findings = distinct_findings(result.findings, storage);
  db.exec("begin immediate", "cannot start writing");
  try {
    {
      Statement st(db,
                   "insert into targets(name, host, port, dbname) values (?1, ?2, ?3, ?4) "
                   "on conflict(name) do update set host = ?2, port = ?3, dbname = ?4");
      st.bind(1, name).bind(2, result.target.host).bind(3, result.target.port).bind(4, result.target.dbname);
      st.run();
    }
    std::int64_t target_id = 0;
    {
      Statement st(db, "select id from targets where name = ?1");
      st.bind(1, name);
      st.step();
      target_id = st.int64(0);
    }
    std::int64_t snapshot_id = 0;
    {
      Statement st(db,
                   "insert into snapshots(target_id, taken_at, server_version, server_version_num, "
                   "stats_reset, tool_version, checks_run, wall_ms, query_ms) "
                   "values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
      st.bind(1, target_id)
        .bind(2, result.taken_at)
        .bind(3, result.capabilities.server_version)
        .bind(4, static_cast<std::int64_t>(result.capabilities.server_version_num));
      if (result.capabilities.stats_reset) {
        st.bind(5, *result.capabilities.stats_reset);
      } else {
        st.bind_null(5);
      }
      st.bind(6, std::string_view(SCHEMA_AUDIT_VERSION))
        .bind(7, static_cast<std::int64_t>(result.timings.size()))
        .bind(8, result.wall_ms)
        .bind(9, result.query_ms);
      st.run();
      snapshot_id = sqlite3_last_insert_rowid(db.handle());
    }
    {
      // The text of a finding seen before with the same words is reused (history/0003, 0005).
      Statement find_text(db,
                          "select id from finding_texts where fingerprint = ?1 and message = ?2 "
                          "and remediation = ?3 and undo = ?4 order by id limit 1");
      Statement add_text(db,
                         "insert into finding_texts(fingerprint, message, remediation, undo) values (?1, ?2, ?3, ?4)");
      Statement st(db,
                   "insert or replace into findings(snapshot_id, fingerprint, check_id, category, "
                   "severity, effort, schema_name, object, object_type, text_id, evidence) "
                   "values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
      for (const auto& f : findings) {
        find_text.bind(1, f.fingerprint).bind(2, f.message).bind(3, f.remediation).bind(4, f.undo);
        std::int64_t text_id = 0;
        if (find_text.step()) {
          text_id = find_text.int64(0);
        } else {
          add_text.bind(1, f.fingerprint).bind(2, f.message).bind(3, f.remediation).bind(4, f.undo);
          add_text.run();
          text_id = sqlite3_last_insert_rowid(db.handle());
        }
        find_text.reset();
        st.bind(1, snapshot_id)
          .bind(2, f.fingerprint)
          .bind(3, f.check_id)
          .bind(4, f.category)
          .bind(5, model::to_string(f.severity))
          .bind(6, model::to_string(f.effort))
          .bind(7, f.schema_name)
          .bind(8, f.object)
          .bind(9, f.object_type)
          .bind(10, text_id)
          .bind(11, f.evidence.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        st.run();
      }
    }
    {
      Statement st(db,
                   "insert into finding_totals(snapshot_id, category, severity, object_type, findings, "
                   "size_bytes, bloat_bytes) values (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
      for (const auto& t : model::finding_totals(findings)) {
        st.bind(1, snapshot_id)
          .bind(2, t.category)
          .bind(3, model::to_string(t.severity))
          .bind(4, t.object_type)
          .bind(5, t.findings);
        t.size_bytes ? st.bind(6, *t.size_bytes) : st.bind_null(6);
        t.bloat_bytes ? st.bind(7, *t.bloat_bytes) : st.bind_null(7);
        st.run();
      }
    }
    {
      Statement st(db,
                   "insert into fingerprint_ages(target_id, fingerprint, first_seen, snapshots) "
                   "values (?1, ?2, ?3, 1) on conflict(target_id, fingerprint) do update set "
                   "first_seen = min(first_seen, excluded.first_seen), snapshots = snapshots + 1");
      for (const auto& f : findings) {
        st.bind(1, target_id).bind(2, f.fingerprint).bind(3, result.taken_at);
        st.run();
      }
    }
    {
      Statement st(db, "insert or replace into skipped_checks(snapshot_id, check_id, reason, cause) values (?1, ?2, ?3, ?4)");
      for (const auto& s : result.skipped) {
        st.bind(1, snapshot_id).bind(2, s.check_id).bind(3, s.reason).bind(4, model::to_string(s.cause));
        st.run();
      }
    }
    {
      Statement object(db,
                       "insert into objects(object_type, name) values (?1, ?2) "
                       "on conflict(object_type, name) do update set name = excluded.name "
                       "returning id");
      Statement metric(db,
                       "insert or replace into metrics(snapshot_id, object_id, metric, value) "
                       "values (?1, ?2, ?3, ?4)");
      std::map<std::pair<std::string_view, std::string_view>, std::int64_t> ids;
      for (const auto& m : result.metrics) {
        auto [it, inserted] = ids.try_emplace({m.object_type, m.object}, 0);
        if (inserted) {
          object.bind(1, m.object_type).bind(2, m.object);
          object.step();
          it->second = object.int64(0);
          object.reset();
        }
        metric.bind(1, snapshot_id).bind(2, it->second).bind(3, m.metric).bind(4, m.value);
        metric.run();
      }
    }
    db.exec("commit", "cannot commit the snapshot");
    return snapshot_id;
  } catch (...) {
    sqlite3_exec(db.handle(), "rollback", nullptr, nullptr, nullptr);
    throw;
  }
}

std::vector<model::SnapshotInfo>
History::list(const std::optional<std::string>& name) const
{
  Statement st(*m_impl->db,
               "select s.id, t.name, t.host, t.port, t.dbname, s.taken_at, s.server_version, "
               "s.stats_reset, (select ifnull(sum(f.findings), 0) from finding_totals f where f.snapshot_id = s.id), "
               "(select count(*) from skipped_checks k where k.snapshot_id = s.id) "
               "from snapshots s join targets t on t.id = s.target_id "
               "where ?1 is null or t.name = ?1 order by s.taken_at, s.id");
  if (name) {
    st.bind(1, *name);
  } else {
    st.bind_null(1);
  }
  std::vector<model::SnapshotInfo> out;
  while (st.step()) {
    model::SnapshotInfo info;
    info.id = st.int64(0);
    info.target_name = st.text(1);
    info.host = st.text(2);
    info.port = st.text(3);
    info.dbname = st.text(4);
    info.taken_at = st.int64(5);
    info.server_version = st.text(6);
    info.stats_reset = st.optional_text(7);
    info.finding_count = static_cast<std::size_t>(st.int64(8));
    info.skipped_count = static_cast<std::size_t>(st.int64(9));
    out.push_back(std::move(info));
  }
  return out;
}

std::vector<std::string>
History::target_names() const
{
  Statement st(*m_impl->db, "select name from targets where id in (select target_id from snapshots) order by name");
  std::vector<std::string> out;
  while (st.step()) {
    out.push_back(st.text(0));
  }
  return out;
}

model::Snapshot
History::load(std::int64_t snapshot_id) const
{
  auto& db = *m_impl->db;
  model::Snapshot snap;
  {
    Statement st(db,
                 "select s.id, t.name, t.host, t.port, t.dbname, s.taken_at, s.server_version, "
                 "s.stats_reset from snapshots s join targets t on t.id = s.target_id where s.id = ?1");
    st.bind(1, snapshot_id);
    if (!st.step()) {
      throw util::Fatal(util::ExitCode::history,
                        fmt::format("history file {} has no snapshot {}; list them with "
                                    "\"schema-audit history\"",
                                    db.path(), snapshot_id));
    }
    snap.info.id = st.int64(0);
    snap.info.target_name = st.text(1);
    snap.info.host = st.text(2);
    snap.info.port = st.text(3);
    snap.info.dbname = st.text(4);
    snap.info.taken_at = st.int64(5);
    snap.info.server_version = st.text(6);
    snap.info.stats_reset = st.optional_text(7);
  }
  {
    const auto sql = fmt::format("select {}, {} from findings f join finding_texts t on t.id = f.text_id "
                                 "where f.snapshot_id = ?1",
                                 k_light_finding_columns, k_full_finding_extra_columns);
    Statement st(db, sql.c_str());
    st.bind(1, snapshot_id);
    snap.findings.reserve(static_cast<std::size_t>(count_findings(db, snapshot_id)));
    const auto text = [&st](int column) { return st.text(column); };
    while (st.step()) {
      snap.findings.push_back(full_finding(text));
    }
    model::sort_by_priority(snap.findings);
  }
  snap.skipped = skipped_checks(db, snapshot_id);
  {
    Statement st(db,
                 "select o.object_type, o.name, m.metric, m.value from metrics m "
                 "join objects o on o.id = m.object_id where m.snapshot_id = ?1");
    st.bind(1, snapshot_id);
    while (st.step()) {
      snap.metrics.push_back(model::Metric{st.text(0), st.text(1), st.text(2), st.real(3)});
    }
  }
  snap.info.finding_count = snap.findings.size();
  snap.info.skipped_count = snap.skipped.size();
  return snap;
}

std::optional<model::PreviousSnapshot>
History::previous(const std::string& name) const
{
  auto& db = *m_impl->db;
  std::int64_t id = 0;
  model::PreviousSnapshot prev;
  {
    Statement st(db,
                 "select s.id, s.taken_at, s.stats_reset from snapshots s join targets t on "
                 "t.id = s.target_id where t.name = ?1 order by s.taken_at desc, s.id desc limit 1");
    st.bind(1, name);
    if (!st.step()) {
      return std::nullopt;
    }
    id = st.int64(0);
    prev.taken_at = st.int64(1);
    prev.stats_reset = st.optional_text(2);
  }
  {
    Statement st(db,
                 "select o.object_type, o.name, m.metric, m.value from metrics m "
                 "join objects o on o.id = m.object_id where m.snapshot_id = ?1");
    st.bind(1, id);
    while (st.step()) {
      prev.metrics[model::metric_key(st.text(0), st.text(1), st.text(2))] = st.real(3);
    }
  }
  for (auto& [fingerprint, age] : fingerprint_ages(name)) {
    prev.first_seen.emplace(fingerprint, age.first_seen);
  }
  return prev;
}

model::Snapshot
History::load_light(const model::SnapshotInfo& info) const
{
  model::Snapshot snap;
  snap.info = info;
  const auto sql = fmt::format("select {} from findings f where f.snapshot_id = ?1", k_light_finding_columns);
  Statement st(*m_impl->db, sql.c_str());
  st.bind(1, info.id);
  snap.findings.reserve(info.finding_count);
  const auto text = [&st](int column) { return st.text(column); };
  while (st.step()) {
    snap.findings.push_back(light_finding(text));
  }
  snap.skipped = skipped_checks(*m_impl->db, info.id);
  return snap;
}

std::vector<model::HistoryStore::SnapshotTotal>
History::finding_totals(const std::string& name) const
{
  Statement st(*m_impl->db,
               "select s.id, f.category, f.severity, f.object_type, f.findings, f.size_bytes, f.bloat_bytes "
               "from finding_totals f join snapshots s on s.id = f.snapshot_id "
               "join targets t on t.id = s.target_id where t.name = ?1");
  st.bind(1, name);
  std::vector<SnapshotTotal> out;
  while (st.step()) {
    SnapshotTotal row;
    row.snapshot_id = st.int64(0);
    row.total.category = st.text(1);
    row.total.severity = model::parse_severity(st.text(2)).value_or(model::Severity::medium);
    row.total.object_type = st.text(3);
    row.total.findings = st.int64(4);
    row.total.size_bytes = st.optional_real(5);
    row.total.bloat_bytes = st.optional_real(6);
    out.push_back(std::move(row));
  }
  return out;
}

model::FingerprintAges
History::fingerprint_ages(const std::string& name) const
{
  Statement st(*m_impl->db,
               "select a.fingerprint, a.first_seen, a.snapshots from fingerprint_ages a "
               "join targets t on t.id = a.target_id where t.name = ?1");
  st.bind(1, name);
  model::FingerprintAges out;
  while (st.step()) {
    out.emplace(st.text(0), model::FingerprintAge{st.int64(1), static_cast<int>(st.int64(2))});
  }
  return out;
}

std::vector<model::HistoryStore::EvidenceRow>
History::evidence_values(const std::string& name,
                         const std::vector<std::string>& fingerprints,
                         const std::string& key) const
{
  if (fingerprints.empty()) {
    return {};
  }
  Statement st(*m_impl->db,
               "select f.snapshot_id, f.fingerprint, json_extract(f.evidence, ?3) from findings f "
               "join snapshots s on s.id = f.snapshot_id join targets t on t.id = s.target_id "
               "where t.name = ?1 and f.fingerprint in (select value from json_each(?2)) "
               "and json_type(f.evidence, ?3) in ('integer', 'real')");
  st.bind(1, name)
    .bind(2, nlohmann::json(fingerprints).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
    .bind(3, fmt::format("$.\"{}\"", key));
  std::vector<EvidenceRow> out;
  while (st.step()) {
    out.push_back(EvidenceRow{st.int64(0), st.text(1), st.real(2)});
  }
  return out;
}

std::vector<model::HistoryStore::MetricRow>
History::metric_rows(const std::string& name,
                     const std::string& object_type,
                     const std::string& metric,
                     const std::vector<std::string>& objects) const
{
  // Snapshots, then the matching objects, then one primary-key lookup per pair: fast however
  // many other metrics a snapshot holds.
  Statement st(*m_impl->db,
               "select s.id, o.name, m.value from targets t "
               "join snapshots s on s.target_id = t.id "
               "cross join objects o "
               "cross join metrics m on m.snapshot_id = s.id and m.object_id = o.id and m.metric = ?3 "
               "where t.name = ?1 and o.object_type = ?2 "
               "and (?4 is null or o.name in (select value from json_each(?4))) "
               "order by s.taken_at, s.id");
  st.bind(1, name).bind(2, object_type).bind(3, metric);
  if (objects.empty()) {
    st.bind_null(4);
  } else {
    st.bind(4, nlohmann::json(objects).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  std::vector<MetricRow> out;
  while (st.step()) {
    out.push_back(MetricRow{st.int64(0), st.text(1), st.real(2)});
  }
  return out;
}

} // namespace store
