#include "store/history_engine.hpp"

#include "model/finding_fields.hpp"
#include "util/error.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace store {

namespace {

using Type = RowBatch::Type;
using Fields = std::vector<const model::FindingField*>;

constexpr const char* k_snapshot_columns =
  "s.id, t.name, t.host, t.port, t.dbname, s.taken_at, s.server_version, s.stats_reset";

model::SnapshotInfo
snapshot_info(const SqlRows& row)
{
  model::SnapshotInfo info;
  info.id = row.int64(0);
  info.target_name = row.text(1);
  info.host = row.text(2);
  info.port = row.text(3);
  info.dbname = row.text(4);
  info.taken_at = row.int64(5);
  info.server_version = row.text(6);
  info.stats_reset = row.optional_text(7);
  return info;
}

// `findings` without repeated fingerprints (the first one wins): what a snapshot stores.
// Returns `findings` itself when there are none, else a copy kept in `storage`.
const std::vector<model::Finding>&
distinct_findings(const std::vector<model::Finding>& findings, std::vector<model::Finding>& storage)
{
  std::unordered_set<std::string_view> seen;
  seen.reserve(findings.size() * 2);
  for (const auto& f : findings) {
    if (!seen.insert(f.fingerprint).second) {
      seen.clear();
      std::copy_if(findings.begin(), findings.end(), std::back_inserter(storage),
                   [&](const model::Finding& g) { return seen.insert(g.fingerprint).second; });
      return storage;
    }
  }
  return findings;
}

// A RowBatch of `items`, `row(item)` giving the values of `columns`.
template<typename Item, typename Row>
RowBatch
rows_of(const std::vector<Item>& items, std::vector<RowBatch::Column> columns, Row row)
{
  return RowBatch{std::move(columns), items.size(), [&items, row](std::size_t i) { return row(items[i]); }};
}

// A RowBatch of `findings` with one text column per field of `fields`: its stored value.
RowBatch
finding_rows(const std::vector<const model::Finding*>& findings, const Fields& fields)
{
  std::vector<RowBatch::Column> columns;
  for (const auto* field : fields) {
    columns.push_back({std::string(field->name), Type::text});
  }
  return rows_of(findings, std::move(columns), [&fields](const model::Finding* f) {
    std::vector<SqlValue> values;
    values.reserve(fields.size() + 1);
    for (const auto* field : fields) {
      values.emplace_back(model::stored_value(*f, *field));
    }
    return values;
  });
}

template<typename Keep>
Fields
fields_where(Keep keep)
{
  Fields out;
  for (const auto& field : model::k_finding_fields) {
    if (keep(field)) {
      out.push_back(&field);
    }
  }
  return out;
}

// Inserts `rows` into `table`: `fixed` columns set to $1..$n, then the batch's columns; `tail`
// ends the statement (on conflict ..., returning ...) and `on_row` takes what it returns.
void
insert_rows(SqlBackend& backend,
            std::string_view table,
            const std::vector<std::pair<std::string_view, SqlValue>>& fixed,
            const RowBatch& rows,
            std::string_view tail = "",
            const std::function<void(const SqlRows&)>& on_row = {})
{
  std::vector<std::string> columns;
  std::vector<std::string> values;
  std::vector<SqlValue> params;
  for (const auto& [column, value] : fixed) {
    columns.emplace_back(column);
    params.push_back(value);
    values.push_back(fmt::format("${}", params.size()));
  }
  for (const auto& column : rows.columns) {
    columns.push_back(column.name);
    values.push_back("u." + column.name);
  }
  backend.for_rows(fmt::format("insert into {}({}) select {} from {{rows}} where true {}", table,
                               fmt::join(columns, ", "), fmt::join(values, ", "), tail),
                   params, rows, on_row);
}

} // namespace

HistoryEngine::HistoryEngine(std::unique_ptr<SqlBackend> backend)
  : m_backend(std::move(backend))
{
}

std::int64_t
HistoryEngine::save(const model::AuditResult& result, const std::string& name)
{
  std::vector<model::Finding> storage;
  const auto& findings = distinct_findings(result.findings, storage);
  std::int64_t snapshot_id = 0;
  m_backend->write_transaction([&] {
    const auto target_id = save_target(result.target, name);
    snapshot_id = save_snapshot(result, target_id);
    save_findings(findings, snapshot_id);
    save_finding_totals(findings, snapshot_id);
    save_fingerprint_ages(findings, target_id, result.taken_at);
    save_skipped_checks(result.skipped, snapshot_id);
    save_metrics(result.metrics, snapshot_id);
  });
  return snapshot_id;
}

