#include "store/pg_history.hpp"

#include "pg/connection.hpp"
#include "store/finding_columns.hpp"
#include "util/embedded_files.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <thread>

namespace store {

namespace {

constexpr std::string_view k_migration_dir = "history/postgresql/";


const std::string&
text(const pg::Row& row, std::size_t column)
{
  static const std::string empty;
  return row.at(column) ? *row[column] : empty;
}

std::int64_t
int64(const pg::Row& row, std::size_t column)
{
  return std::stoll(text(row, column));
}

// Floats as PostgreSQL reads them back exactly ("nan" and "inf" included).
std::string
to_pg_float_array(const std::vector<double>& values)
{
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    out += fmt::format("{}{}", i ? "," : "", values[i]);
  }
  return out + "}";
}

model::SnapshotInfo
snapshot_info(const pg::Row& row)
{
  model::SnapshotInfo info;
  info.id = int64(row, 0);
  info.target_name = text(row, 1);
  info.host = text(row, 2);
  info.port = text(row, 3);
  info.dbname = text(row, 4);
  info.taken_at = int64(row, 5);
  info.server_version = text(row, 6);
  info.stats_reset = row.at(7);
  return info;
}

constexpr const char* k_snapshot_columns =
  "s.id, t.name, t.host, t.port, t.dbname, s.taken_at, s.server_version, s.stats_reset";

} // namespace

// How many times a save is tried when the server closes the history connection (an admin's
// pg_terminate_backend, idle_session_timeout, a restart), with 1 s, then 2 s between tries.
constexpr int k_save_attempts = 3;

struct PgHistory::Impl
{
  std::unique_ptr<pg::Connection> conn;
  std::string conninfo; // to reconnect; never shown
  std::string location; // as messages show it

  // (Re)connects. A write waits at most 30 s for a lock another session holds on the history's
  // tables, as concurrent audits of a SQLite history wait for each other.
  void connect()
  {
    try {
      conn = std::make_unique<pg::Connection>(conninfo);
    } catch (const util::Fatal& e) {
      throw util::Fatal(util::ExitCode::history, fmt::format("history database {}: {}; check --history", location,
                                                             e.what()));
    }
    exec("set lock_timeout = '30s'");
  }

  bool connection_lost() const { return !conn->is_open(); }

  // Runs `sql`; any failure becomes util::Fatal(history) naming the history database.
  pg::QueryResult exec(const std::string& sql, const std::vector<std::string>& params = {}) const
  {
    try {
      return conn->exec(sql, params);
    } catch (const util::Error& e) {
      throw util::Fatal(util::ExitCode::history, fmt::format("history database {}: {}", location, e.what()));
    } catch (const util::Fatal& e) {
      throw util::Fatal(util::ExitCode::history, fmt::format("history database {}: {}", location, e.what()));
    }
  }

  // The checks without a result in snapshot `id`.
  std::vector<model::SkippedCheck> skipped_checks(const std::string& id) const
  {
    std::vector<model::SkippedCheck> out;
    const auto rows =
      exec("select check_id, reason, cause from skipped_checks where snapshot_id = $1::bigint order by check_id", {id});
    for (const auto& row : rows.rows) {
      out.push_back(model::SkippedCheck{text(row, 0), text(row, 1),
                                        model::parse_skip_cause(text(row, 2)).value_or(model::SkipCause::error)});
    }
    return out;
  }

  // Runs `body` in one transaction, rolled back when it throws.
  template <typename F>
  auto transaction(F&& body) const
  {
    exec("begin");
    try {
      auto result = body();
      exec("commit");
      return result;
    } catch (...) {
      try {
        conn->exec("rollback");
      } catch (...) {
        // The connection is gone: the server rolled back already.
      }
      throw;
    }
  }

  int version() const
  {
    // -1: no schema_audit.version table at all (checked first: a missing table fails to parse).
    const auto exists = exec("select pg_catalog.to_regclass('schema_audit.version') is not null");
    if (text(exists.rows.at(0), 0) != "t") {
      return -1;
    }
    const auto r = exec("select coalesce(max(version), 0) from schema_audit.version");
    return static_cast<int>(int64(r.rows.at(0), 0));
  }
};

int
PgHistory::current_version()
{
  const auto all = embedded_migrations(k_migration_dir);
  return all.empty() ? 0 : all.back().version;
}

