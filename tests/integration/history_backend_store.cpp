// The same store tests against both history backends: a SQLite file and a PostgreSQL database
// on the test cluster.
#include "store/history_store.hpp"
#include "store/migrations.hpp"
#include "support/sqlite_file.hpp"
#include "support/test_db.hpp"
#include "util/error.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <regex>
#include <set>
#include <map>
#include <random>

using model::HistoryStore;
using Mode = model::HistoryStore::Mode;

namespace {

// An empty history of `kind`: a file in a fresh temp dir, or a fresh database.
class StoreUnderTest
{
public:
  explicit StoreUnderTest(const std::string& kind)
    : m_kind(kind)
  {
    if (kind == "postgresql") {
      m_db.emplace();
      m_location = m_db->conninfo();
    } else {
      m_dir = std::filesystem::temp_directory_path() / ("sa-history-" + std::to_string(std::random_device{}()));
      std::filesystem::create_directories(m_dir);
      m_location = (m_dir / "history.db").string();
    }
  }
  ~StoreUnderTest()
  {
    if (!m_dir.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(m_dir, ec);
    }
  }

  std::unique_ptr<HistoryStore> open(Mode mode = Mode::read_write) const { return store::open_history(m_location, mode); }

  // Runs `postgresql` or `sqlite` against the store's database directly, behind its back.
  void raw(const std::string& postgresql, const std::string& sqlite) const
  {
    if (m_db) {
      m_db->exec(postgresql);
    } else {
      test::sqlite_exec(m_location, sqlite);
    }
  }

  // The number `postgresql` or `sqlite` counts in the store's database, behind its back.
  std::int64_t count(const std::string& postgresql, const std::string& sqlite) const
  {
    const auto value = m_db ? m_db->scalar(postgresql) : test::sqlite_scalar(m_location, sqlite);
    return std::stoll(value.value_or("-1"));
  }

  // Takes the store back to history schema 8: findings a table again, with every state it held
  // (what history/0009_finding_states.sql migrates from).
  void downgrade_to_v8() const
  {
    const auto sql = [](const std::string& s, const std::string& id_type, const std::string& table_options) {
      // (the view's columns as schema 9 made it: later schemas add some)
      return fmt::format("create table {0}findings_v9 as select snapshot_id, fingerprint, check_id, category, severity, "
                         "effort, schema_name, object, object_type, text_id, evidence, confidence, group_id "
                         "from {0}findings; drop view {0}findings; "
                         "drop table {0}snapshot_findings; drop table {0}finding_states; "
                         "create table {0}findings (snapshot_id {1} not null references {0}snapshots(id) on delete cascade, "
                         "fingerprint text not null, check_id text not null, category text not null, "
                         "severity text not null, effort text not null, schema_name text not null, "
                         "object text not null, object_type text not null, "
                         "text_id {1} not null references {0}finding_texts(id), evidence text not null, "
                         "confidence text not null default '', group_id text not null default '', "
                         "primary key (snapshot_id, fingerprint)) {2}; "
                         "insert into {0}findings select * from {0}findings_v9; drop table {0}findings_v9; "
                         "create index findings_fingerprint on {0}findings(fingerprint); ",
                         s, id_type, table_options);
    };
    raw(sql("schema_audit.", "bigint", "") + "delete from schema_audit.version where version >= 9",
        sql("", "integer", "without rowid") + "pragma user_version = 8");
  }

  // Takes the store back to history schema 2: findings with their message and remediation
  // again, no finding_texts (what history/0003_finding_texts.sql migrates from), no skipped_checks.cause (0004).
  void downgrade_to_v2() const
  {
    // Schema 2 kept the words as they are: the schema's name is put back where schema 10 marked
    // it (store/schema_marked.hpp; these words hold no byte 0x01 of their own).
    const auto sql = [](const std::string& s, const std::string& id_type, const std::string& table_options,
                        const std::string& schema_mark) {
      return fmt::format("alter table {0}findings rename to findings_v3; "
                         "create table {0}findings (snapshot_id {1} not null references {0}snapshots(id) on delete cascade, "
                         "fingerprint text not null, check_id text not null, category text not null, "
                         "severity text not null, effort text not null, schema_name text not null, "
                         "object text not null, object_type text not null, message text not null, "
                         "evidence text not null, remediation text not null, "
                         "primary key (snapshot_id, fingerprint)) {2}; "
                         "insert into {0}findings select f.snapshot_id, f.fingerprint, f.check_id, f.category, "
                         "f.severity, f.effort, f.schema_name, f.object, f.object_type, "
                         "replace(t.message, {3}, f.schema_name), f.evidence, replace(t.remediation, {3}, f.schema_name) "
                         "from {0}findings_v3 f join {0}finding_texts t on t.id = f.text_id; "
                         "drop table {0}findings_v3; drop table {0}finding_texts; ",
                         s, id_type, table_options, schema_mark);
    };
    downgrade_to_v8();
    drop_columns_added_after(2);
    raw("alter index schema_audit.findings_pkey rename to findings_v3_pkey; "
          + sql("schema_audit.", "bigint", "", "chr(1) || 's'") + "delete from schema_audit.version where version >= 3",
        sql("", "integer", "without rowid", "char(1) || 's'") + "pragma user_version = 2");
    drop_tables_added_after(2);
  }

  // Takes the store back to history schema 4: without the columns later migrations add (finding
  // texts without their undo: what history/0005_finding_undo.sql migrates from).
  void downgrade_to_v4() const
  {
    downgrade_to_v8();
    drop_columns_added_after(4);
    raw("delete from schema_audit.version where version >= 5", "pragma user_version = 4");
    drop_tables_added_after(4);
  }

  // Drops every column that a migration after `version` adds ("alter table T add column C"),
  // newest first, with the indexes those migrations create (SQLite drops no column an index
  // names), so that migrating again adds them again: a new migration that adds a column needs
  // no change here. A table the downgrade's own SQL dropped already keeps none to drop.
  void drop_columns_added_after(int version) const
  {
    static const std::regex k_add_column(R"(alter\s+table\s+(\w+)\s+add\s+column\s+(\w+))", std::regex::icase);
    static const std::regex k_create_index(R"(create\s+index\s+(\w+))", std::regex::icase);
    const auto exists = [this](const std::string& table) {
      return count(fmt::format("select count(*) from information_schema.tables where table_schema = 'schema_audit' "
                               "and table_name = '{}'", table),
                   fmt::format("select count(*) from sqlite_master where type = 'table' and name = '{}'", table)) > 0;
    };
    auto all = store::migrations(store::Dialect::sqlite);
    std::reverse(all.begin(), all.end());
    for (const auto& m : all) {
      if (m.version <= version) {
        continue;
      }
      for (std::sregex_iterator it(m.sql.begin(), m.sql.end(), k_create_index), end; it != end; ++it) {
        raw(fmt::format("drop index if exists schema_audit.{}", (*it)[1].str()),
            fmt::format("drop index if exists {}", (*it)[1].str()));
      }
      for (std::sregex_iterator it(m.sql.begin(), m.sql.end(), k_add_column), end; it != end; ++it) {
        const auto table = (*it)[1].str();
        const auto column = (*it)[2].str();
        if (!exists(table)) {
          continue;
        }
        raw(fmt::format("alter table schema_audit.{} drop column {}", table, column),
            fmt::format("alter table {} drop column {}", table, column));
      }
    }
  }