std::int64_t
HistoryEngine::save_target(const model::Target& target, const std::string& name)
{
  const auto row = m_backend->query("insert into targets(name, host, port, dbname) values ($1, $2, $3, $4) "
                                    "on conflict (name) do update set host = excluded.host, port = excluded.port, "
                                    "dbname = excluded.dbname returning id",
                                    {name, target.host, target.port, target.dbname});
  row->next();
  return row->int64(0);
}

std::int64_t
HistoryEngine::save_snapshot(const model::AuditResult& result, std::int64_t target_id)
{
  const auto& caps = result.capabilities;
  const auto row = m_backend->query(
    "insert into snapshots(target_id, taken_at, server_version, server_version_num, stats_reset, tool_version, "
    "checks_run, wall_ms, query_ms) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
    {target_id, result.taken_at, caps.server_version, std::int64_t{caps.server_version_num},
     caps.stats_reset ? SqlValue(*caps.stats_reset) : SqlValue(), std::string(SCHEMA_AUDIT_VERSION),
     static_cast<std::int64_t>(result.timings.size()), result.wall_ms, result.query_ms});
  row->next();
  return row->int64(0);
}

// Every finding points at the text of its fingerprint with the same words (the fields kept in
// finding_texts: history/0003, 0005), found by an index lookup by fingerprint, or added when
// there is none: a finding repeated word for word costs a small row.
void
HistoryEngine::save_findings(const std::vector<model::Finding>& all, std::int64_t snapshot_id)
{
  std::vector<const model::Finding*> findings;
  findings.reserve(all.size());
  for (const auto& f : all) {
    findings.push_back(&f);
  }
  const auto texts =
    fields_where([](const model::FindingField& f) { return f.name == "fingerprint" || f.home == model::FieldHome::text; });
  std::vector<std::string> same_text;
  for (const auto* field : texts) {
    same_text.push_back(fmt::format("t.{0} = u.{0}", field->name));
  }
  std::unordered_map<std::string_view, std::size_t> index_of;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    index_of.emplace(findings[i]->fingerprint, i);
  }
  std::vector<std::int64_t> text_ids(findings.size()); // 0: none yet
  const auto take_id = [&](const SqlRows& row) { text_ids.at(index_of.at(row.text(0))) = row.int64(1); };
  m_backend->for_rows(fmt::format("select u.fingerprint, (select min(t.id) from finding_texts t where {}) "
                                  "from {{rows}} where true",
                                  fmt::join(same_text, " and ")),
                      {}, finding_rows(findings, texts), take_id);

  std::vector<const model::Finding*> new_texts;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (text_ids[i] == 0) {
      new_texts.push_back(findings[i]);
    }
  }
  insert_rows(*m_backend, "finding_texts", {}, finding_rows(new_texts, texts), "returning fingerprint, id", take_id);

  const auto own = fields_where([](const model::FindingField& f) { return f.home == model::FieldHome::finding; });
  auto rows = finding_rows(findings, own);
  rows.columns.push_back({"text_id", Type::integer});
  rows.row = [&, fields_of = rows.row](std::size_t i) {
    auto values = fields_of(i);
    values.emplace_back(text_ids[i]);
    return values;
  };
  insert_rows(*m_backend, "findings", {{"snapshot_id", snapshot_id}}, rows);
}

void
HistoryEngine::save_finding_totals(const std::vector<model::Finding>& findings, std::int64_t snapshot_id)
{
  const auto totals = model::finding_totals(findings);
  const auto optional = [](const std::optional<double>& v) { return v ? SqlValue(*v) : SqlValue(); };
  insert_rows(*m_backend, "finding_totals", {{"snapshot_id", snapshot_id}},
              rows_of(totals,
                      {{"category", Type::text}, {"severity", Type::text}, {"object_type", Type::text},
                       {"findings", Type::integer}, {"size_bytes", Type::real}, {"bloat_bytes", Type::real}},
                      [&](const model::FindingTotal& t) {
                        return std::vector<SqlValue>{t.category, std::string(model::to_string(t.severity)),
                                                     t.object_type, t.findings, optional(t.size_bytes),
                                                     optional(t.bloat_bytes)};
                      }));
}

