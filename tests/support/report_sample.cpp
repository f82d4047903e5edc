#include "support/report_sample.hpp"

#include "audit/config.hpp"
#include "audit/registry.hpp"
#include "report/schema_changes.hpp"
#include "util/time.hpp"

namespace test {

namespace {

using nlohmann::json;

model::Finding
make(std::string check_id,
     std::string category,
     model::Severity severity,
     std::string object_type,
     std::string object,
     json evidence,
     std::string remediation = {},
     std::string undo = {})
{
  model::Finding f;
  f.check_id = std::move(check_id);
  f.category = std::move(category);
  f.severity = severity;
  f.schema_name = "public";
  f.object_type = std::move(object_type);
  f.object = std::move(object);
  f.message = "sample finding on " + f.object;
  f.evidence = std::move(evidence);
  f.remediation = std::move(remediation);
  f.undo = std::move(undo);
  f.fingerprint = model::make_fingerprint(f.check_id, f.object_type.str() + ":" + f.object);
  return f;
}

// The findings every snapshot has, growing with `step`.
void
add_lasting_findings(model::Snapshot& s, int step)
{
  const double k = step;
  s.findings.push_back(make("unused_index", "unused_index", step == 2 ? model::Severity::high : model::Severity::medium,
                            "index", "public.orders_note_idx", json{{"size_bytes", 1e6 * (k + 1)}, {"idx_scan", 0}},
                            // the fix changes once (a diff shows it as a unified diff)
                            std::string(step == 2 ? "-- to recreate it: create index orders_note_idx on public.orders (note);\n" : "")
                              + "set lock_timeout = '5s';\ndrop index concurrently if exists public.orders_note_idx;",
                            "create index concurrently if not exists orders_note_idx on public.orders (note);"));
  s.findings.push_back(make("table_bloat", "table_bloat", step == 2 ? model::Severity::low : model::Severity::medium,
                            "table", "public.orders", json{{"bloat_bytes", 2e6 * (k + 1)}},
                            step == 2 ? "set lock_timeout = '5s';\nvacuum (analyze) public.orders;" : ""));
  s.findings.push_back(make("index_bloat", "index_bloat", model::Severity::low, "index", "public.orders_pkey",
                            json{{"bloat_bytes", 5e5 * (k + 1)}}));
  s.findings.push_back(make("sequence_overflow", "int_overflow", model::Severity::high, "sequence",
                            "public.orders_id_seq", json{{"usage_pct", 60 + 10 * k}}));
  // One decision on two columns: one entry, led by the first, listing the other.
  for (const char* column : {"public.orders.created_at", "public.lines.created_at"}) {
    s.findings.push_back(make("type_timestamp_no_tz", "type_timestamp_no_tz", model::Severity::low, "column", column,
                              json::object(), step == 2 ? "alter table ... type timestamptz;" : "alter table ...;"));
    s.findings.back().group_id = "timestamps";
  }
  s.findings.push_back(make("deprecated_object", "deprecated_object", model::Severity::info, "table",
                            "public.deprecated_old_orders",
                            json{{"first_seen", "2026-01-01"}, {"age_days", 90 * step}, {"ready_to_drop", step == 2}}));
}

model::Snapshot
snapshot(std::int64_t id, const std::string& name, const char* when, int step)
{
  model::Snapshot s;
  s.info.id = id;
  s.info.target_name = name;
  s.info.dbname = name;
  s.info.host = "localhost";
  s.info.port = "5432";
  s.info.taken_at = *util::parse_iso(when);
  s.info.server_version = "16.4";
  s.info.stats_reset = util::format_iso(s.info.taken_at - 86400);
  add_lasting_findings(s, step);
  if (step == 1) {
    s.findings.push_back(make("fk_without_index", "fk_without_index", model::Severity::medium, "constraint",
                              "public.lines.lines_order_fk", json::object()));
    // A check that ran here and not in the next snapshot, and one the other way round: their
    // findings are "not checked", never fixed or new.
    s.findings.push_back(make("type_money", "type_money", model::Severity::low, "column", "public.orders.price",
                              json::object()));
    s.skipped.push_back(model::SkippedCheck{"type_char_n", "timed out (statement_timeout)",
                                            model::SkipCause::statement_timeout});
  }
  if (step == 2) {
    s.findings.push_back(make("invalid_index", "invalid_index", model::Severity::critical, "index",
                              "public.orders_code_idx", json::object(), "reindex index concurrently public.orders_code_idx;"));
    s.skipped.push_back(model::SkippedCheck{"table_bloat_exact", "needs the pgstattuple extension"});
    s.skipped.push_back(model::SkippedCheck{"type_money", "timed out waiting for a lock (lock_timeout)",
                                            model::SkipCause::lock_timeout});
    s.findings.push_back(make("type_char_n", "type_char_n", model::Severity::low, "column", "public.orders.code",
                              json::object()));
  }
  model::sort_by_priority(s.findings);
  const double k = step;
  s.metrics = {{"database", name, "size_bytes", 1e8 * (k + 1)},
               {"table", "public.orders", "size_bytes", 5e7 * (k + 1)},
               {"table", "public.lines", "size_bytes", 2e7 * (k + 1)},
               {"sequence", "public.orders_id_seq", "usage_pct", 60 + 10 * k},
               {"index", "public.orders_note_idx", "idx_scan", 3 * k},
               {"index", "public.orders_code_idx", "idx_scan", 10 * k},
               // an index with a finding never scanned: named by the trends, not charted
               {"index", "public.orders_pkey", "idx_scan", 0}};
  s.info.finding_count = s.findings.size();
  s.info.skipped_count = s.skipped.size();
  return s;
}

// Alpha's schema history: the catalog starts at its first snapshot; at the second a column is
// renamed to deprecated_note; at the third it is dropped, the key turns bigint and a table is added.
void
add_catalog(report::DatabaseHistory& db)
{
  using model::CatalogObject;
  const CatalogObject orders{"table", 100, 0, "public.orders", "orders",
                             model::attrs_json({{"kind", "plain"}, {"persistence", "permanent"}})};
  const CatalogObject lines{"table", 200, 0, "public.lines", "lines",
                            model::attrs_json({{"kind", "plain"}, {"persistence", "permanent"}})};
  const auto column = [](std::int64_t attnum, const std::string& name, const std::string& type) {
    return CatalogObject{"column", 100, attnum, "public.orders." + name, name, model::attrs_json({{"type", type}, {"not_null", "no"}})};
  };
  const std::vector<model::Catalog> catalogs{{orders, column(1, "id", "integer"), column(2, "note", "text")},
                                             {orders, column(1, "id", "integer"), column(2, "deprecated_note", "text")},
                                             {orders, column(1, "id", "bigint"), lines}};
  for (std::size_t i = 0; i < catalogs.size(); ++i) {
    const auto& info = db.snapshots.at(i).info;
    db.catalog_changes.push_back(model::SnapshotChanges{
      info.id, info.taken_at, i ? model::catalog_changes(catalogs[i - 1], catalogs[i]) : std::vector<model::CatalogChange>()});
    db.catalog_counts[info.id] = model::catalog_counts(catalogs[i]);
  }
}

} // namespace

std::vector<report::DatabaseHistory>
report_sample()
{
  auto alpha = report::history_of("alpha", {snapshot(1, "alpha", "2026-01-01", 0), snapshot(2, "alpha", "2026-04-01", 1),
                                            snapshot(3, "alpha", "2026-07-01", 2)});
  add_catalog(alpha);
  return {std::move(alpha), report::history_of("beta", {snapshot(4, "beta", "2026-07-01", 0)})};
}

report::Diff
report_sample_diff()
{
  auto diff = report::build_diff(snapshot(2, "alpha", "2026-04-01", 1), snapshot(3, "alpha", "2026-07-01", 2),
                                 *util::parse_iso("2026-07-02"));
  const auto alpha = report_sample().front();
  diff.schema_catalog = true;
  diff.schema_changes = report::change_lines(alpha.catalog_changes.back(), model::deprecation_spans(alpha.catalog_changes));
  return diff;
}

report::ModelOptions
report_options()
{
  static const auto registry = audit::Registry::load(std::nullopt);
  return report::ModelOptions(registry.checks(), audit::default_config().stats_min_age_days);
}

} // namespace test
