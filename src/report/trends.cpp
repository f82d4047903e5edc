#include "report/trends.hpp"

#include "report/finding_view.hpp"
#include "report/svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <unordered_set>

namespace report {

namespace {

using nlohmann::json;
using Values = std::vector<std::optional<double>>;

constexpr double k_seconds_per_day = 86400.0;
constexpr double k_days_per_quarter = 91.3;
constexpr std::size_t k_largest_tables = 5;
constexpr std::size_t k_suspect_indexes = 8;
constexpr std::size_t k_sequences = 12;
// Sequences without a finding are charted from this usage on.
constexpr double k_sequence_watch_pct = 50;

struct SeriesData
{
  std::string name;
  Values values;
  std::string css_class;
};

std::string_view
unit_name(svg::Unit unit)
{
  switch (unit) {
  case svg::Unit::bytes:
    return "bytes";
  case svg::Unit::percent:
    return "percent";
  case svg::Unit::count:
    break;
  }
  return "count";
}

svg::Unit
parse_unit(const std::string& name)
{
  return name == "bytes" ? svg::Unit::bytes : name == "percent" ? svg::Unit::percent : svg::Unit::count;
}

json
values_json(const Values& values)
{
  json out = json::array();
  for (const auto& v : values) {
    out.push_back(v ? json(*v) : json(nullptr));
  }
  return out;
}

std::optional<double>
last_value(const Values& values)
{
  for (auto it = values.rbegin(); it != values.rend(); ++it) {
    if (*it) {
      return *it;
    }
  }
  return std::nullopt;
}

json
chart_json(std::string id,
           std::string title,
           std::string_view kind,
           svg::Unit unit,
           std::vector<std::string> labels,
           const std::vector<SeriesData>& series)
{
  json out_series = json::array();
  bool has_data = false;
  for (std::size_t i = 0; i < series.size(); ++i) {
    const auto& s = series[i];
    const auto latest = last_value(s.values);
    has_data = has_data || latest.has_value();
    out_series.push_back(json{{"name", s.name},
                              {"index", i},
                              {"css_class", s.css_class.empty() ? fmt::format("s{}", i % 6) : s.css_class},
                              {"values", values_json(s.values)},
                              {"latest", latest ? json(*latest) : json(nullptr)},
                              {"latest_text", latest ? svg::format_value(*latest, unit) : "n/a"},
                              {"spark", svg::text_sparkline(s.values)}});
  }
  return json{{"id", std::move(id)},
              {"title", std::move(title)},
              {"kind", kind},
              {"unit", unit_name(unit)},
              {"labels", std::move(labels)},
              {"series", std::move(out_series)},
              {"has_data", has_data},
              {"caption", ""},
              {"spark", series.empty() ? "" : svg::text_sparkline(series.front().values)},
              {"has_legend", series.size() > 1},
              {"y_max", nullptr},
              {"threshold", nullptr}};
}

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


std::optional<double>
evidence_number(const model::Finding& f, const char* key)
{
  if (f.evidence.is_object()) {
    const auto it = f.evidence.find(key);
    if (it != f.evidence.end() && it->is_number()) {
      return it->get<double>();
    }
  }
  return std::nullopt;
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

json
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
  auto chart = chart_json("findings_total", "Findings per snapshot, by severity", "bar", svg::Unit::count, labels, series);
  chart["caption"] = caption(sum_series(series, labels.size()), svg::Unit::count, "findings");
  return chart;
}

json
categories_json(const DatabaseHistory& db)
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
  json out = json::array();
  for (auto& [category, values] : rows) {
    const auto latest = static_cast<std::int64_t>(*values.back());
    const auto previous = n > 1 ? static_cast<std::int64_t>(*values[n - 2]) : latest;
    const auto first = static_cast<std::int64_t>(*values.front());
    out.push_back(json{{"category", category},
                       {"latest", latest},
                       {"previous", n > 1 ? json(previous) : json(nullptr)},
                       {"first", first},
                       {"delta_text", delta_text(values, svg::Unit::count)},
                       {"direction", latest > previous ? "up" : latest < previous ? "down" : "flat"},
                       {"spark", svg::text_sparkline(values)},
                       {"values", values_json(values)},
                       {"chart", sparkline_json(fmt::format("{} findings per snapshot", category), values, snapshot_labels(db))}});
  }
  return out;
}

json
bytes_chart(std::string id,
            std::string title,
            const std::vector<std::string>& labels,
            const std::vector<SeriesData>& series,
            bool caption_total)
{
  auto chart = chart_json(std::move(id), std::move(title), "line", svg::Unit::bytes, labels, series);
  chart["caption"] = series.empty() ? "no data in any snapshot"
                     : caption_total ? caption(sum_series(series, labels.size()), svg::Unit::bytes, "in total")
                                     : caption(series.front().values, svg::Unit::bytes);
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

json
sequences_json(const DatabaseHistory& db, const std::vector<std::string>& labels)
{
  const auto& latest = db.latest;
  const auto n = db.snapshots.size();
  struct Item
  {
    std::string object;
    std::string object_type;
    Values pct;
  };
  std::vector<Item> items;
  for (const auto& fingerprint : trend_fingerprints(latest)) {
    const auto f = std::find_if(latest.findings.begin(), latest.findings.end(),
                                [&](const model::Finding& x) { return x.fingerprint == fingerprint; });
    const auto usage = db.usage_pct.find(fingerprint);
    auto pct = usage != db.usage_pct.end() ? usage->second : Values{};
    pct.resize(n);
    items.push_back(Item{f->object, f->object_type, std::move(pct)});
  }
  // The sequences' own usage fills the snapshots before a finding appeared, and adds
  // sequences that are filling up without a finding yet.
  const auto usage = metric_series(db, "sequence", "usage_pct", nullptr);
  for (const auto& [object, values] : usage) {
    auto it = std::find_if(items.begin(), items.end(), [&](const Item& i) { return i.object == object; });
    if (it == items.end()) {
      if (!values.back() || *values.back() < k_sequence_watch_pct || items.size() >= k_sequences) {
        continue;
      }
      items.push_back(Item{object, "sequence", Values(n)});
      it = items.end() - 1;
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (!it->pct[i]) {
        it->pct[i] = values[i];
      }
    }
  }
  std::stable_sort(items.begin(), items.end(),
                   [](const Item& a, const Item& b) { return last_value(a.pct).value_or(0) > last_value(b.pct).value_or(0); });

  json out = json::array();
  for (const auto& item : items) {
    const auto now = last_value(item.pct).value_or(0);
    const auto slope = slope_per_day(db, item.pct);
    std::string projection;
    json exhaustion = nullptr;
    if (now >= 100) {
      projection = "exhausted";
    } else if (!slope) {
      projection = "needs two snapshots to project";
    } else if (*slope <= 1e-9) {
      projection = "not growing";
    } else {
      const double days = (100 - now) / *slope;
      if (days > 365.25 * 100) {
        projection = "not within a century";
      } else {
        const auto when = latest.info.taken_at + static_cast<std::int64_t>(days * k_seconds_per_day);
        exhaustion = date_of(when);
        projection = fmt::format("runs out around {}", date_of(when));
      }
    }
    auto chart = chart_json("sequence_usage", fmt::format("{}: usage per snapshot", item.object), "line",
                            svg::Unit::percent, labels, {SeriesData{item.object, item.pct, "s0"}});
    chart["y_max"] = 100;
    chart["threshold"] = 100;
    chart["caption"] = fmt::format("{:.1f}% used; {}", now, projection);
    out.push_back(json{{"object", item.object},
                       {"object_type", item.object_type},
                       {"usage_pct", now},
                       {"usage_text", fmt::format("{:.1f}%", now)},
                       {"growth_pct_per_quarter", slope ? json(*slope * k_days_per_quarter) : json(nullptr)},
                       {"growth_text", slope ? fmt::format("{:+.1f} pts/quarter", *slope * k_days_per_quarter) : "n/a"},
                       {"exhaustion_date", exhaustion},
                       {"projection", projection},
                       {"values", values_json(item.pct)},
                       {"chart", std::move(chart)}});
  }
  return out;
}

json
index_usage_json(const DatabaseHistory& db, const std::vector<std::string>& labels)
{
  const auto suspects = suspect_indexes(db.latest);
  const std::set<std::string> wanted(suspects.begin(), suspects.end());
  const auto scans = metric_series(db, "index", "idx_scan", &wanted);
  const std::vector<std::string> interval_labels(labels.begin() + (labels.empty() ? 0 : 1), labels.end());
  json out = json::array();
  for (const auto& object : suspects) {
    const auto it = scans.find(object);
    if (it == scans.end()) {
      continue;
    }
    const auto& v = it->second;
    Values deltas;
    bool reset = false;
    double total = 0;
    for (std::size_t i = 1; i < v.size(); ++i) {
      if (!v[i] || !v[i - 1]) {
        deltas.emplace_back();
        continue;
      }
      double d = *v[i] - *v[i - 1];
      if (d < 0) {
        // Statistics were reset in between: count the scans since the reset.
        d = *v[i];
        reset = true;
      }
      total += d;
      deltas.emplace_back(d);
    }
    auto chart = chart_json("index_scans", fmt::format("{}: scans between snapshots", object), "bar", svg::Unit::count,
                            interval_labels, {SeriesData{"scans", deltas, "s1"}});
    const auto last = deltas.empty() ? std::nullopt : deltas.back();
    chart["caption"] = last ? fmt::format("{} scan(s) in the last period, {} over the history{}",
                                          svg::format_value(*last, svg::Unit::count), svg::format_value(total, svg::Unit::count),
                                          reset ? "; statistics were reset in between" : "")
                            : "no scan counts for the last period";
    out.push_back(json{{"object", object},
                       {"scans_total", total},
                       {"last_delta", last ? json(*last) : json(nullptr)},
                       {"stats_reset_seen", reset},
                       {"deltas", values_json(deltas)},
                       {"chart", std::move(chart)}});
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

json
sparkline_json(const std::string& title, const Values& values, std::vector<std::string> labels)
{
  auto chart = chart_json("sparkline", title, "sparkline", svg::Unit::count, std::move(labels), {SeriesData{title, values, "s0"}});
  return chart;
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
    if (evidence_number(f, "usage_pct") && std::find(objects.begin(), objects.end(), f.object) == objects.end()) {
      objects.push_back(f.object);
      out.push_back(f.fingerprint);
    }
  }
  return out;
}

json
trends_json(const DatabaseHistory& db)
{
  const auto labels = snapshot_labels(db);
  const auto& latest = db.latest;
  json charts = json::array();
  charts.push_back(severity_chart(db, labels));

  using Total = model::FindingTotal;
  const auto unused = total_sums(db, &Total::size_bytes, {{"unused indexes", [](const Total& t) {
                                                             return t.category == "unused_index";
                                                           }}});
  charts.push_back(bytes_chart("unused_index_size", "Size of unused indexes", labels, unused, true));

  const auto bloat = total_sums(
    db, &Total::bloat_bytes,
    {{"tables", [](const Total& t) { return t.object_type != "index" && t.category.find("bloat") != std::string::npos; }},
     {"indexes", [](const Total& t) { return t.object_type == "index" && t.category.find("bloat") != std::string::npos; }}});
  charts.push_back(bytes_chart("bloat", "Estimated bloat", labels, bloat, true));

  std::vector<SeriesData> database;
  for (auto& [object, values] : metric_series(db, "database", "size_bytes", nullptr)) {
    database.push_back(SeriesData{object, std::move(values), ""});
  }
  charts.push_back(bytes_chart("database_size", "Database size", labels, database, true));

  const auto tables = largest_tables(latest);
  const std::set<std::string> wanted(tables.begin(), tables.end());
  auto table_sizes = metric_series(db, "table", "size_bytes", &wanted);
  std::vector<SeriesData> largest;
  for (const auto& table : tables) {
    largest.push_back(SeriesData{table, std::move(table_sizes[table]), ""});
  }
  charts.push_back(bytes_chart("largest_tables", "Largest tables", labels, largest, false));
  if (!largest.empty()) {
    charts.back()["caption"] = fmt::format("largest: {}", caption(largest.front().values, svg::Unit::bytes));
  }

  auto sequences = sequences_json(db, labels);
  auto index_usage = index_usage_json(db, labels);
  return json{{"has_trends", db.snapshots.size() > 1},
              {"labels", labels},
              {"charts", std::move(charts)},
              {"categories", categories_json(db)},
              {"sequences", sequences},
              {"has_sequences", !sequences.empty()},
              {"index_usage", index_usage},
              {"has_index_usage", !index_usage.empty()}};
}

std::string
chart_svg(const json& chart)
{
  const auto unit = parse_unit(chart.value("unit", "count"));
  auto values_of = [](const json& series) {
    Values values;
    for (const auto& v : series.at("values")) {
      values.push_back(v.is_number() ? std::optional<double>(v.get<double>()) : std::nullopt);
    }
    return values;
  };
  const auto& series = chart.at("series");
  const auto title = chart.value("title", "");
  if (chart.value("kind", "") == "sparkline") {
    return svg::sparkline(series.empty() ? Values{} : values_of(series.front()), title, unit);
  }
  svg::Chart spec;
  spec.title = title;
  spec.unit = unit;
  for (const auto& label : chart.at("labels")) {
    spec.x_labels.push_back(label.get<std::string>());
  }
  for (const auto& s : series) {
    spec.series.push_back(svg::Series{s.value("name", ""), values_of(s), s.value("css_class", "")});
  }
  if (chart.contains("y_max") && chart["y_max"].is_number()) {
    spec.y_max = chart["y_max"].get<double>();
  }
  if (chart.contains("threshold") && chart["threshold"].is_number()) {
    spec.threshold = chart["threshold"].get<double>();
  }
  return chart.value("kind", "") == "bar" ? svg::bar_chart(spec) : svg::line_chart(spec);
}

} // namespace report