void
HistoryEngine::save_fingerprint_ages(const std::vector<model::Finding>& findings,
                                     std::int64_t target_id,
                                     std::int64_t taken_at)
{
  // The earlier of the two times as a case: SQLite spells it min(), PostgreSQL least().
  insert_rows(*m_backend, "fingerprint_ages",
              {{"target_id", target_id}, {"first_seen", taken_at}, {"snapshots", std::int64_t{1}}},
              rows_of(findings, {{"fingerprint", Type::text}},
                      [](const model::Finding& f) { return std::vector<SqlValue>{f.fingerprint}; }),
              "on conflict (target_id, fingerprint) do update set first_seen = case when excluded.first_seen "
              "< fingerprint_ages.first_seen then excluded.first_seen else fingerprint_ages.first_seen end, "
              "snapshots = fingerprint_ages.snapshots + 1");
}

void
HistoryEngine::save_skipped_checks(const std::vector<model::SkippedCheck>& skipped, std::int64_t snapshot_id)
{
  insert_rows(*m_backend, "skipped_checks", {{"snapshot_id", snapshot_id}},
              rows_of(skipped, {{"check_id", Type::text}, {"reason", Type::text}, {"cause", Type::text}},
                      [](const model::SkippedCheck& s) {
                        return std::vector<SqlValue>{s.check_id, s.reason, std::string(model::to_string(s.cause))};
                      }),
              "on conflict do nothing");
}

// Objects are named once (history/0001): each new one is added, then every metric points at its id.
void
HistoryEngine::save_metrics(const std::vector<model::Metric>& metrics, std::int64_t snapshot_id)
{
  std::map<std::pair<std::string_view, std::string_view>, std::size_t> object_index;
  std::vector<std::pair<std::string_view, std::string_view>> objects;
  std::vector<std::size_t> object_of_metric;
  object_of_metric.reserve(metrics.size());
  for (const auto& m : metrics) {
    const auto [it, added] = object_index.try_emplace({m.object_type, m.object}, objects.size());
    if (added) {
      objects.push_back(it->first);
    }
    object_of_metric.push_back(it->second);
  }
  const auto object_rows = rows_of(objects, {{"object_type", Type::text}, {"name", Type::text}}, [](const auto& o) {
    return std::vector<SqlValue>{std::string(o.first), std::string(o.second)};
  });
  insert_rows(*m_backend, "objects", {}, object_rows, "on conflict do nothing");
  std::vector<std::int64_t> ids(objects.size());
  m_backend->for_rows("select u.object_type, u.name, o.id from {rows} join objects o "
                      "on o.object_type = u.object_type and o.name = u.name",
                      {}, object_rows, [&](const SqlRows& row) {
                        ids.at(object_index.at({row.text(0), row.text(1)})) = row.int64(2);
                      });
  const RowBatch rows{{{"object_id", Type::integer}, {"metric", Type::text}, {"value", Type::real}},
                      metrics.size(), [&](std::size_t i) {
                        return std::vector<SqlValue>{ids[object_of_metric[i]], metrics[i].metric, metrics[i].value};
                      }};
  insert_rows(*m_backend, "metrics", {{"snapshot_id", snapshot_id}}, rows, "on conflict do nothing");
}

std::vector<model::SnapshotInfo>
HistoryEngine::list(const std::optional<std::string>& name) const
{
  const auto rows = m_backend->query(
    fmt::format("select {}, (select coalesce(sum(f.findings), 0) from finding_totals f where f.snapshot_id = s.id), "
                "(select count(*) from skipped_checks k where k.snapshot_id = s.id) "
                "from snapshots s join targets t on t.id = s.target_id {}order by s.taken_at, s.id",
                k_snapshot_columns, name ? "where t.name = $1 " : ""),
    name ? std::vector<SqlValue>{*name} : std::vector<SqlValue>{});
  std::vector<model::SnapshotInfo> out;
  while (rows->next()) {
    auto& info = out.emplace_back(snapshot_info(*rows));
    info.finding_count = static_cast<std::size_t>(rows->int64(8));
    info.skipped_count = static_cast<std::size_t>(rows->int64(9));
  }
  return out;
}