PgHistory::PgHistory(const std::string& conninfo, Mode mode)
  : m_impl(std::make_unique<Impl>())
{
  m_impl->location = pg::redact_conninfo(conninfo);
  m_impl->conninfo = conninfo;
  m_impl->connect();
  const auto& where = m_impl->location;
  const int current = current_version();
  const int found = m_impl->version();
  if (found < 0 && mode == Mode::read_only) {
    throw util::Fatal(util::ExitCode::history,
                      fmt::format("history database {} holds no schema-audit history (no schema "
                                  "schema_audit); create it with \"schema-audit audit --history ...\"",
                                  where));
  }
  if (found > current) {
    throw util::Fatal(util::ExitCode::history,
                      fmt::format("history database {} was written by a newer schema-audit (history "
                                  "schema {}, this build knows up to {}); upgrade schema-audit",
                                  where, found, current));
  }
  if (found < current) {
    if (mode == Mode::read_only) {
      throw util::Fatal(util::ExitCode::history,
                        fmt::format("history database {} needs migrating from schema {} to {}; run "
                                    "an audit with this --history once",
                                    where, found, current));
    }
    // One migrator at a time; a second one waits, then finds the work done.
    m_impl->transaction([&] {
      m_impl->exec("select pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('schema-audit history migration'))");
      m_impl->exec("create schema if not exists schema_audit");
      m_impl->exec("create table if not exists schema_audit.version (version integer primary key, "
                   "applied_at timestamptz not null default now())");
      m_impl->exec("set local search_path = schema_audit");
      const int now = m_impl->version();
      for (const auto& m : embedded_migrations(k_migration_dir)) {
        if (m.version <= now) {
          continue;
        }
        m_impl->exec(std::string(m.sql));
        m_impl->exec("insert into schema_audit.version(version) values ($1::integer)", {std::to_string(m.version)});
      }
      return 0;
    });
  }
  m_impl->exec("set search_path = schema_audit");
}

PgHistory::~PgHistory() = default;

std::int64_t
PgHistory::save(const model::AuditResult& result, const std::string& name)
{
  for (int attempt = 1;; ++attempt) {
    try {
      if (m_impl->connection_lost()) {
        m_impl->connect();
        m_impl->exec("set search_path = schema_audit");
      }
      return save_once(result, name);
    } catch (const util::Fatal& e) {
      // Only a lost connection is worth another try: the transaction was rolled back whole,
      // and a refused statement (no privilege, a constraint) would be refused again.
      if (!m_impl->connection_lost() || attempt == k_save_attempts) {
        throw;
      }
      util::log(util::LogLevel::info, "{}; trying again ({} of {})", e.what(), attempt + 1, k_save_attempts);
      std::this_thread::sleep_for(std::chrono::seconds(attempt));
    }
  }
}

