#include "integration/report_histories.hpp"

#include "audit/group_findings.hpp"
#include "audit/registry.hpp"
#include "audit/runner.hpp"
#include "store/history_store.hpp"
#include "util/time.hpp"

#include <fmt/format.h>

namespace test {

namespace {

using nlohmann::json;

model::Finding
finding(std::string check_id,
        std::string category,
        model::Severity severity,
        std::string object_type,
        std::string schema,
        std::string object,
        json evidence,
        std::string remediation = {})
{
  model::Finding f;
  f.check_id = std::move(check_id);
  f.category = std::move(category);
  f.severity = severity;
  f.object_type = std::move(object_type);
  f.schema_name = std::move(schema);
  f.object = std::move(object);
  f.message = fmt::format("{} {} needs attention", f.object_type, f.object);
  f.evidence = std::move(evidence);
  f.remediation = std::move(remediation);
  f.fingerprint = model::make_fingerprint(f.check_id, f.object_type.str() + ":" + f.object);
  return f;
}

model::AuditResult
audit_of(const std::string& dbname, std::int64_t taken_at)
{
  model::AuditResult r;
  r.target.host = "db.example.com";
  r.target.port = "5432";
  r.target.dbname = dbname;
  r.target.user = "auditor";
  r.capabilities.server_version = "16.4";
  r.capabilities.server_version_num = 160004;
  r.capabilities.stats_reset = util::format_iso(taken_at - 3 * 86400);
  r.taken_at = taken_at;
  r.wall_ms = 1500;
  r.query_ms = 1200;
  return r;
}

} // namespace

void
write_report_history(const std::filesystem::path& path, int snapshots, int findings_per_snapshot)
{
  std::filesystem::remove(path);
  const auto history = store::open_history_file(path, model::HistoryStore::Mode::read_write);
  const std::string hostile = fmt::format("{}.{}", k_hostile_schema, k_hostile_table);
  const std::int64_t start = *util::parse_iso("2025-01-01");
  for (int q = 0; q < snapshots; ++q) {
    auto r = audit_of("prod", start + static_cast<std::int64_t>(q) * 91 * 86400);
    const double k = q;
    r.findings.push_back(finding("unused_index", "unused_index", model::Severity::medium, "index", "public",
                                 "public.orders_note_idx", json{{"size_bytes", 4e8 + 1e8 * k}, {"idx_scan", 0}},
                                 "set lock_timeout = '5s';\ndrop index concurrently if exists public.orders_note_idx;"));
    r.findings.push_back(finding("unused_index", "unused_index", model::Severity::medium, "index", k_hostile_schema,
                                 hostile + "_idx", json{{"size_bytes", 2e8}, {"idx_scan", 0}},
                                 fmt::format("drop index concurrently if exists \"{}\".\"{}_idx\";", k_hostile_schema,
                                             k_hostile_table)));
    r.findings.push_back(finding("table_bloat", "table_bloat", q + 1 == snapshots ? model::Severity::high : model::Severity::medium,
                                 "table", "public", "public.events", json{{"bloat_bytes", 1e9 * (1 + k)}, {"bloat_pct", 20 + 5 * k}}));
    r.findings.push_back(finding("index_bloat", "index_bloat", model::Severity::low, "index", "public", "public.events_pkey",
                                 json{{"bloat_bytes", 3e8 * (1 + k / 2)}},
                                 "set lock_timeout = '5s';\nreindex index concurrently public.events_pkey;"));
    r.findings.push_back(finding("sequence_overflow", "int_overflow", q >= 3 ? model::Severity::high : model::Severity::medium,
                                 "sequence", "public", "public.orders_id_seq", json{{"usage_pct", 40 + 9 * k}}));
    r.findings.push_back(finding("deprecated_object", "deprecated_object", model::Severity::info, "table", "public",
                                 "public.deprecated_legacy_orders",
                                 json{{"first_seen", "2025-01-01"}, {"age_days", 91 * q}, {"ready_to_drop", q >= 2}},
                                 "set lock_timeout = '5s';\ndrop table if exists public.deprecated_legacy_orders;"));
    r.findings.push_back(finding("table_bloat", "table_bloat", model::Severity::medium, "table", k_hostile_schema, hostile,
                                 json{{"bloat_bytes", 5e7 * (1 + k)}}));
    if (q >= snapshots - 2) {
      r.findings.push_back(finding("invalid_index", "invalid_index", model::Severity::critical, "index", "public",
                                   "public.orders_code_key", json::object(),
                                   "set lock_timeout = '5s';\nreindex index concurrently public.orders_code_key;"));
    }
    if (q < snapshots - 1) {
      r.findings.push_back(finding("missing_fk_index", "missing_index", model::Severity::medium, "constraint", "public",
                                   "public.lines.lines_order_fk", json{{"table_bytes", 5e8}}));
    }
    for (int i = 0; i < findings_per_snapshot; ++i) {
      r.findings.push_back(finding("unused_column", "unused_column", static_cast<model::Severity>(i % 4), "column", "bulk",
                                   fmt::format("bulk.table_{}.col_{}", i / 20, i % 20),
                                   json{{"size_bytes", 1000.0 * i}, {"null_frac", 1.0}},
                                   fmt::format("alter table bulk.table_{} rename column col_{} to deprecated_col_{};", i / 20,
                                               i % 20, i % 20)));
    }
    model::sort_by_priority(r.findings);
    r.skipped.push_back(model::SkippedCheck{"exact_bloat", "needs the pgstattuple extension; install it or skip"});
    r.metrics.push_back(model::Metric{"database", "prod", "size_bytes", 5e10 * (1 + 0.2 * k)});
    r.metrics.push_back(model::Metric{"table", "public.events", "size_bytes", 2e10 * (1 + 0.3 * k)});
    r.metrics.push_back(model::Metric{"table", "public.orders", "size_bytes", 8e9 * (1 + 0.1 * k)});
    r.metrics.push_back(model::Metric{"table", hostile, "size_bytes", 1e9});
    r.metrics.push_back(model::Metric{"sequence", "public.orders_id_seq", "usage_pct", 40 + 9 * k});
    r.metrics.push_back(model::Metric{"sequence", "public.events_id_seq", "usage_pct", 55 + 4 * k});
    r.metrics.push_back(model::Metric{"index", "public.orders_note_idx", "idx_scan", q == 3 ? 2.0 : 12.0 * k});
    r.metrics.push_back(model::Metric{"index", hostile + "_idx", "idx_scan", 0});
    r.metrics.push_back(model::Metric{"index", "public.orders_code_key", "idx_scan", 100 * k});
    for (int i = 0; i < findings_per_snapshot; i += 10) {
      r.metrics.push_back(model::Metric{"table", fmt::format("bulk.table_{}", i / 20), "size_bytes", 1e6 * i});
    }
    history->save(r, "prod");
  }
  auto staging = audit_of("staging", start + static_cast<std::int64_t>(snapshots - 1) * 91 * 86400);
  staging.findings.push_back(finding("missing_fk_index", "missing_index", model::Severity::low, "constraint", "public",
                                     "public.lines.lines_order_fk", json::object()));
  history->save(staging, "staging");
}

namespace {

// The findings of one tenant schema of the fleet history in quarter `q`.
void
add_tenant(model::FindingList& out, const std::string& schema, int tenant, int q)
{
  static const char* const fk_tables[] = {"orders", "invoices", "line_items", "payments", "shipments", "comments"};
  static const char* const timestamp_tables[] = {"orders", "invoices", "line_items", "payments", "shipments",
                                                 "comments", "customers", "products", "events", "sessions", "audits"};
  const bool big = tenant % 50 == 0;
  for (const auto* table : fk_tables) {
    // a big tenant's parent deletes make the missing index high; most are medium
    auto f = finding("fk_without_index", "fk_without_index", big ? model::Severity::high : model::Severity::medium,
                     "constraint", schema, fmt::format("{}.{}.{}_account_id_fkey", schema, table, table),
                     json{{"child_rows", big ? 2'400'000 + 10'000 * q : 40'000 + 500 * q},
                          {"child_bytes", big ? 900e6 : 12e6},
                          {"parent_deletes_per_day", big ? 1500 : 3}},
                     fmt::format("set lock_timeout = '5s';\ncreate index concurrently if not exists {0}_account_id_idx\n"
                                 "  on \"{1}\".{0} (account_id);",
                                 table, schema));
    f.undo = fmt::format("drop index concurrently if exists \"{}\".{}_account_id_idx;", schema, table);
    out.push_back(std::move(f));
  }
  out.push_back(finding("duplicate_index", "duplicate_index", model::Severity::low, "index", schema,
                        fmt::format("{}.orders_created_at_idx1", schema), json{{"size_bytes", 8192.0 * (20 + q)}},
                        fmt::format("set lock_timeout = '5s';\ndrop index concurrently if exists \"{}\".orders_created_at_idx1;",
                                    schema)));
  for (const auto* table : timestamp_tables) {
    for (const auto* column : {"created_at", "updated_at"}) {
      out.push_back(finding("type_timestamp_no_tz", "type_timestamp_no_tz", model::Severity::info, "column", schema,
                            fmt::format("{}.{}.{}", schema, table, column), json{{"data_type", "timestamp without time zone"}}));
    }
  }
}

} // namespace

void
write_fleet_history(const std::filesystem::path& path, int snapshots, int tenants)
{
  std::filesystem::remove(path);
  const auto history = store::open_history_file(path, model::HistoryStore::Mode::read_write);
  const auto registry = audit::Registry::load();
  const std::int64_t start = *util::parse_iso("2026-02-16T09:00:00Z");
  for (int q = 0; q < snapshots; ++q) {
    const auto taken_at = start + static_cast<std::int64_t>(q) * 91 * 86400;
    auto r = audit_of("saas", taken_at);
    // tenants join each quarter (their findings are new), and the fix of the first 20 tenants'
    // duplicate index lands in the last quarter
    const int present = tenants - 40 * (snapshots - 1 - q);
    for (int t = 1; t <= present; ++t) {
      add_tenant(r.findings, fmt::format("tenant_{:05}", t), t, q);
    }
    if (q + 1 == snapshots) {
      model::erase_if(r.findings, [](const model::FindingHead& f) {
        return f.check_id == "duplicate_index" && f.schema_name <= "tenant_00020";
      });
    }
    const double usage = 80 + 4 * q + (q + 1 == snapshots ? 2 : 0);
    r.findings.push_back(finding("sequence_overflow", "int_overflow",
                                 usage >= 90 ? model::Severity::critical : model::Severity::high, "sequence", "public",
                                 "public.events_id_seq", json{{"usage_pct", usage}, {"last_value", 2147483647.0 * usage / 100}},
                                 "-- widen the key: see the runbook\nalter sequence public.events_id_seq as bigint;"));
    r.metrics.push_back(model::Metric{"sequence", "public.events_id_seq", "usage_pct", usage});
    r.metrics.push_back(model::Metric{"sequence", "public.audits_id_seq", "usage_pct", 55 + 3.0 * q});
    r.metrics.push_back(model::Metric{"database", "saas", "size_bytes", 3e11 * (1 + 0.1 * q)});
    for (int t = 1; t <= 5; ++t) {
      r.metrics.push_back(model::Metric{"table", fmt::format("tenant_{:05}.events", t * 50), "size_bytes", 4e9 * t * (1 + 0.15 * q)});
    }
    audit::assign_groups(r.findings, registry, {});
    model::sort_by_priority(r.findings);
    history->save(r, "saas");

    auto billing = audit_of("billing", taken_at + 3600);
    for (int i = 0; i < 30 + q; ++i) {
      billing.findings.push_back(finding("unused_index", "unused_index", i < 3 ? model::Severity::medium : model::Severity::low,
                                         "index", "public", fmt::format("public.ledger_note_{}_idx", i),
                                         json{{"size_bytes", 3e7 * (i + 1)}, {"idx_scan", 0}},
                                         fmt::format("drop index concurrently if exists public.ledger_note_{}_idx;", i)));
    }
    audit::assign_groups(billing.findings, registry, {});
    model::sort_by_priority(billing.findings);
    history->save(billing, "billing");

    auto reporting = audit_of("reporting", taken_at + 7200);
    reporting.findings.push_back(finding("table_bloat", "table_bloat", model::Severity::medium, "table", "public",
                                         "public.daily_rollups", json{{"bloat_bytes", 2e9 * (1 + q)}, {"bloat_pct", 30 + 5 * q}}));
    audit::assign_groups(reporting.findings, registry, {});
    history->save(reporting, "reporting");
  }
}

} // namespace test
