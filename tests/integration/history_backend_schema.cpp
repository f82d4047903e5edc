// The two sets of migrations (history/*.sql for SQLite, history/postgresql/*.sql) must give the
// same history: every migration applied on each backend gives the same tables, columns (types
// normalised), primary keys, unique constraints, indexes and foreign keys, and the same snapshot
// saved into each reads back the same through every reader.
#include "store/history_store.hpp"
#include "store/migrations.hpp"
#include "support/sqlite_file.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <sstream>

using Mode = model::HistoryStore::Mode;

namespace {

// One line per column, default, key, index and foreign key, sorted.
std::vector<std::string>
sorted_lines(const std::string& text)
{
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

// The schema of the SQLite history at `path`, described as schema_of_postgres() describes it.
std::vector<std::string>
schema_of_sqlite(const std::string& path)
{
  const char* const normalised_type = "case when upper(p.type) like '%INT%' then 'integer' "
                                      "when upper(p.type) in ('REAL', 'DOUBLE PRECISION', 'FLOAT') then 'real' "
                                      "else lower(p.type) end";
  const auto sql = fmt::format(
    "with tables as (select name from sqlite_schema where type = 'table' and name not like 'sqlite_%'), "
    "lines as ("
    "select 'column ' || t.name || '.' || p.name || ' ' || {} "
    "|| case when p.\"notnull\" or p.pk > 0 then ' not null' else '' end as line "
    "from tables t, pragma_table_info(t.name) p "
    "union all select 'default ' || t.name || '.' || p.name || ' ' || p.dflt_value "
    "from tables t, pragma_table_info(t.name) p where p.dflt_value is not null "
    "union all select 'primary key ' || t.name || '(' || (select group_concat(name, ', ') from "
    "(select name from pragma_table_info(t.name) where pk > 0 order by pk)) || ')' "
    "from tables t where exists (select 1 from pragma_table_info(t.name) where pk > 0) "
    "union all select case when i.origin = 'u' then 'unique ' || t.name else 'index ' || i.name || ' on ' || t.name "
    "|| case when i.\"unique\" then ' unique' else '' end end "
    "|| '(' || (select group_concat(name, ', ') from (select name from pragma_index_info(i.name) order by seqno)) || ')' "
    "from tables t, pragma_index_list(t.name) i where i.origin in ('u', 'c') "
    "union all select 'foreign key ' || t.name || '(' || f.\"from\" || ') references ' || f.\"table\" || '(' || f.\"to\" "
    "|| ')' || case when f.on_delete = 'CASCADE' then ' on delete cascade' else '' end "
    "from tables t, pragma_foreign_key_list(t.name) f) "
    "select group_concat(line, char(10)) from lines",
    normalised_type);
  return sorted_lines(test::sqlite_scalar(path, sql).value_or(""));
}

// The schema of the PostgreSQL history in `db` (schema schema_audit, without its version table,
// which SQLite keeps in PRAGMA user_version).
std::vector<std::string>
schema_of_postgres(const test::ScratchDb& db)
{
  const char* const sql =
    "with tables as (select c.oid, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace "
    "where n.nspname = 'schema_audit' and c.relkind = 'r' and c.relname <> 'version'), "
    "lines as ("
    "select format('column %s.%s %s%s', t.relname, a.attname, "
    "case when y.typname in ('int2', 'int4', 'int8') then 'integer' when y.typname in ('float4', 'float8') "
    "then 'real' else y.typname end, case when a.attnotnull then ' not null' else '' end) as line "
    "from tables t join pg_attribute a on a.attrelid = t.oid and a.attnum > 0 and not a.attisdropped "
    "join pg_type y on y.oid = a.atttypid "
    "union all select format('default %s.%s %s', t.relname, a.attname, "
    "regexp_replace(pg_get_expr(d.adbin, d.adrelid), '::text$', '')) "
    "from tables t join pg_attrdef d on d.adrelid = t.oid "
    "join pg_attribute a on a.attrelid = t.oid and a.attnum = d.adnum "
    "union all select case when i.indisprimary then 'primary key ' || t.relname "
    "when exists (select 1 from pg_constraint k where k.conindid = i.indexrelid and k.contype = 'u') "
    "then 'unique ' || t.relname "
    "else format('index %s on %s%s', x.relname, t.relname, case when i.indisunique then ' unique' else '' end) end "
    "|| '(' || (select string_agg(a.attname, ', ' order by k.n) from unnest(i.indkey) with ordinality k(attnum, n) "
    "join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum) || ')' "
    "from tables t join pg_index i on i.indrelid = t.oid join pg_class x on x.oid = i.indexrelid "
    "union all select format('foreign key %s(%s) references %s(%s)%s', t.relname, a.attname, r.relname, "
    "ra.attname, case when k.confdeltype = 'c' then ' on delete cascade' else '' end) "
    "from tables t join pg_constraint k on k.conrelid = t.oid and k.contype = 'f' "
    "join pg_attribute a on a.attrelid = t.oid and a.attnum = k.conkey[1] "
    "join pg_class r on r.oid = k.confrelid join pg_attribute ra on ra.attrelid = r.oid and ra.attnum = k.confkey[1]) "
    "select string_agg(line, E'\\n') from lines";
  return sorted_lines(db.scalar(sql).value_or(""));
}

model::AuditResult
sample_result(std::int64_t taken_at, double scale)
{
  model::AuditResult r;
  r.target = model::Target{"/tmp/sock", "5432", "app", "auditor"};
  r.capabilities.server_version_num = 150004;
  r.capabilities.server_version = "15.4";
  r.capabilities.stats_reset = "2026-01-01T00:00:00Z";
  r.taken_at = taken_at;
  for (int i = 0; i < 3; ++i) {
    model::Finding f;
    f.check_id = i ? "unused_index" : "table_bloat";
    f.category = f.check_id;
    f.severity = i ? model::Severity::low : model::Severity::high;
    f.effort = model::Effort::medium;
    f.schema_name = "App Data \"v2\"";
    f.object = fmt::format("App Data \"v2\".o{}", i);
    f.object_type = i ? "index" : "table";
    f.message = fmt::format("object {} is 'odd'\nand {{braced}}", i);
    f.evidence = nlohmann::json{{"size_bytes", 8192 * (i + 1) * scale}, {"bloat_bytes", 0.5 * scale}, {"n", "text"}};
    f.remediation = "set lock_timeout = '5s';";
    f.undo = i == 1 ? "select 1;" : "";
    f.fingerprint = model::make_fingerprint(f.check_id, f.object);
    r.findings.push_back(f);
  }
  r.skipped.push_back(model::SkippedCheck{"index_bloat", "timed out", model::SkipCause::statement_timeout});
  r.metrics.push_back(model::Metric{"table", "public.t", "size_bytes", 1e15 * scale});
  r.metrics.push_back(model::Metric{"index", "public.i", "idx_scan", 0.1 * scale});
  r.wall_ms = 12.5;
  r.query_ms = 20.25;
  // The catalog: at scale 2 a column renamed and retyped, an index turned invalid, a view gone.
  const bool later = scale == 2;
  model::Catalog catalog{
    {"table", 16384, 0, "\"App Data \"\"v2\"\"\".o0", "o0", model::attrs_json({{"kind", "plain"}, {"persistence", "permanent"}})},
    {"column", 16384, 1, later ? "\"App Data \"\"v2\"\"\".o0.deprecated_a" : "\"App Data \"\"v2\"\"\".o0.a",
     later ? "deprecated_a" : "a",
     model::attrs_json({{"type", later ? "bigint" : "integer"}, {"not_null", "no"}, {"default", "'x'::text"}})},
    {"index", 16390, 0, "\"App Data \"\"v2\"\"\".o0.o1", "o1",
     model::attrs_json({{"definition", "USING btree (a)"}, {"valid", later ? "no" : "yes"}})}};
  if (!later) {
    catalog.push_back({"view", 16400, 0, "public.v", "v", model::attrs_json({{"kind", "plain"}, {"definition_md5", "abc"}})});
  }
  r.catalog = std::make_shared<const model::AuditCatalog>(catalog);
  return r;
}

// Everything the readers of `h` return, one line each (sorted: the readers promise no order of
// their rows but for snapshots and findings).
std::string
everything_read(const model::HistoryStore& h)
{
  std::vector<std::string> lines;
  for (const auto& info : h.list()) {
    const auto id = info.id;
    lines.push_back(fmt::format("{} snapshot {} {} {} {} {} {} {} {} {}", id, info.target_name, info.host, info.port,
                                info.dbname, info.taken_at, info.server_version, info.stats_reset.value_or("-"),
                                info.finding_count, info.skipped_count));
    const auto snap = h.load(id);
    for (const auto& f : snap.findings) {
      lines.push_back(fmt::format("{} finding {} {} {} {} {} [{}] [{}] [{}] [{}] [{}] [{}] [{}]", id, f.fingerprint,
                                  f.check_id, f.category, model::to_string(f.severity), model::to_string(f.effort),
                                  f.schema_name, f.object, f.object_type, f.message, f.evidence.dump(), f.remediation,
                                  f.undo));
    }
    for (const auto& s : snap.skipped) {
      lines.push_back(fmt::format("{} skipped {} {} {}", id, s.check_id, s.reason, model::to_string(s.cause)));
    }
    for (const auto& m : snap.metrics) {
      lines.push_back(fmt::format("{} metric {} {} {} {}", id, m.object_type, m.object, m.metric, m.value));
    }
    for (const auto& f : h.load_light(info).findings) {
      lines.push_back(fmt::format("{} light {} {} {} [{}]", id, f.fingerprint, f.check_id, f.object, f.message));
    }
  }
  for (const auto& name : h.target_names()) {
    for (const auto& row : h.finding_totals(name)) {
      const auto& t = row.total;
      lines.push_back(fmt::format("{} total {} {} {} {} {} {}", row.snapshot_id, t.category, model::to_string(t.severity),
                                  t.object_type, t.findings, t.size_bytes.value_or(-1), t.bloat_bytes.value_or(-1)));
    }
    // the ages of the fingerprints of the target's snapshots, which are all it has
    std::vector<std::string> fingerprints;
    for (const auto& info : h.list(name)) {
      for (const auto& f : h.load(info.id).findings) {
        fingerprints.push_back(f.fingerprint);
      }
    }
    std::sort(fingerprints.begin(), fingerprints.end());
    fingerprints.erase(std::unique(fingerprints.begin(), fingerprints.end()), fingerprints.end());
    const auto ages = h.fingerprint_ages(name);
    lines.push_back(fmt::format("{} ages of {} fingerprint(s)", name, ages.size()));
    for (const auto& fingerprint : fingerprints) {
      const auto age = ages.find(fingerprint).value_or(model::FingerprintAge{-1, -1});
      lines.push_back(fmt::format("{} age {} {} {}", name, fingerprint, age.first_seen, age.snapshots));
    }
    for (const auto* key : {"size_bytes", "n", "missing"}) {
      for (const auto& row : h.evidence_values(name, fingerprints, key)) {
        lines.push_back(fmt::format("{} evidence {} {} {}", row.snapshot_id, key, row.fingerprint, row.value));
      }
    }
    for (const auto& row : h.metric_rows(name, "table", "size_bytes", {})) {
      lines.push_back(fmt::format("{} metric row {} {}", row.snapshot_id, row.object, row.value));
    }
    for (const auto& snapshot : h.catalog_changes(name)) {
      lines.push_back(fmt::format("{} catalog at {}", snapshot.snapshot_id, snapshot.taken_at));
      for (const auto& c : snapshot.changes) {
        lines.push_back(fmt::format("{} change {} {} {} {} [{}] [{}] [{}] [{}] [{}] [{}]", snapshot.snapshot_id,
                                    model::to_string(c.change), c.kind, c.oid, c.sub, c.object, c.name, c.attribute,
                                    c.before, c.after, c.note));
      }
    }
    for (const auto& [id, counts] : h.catalog_counts(name)) {
      for (const auto& [kind, n] : counts) {
        lines.push_back(fmt::format("{} count {} {}", id, kind, n));
      }
    }
    for (const auto& o : h.latest_catalog(name)) {
      lines.push_back(fmt::format("{} object {} {} {} [{}] [{}] {}", name, o.kind, o.oid, o.sub, o.label, o.name,
                                  o.attrs));
    }
    if (const auto prev = h.previous(name)) {
      lines.push_back(fmt::format("{} previous {} {} {} metrics", name, prev->taken_at, prev->stats_reset.value_or("-"),
                                  prev->metrics.size()));
    }
  }
  std::sort(lines.begin(), lines.end());
  return fmt::format("{}\n", fmt::join(lines, "\n"));
}

} // namespace

TEST_CASE("history backends: every migration gives both backends the same schema and data", "[integration][history_backend]")
{
  const auto dir = std::filesystem::temp_directory_path() / ("sa-history-schema-" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(dir);
  const auto path = (dir / "history.db").string();
  const test::ScratchDb db;
  const auto sqlite = store::open_history(path, Mode::read_write);
  const auto postgres = store::open_history(db.conninfo(), Mode::read_write);

  const auto sqlite_schema = schema_of_sqlite(path);
  CHECK(sqlite_schema.size() > 60);
  CHECK(std::count(sqlite_schema.begin(), sqlite_schema.end(), "index finding_texts_words_key on finding_texts(words_key)")
        == 1);
  CHECK(sqlite_schema == schema_of_postgres(db));

  for (auto* history : {sqlite.get(), postgres.get()}) {
    history->save(sample_result(100, 1), "app");
    history->save(sample_result(200, 2), "app");
    history->save(sample_result(150, 3), "other");
  }
  const auto read = everything_read(*sqlite);
  CHECK(read.find("evidence size_bytes") != std::string::npos);
  CHECK(read.find("evidence n ") == std::string::npos); // a string is no number
  CHECK(read.find("change renamed column 16384 1") != std::string::npos);
  CHECK(read.find("[type] [integer] [bigint]") != std::string::npos);
  CHECK(read.find("change dropped view") != std::string::npos);
  CHECK(read == everything_read(*postgres));
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

TEST_CASE("history migrations: one file spelled for each backend", "[unit][history_backend]")
{
  const char* const sql = "create table t (id {id}, n {bigint} not null, v {real}) {without rowid};";
  CHECK(store::migration_sql(sql, store::Dialect::sqlite)
        == "create table t (id integer primary key, n integer not null, v real) without rowid;");
  CHECK(store::migration_sql(sql, store::Dialect::postgresql)
        == "create table t (id bigint generated by default as identity primary key, n bigint not null, "
           "v double precision) ;");
  // The same numbers; 1 to 5, written twice, are PostgreSQL's own files.
  const auto sqlite = store::migrations(store::Dialect::sqlite);
  const auto postgres = store::migrations(store::Dialect::postgresql);
  REQUIRE(sqlite.size() == postgres.size());
  REQUIRE(sqlite.size() >= 5);
  for (std::size_t i = 0; i < sqlite.size(); ++i) {
    CHECK(sqlite[i].version == postgres[i].version);
    CHECK(sqlite[i].path.find("postgresql") == std::string::npos);
    CHECK((sqlite[i].version > 5 || postgres[i].path.rfind("history/postgresql/", 0) == 0));
  }
}