std::int64_t
PgHistory::save_once(const model::AuditResult& result, const std::string& name)
{
  return m_impl->transaction([&] {
    // Before the planner has statistics on finding_texts, the text lookup of 30,000 findings
    // looks costly enough to JIT-compile, which takes longer (~0.4 s) than running it.
    m_impl->exec("set local jit = off");
    const auto target = m_impl->exec(
      "insert into targets(name, host, port, dbname) values ($1, $2, $3, $4) "
      "on conflict (name) do update set host = excluded.host, port = excluded.port, dbname = excluded.dbname "
      "returning id",
      {name, result.target.host, result.target.port, result.target.dbname});
    const auto& caps = result.capabilities;
    const auto snapshot = m_impl->exec(
      "insert into snapshots(target_id, taken_at, server_version, server_version_num, stats_reset, "
      "tool_version, checks_run, wall_ms, query_ms) values ($1::bigint, $2::bigint, $3, $4::integer, "
      "case when $5::boolean then $6 end, $7, $8::integer, $9::float8, $10::float8) returning id",
      {text(target.rows.at(0), 0), std::to_string(result.taken_at), caps.server_version,
       std::to_string(caps.server_version_num), caps.stats_reset ? "true" : "false",
       caps.stats_reset.value_or(""), SCHEMA_AUDIT_VERSION, std::to_string(result.timings.size()),
       fmt::format("{}", result.wall_ms), fmt::format("{}", result.query_ms)});
    const auto id = text(snapshot.rows.at(0), 0);
    std::vector<model::Finding> storage;
    const auto& findings = distinct_findings(result.findings, storage);

    // Whole columns as arrays: one statement per table, however many rows.
    std::vector<std::vector<std::string>> f(12);
    for (const auto& finding : findings) {
      const std::string values[] = {finding.fingerprint, finding.check_id, finding.category,
                                    std::string(model::to_string(finding.severity)),
                                    std::string(model::to_string(finding.effort)),
                                    finding.schema_name, finding.object, finding.object_type,
                                    finding.evidence.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                                    finding.message, finding.remediation, finding.undo};
      for (std::size_t c = 0; c < f.size(); ++c) {
        f[c].push_back(values[c]);
      }
    }
    std::vector<std::string> params{id};
    for (const auto& column : f) {
      params.push_back(util::pg_array_literal(column));
    }
    // Every finding points at the text of its fingerprint with the same message, remediation and
    // undo (history/postgresql/0003, 0005), found by an index lookup by fingerprint (`known`), or
    // added when there is none. The rest of the statement does not see the rows `added` inserts:
    // their ids come from its RETURNING, matched by fingerprint (unique among `findings`).
    m_impl->exec("with u as (select * from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], "
                 "$7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[]) "
                 "u(fingerprint, check_id, category, severity, effort, schema_name, object, object_type, "
                 "evidence, message, remediation, undo)), "
                 "known as (select u.fingerprint, (select min(t.id) from finding_texts t where t.fingerprint = "
                 "u.fingerprint and t.message = u.message and t.remediation = u.remediation "
                 "and t.undo = u.undo) as id from u), "
                 "added as (insert into finding_texts(fingerprint, message, remediation, undo) "
                 "select u.fingerprint, u.message, u.remediation, u.undo from u join known k using (fingerprint) "
                 "where k.id is null returning id, fingerprint) "
                 "insert into findings(snapshot_id, fingerprint, check_id, category, severity, effort, "
                 "schema_name, object, object_type, text_id, evidence) "
                 "select $1::bigint, u.fingerprint, u.check_id, u.category, u.severity, u.effort, u.schema_name, "
                 "u.object, u.object_type, coalesce(k.id, a.id), u.evidence "
                 "from u join known k using (fingerprint) left join added a using (fingerprint) "
                 "on conflict do nothing",
                 params);
    m_impl->exec("insert into fingerprint_ages(target_id, fingerprint, first_seen, snapshots) "
                 "select $1::bigint, u, $2::bigint, 1 from unnest($3::text[]) u "
                 "on conflict (target_id, fingerprint) do update set "
                 "first_seen = least(fingerprint_ages.first_seen, excluded.first_seen), "
                 "snapshots = fingerprint_ages.snapshots + 1",
                 {text(target.rows.at(0), 0), std::to_string(result.taken_at), params.at(1)});

    std::vector<std::string> t_category, t_severity, t_type, t_count, t_size, t_bloat;
    auto optional_number = [](const std::optional<double>& v) { return v ? fmt::format("{}", *v) : std::string(); };
    for (const auto& t : model::finding_totals(findings)) {
      t_category.push_back(t.category);
      t_severity.emplace_back(model::to_string(t.severity));
      t_type.push_back(t.object_type);
      t_count.push_back(std::to_string(t.findings));
      t_size.push_back(optional_number(t.size_bytes));
      t_bloat.push_back(optional_number(t.bloat_bytes));
    }
    m_impl->exec("insert into finding_totals(snapshot_id, category, severity, object_type, findings, size_bytes, "
                 "bloat_bytes) select $1::bigint, c, s, o, n::integer, nullif(z, '')::float8, nullif(b, '')::float8 "
                 "from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) u(c, s, o, n, z, b)",
                 {id, util::pg_array_literal(t_category), util::pg_array_literal(t_severity), util::pg_array_literal(t_type),
                  util::pg_array_literal(t_count), util::pg_array_literal(t_size), util::pg_array_literal(t_bloat)});

    std::vector<std::string> check_ids;
    std::vector<std::string> reasons;
    std::vector<std::string> causes;
    for (const auto& s : result.skipped) {
      check_ids.push_back(s.check_id);
      reasons.push_back(s.reason);
      causes.emplace_back(model::to_string(s.cause));
    }
    m_impl->exec("insert into skipped_checks(snapshot_id, check_id, reason, cause) "
                 "select $1::bigint, u.* from unnest($2::text[], $3::text[], $4::text[]) u on conflict do nothing",
                 {id, util::pg_array_literal(check_ids), util::pg_array_literal(reasons), util::pg_array_literal(causes)});

    std::vector<std::string> types;
    std::vector<std::string> objects;
    std::vector<std::string> metrics;
    std::vector<double> values;
    for (const auto& m : result.metrics) {
      types.push_back(m.object_type);
      objects.push_back(m.object);
      metrics.push_back(m.metric);
      values.push_back(m.value);
    }
    const auto type_array = util::pg_array_literal(types);
    const auto object_array = util::pg_array_literal(objects);
    m_impl->exec("insert into objects(object_type, name) select distinct u.* from unnest($1::text[], "
                 "$2::text[]) u on conflict do nothing",
                 {type_array, object_array});
    m_impl->exec("insert into metrics(snapshot_id, object_id, metric, value) "
                 "select $1::bigint, o.id, u.m, u.v from unnest($2::text[], $3::text[], $4::text[], "
                 "$5::float8[]) u(t, n, m, v) join objects o on o.object_type = u.t and o.name = u.n "
                 "on conflict do nothing",
                 {id, type_array, object_array, util::pg_array_literal(metrics), to_pg_float_array(values)});
    return std::stoll(id);
  });
}

