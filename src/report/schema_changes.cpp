#include "report/schema_changes.hpp"

#include "report/finding_view.hpp"
#include "report/trends.hpp"
#include "util/time.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace report {

namespace {

// The span whose drop `c` is, if any.
const model::DeprecationSpan*
span_dropped_by(const model::CatalogChange& c, std::int64_t taken_at, const std::vector<model::DeprecationSpan>& spans)
{
  for (const auto& span : spans) {
    if (span.dropped_at == taken_at && span.kind == c.kind && span.object == c.object) {
      return &span;
    }
  }
  return nullptr;
}

} // namespace

std::string
kinds_of(std::string_view kind)
{
  return std::string(kind) + (!kind.empty() && kind.back() == 'x' ? "es" : "s");
}

std::string
quarter_of(std::int64_t epoch)
{
  const auto iso = util::format_iso(epoch); // YYYY-MM-DDTHH:MM:SSZ
  const int month = std::stoi(iso.substr(5, 2));
  return fmt::format("{} Q{}", iso.substr(0, 4), (month - 1) / 3 + 1);
}

std::vector<SchemaChangeLine>
change_lines(const model::SnapshotChanges& snapshot, const std::vector<model::DeprecationSpan>& spans)
{
  std::vector<SchemaChangeLine> out;
  if (snapshot.upgraded_from != 0) {
    out.push_back(SchemaChangeLine{"upgraded", "server", "PostgreSQL",
                                   fmt::format("PostgreSQL upgraded from {} to {}", snapshot.upgraded_from,
                                               snapshot.server_major),
                                   true, std::nullopt});
  }
  if (snapshot.reprinted_views != 0) {
    out.push_back(SchemaChangeLine{
      "not_compared", "view", "",
      fmt::format("{} {}: {} re-printed by the new server; not compared", snapshot.reprinted_views,
                  snapshot.reprinted_views == 1 ? "view" : "views",
                  snapshot.reprinted_views == 1 ? "definition" : "definitions"),
      false, std::nullopt});
  }
  for (const auto& c : snapshot.changes) {
    SchemaChangeLine line{std::string(model::to_string(c.change)), c.kind, c.object, model::describe(c),
                          model::notable(c), std::nullopt};
    if (c.change == model::ChangeKind::dropped) {
      if (const auto* span = span_dropped_by(c, snapshot.taken_at, spans)) {
        line.deprecated_days = span->days();
        line.text += fmt::format(" ({} days after its rename from {} on {})", span->days(), span->original,
                                 date_of(span->renamed_at));
      }
    }
    out.push_back(std::move(line));
  }
  return out;
}

SchemaChanges
schema_changes(const DatabaseHistory& db)
{
  SchemaChanges out;
  if (db.catalog_changes.empty()) {
    return out;
  }
  out.has_catalog = true;
  const auto& baseline = db.catalog_changes.front();
  out.baseline_date = date_of(baseline.taken_at);
  out.earlier_snapshots = !db.snapshots.empty() && db.snapshots.front().info.id != baseline.snapshot_id;

  const auto spans = model::deprecation_spans(db.catalog_changes);
  for (const auto& span : spans) {
    if (span.dropped_at) {
      out.dropped_deprecations.push_back(DroppedDeprecation{span.kind, span.object, span.original,
                                                            date_of(span.renamed_at), date_of(*span.dropped_at),
                                                            span.days()});
    } else {
      out.open_deprecations.push_back(span);
    }
  }

  // Quarters, newest first; each lists its notable changes first.
  for (auto it = db.catalog_changes.rbegin(); it != db.catalog_changes.rend(); ++it) {
    if (!it->has_changes()) {
      continue;
    }
    const auto period = quarter_of(it->taken_at);
    if (out.quarters.empty() || out.quarters.back().period != period) {
      out.quarters.push_back(SchemaChangePeriod{period, date_of(it->taken_at), date_of(it->taken_at), 0, 0, 0, 0, {}});
    }
    auto& quarter = out.quarters.back();
    quarter.first_date = date_of(it->taken_at);
    auto lines = change_lines(*it, spans);
    // Older snapshots of the quarter go before the newer ones already listed.
    lines.insert(lines.end(), quarter.changes.begin(), quarter.changes.end());
    quarter.changes = std::move(lines);
  }
  for (auto& quarter : out.quarters) {
    for (const auto& line : quarter.changes) {
      auto* count = line.change == "added"     ? &quarter.added
                    : line.change == "dropped" ? &quarter.dropped
                    : line.change == "renamed" ? &quarter.renamed
                    : line.change == "altered" ? &quarter.altered
                                               : nullptr; // an upgrade, views not compared: no object's change
      if (count) {
        ++*count;
      }
    }
    std::stable_partition(quarter.changes.begin(), quarter.changes.end(),
                          [](const SchemaChangeLine& l) { return l.notable; });
  }

  // Objects by kind per snapshot, for the snapshots with a catalog.
  std::vector<SeriesData> series;
  for (const auto kind : {"table", "column", "index", "constraint", "view", "function", "sequence"}) {
    SeriesData s{kinds_of(kind), {}, ""};
    for (const auto& snap : db.snapshots) {
      const auto counts = db.catalog_counts.find(snap.info.id);
      if (counts == db.catalog_counts.end()) {
        s.values.emplace_back(std::nullopt);
        continue;
      }
      const auto n = counts->second.find(kind);
      s.values.emplace_back(n == counts->second.end() ? 0.0 : static_cast<double>(n->second));
    }
    series.push_back(std::move(s));
  }
  out.object_counts = make_chart(fmt::format("schema-objects-{}", db.name), "Schema size by object count",
                                 ChartKind::line, svg::Unit::count, snapshot_labels(db), series);
  out.object_counts.caption = fmt::format("Objects of each kind at each snapshot since the catalog starts ({}).",
                                          out.baseline_date);
  return out;
}

} // namespace report