  // Drops every table that a migration after `version` creates and none up to it had (history/
  // 0008's catalog tables), so that migrating again creates them again: a new migration that
  // adds a table needs no change here. Runs after a downgrade's own SQL (which may drop some).
  void drop_tables_added_after(int version) const
  {
    static const std::regex k_create_table(R"(create\s+table\s+(\w+))", std::regex::icase);
    std::set<std::string> had;
    std::vector<std::string> added;
    for (const auto& m : store::migrations(store::Dialect::sqlite)) {
      for (std::sregex_iterator it(m.sql.begin(), m.sql.end(), k_create_table), end; it != end; ++it) {
        if (m.version <= version) {
          had.insert((*it)[1].str());
        } else if (!had.count((*it)[1].str())) {
          added.push_back((*it)[1].str());
        }
      }
    }
    for (auto t = added.rbegin(); t != added.rend(); ++t) {
      raw(fmt::format("drop table if exists schema_audit.{}", *t), fmt::format("drop table if exists {}", *t));
    }
  }

  const std::string& kind() const { return m_kind; }

private:
  std::string m_kind;
  std::optional<test::ScratchDb> m_db;
  std::filesystem::path m_dir;
  std::string m_location;
};

model::Finding
make_finding(const std::string& check, const std::string& object, model::Severity severity)
{
  model::Finding f;
  f.check_id = check;
  f.category = check;
  f.severity = severity;
  f.effort = model::Effort::medium;
  f.schema_name = "App Data \"v2\"";
  f.object = object;
  f.object_type = "index";
  f.message = "index " + object + " is 'odd', \"quoted\", {braced}, back\\slashed\nand on two lines";
  f.evidence = nlohmann::json{{"size_bytes", 8192}, {"ratio", 0.25}};
  f.remediation = "set lock_timeout = '5s';\ndrop index concurrently if exists \"x\";";
  f.fingerprint = model::make_fingerprint(check, "index:" + object);
  return f;
}

model::AuditResult
make_result(std::int64_t taken_at, std::vector<model::Finding> findings, double metric_value)
{
  model::AuditResult r;
  r.target = model::Target{"/tmp/sock", "5432", "app", "auditor"};
  r.capabilities.server_version_num = 150004;
  r.capabilities.server_version = "15.4";
  r.capabilities.stats_reset = "2026-01-01T00:00:00Z";
  r.taken_at = taken_at;
  r.findings = std::move(findings);
  r.skipped.push_back(model::SkippedCheck{"index_bloat", "cancelled by another session (pg_cancel_backend, SQLSTATE 57014)",
                                          model::SkipCause::cancelled});
  r.metrics.push_back(model::Metric{"table", "public.t", "size_bytes", metric_value});
  r.metrics.push_back(model::Metric{"table", "public.t", "n_live_tup", 0.1});
  r.metrics.push_back(model::Metric{"sequence", "App Data \"v2\".s{1}", "usage_pct", 1e15});
  r.timings.push_back(model::CheckTiming{"invalid_index", 1.5, 3});
  r.wall_ms = 12.5;
  r.query_ms = 20.25;
  return r;
}

// The objects `snap`'s findings name.
std::set<std::string>
objects_of(const model::Snapshot& snap)
{
  std::set<std::string> out;
  for (const auto& f : snap.findings) {
    out.insert(f.object);
  }
  return out;
}

} // namespace