std::vector<std::string>
HistoryEngine::target_names() const
{
  const auto rows = m_backend->query("select name from targets where id in (select target_id from snapshots) order by name");
  std::vector<std::string> out;
  while (rows->next()) {
    out.push_back(rows->text(0));
  }
  return out;
}

model::Snapshot
HistoryEngine::load(std::int64_t snapshot_id) const
{
  model::Snapshot snap;
  {
    const auto row = m_backend->query(
      fmt::format("select {} from snapshots s join targets t on t.id = s.target_id where s.id = $1", k_snapshot_columns),
      {snapshot_id});
    if (!row->next()) {
      throw util::Fatal(util::ExitCode::history, fmt::format("{} has no snapshot {}; list them with \"schema-audit history\"",
                                                             m_backend->name(), snapshot_id));
    }
    snap.info = snapshot_info(*row);
  }
  const auto count = m_backend->query("select coalesce(sum(findings), 0) from finding_totals where snapshot_id = $1",
                                      {snapshot_id});
  count->next();
  snap.findings = findings_of(snapshot_id, static_cast<std::size_t>(count->int64(0)), [](const model::FindingField&) {
    return true;
  });
  model::sort_by_priority(snap.findings);
  snap.skipped = skipped_checks(snapshot_id);
  each_metric(snapshot_id, [&](model::Metric&& m) { snap.metrics.push_back(std::move(m)); });
  snap.info.finding_count = snap.findings.size();
  snap.info.skipped_count = snap.skipped.size();
  return snap;
}

std::optional<model::PreviousSnapshot>
HistoryEngine::previous(const std::string& name) const
{
  const auto latest = m_backend->query("select s.id, s.taken_at, s.stats_reset from snapshots s join targets t on "
                                       "t.id = s.target_id where t.name = $1 order by s.taken_at desc, s.id desc limit 1",
                                       {name});
  if (!latest->next()) {
    return std::nullopt;
  }
  model::PreviousSnapshot prev;
  prev.taken_at = latest->int64(1);
  prev.stats_reset = latest->optional_text(2);
  each_metric(latest->int64(0), [&](model::Metric&& m) {
    prev.metrics[model::metric_key(m.object_type, m.object, m.metric)] = m.value;
  });
  for (auto& [fingerprint, age] : fingerprint_ages(name)) {
    prev.first_seen.emplace(fingerprint, age.first_seen);
  }
  return prev;
}

model::Snapshot
HistoryEngine::load_light(const model::SnapshotInfo& info) const
{
  model::Snapshot snap;
  snap.info = info;
  snap.findings = findings_of(info.id, info.finding_count, [](const model::FindingField& f) { return f.light; });
  snap.skipped = skipped_checks(info.id);
  return snap;
}

std::vector<model::HistoryStore::SnapshotTotal>
HistoryEngine::finding_totals(const std::string& name) const
{
  const auto rows = m_backend->query("select s.id, f.category, f.severity, f.object_type, f.findings, f.size_bytes, "
                                     "f.bloat_bytes from finding_totals f join snapshots s on s.id = f.snapshot_id "
                                     "join targets t on t.id = s.target_id where t.name = $1",
                                     {name});
  std::vector<SnapshotTotal> out;
  while (rows->next()) {
    auto& row = out.emplace_back();
    row.snapshot_id = rows->int64(0);
    row.total.category = rows->text(1);
    row.total.severity = model::parse_severity(rows->text(2)).value_or(model::Severity::medium);
    row.total.object_type = rows->text(3);
    row.total.findings = rows->int64(4);
    row.total.size_bytes = rows->optional_real(5);
    row.total.bloat_bytes = rows->optional_real(6);
  }
  return out;
}

model::FingerprintAges
HistoryEngine::fingerprint_ages(const std::string& name) const
{
  const auto rows = m_backend->query("select a.fingerprint, a.first_seen, a.snapshots from fingerprint_ages a "
                                     "join targets t on t.id = a.target_id where t.name = $1",
                                     {name});
  model::FingerprintAges out;
  while (rows->next()) {
    out.emplace(rows->text(0), model::FingerprintAge{rows->int64(1), static_cast<int>(rows->int64(2))});
  }
  return out;
}