std::vector<model::SnapshotInfo>
PgHistory::list(const std::optional<std::string>& name) const
{
  const auto r = m_impl->exec(
    fmt::format("select {}, (select coalesce(sum(f.findings), 0) from finding_totals f where f.snapshot_id = s.id), "
                "(select count(*) from skipped_checks k where k.snapshot_id = s.id) "
                "from snapshots s join targets t on t.id = s.target_id "
                "where not $1::boolean or t.name = $2 order by s.taken_at, s.id",
                k_snapshot_columns),
    {name ? "true" : "false", name.value_or("")});
  std::vector<model::SnapshotInfo> out;
  for (const auto& row : r.rows) {
    auto info = snapshot_info(row);
    info.finding_count = static_cast<std::size_t>(int64(row, 8));
    info.skipped_count = static_cast<std::size_t>(int64(row, 9));
    out.push_back(std::move(info));
  }
  return out;
}

std::vector<std::string>
PgHistory::target_names() const
{
  const auto r = m_impl->exec("select name from targets where id in (select target_id from snapshots) order by name");
  std::vector<std::string> out;
  for (const auto& row : r.rows) {
    out.push_back(text(row, 0));
  }
  return out;
}

model::Snapshot
PgHistory::load(std::int64_t snapshot_id) const
{
  const auto id = std::to_string(snapshot_id);
  model::Snapshot snap;
  const auto info = m_impl->exec(
    fmt::format("select {} from snapshots s join targets t on t.id = s.target_id where s.id = $1::bigint",
                k_snapshot_columns),
    {id});
  if (info.rows.empty()) {
    throw util::Fatal(util::ExitCode::history,
                      fmt::format("history database {} has no snapshot {}; list them with "
                                  "\"schema-audit history\"",
                                  m_impl->location, snapshot_id));
  }
  snap.info = snapshot_info(info.rows.front());
  const auto findings = m_impl->exec(fmt::format("select {}, {} from findings f join finding_texts t on t.id = f.text_id "
                                                 "where f.snapshot_id = $1::bigint",
                                                 k_light_finding_columns, k_full_finding_extra_columns),
                                     {id});
  snap.findings.reserve(findings.rows.size());
  for (const auto& row : findings.rows) {
    snap.findings.push_back(full_finding([&row](std::size_t column) { return text(row, column); }));
  }
  model::sort_by_priority(snap.findings);
  snap.skipped = m_impl->skipped_checks(id);
  const auto metrics = m_impl->exec("select o.object_type, o.name, m.metric, m.value from metrics m "
                                    "join objects o on o.id = m.object_id where m.snapshot_id = $1::bigint",
                                    {id});
  for (const auto& row : metrics.rows) {
    snap.metrics.push_back(model::Metric{text(row, 0), text(row, 1), text(row, 2), std::stod(text(row, 3))});
  }
  snap.info.finding_count = snap.findings.size();
  snap.info.skipped_count = snap.skipped.size();
  return snap;
}

std::optional<model::PreviousSnapshot>
PgHistory::previous(const std::string& name) const
{
  const auto latest = m_impl->exec("select s.id, s.taken_at, s.stats_reset from snapshots s join targets t on "
                                   "t.id = s.target_id where t.name = $1 order by s.taken_at desc, s.id desc limit 1",
                                   {name});
  if (latest.rows.empty()) {
    return std::nullopt;
  }
  model::PreviousSnapshot prev;
  const auto& row = latest.rows.front();
  prev.taken_at = int64(row, 1);
  prev.stats_reset = row.at(2);
  const auto metrics = m_impl->exec("select o.object_type, o.name, m.metric, m.value from metrics m "
                                    "join objects o on o.id = m.object_id where m.snapshot_id = $1::bigint",
                                    {text(row, 0)});
  for (const auto& m : metrics.rows) {
    prev.metrics[model::metric_key(text(m, 0), text(m, 1), text(m, 2))] = std::stod(text(m, 3));
  }
  for (auto& [fingerprint, age] : fingerprint_ages(name)) {
    prev.first_seen.emplace(fingerprint, age.first_seen);
  }
  return prev;
}

