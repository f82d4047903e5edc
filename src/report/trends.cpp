#include "report/trends.hpp"

#include "model/evidence.hpp"
#include "report/finding_view.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>

namespace report {

namespace {

constexpr double k_seconds_per_day = 86400.0;
constexpr double k_days_per_quarter = 91.3;
// The growth chart draws the k_grown_tables of the k_largest_tables largest tables now that
// grew most over the history (big tables are where growth costs; the history keeps every
// table's size, but a report reads the older snapshots' sizes of these only).
constexpr std::size_t k_largest_tables = 20;
constexpr std::size_t k_grown_tables = 5;
constexpr std::size_t k_suspect_indexes = 8;
constexpr std::size_t k_sequences = 12;
// Sequences without a finding are charted from this usage on.
constexpr double k_sequence_watch_pct = 50;

// Change from the previous to the latest value, as "+3", "-1.2 GB" or "no change".
std::string
delta_text(const Values& values, svg::Unit unit)
{
  if (values.size() < 2 || !values.back() || !values[values.size() - 2]) {
    return "";
  }
  const double d = *values.back() - *values[values.size() - 2];
  if (std::fabs(d) < 1e-9) {
    return "no change";
  }
  return (d > 0 ? "+" : "-") + svg::format_value(std::fabs(d), unit);
}

// object -> value per snapshot, for `metric` of `object_type` (only `objects` when given).
std::map<std::string, Values>
metric_series(const DatabaseHistory& db,
              std::string_view object_type,
              std::string_view metric,
              const std::set<std::string>* objects)
{
  std::map<std::string, Values> out;
  const auto n = db.snapshots.size();
  for (std::size_t i = 0; i < n; ++i) {
    for (const auto& m : db.snapshots[i].metrics) {
      if (m.metric != metric || m.object_type != object_type || (objects && !objects->count(m.object))) {
        continue;
      }
      auto& values = out[m.object];
      values.resize(n);
      values[i] = values[i].value_or(0) + m.value;
    }
  }
  return out;
}

std::vector<std::string>
largest_tables(const model::Snapshot& latest)
{
  std::vector<std::pair<double, std::string>> sizes;
  for (const auto& m : latest.metrics) {
    if (m.object_type == "table" && m.metric == "size_bytes") {
      sizes.emplace_back(m.value, m.object);
    }
  }
  const auto keep = std::min(sizes.size(), k_largest_tables);
  std::partial_sort(sizes.begin(), sizes.begin() + static_cast<std::ptrdiff_t>(keep), sizes.end(),
                    [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < keep; ++i) {
    out.push_back(sizes[i].second);
  }
  return out;
}

// Indexes the latest audit has a finding on, in fix-first order.
std::vector<std::string>
suspect_indexes(const model::Snapshot& latest)
{
  std::vector<std::string> out;
  for (const auto& f : latest.findings) {
    if (f.object_type == "index" && std::find(out.begin(), out.end(), f.object) == out.end()) {
      out.push_back(f.object);
      if (out.size() == k_suspect_indexes) {
        break;
      }
    }
  }
  return out;
}

// The categories whose finding totals `chart` sums: those of the checks naming it in their
// header. The history keeps totals per category, so a chart takes whole categories.
std::set<std::string>
charted_categories(const std::vector<model::CheckDef>& checks, model::TrendChart chart)
{
  std::set<std::string> out;
  for (const auto& def : checks) {
    if (def.trend == chart) {
      out.insert(def.category);
    }
  }
  return out;
}

// Per snapshot, the sum of the evidence total `key` over the finding totals that `pick`
// selects; a group is left out when no snapshot has any.
std::vector<SeriesData>
total_sums(const DatabaseHistory& db,
           std::optional<double> model::FindingTotal::*key,
           const std::vector<std::pair<std::string, std::function<bool(const model::FindingTotal&)>>>& groups)
{
  std::vector<SeriesData> out;
  for (const auto& [name, pick] : groups) {
    SeriesData s{name, Values(db.snapshots.size()), ""};
    bool any = false;
    for (std::size_t i = 0; i < db.snapshots.size(); ++i) {
      double sum = 0;
      for (const auto& t : db.snapshots[i].totals) {
        if (pick(t) && t.*key) {
          sum += *(t.*key);
          any = true;
        }
      }
      s.values[i] = sum;
    }
    if (any) {
      out.push_back(std::move(s));
    }
  }
  return out;
}

// "412 findings now, +12 since the previous snapshot".
std::string
caption(const Values& values, svg::Unit unit, std::string_view noun = {})
{
  const auto latest = last_value(values);
  if (!latest) {
    return "no data";
  }
  const auto now = noun.empty() ? svg::format_value(*latest, unit) : fmt::format("{} {}", svg::format_value(*latest, unit), noun);
  const auto delta = delta_text(values, unit);
  return delta.empty() ? fmt::format("{} now", now) : fmt::format("{} now, {} since the previous snapshot", now, delta);
}

Values
sum_series(const std::vector<SeriesData>& series, std::size_t n)
{
  Values out(n);
  for (const auto& s : series) {
    for (std::size_t i = 0; i < n && i < s.values.size(); ++i) {
      if (s.values[i]) {
        out[i] = out[i].value_or(0) + *s.values[i];
      }
    }
  }
  return out;
}

Chart
severity_chart(const DatabaseHistory& db, const std::vector<std::string>& labels)
{
  std::vector<SeriesData> series;
  for (int s = static_cast<int>(model::Severity::critical); s >= 0; --s) {
    const auto severity = static_cast<model::Severity>(s);
    SeriesData d{std::string(model::to_string(severity)), {}, fmt::format("sev-{}", model::to_string(severity))};
    for (const auto& snap : db.snapshots) {
      double count = 0;
      for (const auto& t : snap.totals) {
        count += t.severity == severity ? static_cast<double>(t.findings) : 0;
      }
      d.values.emplace_back(count);
    }
    series.push_back(std::move(d));
  }
  auto chart = make_chart("findings_total", "Findings per snapshot, by severity", ChartKind::bar, svg::Unit::count, labels, series);
  chart.caption = caption(sum_series(series, labels.size()), svg::Unit::count, "findings");
  return chart;
}

std::vector<CategoryTrend>
category_trends(const DatabaseHistory& db)
{
  const auto n = db.snapshots.size();
  std::map<std::string, Values> counts;
  for (std::size_t i = 0; i < n; ++i) {
    for (const auto& t : db.snapshots[i].totals) {
      auto& values = counts[t.category];
      if (values.empty()) {
        values.assign(n, 0.0);
      }
      values[i] = *values[i] + static_cast<double>(t.findings);
    }
  }
  std::vector<std::pair<std::string, Values>> rows(counts.begin(), counts.end());
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return *a.second.back() > *b.second.back(); });
  std::vector<CategoryTrend> out;
  for (auto& [category, values] : rows) {
    CategoryTrend trend;
    trend.latest = static_cast<std::int64_t>(*values.back());
    const auto previous = n > 1 ? static_cast<std::int64_t>(*values[n - 2]) : trend.latest;
    trend.previous = n > 1 ? std::optional(previous) : std::nullopt;
    trend.first = static_cast<std::int64_t>(*values.front());
    trend.delta_text = delta_text(values, svg::Unit::count);
    trend.direction = trend.latest > previous ? "up" : trend.latest < previous ? "down" : "flat";
    trend.spark = svg::text_sparkline(values);
    trend.chart = sparkline_chart(fmt::format("{} findings per snapshot", category), values, snapshot_labels(db));
    trend.category = category;
    trend.values = std::move(values);
    out.push_back(std::move(trend));
  }
  return out;
}

Chart
bytes_chart(std::string id,
            std::string title,
            const std::vector<std::string>& labels,
            const std::vector<SeriesData>& series,
            bool caption_total)
{
  auto chart = make_chart(std::move(id), std::move(title), ChartKind::line, svg::Unit::bytes, labels, series);
  chart.caption = series.empty() ? "no data in any snapshot"
                  : caption_total ? caption(sum_series(series, labels.size()), svg::Unit::bytes, "in total")
                                  : caption(series.front().values, svg::Unit::bytes);
  return chart;
}

// Sum of evidence "size_bytes" of the findings in the categories charted as unused index size.
Chart
unused_index_chart(const DatabaseHistory& db, const std::vector<std::string>& labels, const std::vector<model::CheckDef>& checks)
{
  using Total = model::FindingTotal;
  const auto categories = charted_categories(checks, model::TrendChart::unused_index_size);
  const auto unused = total_sums(db, &Total::size_bytes,
                                 {{"unused indexes", [&](const Total& t) { return categories.count(t.category) > 0; }}});
  return bytes_chart("unused_index_size", "Size of unused indexes", labels, unused, true);
}

// Sum of evidence "bloat_bytes" of the findings in the categories charted as bloat, tables
// and indexes apart.
Chart
bloat_chart(const DatabaseHistory& db, const std::vector<std::string>& labels, const std::vector<model::CheckDef>& checks)
{
  using Total = model::FindingTotal;
  const auto categories = charted_categories(checks, model::TrendChart::bloat);
  const auto bloat = total_sums(
    db, &Total::bloat_bytes,
    {{"tables", [&](const Total& t) { return t.object_type != "index" && categories.count(t.category) > 0; }},
     {"indexes", [&](const Total& t) { return t.object_type == "index" && categories.count(t.category) > 0; }}});
  return bytes_chart("bloat", "Estimated bloat", labels, bloat, true);
}

Chart
database_size_chart(const DatabaseHistory& db, const std::vector<std::string>& labels)
{
  std::vector<SeriesData> database;
  for (auto& [object, values] : metric_series(db, "database", "size_bytes", nullptr)) {
    database.push_back(SeriesData{object, std::move(values), ""});
  }
  return bytes_chart("database_size", "Database size", labels, database, true);
}

Chart
largest_tables_chart(const DatabaseHistory& db, const std::vector<std::string>& labels)
{
  const auto tables = largest_tables(db.latest);
  const std::set<std::string> wanted(tables.begin(), tables.end());
  auto table_sizes = metric_series(db, "table", "size_bytes", &wanted);
  // growth from the first snapshot a table has a size in to the latest
  auto growth = [](const Values& values) {
    const auto first = std::find_if(values.begin(), values.end(), [](const auto& v) { return v.has_value(); });
    const auto latest = last_value(values);
    return first != values.end() && latest ? *latest - **first : 0.0;
  };
  std::vector<SeriesData> largest;
  for (const auto& table : tables) {
    largest.push_back(SeriesData{table, std::move(table_sizes[table]), ""});
  }
  std::stable_sort(largest.begin(), largest.end(),
                   [&](const SeriesData& a, const SeriesData& b) { return growth(a.values) > growth(b.values); });
  largest.resize(std::min(largest.size(), k_grown_tables));
  auto chart = bytes_chart("largest_tables", "Tables that grew most", labels, largest, false);
  if (!largest.empty()) {
    const auto grew = growth(largest.front().values);
    chart.caption = grew > 0 ? fmt::format("of the {} largest: {} grew {}, to {}", tables.size(), largest.front().name,
                                           svg::format_value(grew, svg::Unit::bytes),
                                           svg::format_value(*last_value(largest.front().values), svg::Unit::bytes))
                             : fmt::format("largest: {}", caption(largest.front().values, svg::Unit::bytes));
  }
  // Lines that never move, one on top of another, say nothing a table of sizes would not.
  const bool any_change = std::any_of(largest.begin(), largest.end(), [](const SeriesData& s) {
    const auto [lo, hi] = std::minmax_element(s.values.begin(), s.values.end());
    return lo != s.values.end() && *lo != *hi;
  });
  if (chart.has_data && !any_change && db.snapshots.size() > 1) {
    chart.has_data = false;
    chart.caption = fmt::format("no table changed size; the largest is {}", caption(largest.front().values, svg::Unit::bytes));
  }
  return chart;
}

// Least-squares slope of usage in percentage points per day, over the points present.
std::optional<double>
slope_per_day(const DatabaseHistory& db, const Values& pct)
{
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  const double t0 = static_cast<double>(db.snapshots.front().info.taken_at);
  for (std::size_t i = 0; i < pct.size(); ++i) {
    if (!pct[i]) {
      continue;
    }
    const double x = (static_cast<double>(db.snapshots[i].info.taken_at) - t0) / k_seconds_per_day;
    n += 1;
    sx += x;
    sy += *pct[i];
    sxx += x * x;
    sxy += x * *pct[i];
  }
  const double var = n * sxx - sx * sx;
  if (n < 2 || var <= 0) {
    return std::nullopt;
  }
  return (n * sxy - sx * sy) / var;
}

// A sequence or key being charted: its usage per snapshot.
struct UsageItem
{
  std::string object;
  std::string object_type;
  Values pct;
};

// The findings with a usage, filled in (and joined by sequences filling up without a finding
// yet) from the sequences' own usage metric; fullest first.
std::vector<UsageItem>
usage_items(const DatabaseHistory& db)
{
  const auto& latest = db.latest;
  const auto n = db.snapshots.size();
  std::vector<UsageItem> items;
  for (const auto& fingerprint : trend_fingerprints(latest)) {
    const auto f = std::find_if(latest.findings.begin(), latest.findings.end(),
                                [&](const model::Finding& x) { return x.fingerprint == fingerprint; });
    const auto usage = db.usage_pct.find(fingerprint);
    auto pct = usage != db.usage_pct.end() ? usage->second : Values{};
    pct.resize(n);
    items.push_back(UsageItem{f->object, f->object_type, std::move(pct)});
  }
  // The sequences' own usage fills the snapshots before a finding appeared, and adds
  // sequences that are filling up without a finding yet.
  const auto usage = metric_series(db, "sequence", "usage_pct", nullptr);
  for (const auto& [object, values] : usage) {
    auto it = std::find_if(items.begin(), items.end(), [&](const UsageItem& i) { return i.object == object; });
    if (it == items.end()) {
      if (!values.back() || *values.back() < k_sequence_watch_pct || items.size() >= k_sequences) {
        continue;
      }
      items.push_back(UsageItem{object, "sequence", Values(n)});
      it = items.end() - 1;
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (!it->pct[i]) {
        it->pct[i] = values[i];
      }
    }
  }
  std::stable_sort(items.begin(), items.end(), [](const UsageItem& a, const UsageItem& b) {
    return last_value(a.pct).value_or(0) > last_value(b.pct).value_or(0);
  });
  return items;
}

SequenceTrend
sequence_trend(const DatabaseHistory& db, const std::vector<std::string>& labels, UsageItem item)
{
  SequenceTrend out;
  const auto now = last_value(item.pct).value_or(0);
  const auto slope = slope_per_day(db, item.pct);
  if (now >= 100) {
    out.projection = "exhausted";
  } else if (!slope) {
    out.projection = "needs two snapshots to project";
  } else if (*slope <= 1e-9) {
    out.projection = "not growing";
  } else {
    const double days = (100 - now) / *slope;
    if (days > 365.25 * 100) {
      out.projection = "not within a century";
    } else {
      const auto when = db.latest.info.taken_at + static_cast<std::int64_t>(days * k_seconds_per_day);
      out.exhaustion_date = date_of(when);
      out.days_left = static_cast<int>(days);
      out.projection = fmt::format("runs out in about {} days, around {}", static_cast<int>(days), date_of(when));
    }
  }
  out.chart = make_chart("sequence_usage", fmt::format("{}: usage per snapshot", item.object), ChartKind::line,
                         svg::Unit::percent, labels, {SeriesData{item.object, item.pct, "s0"}});
  out.chart.y_max = 100;
  out.chart.threshold = 100;
  out.chart.caption = fmt::format("{:.1f}% used; {}", now, out.projection);
  out.object = std::move(item.object);
  out.object_type = std::move(item.object_type);
  out.usage_pct = now;
  out.usage_text = fmt::format("{:.1f}%", now);
  if (slope) {
    out.growth_pct_per_quarter = *slope * k_days_per_quarter;
  }
  out.growth_text = slope ? fmt::format("{:+.1f} pts/quarter", *slope * k_days_per_quarter) : "n/a";
  out.values = std::move(item.pct);
  return out;
}

std::vector<SequenceTrend>
sequence_trends(const DatabaseHistory& db, const std::vector<std::string>& labels)
{
  std::vector<SequenceTrend> out;
  for (auto& item : usage_items(db)) {
    out.push_back(sequence_trend(db, labels, std::move(item)));
  }
  return out;
}

// Differences of a scan counter between consecutive snapshots; after a statistics reset (the
// counter went down), the count since the reset.
IndexUsage
scan_deltas(const Values& scans)
{
  IndexUsage out;
  for (std::size_t i = 1; i < scans.size(); ++i) {
    if (!scans[i] || !scans[i - 1]) {
      out.deltas.emplace_back();
      continue;
    }
    double d = *scans[i] - *scans[i - 1];
    if (d < 0) {
      d = *scans[i];
      out.stats_reset_seen = true;
    }
    out.scans_total += d;
    out.deltas.emplace_back(d);
  }
  out.last_delta = out.deltas.empty() ? std::nullopt : out.deltas.back();
  return out;
}

// The suspect indexes' scans; those never scanned in any period go to `unscanned` instead.
std::vector<IndexUsage>
index_usage(const DatabaseHistory& db, const std::vector<std::string>& labels, std::vector<std::string>& unscanned)
{
  const auto suspects = suspect_indexes(db.latest);
  const std::set<std::string> wanted(suspects.begin(), suspects.end());
  const auto scans = metric_series(db, "index", "idx_scan", &wanted);
  const std::vector<std::string> interval_labels(labels.begin() + (labels.empty() ? 0 : 1), labels.end());
  std::vector<IndexUsage> out;
  for (const auto& object : suspects) {
    const auto it = scans.find(object);
    if (it == scans.end()) {
      continue;
    }
    auto usage = scan_deltas(it->second);
    if (usage.last_delta && usage.scans_total == 0) {
      unscanned.push_back(object);
      continue;
    }
    usage.object = object;
    usage.chart = make_chart("index_scans", fmt::format("{}: scans between snapshots", object), ChartKind::bar,
                             svg::Unit::count, interval_labels, {SeriesData{"scans", usage.deltas, "s1"}});
    usage.chart.caption = usage.last_delta
                            ? fmt::format("{} scan(s) in the last period, {} over the history{}",
                                          svg::format_value(*usage.last_delta, svg::Unit::count),
                                          svg::format_value(usage.scans_total, svg::Unit::count),
                                          usage.stats_reset_seen ? "; statistics were reset in between" : "")
                            : "no scan counts for the last period";
    out.push_back(std::move(usage));
  }
  return out;
}

} // namespace

