// The same store tests against both history backends: a SQLite file and a PostgreSQL database
// on the test cluster.
#include "store/history.hpp"
#include "store/history_store.hpp"
#include "store/pg_history.hpp"
#include "store/sqlite.hpp"
#include "support/test_db.hpp"
#include "util/error.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <random>

using store::HistoryStore;
using Mode = store::HistoryStore::Mode;

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
      store::Database db(m_location, SQLITE_OPEN_READWRITE);
      db.exec(sqlite, "test setup");
    }
  }

  const std::string& kind() const { return m_kind; }

private:
  std::string m_kind;
  std::optional<test::ScratchDb> m_db;
  std::filesystem::path m_dir;
  std::string m_location;
};

audit::Finding
make_finding(const std::string& check, const std::string& object, audit::Severity severity)
{
  audit::Finding f;
  f.check_id = check;
  f.category = check;
  f.severity = severity;
  f.effort = audit::Effort::medium;
  f.schema_name = "App Data \"v2\"";
  f.object = object;
  f.object_type = "index";
  f.message = "index " + object + " is 'odd', \"quoted\", {braced}, back\\slashed\nand on two lines";
  f.evidence = nlohmann::json{{"size_bytes", 8192}, {"ratio", 0.25}};
  f.remediation = "set lock_timeout = '5s';\ndrop index concurrently if exists \"x\";";
  f.fingerprint = audit::make_fingerprint(check, "index:" + object);
  return f;
}

audit::AuditResult
make_result(std::int64_t taken_at, std::vector<audit::Finding> findings, double metric_value)
{
  audit::AuditResult r;
  r.target = pg::Target{"/tmp/sock", "5432", "app", "auditor"};
  r.capabilities.server_version_num = 150004;
  r.capabilities.server_version = "15.4";
  r.capabilities.stats_reset = "2026-01-01T00:00:00Z";
  r.taken_at = taken_at;
  r.findings = std::move(findings);
  r.skipped.push_back(audit::SkippedCheck{"index_bloat", "needs the pgstattuple extension (CREATE EXTENSION pgstattuple)"});
  r.metrics.push_back(audit::Metric{"table", "public.t", "size_bytes", metric_value});
  r.metrics.push_back(audit::Metric{"table", "public.t", "n_live_tup", 0.1});
  r.metrics.push_back(audit::Metric{"sequence", "App Data \"v2\".s{1}", "usage_pct", 1e15});
  r.timings.push_back(audit::CheckTiming{"invalid_index", 1.5, 3});
  r.wall_ms = 12.5;
  r.query_ms = 20.25;
  return r;
}

} // namespace

