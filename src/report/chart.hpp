#pragma once

#include "report/fields.hpp"
#include "report/svg.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace report {

// One value per snapshot (or per interval between snapshots); nullopt where there is none.
using Values = std::vector<std::optional<double>>;

enum class ChartKind { line, bar, sparkline };

std::string_view to_string(ChartKind kind);
std::string_view to_string(svg::Unit unit);

// The last value present in `values`.
std::optional<double> last_value(const Values& values);

// One line of a chart (or one stack of bars).
struct ChartSeries
{
  std::string name;
  std::size_t index = 0;
  std::string css_class; // "s0".."s5", or e.g. "sev-high"
  Values values;
  std::optional<double> latest; // the last value present
  std::string latest_text;      // `latest` in the chart's unit, "n/a" without one
  std::string spark;            // text sparkline of `values`

  REPORT_DESCRIBE(name, index, css_class, values, latest, latest_text, spark)
};

// A chart of the report: its data, and in HTML its inline SVG (chart_svg).
struct Chart
{
  std::string id;
  std::string title;
  ChartKind kind = ChartKind::line;
  svg::Unit unit = svg::Unit::count;
  std::vector<std::string> labels; // under the values, oldest first
  std::vector<ChartSeries> series;
  bool has_data = false; // some series has a value
  std::string caption;
  std::string spark; // text sparkline of the first series
  // A fixed top of the y axis and a dashed reference line (100 for a sequence's usage).
  std::optional<int> y_max;
  std::optional<int> threshold;

  template<typename Fields>
  void fields(Fields& f) const;
};

// The inline SVG of `chart`.
std::string chart_svg(const Chart& chart);

template<typename Fields>
void
Chart::fields(Fields& f) const
{
  REPORT_FIELDS(id, title);
  f("kind", to_string(kind));
  f("unit", to_string(unit));
  REPORT_FIELDS(labels, series, has_data, caption, spark);
  f("has_legend", series.size() > 1);
  REPORT_FIELDS(y_max, threshold);
  f.view(Format::html, "svg", [this] { return chart_svg(*this); });
}

// A line of the chart being made: its name, values and colour ("" = by position).
struct SeriesData
{
  std::string name;
  Values values;
  std::string css_class;
};

// A chart of `series` over `labels`; no caption yet.
Chart make_chart(std::string id,
                 std::string title,
                 ChartKind kind,
                 svg::Unit unit,
                 std::vector<std::string> labels,
                 const std::vector<SeriesData>& series);

// A sparkline of `values` titled `title`. `labels`: the snapshot dates under the values.
Chart sparkline_chart(const std::string& title, const Values& values, std::vector<std::string> labels);

} // namespace report