std::vector<std::string>
snapshot_labels(const DatabaseHistory& db)
{
  std::vector<std::string> labels;
  for (const auto& snap : db.snapshots) {
    labels.push_back(date_of(snap.info.taken_at));
  }
  return labels;
}

std::vector<MetricRequest>
metric_requests(const model::Snapshot& latest)
{
  return {MetricRequest{"database", "size_bytes", {}},
          MetricRequest{"sequence", "usage_pct", {}},
          MetricRequest{"table", "size_bytes", largest_tables(latest)},
          MetricRequest{"index", "idx_scan", suspect_indexes(latest)}};
}

std::vector<std::string>
trend_fingerprints(const model::Snapshot& latest)
{
  std::vector<std::string> out;
  std::vector<std::string_view> objects;
  for (const auto& f : latest.findings) {
    if (out.size() == k_sequences) {
      break;
    }
    if (model::evidence_number(latest, f, "usage_pct") && std::find(objects.begin(), objects.end(), f.object) == objects.end()) {
      objects.push_back(f.object);
      out.push_back(f.fingerprint);
    }
  }
  return out;
}

Trends
build_trends(const DatabaseHistory& db, const std::vector<model::CheckDef>& checks)
{
  Trends out;
  out.has_trends = db.snapshots.size() > 1;
  out.labels = snapshot_labels(db);
  out.charts = {severity_chart(db, out.labels), unused_index_chart(db, out.labels, checks),
                bloat_chart(db, out.labels, checks), database_size_chart(db, out.labels),
                largest_tables_chart(db, out.labels)};
  out.categories = category_trends(db);
  out.sequences = sequence_trends(db, out.labels);
  out.index_usage = index_usage(db, out.labels, out.unscanned_indexes);
  return out;
}

} // namespace report