model::Snapshot
PgHistory::load_light(const model::SnapshotInfo& info) const
{
  model::Snapshot snap;
  snap.info = info;
  const auto rows = m_impl->exec(
    fmt::format("select {} from findings f where f.snapshot_id = $1::bigint", k_light_finding_columns),
    {std::to_string(info.id)});
  snap.findings.reserve(rows.rows.size());
  for (const auto& row : rows.rows) {
    snap.findings.push_back(light_finding([&row](std::size_t column) { return text(row, column); }));
  }
  snap.skipped = m_impl->skipped_checks(std::to_string(info.id));
  return snap;
}

std::vector<model::HistoryStore::SnapshotTotal>
PgHistory::finding_totals(const std::string& name) const
{
  const auto rows = m_impl->exec("select s.id, f.category, f.severity, f.object_type, f.findings, f.size_bytes, "
                                 "f.bloat_bytes from finding_totals f join snapshots s on s.id = f.snapshot_id "
                                 "join targets t on t.id = s.target_id where t.name = $1",
                                 {name});
  std::vector<SnapshotTotal> out;
  for (const auto& row : rows.rows) {
    SnapshotTotal r;
    r.snapshot_id = int64(row, 0);
    r.total.category = text(row, 1);
    r.total.severity = model::parse_severity(text(row, 2)).value_or(model::Severity::medium);
    r.total.object_type = text(row, 3);
    r.total.findings = int64(row, 4);
    if (row.at(5)) {
      r.total.size_bytes = std::stod(*row[5]);
    }
    if (row.at(6)) {
      r.total.bloat_bytes = std::stod(*row[6]);
    }
    out.push_back(std::move(r));
  }
  return out;
}

model::FingerprintAges
PgHistory::fingerprint_ages(const std::string& name) const
{
  const auto rows = m_impl->exec("select a.fingerprint, a.first_seen, a.snapshots from fingerprint_ages a "
                                 "join targets t on t.id = a.target_id where t.name = $1",
                                 {name});
  model::FingerprintAges out;
  out.reserve(rows.rows.size());
  for (const auto& row : rows.rows) {
    out.emplace(text(row, 0), model::FingerprintAge{int64(row, 1), static_cast<int>(int64(row, 2))});
  }
  return out;
}

std::vector<model::HistoryStore::EvidenceRow>
PgHistory::evidence_values(const std::string& name,
                           const std::vector<std::string>& fingerprints,
                           const std::string& key) const
{
  if (fingerprints.empty()) {
    return {};
  }
  const auto rows = m_impl->exec("select f.snapshot_id, f.fingerprint, (f.evidence::jsonb ->> $3::text)::float8 "
                                 "from findings f join snapshots s on s.id = f.snapshot_id "
                                 "join targets t on t.id = s.target_id "
                                 "where t.name = $1 and f.fingerprint = any($2::text[]) "
                                 "and jsonb_typeof(f.evidence::jsonb -> $3::text) = 'number'",
                                 {name, util::pg_array_literal(fingerprints), key});
  std::vector<EvidenceRow> out;
  for (const auto& row : rows.rows) {
    out.push_back(EvidenceRow{int64(row, 0), text(row, 1), std::stod(text(row, 2))});
  }
  return out;
}

std::vector<model::HistoryStore::MetricRow>
PgHistory::metric_rows(const std::string& name,
                       const std::string& object_type,
                       const std::string& metric,
                       const std::vector<std::string>& objects) const
{
  const auto rows = m_impl->exec("select s.id, o.name, m.value from targets t "
                                 "join snapshots s on s.target_id = t.id "
                                 "join metrics m on m.snapshot_id = s.id and m.metric = $3 "
                                 "join objects o on o.id = m.object_id "
                                 "where t.name = $1 and o.object_type = $2 "
                                 "and (not $4::boolean or o.name = any($5::text[])) "
                                 "order by s.taken_at, s.id",
                                 {name, object_type, metric, objects.empty() ? "false" : "true",
                                  util::pg_array_literal(objects)});
  std::vector<MetricRow> out;
  for (const auto& row : rows.rows) {
    out.push_back(MetricRow{int64(row, 0), text(row, 1), std::stod(text(row, 2))});
  }
  return out;
}

} // namespace store
