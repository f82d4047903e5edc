#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace report::svg {

// How values read on an axis: plain counts, sizes ("1.2 GB") or percentages.
enum class Unit { count, bytes, percent };

// One line (or one stack of bars). A missing value leaves a gap. `css_class` colours it through
// the page's stylesheet (e.g. "s0", "sev-high").
struct Series
{
  std::string name;
  std::vector<std::optional<double>> values;
  std::string css_class;
};

struct Chart
{
  // Read by screen readers and shown as a tooltip; escaped.
  std::string title;
  // One label per point (dates), thinned to fit.
  std::vector<std::string> x_labels;
  std::vector<Series> series;
  Unit unit = Unit::count;
  // Fixes the top of the y axis (e.g. 100 for percentages); otherwise from the data.
  std::optional<double> y_max;
  // A dashed horizontal reference line, e.g. the 100 % a sequence runs out at.
  std::optional<double> threshold;
  // The viewBox: about the width the page draws a chart at (a card of at least 340 px), so that
  // its 13 px text is not scaled down below 12 px.
  int width = 320;
  int height = 190;
};

// The step between y ticks for a span of about `raw` per step: a round number in the unit the
// labels are written in, and a whole number for counts.
double tick_step(double raw, Unit unit);

// `text` escaped for SVG/XML text and attribute values.
std::string escape(std::string_view text);

// `value` as an axis or caption label in `unit`.
std::string format_value(double value, Unit unit);

// Line chart with y gridlines and labels and thinned x labels; one path per series.
std::string line_chart(const Chart& chart);

// Bar chart; several series stack (negative values count as zero).
std::string bar_chart(const Chart& chart);

// A word-sized line without axes: min and max are labelled at the ends.
std::string sparkline(const std::vector<std::optional<double>>& values,
                      const std::string& title,
                      Unit unit = Unit::count,
                      int width = 140,
                      int height = 30);

// "▁▂▅▇" for Markdown and terminals: one block per value, blank for a gap.
std::string text_sparkline(const std::vector<std::optional<double>>& values);

} // namespace report::svg
