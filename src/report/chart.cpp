#include "report/chart.hpp"

#include "util/enum_names.hpp"

#include <fmt/format.h>

namespace report {

namespace {

constexpr util::EnumNames<ChartKind, 3> k_chart_kind_names({"line", "bar", "sparkline"});
constexpr util::EnumNames<svg::Unit, 3> k_unit_names({"count", "bytes", "percent"});

// The x labels a chart draws: snapshot dates as their month ("2026-02") when no two fall in
// one month, which is how quarterly audits read and what fits under four bars.
std::vector<std::string>
axis_labels(const std::vector<std::string>& labels)
{
  std::vector<std::string> months;
  for (const auto& label : labels) {
    const bool date = label.size() == 10 && label[4] == '-' && label[7] == '-';
    if (!date || (!months.empty() && months.back() >= label.substr(0, 7))) {
      return labels;
    }
    months.push_back(label.substr(0, 7));
  }
  return months;
}

} // namespace

std::string_view
to_string(ChartKind kind)
{
  return k_chart_kind_names.name(kind);
}

std::string_view
to_string(svg::Unit unit)
{
  return k_unit_names.name(unit);
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

Chart
make_chart(std::string id,
           std::string title,
           ChartKind kind,
           svg::Unit unit,
           std::vector<std::string> labels,
           const std::vector<SeriesData>& series)
{
  Chart chart;
  chart.id = std::move(id);
  chart.title = std::move(title);
  chart.kind = kind;
  chart.unit = unit;
  chart.labels = std::move(labels);
  for (std::size_t i = 0; i < series.size(); ++i) {
    const auto& s = series[i];
    const auto latest = last_value(s.values);
    chart.has_data = chart.has_data || latest.has_value();
    chart.series.push_back(ChartSeries{s.name, i, s.css_class.empty() ? fmt::format("s{}", i % 6) : s.css_class, s.values,
                                       latest, latest ? svg::format_value(*latest, unit) : "n/a",
                                       svg::text_sparkline(s.values)});
  }
  chart.spark = series.empty() ? "" : svg::text_sparkline(series.front().values);
  return chart;
}

Chart
sparkline_chart(const std::string& title, const Values& values, std::vector<std::string> labels)
{
  return make_chart("sparkline", title, ChartKind::sparkline, svg::Unit::count, std::move(labels),
                    {SeriesData{title, values, "s0"}});
}

std::string
chart_svg(const Chart& chart)
{
  if (chart.kind == ChartKind::sparkline) {
    return svg::sparkline(chart.series.empty() ? Values{} : chart.series.front().values, chart.title, chart.unit);
  }
  svg::Chart spec;
  spec.title = chart.title;
  spec.unit = chart.unit;
  spec.x_labels = axis_labels(chart.labels);
  for (const auto& s : chart.series) {
    spec.series.push_back(svg::Series{s.name, s.values, s.css_class});
  }
  if (chart.y_max) {
    spec.y_max = *chart.y_max;
  }
  if (chart.threshold) {
    spec.threshold = *chart.threshold;
  }
  return chart.kind == ChartKind::bar ? svg::bar_chart(spec) : svg::line_chart(spec);
}

} // namespace report