TEST_CASE("history backends: a snapshot loads back as it was saved", "[integration][history_backend]")
{
  const StoreUnderTest under(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
  INFO(under.kind());
  const auto saved = make_result(1767225600, {make_finding("invalid_index", "public.a<script>", audit::Severity::critical),
                                             make_finding("unused_index", "App Data \"v2\".b|c", audit::Severity::low)},
                                 16384);
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
  CHECK(f.severity == audit::Severity::critical);
  CHECK(f.effort == audit::Effort::medium);
  CHECK(f.schema_name == want.schema_name);
  CHECK(f.message == want.message);
  CHECK(f.remediation == want.remediation);
  CHECK(f.evidence == want.evidence);
  CHECK(snap.findings[1].object == "App Data \"v2\".b|c");
  REQUIRE(snap.skipped.size() == 1);
  CHECK(snap.skipped[0].reason == saved.skipped[0].reason);
  REQUIRE(snap.metrics.size() == 3);
  for (const auto& m : saved.metrics) {
    const auto it = std::find_if(snap.metrics.begin(), snap.metrics.end(), [&](const audit::Metric& x) {
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
  const auto a = make_finding("invalid_index", "public.a", audit::Severity::high);
  const auto b = make_finding("invalid_index", "public.b", audit::Severity::high);
  const auto c = make_finding("invalid_index", "public.c", audit::Severity::high);
  const auto history = under.open();
  CHECK_FALSE(history->previous("app").has_value());
  history->save(make_result(100, {a}, 1), "app");
  history->save(make_result(50, {c}, 7), "other");
  history->save(make_result(200, {a, b}, 2), "app");

  const auto prev = history->previous("app");
  REQUIRE(prev.has_value());
  CHECK(prev->taken_at == 200);
  CHECK(prev->stats_reset == std::optional<std::string>("2026-01-01T00:00:00Z"));
  CHECK(prev->metrics.at(audit::metric_key("table", "public.t", "size_bytes")) == 2);
  CHECK(prev->first_seen.at(a.fingerprint) == 100);
  CHECK(prev->first_seen.at(b.fingerprint) == 200);
  CHECK_FALSE(prev->first_seen.count(c.fingerprint));
  CHECK_FALSE(history->previous("nobody").has_value());

  const auto app = history->list(std::string("app"));
  REQUIRE(app.size() == 2);
  CHECK(app[0].taken_at == 100);
  CHECK(app[1].taken_at == 200);
  CHECK(history->list().size() == 3);
  CHECK(history->target_names() == std::vector<std::string>{"app", "other"});
}

TEST_CASE("history backends: what trend reports read over many snapshots", "[integration][history_backend]")
{
  const StoreUnderTest under(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
  INFO(under.kind());
  auto a = make_finding("invalid_index", "public.a", audit::Severity::high);
  auto b = make_finding("unused_index", "public.b", audit::Severity::low);
  auto seq = make_finding("sequence_overflow", "public.s", audit::Severity::medium);
  seq.evidence = nlohmann::json{{"usage_pct", 40.5}};
  auto other = make_finding("invalid_index", "public.c", audit::Severity::high);
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
  std::map<std::pair<std::int64_t, std::string>, audit::FindingTotal> totals;
  for (const auto& row : history->finding_totals("app")) {
    totals[{row.snapshot_id, row.total.category}] = row.total;
  }
  REQUIRE(totals.size() == 5);
  const auto& unused = totals.at({snaps[1].id, "unused_index"});
  CHECK(unused.findings == 1);
  CHECK(unused.severity == audit::Severity::low);
  CHECK(unused.object_type == "index");
  CHECK(unused.size_bytes == std::optional<double>(8192));
  CHECK_FALSE(unused.bloat_bytes.has_value());
  CHECK_FALSE(totals.at({snaps[0].id, "sequence_overflow"}).size_bytes.has_value());
  CHECK(totals.at({snaps[1].id, "invalid_index"}).findings == 1);

  const auto ages = history->fingerprint_ages("app");
  CHECK(ages.size() == 3);
  CHECK(ages.at(a.fingerprint).first_seen == 100);
  CHECK(ages.at(a.fingerprint).snapshots == 2);
  CHECK(ages.at(b.fingerprint).first_seen == 200);
  CHECK(ages.at(b.fingerprint).snapshots == 1);
  CHECK_FALSE(ages.count(other.fingerprint));

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
    history->save(make_result(100, {make_finding("invalid_index", "public.a", audit::Severity::high)}, 1), "app");
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
  auto a = make_finding("invalid_index", "public.a", audit::Severity::high);
  auto bloat = make_finding("index_bloat", "public.b", audit::Severity::medium);
  bloat.evidence = nlohmann::json{{"bloat_bytes", 1.5e9}, {"size_bytes", "not a number"}};
  {
    const auto history = under.open();
    history->save(make_result(100, {a, bloat}, 1), "app");
    history->save(make_result(200, {a}, 1), "app");
  }
  auto snapshot_of = [](const HistoryStore& h) {
    std::map<std::string, std::string> out;
    for (const auto& row : h.finding_totals("app")) {
      const auto& t = row.total;
      out[fmt::format("{}/{}/{}/{}", row.snapshot_id, t.category, audit::to_string(t.severity), t.object_type)] =
        fmt::format("{} {} {}", t.findings, t.size_bytes ? fmt::format("{}", *t.size_bytes) : "-",
                    t.bloat_bytes ? fmt::format("{}", *t.bloat_bytes) : "-");
    }
    for (const auto& [fingerprint, age] : h.fingerprint_ages("app")) {
      out[fingerprint] = fmt::format("{} {}", age.first_seen, age.snapshots);
    }
    return out;
  };
  const auto written = snapshot_of(*under.open(Mode::read_only));
  CHECK(written.size() == 5);
  // Back to schema 1, then migrate again: the back-fill must give what save() wrote.
  under.raw("drop table schema_audit.finding_totals; drop table schema_audit.fingerprint_ages; "
            "delete from schema_audit.version where version >= 2",
            "drop table finding_totals; drop table fingerprint_ages; pragma user_version = 1");
  CHECK(snapshot_of(*under.open()) == written);
}

TEST_CASE("history backends: both have the same migration numbers", "[integration][history_backend]")
{
  CHECK(store::History::current_version() >= 1);
  CHECK(store::PgHistory::current_version() == store::History::current_version());
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