TEST_CASE("history backends: a snapshot loads back as it was saved", "[integration][history_backend]")
{
  const StoreUnderTest under(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
  INFO(under.kind());
  auto critical = make_finding("invalid_index", "public.a<script>", model::Severity::critical);
  critical.undo = "-- 'nothing' to undo:\nselect 1;";
  const auto saved =
    make_result(1767225600, {critical, make_finding("unused_index", "App Data \"v2\".b|c", model::Severity::low)}, 16384);
  std::int64_t id = 0;
  {
    const auto history = under.open();
    id = history->save(saved, "app's \"db\"");
  }
  const auto history = under.open(Mode::read_only);
  const auto list = history->list();
  REQUIRE(list.size() == 1);
  CHECK(list[0].id == id);
  CHECK(list[0].target_name == "app's \"db\"");
  CHECK(list[0].dbname == "app");
  CHECK(list[0].host == "/tmp/sock");
  CHECK(list[0].taken_at == 1767225600);
  CHECK(list[0].finding_count == 2);
  CHECK(list[0].skipped_count == 1);
  CHECK(history->target_names() == std::vector<std::string>{"app's \"db\""});

  const auto snap = history->load(id);
  CHECK(snap.info.server_version == "15.4");
  CHECK(snap.info.stats_reset == std::optional<std::string>("2026-01-01T00:00:00Z"));
  REQUIRE(snap.findings.size() == 2);
  const auto& f = snap.findings[0]; // fix-first: the critical one
  const auto& want = saved.findings[0];
  CHECK(f.object == want.object);
  CHECK(f.fingerprint == want.fingerprint);
  CHECK(f.severity == model::Severity::critical);
  CHECK(f.effort == model::Effort::medium);
  CHECK(f.schema_name == want.schema_name);
  CHECK(f.message == want.message);
  CHECK(f.remediation == want.remediation);
  CHECK(f.undo == want.undo);
  CHECK(f.evidence == want.evidence);
  CHECK(snap.findings[1].object == "App Data \"v2\".b|c");
  CHECK(snap.findings[1].undo.empty());
  REQUIRE(snap.skipped.size() == 1);
  CHECK(snap.skipped[0].reason == saved.skipped[0].reason);
  CHECK(snap.skipped[0].cause == model::SkipCause::cancelled); // history schema 4
  REQUIRE(snap.metrics.size() == 3);
  for (const auto& m : saved.metrics) {
    const auto it = std::find_if(snap.metrics.begin(), snap.metrics.end(), [&](const model::Metric& x) {
      return x.object_type == m.object_type && x.object == m.object && x.metric == m.metric;
    });
    REQUIRE(it != snap.metrics.end());
    CHECK(it->value == m.value);
  }
  CHECK_THROWS_AS(history->load(id + 1000), util::Fatal);
}

TEST_CASE("history backends: previous is the latest snapshot, first seen spans the history", "[integration][history_backend]")
{
  const StoreUnderTest under(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
  INFO(under.kind());
  const auto a = make_finding("invalid_index", "public.a", model::Severity::high);
  const auto b = make_finding("invalid_index", "public.b", model::Severity::high);
  const auto c = make_finding("invalid_index", "public.c", model::Severity::high);
  const auto history = under.open();
  CHECK_FALSE(history->previous("app").has_value());
  history->save(make_result(100, {a}, 1), "app");
  history->save(make_result(50, {c}, 7), "other");
  history->save(make_result(200, {a, b}, 2), "app");

  const auto prev = history->previous("app");
  REQUIRE(prev.has_value());
  CHECK(prev->taken_at == 200);
  CHECK(prev->stats_reset == std::optional<std::string>("2026-01-01T00:00:00Z"));
  CHECK(prev->metrics.find("table", "public.t", "size_bytes") == 2);
  CHECK(prev->first_seen.find(a.fingerprint)->first_seen == 100);
  CHECK(prev->first_seen.find(b.fingerprint)->first_seen == 200);
  CHECK_FALSE(prev->first_seen.find(c.fingerprint));
  CHECK(prev->first_seen.size() == 2);
  CHECK_FALSE(history->previous("nobody").has_value());

  const auto app = history->list(std::string("app"));
  REQUIRE(app.size() == 2);
  CHECK(app[0].taken_at == 100);
  CHECK(app[1].taken_at == 200);
  CHECK(history->list().size() == 3);
  CHECK(history->target_names() == std::vector<std::string>{"app", "other"});
}

TEST_CASE("history backends: the metrics' objects are found in a history of one database and of many",
          "[integration][history_backend]")
{
  // The save reads the objects table whole when it holds not many more objects than the
  // snapshot's, and looks each one up otherwise: both find the stored ones and add the new ones.
  const StoreUnderTest under(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
  INFO(under.kind());
  const auto objects = [&] { return under.count("select count(*) from schema_audit.objects", "select count(*) from objects"); };
  const auto history = under.open();
  history->save(make_result(100, {}, 1), "app"); // one database: a pass over the table
  history->save(make_result(200, {}, 2), "app");
  REQUIRE(objects() == 2);
  CHECK(history->previous("app")->metrics.find("table", "public.t", "size_bytes") == 2);

  auto many = make_result(300, {}, 3); // another database's 20 tables (a pass: 2 stored, 22 here)
  for (int i = 0; i < 20; ++i) {
    many.metrics.push_back(model::Metric{"table", fmt::format("other.t{}", i), "n_live_tup", double(i)});
  }
  history->save(many, "other");
  REQUIRE(objects() == 22);
  auto app = make_result(400, {}, 4); // 3 objects in a table of 22: lookups
  app.metrics.push_back(model::Metric{"table", "public.new", "n_live_tup", 5});
  history->save(app, "app");
  CHECK(objects() == 23);
  const auto prev = history->previous("app");
  CHECK(prev->metrics.find("table", "public.t", "size_bytes") == 4);
  CHECK(prev->metrics.find("table", "public.new", "n_live_tup") == 5);
  CHECK(prev->metrics.find("sequence", "App Data \"v2\".s{1}", "usage_pct") == 1e15);
  CHECK(history->previous("other")->metrics.find("table", "other.t19", "n_live_tup") == 19);
}

TEST_CASE("history backends: what trend reports read over many snapshots", "[integration][history_backend]")
{
  const StoreUnderTest under(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
  INFO(under.kind());
  auto a = make_finding("invalid_index", "public.a", model::Severity::high);
  auto b = make_finding("unused_index", "public.b", model::Severity::low);
  auto seq = make_finding("sequence_overflow", "public.s", model::Severity::medium);
  seq.evidence = nlohmann::json{{"usage_pct", 40.5}};
  auto other = make_finding("invalid_index", "public.c", model::Severity::high);
  const auto history = under.open();
  history->save(make_result(100, {a, seq}, 1), "app");
  history->save(make_result(150, {other}, 9), "other");
  seq.evidence["usage_pct"] = 45.0;
  // The same fingerprint twice in one result: stored and counted once.
  history->save(make_result(200, {a, b, seq, b}, 2), "app");

  const auto snaps = history->list(std::string("app"));
  REQUIRE(snaps.size() == 2);
  CHECK(snaps[1].finding_count == 3);

  // Totals per snapshot: counts by category/severity/object type, evidence sums (none: null).
  std::map<std::pair<std::int64_t, std::string>, model::FindingTotal> totals;
  for (const auto& row : history->finding_totals("app")) {
    totals[{row.snapshot_id, row.total.category}] = row.total;
  }
  REQUIRE(totals.size() == 5);
  const auto& unused = totals.at({snaps[1].id, "unused_index"});
  CHECK(unused.findings == 1);
  CHECK(unused.severity == model::Severity::low);
  CHECK(unused.object_type == "index");
  CHECK(unused.size_bytes == std::optional<double>(8192));
  CHECK_FALSE(unused.bloat_bytes.has_value());
  CHECK_FALSE(totals.at({snaps[0].id, "sequence_overflow"}).size_bytes.has_value());
  CHECK(totals.at({snaps[1].id, "invalid_index"}).findings == 1);

  const auto ages = history->fingerprint_ages("app");
  CHECK(ages.size() == 3);
  CHECK(ages.find(a.fingerprint)->first_seen == 100);
  CHECK(ages.find(a.fingerprint)->snapshots == 2);
  CHECK(ages.find(b.fingerprint)->first_seen == 200);
  CHECK(ages.find(b.fingerprint)->snapshots == 1);
  CHECK_FALSE(ages.find(other.fingerprint));

  std::map<std::int64_t, double> usage;
  for (const auto& row : history->evidence_values("app", {seq.fingerprint, a.fingerprint}, "usage_pct")) {
    CHECK(row.fingerprint == seq.fingerprint);
    usage[row.snapshot_id] = row.value;
  }
  CHECK(usage == std::map<std::int64_t, double>{{snaps[0].id, 40.5}, {snaps[1].id, 45.0}});
  CHECK(history->evidence_values("app", {}, "usage_pct").empty());

  const auto sizes = history->metric_rows("app", "table", "size_bytes", {});
  REQUIRE(sizes.size() == 2);
  CHECK(sizes[0].snapshot_id == snaps[0].id);
  CHECK(sizes[0].object == "public.t");
  CHECK(sizes[1].value == 2);
  CHECK(history->metric_rows("app", "table", "size_bytes", {"public.other"}).empty());
  CHECK(history->metric_rows("app", "sequence", "usage_pct", {"App Data \"v2\".s{1}"}).size() == 2);

  const auto light = history->load_light(snaps[1]);
  REQUIRE(light.findings.size() == 3);
  for (const auto& f : light.findings) {
    CHECK(f.message.empty());
    CHECK(f.remediation.empty());
    CHECK(f.undo.empty());
    CHECK((f.fingerprint == a.fingerprint || f.fingerprint == b.fingerprint || f.fingerprint == seq.fingerprint));
  }
}

TEST_CASE("history backends: a snapshot that cannot be stored leaves nothing behind", "[integration][history_backend]")
{
  const StoreUnderTest under(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
  INFO(under.kind());
  under.open(); // migrate
  // The last table a snapshot writes refuses the row: the whole snapshot must roll back.
  under.raw("alter table schema_audit.metrics add constraint refuse check (value < 0)",
            "create trigger refuse before insert on metrics begin select raise(abort, 'refused'); end");
  const auto history = under.open();
  try {
    history->save(make_result(100, {make_finding("invalid_index", "public.a", model::Severity::high)}, 1), "app");
    FAIL("save did not fail");
  } catch (const util::Fatal& e) {
    CHECK(e.code() == util::ExitCode::history);
  }
  CHECK(history->list().empty());
  CHECK(history->target_names().empty());
  CHECK_FALSE(history->previous("app").has_value());
}

TEST_CASE("history backends: missing, newer and migrated stores", "[integration][history_backend]")
{
  const StoreUnderTest under(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
  INFO(under.kind());
  try {
    under.open(Mode::read_only);
    FAIL("a missing history opened read-only");
  } catch (const util::Fatal& e) {
    CHECK(e.code() == util::ExitCode::history);
  }
  under.open()->save(make_result(100, {}, 1), "app");
  // Opening again migrates nothing and keeps the data.
  CHECK(under.open()->list().size() == 1);
  under.raw("insert into schema_audit.version(version) values (9999)", "pragma user_version = 9999");
  try {
    under.open(Mode::read_only);
    FAIL("a newer history opened");
  } catch (const util::Fatal& e) {
    CHECK(e.code() == util::ExitCode::history);
    CHECK(std::string(e.what()).find("newer schema-audit") != std::string::npos);
  }
}

TEST_CASE("history backends: migration 2 back-fills report totals and ages as save writes them", "[integration][history_backend]")
{
  const StoreUnderTest under(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
  INFO(under.kind());
  auto a = make_finding("invalid_index", "public.a", model::Severity::high);
  auto bloat = make_finding("index_bloat", "public.b", model::Severity::medium);
  bloat.evidence = nlohmann::json{{"bloat_bytes", 1.5e9}, {"size_bytes", "not a number"}};
  {
    const auto history = under.open();
    history->save(make_result(100, {a, bloat}, 1), "app");
    history->save(make_result(200, {a}, 1), "app");
  }
  auto snapshot_of = [&](const HistoryStore& h) {
    std::map<std::string, std::string> out;
    for (const auto& row : h.finding_totals("app")) {
      const auto& t = row.total;
      out[fmt::format("{}/{}/{}/{}", row.snapshot_id, t.category, model::to_string(t.severity), t.object_type)] =
        fmt::format("{} {} {}", t.findings, t.size_bytes ? fmt::format("{}", *t.size_bytes) : "-",
                    t.bloat_bytes ? fmt::format("{}", *t.bloat_bytes) : "-");
    }
    const auto ages = h.fingerprint_ages("app");
    out["ages"] = fmt::format("{}", ages.size());
    for (const auto& f : {a, bloat}) {
      const auto age = ages.find(f.fingerprint).value_or(model::FingerprintAge{-1, -1});
      out[f.fingerprint] = fmt::format("{} {}", age.first_seen, age.snapshots);
    }
    return out;
  };
  const auto written = snapshot_of(*under.open(Mode::read_only));
  CHECK(written.size() == 6);
  // Back to schema 1, then migrate again: the back-fill must give what save() wrote.
  under.downgrade_to_v2();
  under.raw("drop table schema_audit.finding_totals; drop table schema_audit.fingerprint_ages; "
            "delete from schema_audit.version where version >= 2",
            "drop table finding_totals; drop table fingerprint_ages; pragma user_version = 1");
  CHECK(snapshot_of(*under.open()) == written);
}

namespace {

// Everything the readers return for target `name` of `h`, as text to compare: each snapshot's
// findings in full (load) and light (load_light), previous() and the evidence values.
std::string
everything_read(const HistoryStore& h, const std::string& name, const std::vector<std::string>& fingerprints)
{
  std::string out;
  for (const auto& info : h.list(name)) {
    out += fmt::format("snapshot {} at {}: {} findings\n", info.id, info.taken_at, info.finding_count);
    for (const auto& f : h.load(info.id).findings) {
      out += fmt::format("  {} {} {} {} {} [{}] [{}] [{}] [{}] [{}] [{}] [{}]\n", f.fingerprint, f.check_id,
                         f.category, model::to_string(f.severity), model::to_string(f.effort), f.schema_name, f.object,
                         f.object_type, f.message, f.evidence.dump(), f.remediation, f.undo);
    }
    for (const auto& f : h.load_light(info).findings) {
      out += fmt::format("  light {} {} [{}] [{}] [{}]\n", f.fingerprint, f.check_id, f.object, f.object_type,
                         f.message + f.remediation);
    }
  }
  if (const auto prev = h.previous(name)) {
    out += fmt::format("previous at {}, {} metrics\n", prev->taken_at, prev->metrics.size());
    out += fmt::format("  first seen of {} fingerprint(s)\n", prev->first_seen.size());
    for (const auto& fingerprint : fingerprints) {
      const auto seen = prev->first_seen.find(fingerprint);
      out += fmt::format("  first seen {} {}\n", fingerprint, seen ? fmt::format("{}", seen->first_seen) : "never");
    }
  }
  for (const auto& row : h.evidence_values(name, fingerprints, "size_bytes")) {
    out += fmt::format("evidence {} {} {}\n", row.snapshot_id, row.fingerprint, row.value);
  }
  return out;
}

const char* const k_count_texts_pg = "select count(*) from schema_audit.finding_texts";
const char* const k_count_texts_sqlite = "select count(*) from finding_texts";

} // namespace

TEST_CASE("history backends: a finding repeated across snapshots shares its text and its state, a changed one gets its own",
          "[integration][history_backend]")
{
  const StoreUnderTest under(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
  INFO(under.kind());
  const auto a = make_finding("invalid_index", "public.a", model::Severity::high);
  const auto b = make_finding("unused_index", "public.b", model::Severity::low);
  auto b_reworded = b;
  b_reworded.message = "index public.b has not been scanned for 90 days";
  auto b_new_fix = b;
  b_new_fix.remediation += "\n-- and again";
  auto b_new_undo = b_new_fix;
  b_new_undo.undo = "create index concurrently if not exists \"x\" on t (c);";
  auto b_bigger = b; // only the evidence and the severity change: the text is the same
  b_bigger.evidence["size_bytes"] = 1e9;
  b_bigger.severity = model::Severity::high;
  auto texts = [&] { return under.count(k_count_texts_pg, k_count_texts_sqlite); };
  // A state is a finding's every stored field: a new text or new evidence makes a new one.
  auto states = [&] {
    return under.count("select count(*) from schema_audit.finding_states", "select count(*) from finding_states");
  };

  const auto history = under.open();
  const auto first = history->save(make_result(100, {a, b}, 1), "app");
  CHECK(texts() == 2);
  CHECK(states() == 2);
  const auto second = history->save(make_result(200, {a, b_bigger}, 1), "app");
  CHECK(texts() == 2);
  CHECK(states() == 3);
  history->save(make_result(200, {a, b}, 1), "other database, same schema");
  CHECK(texts() == 2);
  CHECK(states() == 3);
  const auto reworded = history->save(make_result(300, {a, b_reworded}, 1), "app");
  CHECK(texts() == 3);
  CHECK(states() == 4);
  const auto new_fix = history->save(make_result(400, {b_new_fix, a}, 1), "app");
  CHECK(texts() == 4);
  CHECK(states() == 5);
  const auto new_undo = history->save(make_result(450, {b_new_undo, a}, 1), "app");
  CHECK(texts() == 5);
  CHECK(states() == 6);
  history->save(make_result(460, {b_new_undo, a}, 1), "app");
  CHECK(texts() == 5);
  CHECK(states() == 6);
  const auto back = history->save(make_result(500, {a, b}, 1), "app");
  CHECK(texts() == 5);
  CHECK(states() == 6);
  // Each snapshot holds its two findings as two pairs of integers.
  CHECK(under.count("select count(*) from schema_audit.snapshot_findings", "select count(*) from snapshot_findings") == 16);

  // Each snapshot reads back its own words.
  auto of_b = [&](std::int64_t id) {
    const auto snap = history->load(id);
    const auto it = std::find_if(snap.findings.begin(), snap.findings.end(),
                                 [&](const model::Finding& f) { return f.fingerprint == b.fingerprint; });
    REQUIRE(it != snap.findings.end());
    CHECK(snap.findings.size() == 2);
    return *it;
  };
  CHECK(of_b(first).message == b.message);
  CHECK(of_b(second).evidence == b_bigger.evidence);
  CHECK(of_b(second).severity == model::Severity::high);
  CHECK(of_b(second).message == b.message);
  CHECK(of_b(reworded).message == b_reworded.message);
  CHECK(of_b(reworded).remediation == b.remediation);
  CHECK(of_b(new_fix).message == b.message);
  CHECK(of_b(new_fix).remediation == b_new_fix.remediation);
  CHECK(of_b(new_fix).undo.empty());
  CHECK(of_b(new_undo).remediation == b_new_fix.remediation);
  CHECK(of_b(new_undo).undo == b_new_undo.undo);
  CHECK(of_b(back).undo.empty());
  CHECK(of_b(back).remediation == b.remediation);
  CHECK(history->load(first).findings.at(0).message == a.message);
  CHECK(history->load(back).findings.at(0).remediation == a.remediation);
}

TEST_CASE("history backends: a finding the latest snapshot holds unchanged takes its state by key, an older state gets its key",
          "[integration][history_backend]")
{
  const StoreUnderTest under(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
  INFO(under.kind());
  const auto a = make_finding("invalid_index", "public.a", model::Severity::high);
  const auto b = make_finding("unused_index", "public.b", model::Severity::low);
  const auto count = [&](const std::string& where) {
    return under.count("select count(*) from schema_audit.finding_states" + where, "select count(*) from finding_states" + where);
  };
  const auto history = under.open();
  history->save(make_result(100, {a, b}, 1), "app");
  REQUIRE(count("") == 2);
  CHECK(count(" where length(state_key) = 32") == 2);

  // A history from before schema 12: no keys. The next save finds both states by their fields
  // (no state added) and gives them their keys.
  under.raw("update schema_audit.finding_states set state_key = ''", "update finding_states set state_key = ''");
  history->save(make_result(200, {a, b}, 1), "app");
  CHECK(count("") == 2);
  CHECK(count(" where length(state_key) = 32") == 2);

  // The save after takes them by key, without comparing their fields: a state whose evidence was
  // changed behind the history's back (its key kept) is taken as it is.
  under.raw("update schema_audit.finding_states set evidence = '{\"tampered\":1}' where check_id = 'unused_index'",
            "update finding_states set evidence = '{\"tampered\":1}' where check_id = 'unused_index'");
  const auto third = history->save(make_result(300, {a, b}, 1), "app");
  CHECK(count("") == 2);
  const auto loaded = history->load(third);
  CHECK(std::any_of(loaded.findings.begin(), loaded.findings.end(),
                    [](const model::Finding& f) { return f.evidence.contains("tampered"); }));

  // The key is of the finding's every stored field: another database, or the same one with a
  // changed undo, finds no state of its latest snapshot to take, and stores its own.
  auto b_undo = b;
  b_undo.undo = "create index concurrently if not exists \"x\" on t (c);";
  history->save(make_result(400, {a, b_undo}, 1), "app");
  CHECK(count("") == 3);
  const auto other = history->save(make_result(400, {a, b}, 1), "other");
  CHECK(count("") == 4); // b as it is, not as the tampered state of "app"
  const auto of_other = history->load(other);
  CHECK(std::none_of(of_other.findings.begin(), of_other.findings.end(),
                     [](const model::Finding& f) { return f.evidence.contains("tampered"); }));
}

TEST_CASE("history backends: the same words in many schemas are one text, and each finding reads back its own",
          "[integration][history_backend]")
{
  const StoreUnderTest under(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
  INFO(under.kind());
  const auto in_schema = [](const std::string& schema, const std::string& written) {
    auto f = make_finding("fk_without_index", written + ".orders_account_id_fkey", model::Severity::low);
    f.schema_name = schema;
    f.fingerprint = model::make_fingerprint("fk_without_index", "constraint:" + f.object);
    f.message = fmt::format("foreign key {0}.orders_account_id_fkey has no index on {0}.orders (account_id)", written);
    f.remediation = fmt::format("create index concurrently if not exists orders_account_id_idx on {}.orders (account_id);", written);
    f.undo = fmt::format("drop index concurrently if exists {}.orders_account_id_idx;", written);
    return f;
  };
  std::vector<model::Finding> findings{in_schema("tenant_1", "tenant_1"), in_schema("tenant_2", "tenant_2"),
                                       in_schema("tenant_3", "tenant_3"),
                                       // quoted where the others are not: worded differently
                                       in_schema("Tenant 4", "\"Tenant 4\"")};
  auto odd = in_schema("s", "s"); // a one-letter name, in words that hold the marker's bytes
  odd.fingerprint = model::make_fingerprint("fk_without_index", "odd");
  odd.message = std::string("schema s's \x01s and \x01\x01 bytes");
  findings.push_back(odd);
  auto database_wide = make_finding("xid_wraparound", "app", model::Severity::high);
  database_wide.schema_name = "";
  findings.push_back(database_wide);

  const auto history = under.open();
  const auto first = history->save(make_result(100, findings, 1), "app");
  const auto texts = [&] { return under.count(k_count_texts_pg, k_count_texts_sqlite); };
  CHECK(texts() == 4);
  CHECK(under.count("select count(*) from schema_audit.finding_states", "select count(*) from finding_states") == 6);
  // Another database's tenants repeat the words once more: no new text.
  auto tenant_9 = in_schema("tenant_9", "tenant_9");
  const auto other = history->save(make_result(200, {tenant_9}, 1), "other");
  CHECK(texts() == 4);
  const auto again = history->save(make_result(300, findings, 1), "app");
  CHECK(texts() == 4);

  for (const auto id : {first, again}) {
    const auto snap = history->load(id);
    REQUIRE(snap.findings.size() == findings.size());
    for (const auto& f : findings) {
      INFO(f.object);
      const auto it = std::find_if(snap.findings.begin(), snap.findings.end(),
                                   [&](const model::Finding& g) { return g.fingerprint == f.fingerprint; });
      REQUIRE(it != snap.findings.end());
      CHECK(it->schema_name == f.schema_name);
      CHECK(it->message == f.message);
      CHECK(it->remediation == f.remediation);
      CHECK(it->undo == f.undo);
    }
  }
  CHECK(history->load(other).findings.at(0).remediation == tenant_9.remediation);
}

TEST_CASE("history backends: a catalog repeated in many schemas is stored once, and each object reads back its own",
          "[integration][history_backend]")
{
  const StoreUnderTest under(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
  INFO(under.kind());
  // One migration's tables in three tenant schemas, one of them quoted, and an extension.
  const auto tenant = [](const std::string& schema, std::int64_t oid) {
    return model::Catalog{
      {"table", oid, 0, schema + ".orders", "orders", model::attrs_json({{"kind", "plain"}, {"persistence", "permanent"}})},
      {"column", oid, 1, schema + ".orders.account_id", "account_id", model::attrs_json({{"type", "bigint"}, {"not_null", "yes"}})},
      {"constraint", oid + 1, 0, schema + ".orders.orders_account_id_fkey", "orders_account_id_fkey",
       model::attrs_json({{"type", "foreign key"},
                          {"definition", "FOREIGN KEY (account_id) REFERENCES " + schema + ".accounts(id)"},
                          {"validated", "yes"}})}};
  };
  model::Catalog catalog;
  for (const auto& [schema, oid] : std::vector<std::pair<std::string, std::int64_t>>{
         {"tenant_1", 20000}, {"tenant_2", 20010}, {"tenant_3", 20020}, {"\"Tenant \"\"4\"\"\"", 20030}}) {
    const auto objects = tenant(schema, oid);
    catalog.insert(catalog.end(), objects.begin(), objects.end());
  }
  catalog.push_back({"extension", 30000, 0, "pgcrypto", "pgcrypto", model::attrs_json({{"version", "1.3"}, {"schema", "public"}})});
  auto result = make_result(100, {}, 1);
  result.catalog = std::make_shared<const model::AuditCatalog>(catalog);

  const auto history = under.open();
  history->save(result, "app");
  const auto bodies = [&] {
    return under.count("select count(*) from schema_audit.catalog_bodies", "select count(*) from catalog_bodies");
  };
  // The four tenants share their 3 bodies, but for the quoted one's foreign key, whose
  // attributes (JSON) write its name's quotes escaped: 1 more; the extension has one of its own.
  CHECK(bodies() == 5);
  CHECK(under.count("select count(*) from schema_audit.catalog_objects", "select count(*) from catalog_objects") == 13);

  const auto sorted = [](model::Catalog c) {
    std::sort(c.begin(), c.end(), [](const auto& a, const auto& b) {
      return std::tie(a.kind, a.oid, a.sub) < std::tie(b.kind, b.oid, b.sub);
    });
    return c;
  };
  const auto as_text = [&](const model::Catalog& c) {
    std::string out;
    for (const auto& o : sorted(c)) {
      out += fmt::format("{} {} {} [{}] [{}] [{}]\n", o.kind, o.oid, o.sub, o.label, o.name, o.attrs);
    }
    return out;
  };
  CHECK(as_text(history->latest_catalog("app")) == as_text(catalog));

  // The same catalog again: nothing changed, nothing stored; a fourth tenant adds no body.
  auto again = make_result(200, {}, 1);
  auto grown = catalog;
  const auto fifth = tenant("tenant_5", 20040);
  grown.insert(grown.end(), fifth.begin(), fifth.end());
  again.catalog = std::make_shared<const model::AuditCatalog>(grown);
  history->save(again, "app");
  CHECK(bodies() == 5);
  CHECK(as_text(history->latest_catalog("app")) == as_text(grown));
  const auto changes = history->catalog_changes("app");
  REQUIRE(changes.size() == 2); // the baseline, then what the second save changed
  CHECK(changes.front().changes.empty());
  // tenant_5's table added (its column and constraint with it)
  REQUIRE(changes.back().changes.size() == 1);
  CHECK(changes.back().changes.front().change == model::ChangeKind::added);
  CHECK(changes.back().changes.front().object == "tenant_5.orders");
}

TEST_CASE("history backends: a save whose rows take several statements stores and finds every one",
          "[integration][history_backend]")
{
  // PostgreSQL binds a bulk statement's rows a few megabytes at a time (the whole of a large
  // audit's texts took hundreds of megabytes): 12 findings of 1 MB of fix each take several.
  const StoreUnderTest under(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
  INFO(under.kind());
  std::vector<model::Finding> findings;
  for (int i = 0; i < 12; ++i) {
    auto f = make_finding("unused_index", fmt::format("public.i{}", i), model::Severity::low);
    f.remediation = fmt::format("-- {}\n{}", i, std::string(std::size_t{1} << 20, 'x'));
    findings.push_back(std::move(f));
  }
  const auto history = under.open();
  const auto first = history->save(make_result(100, findings, 1), "app");
  const auto again = history->save(make_result(200, findings, 1), "app");
  // The repeated save found each finding's text and state, whatever statement held it.
  CHECK(under.count(k_count_texts_pg, k_count_texts_sqlite) == 12);
  CHECK(under.count("select count(*) from schema_audit.finding_states", "select count(*) from finding_states") == 12);
  for (const auto id : {first, again}) {
    const auto snap = history->load(id);
    REQUIRE(snap.findings.size() == findings.size());
    for (const auto& f : findings) {
      const auto it = std::find_if(snap.findings.begin(), snap.findings.end(),
                                   [&](const model::Finding& g) { return g.fingerprint == f.fingerprint; });
      REQUIRE(it != snap.findings.end());
      CHECK(it->remediation == f.remediation);
    }
  }
}

TEST_CASE("history backends: two snapshots compared load only the findings that are not the same in both",
          "[integration][history_backend]")
{
  const StoreUnderTest under(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
  INFO(under.kind());
  const auto same = make_finding("invalid_index", "public.same", model::Severity::high);
  const auto gone = make_finding("unused_index", "public.gone", model::Severity::low);
  const auto added = make_finding("unused_index", "public.added", model::Severity::low);
  auto moved = make_finding("unused_index", "public.moved", model::Severity::low);
  auto moved_later = moved;
  moved_later.evidence["size_bytes"] = 1e9;
  moved_later.severity = model::Severity::medium;

  const auto history = under.open();
  const auto from = history->save(make_result(100, {same, gone, moved}, 1), "app");
  const auto to = history->save(make_result(200, {moved_later, added, same}, 1), "app");
  const auto pair = history->load_changed(from, to);
  CHECK(pair.unchanged == 1);
  CHECK(pair.from.info.id == from);
  CHECK(pair.to.info.id == to);
  CHECK(pair.from.info.finding_count == 3);
  CHECK(pair.to.info.finding_count == 3);
  CHECK(objects_of(pair.from) == std::set<std::string>{"public.gone", "public.moved"});
  CHECK(objects_of(pair.to) == std::set<std::string>{"public.added", "public.moved"});
  const auto it = std::find_if(pair.to.findings.begin(), pair.to.findings.end(),
                               [](const model::Finding& f) { return f.object == "public.moved"; });
  REQUIRE(it != pair.to.findings.end());
  // its words and evidence in the snapshot's spill, read back whole as load() reads them
  REQUIRE(pair.to.spill);
  CHECK(it->remediation.empty());
  const auto whole = pair.to.spill->whole(*it);
  CHECK(whole.evidence == moved_later.evidence);
  CHECK(whole.remediation == moved.remediation);
  // A snapshot compared with itself has nothing to load.
  const auto itself = history->load_changed(to, to);
  CHECK(itself.unchanged == 3);
  CHECK(itself.from.findings.empty());
  CHECK(itself.to.findings.empty());
  CHECK(pair.from.metrics.empty());
}

TEST_CASE("history backends: a report's previous snapshot loads light what changed, and the fingerprints of what did not",
          "[integration][history_backend]")
{
  const StoreUnderTest under(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
  INFO(under.kind());
  const auto same = make_finding("invalid_index", "public.same", model::Severity::high);
  const auto also_same = make_finding("invalid_index", "public.also_same", model::Severity::high);
  const auto gone = make_finding("unused_index", "public.gone", model::Severity::low);
  auto moved = make_finding("unused_index", "public.moved", model::Severity::low);
  auto moved_later = moved;
  moved_later.evidence["size_bytes"] = 1e9;

  const auto history = under.open();
  history->save(make_result(100, {same, gone, moved, also_same}, 1), "app");
  const auto to = history->save(make_result(200, {moved_later, same, also_same}, 1), "app");
  const auto snaps = history->list(std::string("app"));
  REQUIRE(snaps.size() == 2);
  const auto previous = history->load_light_changed(snaps[0], to);
  CHECK(previous.snapshot.info.id == snaps[0].id);
  for (const auto& f : previous.snapshot.findings) {
    CHECK(f.message.empty()); // light, as load_light reads it
    CHECK(f.remediation.empty());
  }
  CHECK(objects_of(previous.snapshot) == std::set<std::string>{"public.gone", "public.moved"});
  CHECK(previous.unchanged.size() == 2);
  CHECK(previous.unchanged.contains(same.fingerprint));
  CHECK(previous.unchanged.contains(also_same.fingerprint));
  CHECK_FALSE(previous.unchanged.contains(moved.fingerprint));
  // the evidence of what changed comes back from the snapshot's spill
  for (const auto& f : previous.snapshot.findings) {
    if (f.object == "public.moved") {
      CHECK(previous.snapshot.spill->whole(f).evidence == moved.evidence);
    }
  }
  REQUIRE(previous.snapshot.skipped.size() == 1);
  CHECK(previous.snapshot.skipped[0].check_id == "index_bloat");
  // Against itself, every finding is unchanged; against nothing alike, every one is loaded.
  const auto itself = history->load_light_changed(snaps[0], snaps[0].id);
  CHECK(itself.snapshot.findings.empty());
  CHECK(itself.unchanged.size() == 4);
  const auto other = history->save(make_result(300, {make_finding("invalid_index", "public.x", model::Severity::high)}, 1), "other");
  const auto alone = history->load_light_changed(snaps[0], other);
  CHECK(alone.snapshot.findings.size() == 4);
  CHECK(alone.unchanged.empty());
}

TEST_CASE("history backends: a snapshot loads with only the metrics of the kinds asked for", "[integration][history_backend]")
{
  const StoreUnderTest under(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
  INFO(under.kind());
  const auto history = under.open();
  const auto id = history->save(make_result(100, {make_finding("invalid_index", "public.a", model::Severity::high)}, 7), "app");
  history->save(make_result(200, {}, 9), "app");
  const auto whole = history->load(id);
  const auto some = history->load_with_metrics(id, {{"table", "size_bytes"}, {"sequence", "usage_pct"}, {"index", "idx_scan"}});
  CHECK(whole.metrics.size() == 3);
  CHECK(some.info.id == id);
  CHECK(some.info.finding_count == whole.info.finding_count);
  REQUIRE(some.findings.size() == 1);
  // The findings' words and evidence are in the snapshot's spill, and read back whole as load()
  // reads them.
  REQUIRE(some.spill);
  CHECK(some.findings[0].message.empty());
  CHECK(some.findings[0].remediation.empty());
  CHECK(some.findings[0].object == whole.findings[0].object);
  const auto read_back = some.spill->whole(some.findings[0]);
  CHECK(read_back.message == whole.findings[0].message);
  CHECK(read_back.remediation == whole.findings[0].remediation);
  CHECK(read_back.evidence == whole.findings[0].evidence);
  CHECK(model::evidence_number(some, some.findings[0], "size_bytes") == 8192);
  CHECK_FALSE(model::evidence_number(some, some.findings[0], "usage_pct"));
  CHECK(some.skipped.size() == whole.skipped.size());
  std::map<std::string, double> metrics;
  for (const auto& m : some.metrics) {
    metrics[m.object_type + " " + m.object + " " + m.metric] = m.value;
  }
  CHECK(metrics == std::map<std::string, double>{{"table public.t size_bytes", 7}, {"sequence App Data \"v2\".s{1} usage_pct", 1e15}});
  CHECK(history->load_with_metrics(id, {}).metrics.empty());
}

TEST_CASE("history backends: migration 3 moves finding texts out and every reader returns the same",
          "[integration][history_backend]")
{
  const StoreUnderTest under(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
  INFO(under.kind());
  auto a = make_finding("invalid_index", "public.a", model::Severity::high);
  auto b = make_finding("unused_index", "App Data \"v2\".b|c", model::Severity::low);
  auto empty = make_finding("no_primary_key", "public.<script>", model::Severity::medium);
  empty.remediation.clear();
  empty.evidence = nlohmann::json::object();
  {
    const auto history = under.open();
    history->save(make_result(100, {a, b, empty}, 1), "app");
    b.message = "reworded: " + b.message;
    b.evidence["size_bytes"] = 16384;
    history->save(make_result(200, {a, b}, 2), "app");
    a.remediation = "set lock_timeout = '5s';\nreindex index concurrently \"public\".\"a\";";
    history->save(make_result(300, {a, b, empty}, 3), "app");
    history->save(make_result(300, {a, empty}, 3), "other");
  }
  const std::vector<std::string> fingerprints{a.fingerprint, b.fingerprint, empty.fingerprint};
  const auto written = everything_read(*under.open(Mode::read_only), "app", fingerprints);
  const auto written_other = everything_read(*under.open(Mode::read_only), "other", fingerprints);
  CHECK(under.count(k_count_texts_pg, k_count_texts_sqlite) == 5);

  // Back to schema 2, then migrate again: the back-fill must give what save() wrote.
  under.downgrade_to_v2();
  CHECK(under.count("select count(*) from schema_audit.findings where message <> ''",
                    "select count(*) from findings where message <> ''")
        == 10);
  CHECK(everything_read(*under.open(), "app", fingerprints) == written);
  CHECK(everything_read(*under.open(Mode::read_only), "other", fingerprints) == written_other);
  CHECK(under.count(k_count_texts_pg, k_count_texts_sqlite) == 5);
  CHECK(under.count("select count(*) from schema_audit.findings", "select count(*) from findings") == 10);
  CHECK(written.find("reworded: ") != std::string::npos);
  CHECK(written.find("reindex index concurrently") != std::string::npos);
}

TEST_CASE("history backends: migration 5 gives the texts stored before an empty undo, and new ones keep theirs",
          "[integration][history_backend]")
{
  const StoreUnderTest under(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
  INFO(under.kind());
  const auto a = make_finding("invalid_index", "public.a", model::Severity::high);
  under.open()->save(make_result(100, {a}, 1), "app");
  under.downgrade_to_v4();

  auto a_with_undo = a;
  a_with_undo.undo = "drop index concurrently if exists \"public\".\"a_new\";";
  const auto history = under.open(); // migrates
  const auto later = history->save(make_result(200, {a_with_undo}, 1), "app");
  const auto snaps = history->list(std::string("app"));
  REQUIRE(snaps.size() == 2);
  CHECK(history->load(snaps[0].id).findings.at(0).undo.empty());
  CHECK(history->load(snaps[0].id).findings.at(0).remediation == a.remediation);
  CHECK(history->load(later).findings.at(0).undo == a_with_undo.undo);
  CHECK(under.count(k_count_texts_pg, k_count_texts_sqlite) == 2);
}

TEST_CASE("history file: migrating a large history to schema 3 gives the freed pages back", "[integration][history_backend]")
{
  const StoreUnderTest under("sqlite");
  {
    const auto history = under.open();
    std::vector<model::Finding> findings;
    for (int i = 0; i < 2000; ++i) {
      auto f = make_finding("unused_column", fmt::format("public.t{}.c{}", i / 10, i % 10), model::Severity::low);
      f.remediation = fmt::format("set lock_timeout = '5s';\n-- {:->400}\nalter table public.t{} rename column c{} "
                                  "to deprecated_c{};",
                                  "", i / 10, i % 10, i % 10);
      findings.push_back(std::move(f));
    }
    for (int q = 0; q < 3; ++q) {
      history->save(make_result(100 * (q + 1), findings, 1), "app");
    }
  }
  const char* const pages = "select page_count from pragma_page_count";
  const auto v3_pages = under.count("", pages);
  under.downgrade_to_v2();
  under.raw("", "vacuum");
  const auto v2_pages = under.count("", pages);
  INFO("schema 2: " << v2_pages << " pages, schema 3 as saved: " << v3_pages);
  REQUIRE(2 * v2_pages > 3 * v3_pages);

  CHECK(under.open()->list().size() == 3); // migrates
  CHECK(under.count("", "select freelist_count from pragma_freelist_count") * 4 < under.count("", pages));
  // Without compacting, the file would keep the schema 2 pages and add the new tables'.
  CHECK(3 * under.count("", pages) < 2 * v2_pages);
}

TEST_CASE("history backends: both have the same migration numbers", "[integration][history_backend]")
{
  CHECK(store::schema_version(store::Dialect::sqlite) >= 1);
  CHECK(store::schema_version(store::Dialect::postgresql) == store::schema_version(store::Dialect::sqlite));
}

TEST_CASE("history backends: --history picks the backend by its form", "[integration][history_backend]")
{
  for (const char* pg : {"postgresql://u@h/history", "postgres:///history", "host=h dbname=history",
                         "service=history", "dbname = history"}) {
    INFO(pg);
    CHECK(store::is_postgresql_location(pg));
  }
  for (const char* file : {"history.db", "/var/lib/sa/history.db", "./a=b.db", "", "=x", "History=1.db"}) {
    INFO(file);
    CHECK_FALSE(store::is_postgresql_location(file));
  }
}

TEST_CASE("history backends: an unreachable PostgreSQL history fails with exit 4 and no password", "[integration][history_backend]")
{
  try {
    store::open_history("host=127.0.0.1 port=1 dbname=h user=u password=s3cret-value connect_timeout=2", Mode::read_write);
    FAIL("opened an unreachable history");
  } catch (const util::Fatal& e) {
    CHECK(e.code() == util::ExitCode::history);
    const std::string message = e.what();
    CHECK(message.find("cannot connect") != std::string::npos);
    CHECK(message.find("s3cret-value") == std::string::npos);
  }
}