std::vector<model::HistoryStore::EvidenceRow>
HistoryEngine::evidence_values(const std::string& name,
                               const std::vector<std::string>& fingerprints,
                               const std::string& key) const
{
  if (fingerprints.empty()) {
    return {};
  }
  const auto rows = m_backend->query(
    fmt::format("select f.snapshot_id, f.fingerprint, {} from findings f join snapshots s on s.id = f.snapshot_id "
                "join targets t on t.id = s.target_id where t.name = $1 and {}",
                m_backend->json_number("f.evidence", "$3"), m_backend->in_list("f.fingerprint", "$2")),
    {name, m_backend->list_value(fingerprints), key});
  std::vector<EvidenceRow> out;
  while (rows->next()) {
    if (!rows->is_null(2)) { // not a number
      out.push_back(EvidenceRow{rows->int64(0), rows->text(1), rows->real(2)});
    }
  }
  return out;
}

std::vector<model::HistoryStore::MetricRow>
HistoryEngine::metric_rows(const std::string& name,
                           const std::string& object_type,
                           const std::string& metric,
                           const std::vector<std::string>& objects) const
{
  std::vector<SqlValue> params{name, object_type, metric};
  if (!objects.empty()) {
    params.push_back(m_backend->list_value(objects));
  }
  // Snapshots, then the matching objects, then one primary-key lookup per pair: fast however
  // many other metrics a snapshot holds. SQLite joins in the order a cross join is written;
  // PostgreSQL plans it as any join.
  const auto rows = m_backend->query(
    fmt::format("select s.id, o.name, m.value from targets t join snapshots s on s.target_id = t.id "
                "cross join objects o cross join metrics m where t.name = $1 and o.object_type = $2 "
                "and m.snapshot_id = s.id and m.object_id = o.id and m.metric = $3{} order by s.taken_at, s.id",
                objects.empty() ? "" : " and " + m_backend->in_list("o.name", "$4")),
    params);
  std::vector<MetricRow> out;
  while (rows->next()) {
    out.push_back(MetricRow{rows->int64(0), rows->text(1), rows->real(2)});
  }
  return out;
}

std::vector<model::Finding>
HistoryEngine::findings_of(std::int64_t snapshot_id,
                           std::size_t expected,
                           bool (*wanted)(const model::FindingField&)) const
{
  const auto fields = fields_where(wanted);
  std::vector<std::string> columns;
  bool texts = false;
  for (const auto* field : fields) {
    texts = texts || field->home == model::FieldHome::text;
    columns.push_back(fmt::format("{}.{}", field->home == model::FieldHome::text ? "t" : "f", field->name));
  }
  const auto rows = m_backend->query(fmt::format("select {} from findings f{} where f.snapshot_id = $1",
                                                 fmt::join(columns, ", "),
                                                 texts ? " join finding_texts t on t.id = f.text_id" : ""),
                                     {snapshot_id});
  std::vector<model::Finding> out;
  out.reserve(expected);
  while (rows->next()) {
    auto& finding = out.emplace_back();
    for (std::size_t i = 0; i < fields.size(); ++i) {
      model::set_stored_value(finding, *fields[i], rows->text(static_cast<int>(i)));
    }
  }
  return out;
}

// The checks without a result in snapshot `snapshot_id`.
std::vector<model::SkippedCheck>
HistoryEngine::skipped_checks(std::int64_t snapshot_id) const
{
  const auto rows = m_backend->query(
    "select check_id, reason, cause from skipped_checks where snapshot_id = $1 order by check_id", {snapshot_id});
  std::vector<model::SkippedCheck> out;
  while (rows->next()) {
    out.push_back(model::SkippedCheck{rows->text(0), rows->text(1),
                                      model::parse_skip_cause(rows->text(2)).value_or(model::SkipCause::error)});
  }
  return out;
}

void
HistoryEngine::each_metric(std::int64_t snapshot_id, const std::function<void(model::Metric&&)>& take) const
{
  const auto rows = m_backend->query("select o.object_type, o.name, m.metric, m.value from metrics m "
                                     "join objects o on o.id = m.object_id where m.snapshot_id = $1",
                                     {snapshot_id});
  while (rows->next()) {
    take(model::Metric{rows->text(0), rows->text(1), rows->text(2), rows->real(3)});
  }
}

} // namespace store
