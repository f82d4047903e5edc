#include "report/svg.hpp"

#include "util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace report::svg {

namespace {

constexpr int k_margin_left = 62;
constexpr int k_margin_right = 12;
constexpr int k_margin_top = 12;
constexpr int k_margin_bottom = 28;
// The page's axis text size, and about how wide a character of it is (digits and dashes of a
// sans-serif face), to space x labels so that they never overlap.
constexpr double k_axis_font_px = 13;
constexpr double k_axis_char_em = 0.58;
constexpr double k_x_label_gap = 8;

// The plot area of a chart and its value-to-pixel mapping.
struct Frame
{
  double left = 0;
  double top = 0;
  double width = 0;
  double height = 0;
  double y_max = 1;
  std::size_t points = 1;

  double y(double value) const { return top + height - std::clamp(value / y_max, 0.0, 1.0) * height; }
  // Point `i` at the middle of its slot, in line and bar charts alike: every x label is centred
  // under its point and none reaches past the plot.
  double slot() const { return width / static_cast<double>(points); }
  double x(std::size_t i) const { return left + slot() * (static_cast<double>(i) + 0.5); }
};

// 1, 2, 2.5 or 5 times a power of ten, at least `raw`.
double
nice_step(double raw)
{
  if (raw <= 0) {
    return 1;
  }
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * magnitude >= raw) {
      return m * magnitude;
    }
  }
  return 10 * magnitude;
}

} // namespace

double
tick_step(double raw, Unit unit)
{
  switch (unit) {
  case Unit::bytes: {
    // Round in the unit the labels are written in (format_value: powers of 1024), so that the
    // ticks read 100 MB, 200 MB rather than 95.4 MB, 190.7 MB.
    double scale = 1;
    while (raw >= 1024.0 * scale && scale < std::pow(1024.0, 5)) {
      scale *= 1024.0;
    }
    return nice_step(raw / scale) * scale;
  }
  case Unit::count:
    // Whole numbers: there is no fifth of a finding or a scan.
    return std::max(1.0, nice_step(raw));
  case Unit::percent:
    break;
  }
  return nice_step(raw);
}

namespace {

std::string
open_svg(const std::string& title, int width, int height, std::string_view css_class)
{
  return fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{}\" viewBox=\"0 0 {} {}\" "
                     "width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"{}\"><title>{}</title>",
                     css_class, width, height, width, height, escape(title), escape(title));
}

// Gridlines, y labels and x labels; returns the frame the data is drawn in.
Frame
draw_axes(const Chart& chart, double data_max, std::string& out)
{
  Frame f;
  f.left = k_margin_left;
  f.top = k_margin_top;
  f.width = chart.width - k_margin_left - k_margin_right;
  f.height = chart.height - k_margin_top - k_margin_bottom;
  f.points = std::max<std::size_t>(chart.x_labels.size(), 1);
  const double top_value = chart.y_max.value_or(std::max(data_max, chart.threshold.value_or(0)));
  const double step = tick_step(top_value > 0 ? top_value / 4 : 1, chart.unit);
  f.y_max = std::max(step, std::ceil(top_value / step - 1e-9) * step);

  out += "<g class=\"axis\">";
  for (double v = 0; v <= f.y_max + step / 2; v += step) {
    const double y = f.y(v);
    out += fmt::format("<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\"/>", f.left, f.left + f.width, y, y);
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>", f.left - 6, y + 4,
                       escape(format_value(v, chart.unit)));
  }
  const std::size_t n = chart.x_labels.size();
  std::size_t longest = 0;
  for (const auto& label : chart.x_labels) {
    longest = std::max(longest, label.size());
  }
  // Every `label_step`-th label back from the last (the one readers look for), far enough
  // apart that neighbours never overlap.
  const double label_width = static_cast<double>(longest) * k_axis_char_em * k_axis_font_px + k_x_label_gap;
  const auto label_step = static_cast<std::size_t>(std::max(1.0, std::ceil(label_width / f.slot())));
  for (std::size_t back = 0; back < n; back += label_step) {
    const std::size_t i = n - 1 - back;
    out += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>", f.x(i), chart.height - 8,
                       escape(chart.x_labels[i]));
  }
  out += "</g>";
  if (chart.threshold) {
    const double y = f.y(*chart.threshold);
    out += fmt::format("<line class=\"threshold\" x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\"/>", f.left,
                       f.left + f.width, y, y);
  }
  return f;
}

double
max_value(const std::vector<Series>& series, bool stacked, std::size_t points)
{
  double top = 0;
  if (stacked) {
    for (std::size_t i = 0; i < points; ++i) {
      double sum = 0;
      for (const auto& s : series) {
        if (i < s.values.size() && s.values[i]) {
          sum += std::max(0.0, *s.values[i]);
        }
      }
      top = std::max(top, sum);
    }
    return top;
  }
  for (const auto& s : series) {
    for (const auto& v : s.values) {
      if (v) {
        top = std::max(top, *v);
      }
    }
  }
  return top;
}

struct Range
{
  double lo = 0;
  double hi = 0;
  bool any = false;
};

// Smallest and largest present value.
Range
range_of(const std::vector<std::optional<double>>& values)
{
  Range r;
  for (const auto& v : values) {
    if (v) {
      r.lo = r.any ? std::min(r.lo, *v) : *v;
      r.hi = r.any ? std::max(r.hi, *v) : *v;
      r.any = true;
    }
  }
  return r;
}

} // namespace

std::string
escape(std::string_view text)
{
  // Control characters are not allowed in XML 1.0 text: each but tab and newline becomes a space.
  static constexpr auto k_xml = [] {
    std::array<util::CharReplacement, 5 + 30> table{{
      {'&', "&amp;"}, {'<', "&lt;"}, {'>', "&gt;"}, {'"', "&quot;"}, {'\'', "&#39;"}}};
    std::size_t i = 5;
    for (char c = 0; c < 0x20; ++c) {
      if (c != '\t' && c != '\n') {
        table[i++] = {c, " "};
      }
    }
    return table;
  }();
  return util::replace_chars(text, k_xml);
}

std::string
format_value(double value, Unit unit)
{
  switch (unit) {
  case Unit::bytes:
    return value == 0 ? "0" : util::human_bytes(value);
  case Unit::percent:
    return fmt::format("{:g}%", std::round(value * 10) / 10);
  case Unit::count:
    break;
  }
  const double a = std::fabs(value);
  if (a >= 1e9) {
    return fmt::format("{:g}G", std::round(value / 1e8) / 10);
  }
  if (a >= 1e6) {
    return fmt::format("{:g}M", std::round(value / 1e5) / 10);
  }
  if (a >= 1e4) {
    return fmt::format("{:g}k", std::round(value / 1e2) / 10);
  }
  return fmt::format("{:g}", std::round(value * 10) / 10);
}

std::string
line_chart(const Chart& chart)
{
  std::string out = open_svg(chart.title, chart.width, chart.height, "chart line-chart");
  const Frame f = draw_axes(chart, max_value(chart.series, false, 0), out);
  const std::size_t n = chart.x_labels.size();
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    const auto& series = chart.series[s];
    std::string path;
    bool pen_down = false;
    std::optional<std::size_t> last;
    for (std::size_t i = 0; i < series.values.size() && i < std::max<std::size_t>(n, 1); ++i) {
      if (!series.values[i]) {
        pen_down = false;
        continue;
      }
      path += fmt::format("{}{:.1f},{:.1f}", pen_down ? " L" : (path.empty() ? "M" : " M"), f.x(i), f.y(*series.values[i]));
      pen_down = true;
      last = i;
    }
    const auto css = series.css_class.empty() ? fmt::format("s{}", s) : series.css_class;
    out += fmt::format("<g class=\"series {}\"><title>{}</title>", css, escape(series.name));
    if (!path.empty()) {
      out += fmt::format("<path d=\"{}\"/>", path);
    }
    if (last) {
      out += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\"/>", f.x(*last), f.y(*series.values[*last]));
    }
    out += "</g>";
  }
  return out + "</svg>";
}

std::string
bar_chart(const Chart& chart)
{
  std::string out = open_svg(chart.title, chart.width, chart.height, "chart bar-chart");
  const std::size_t n = chart.x_labels.size();
  const Frame f = draw_axes(chart, max_value(chart.series, true, n), out);
  const double bar = std::max(1.0, std::min(f.slot() * 0.7, 48.0));
  std::vector<double> base(n, 0.0);
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    const auto& series = chart.series[s];
    const auto css = series.css_class.empty() ? fmt::format("s{}", s) : series.css_class;
    out += fmt::format("<g class=\"series bars {}\"><title>{}</title>", css, escape(series.name));
    for (std::size_t i = 0; i < n && i < series.values.size(); ++i) {
      if (!series.values[i] || *series.values[i] <= 0) {
        continue;
      }
      const double y0 = f.y(base[i]);
      base[i] += *series.values[i];
      const double y1 = f.y(base[i]);
      out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\"/>",
                         f.x(i) - bar / 2, y1, bar, std::max(0.5, y0 - y1));
    }
    out += "</g>";
  }
  return out + "</svg>";
}

std::string
sparkline(const std::vector<std::optional<double>>& values, const std::string& title, Unit unit, int width, int height)
{
  std::string out = open_svg(title, width, height, "spark");
  const auto [lo, hi, any] = range_of(values);
  if (!any) {
    return out + "</svg>";
  }
  // Leave room at the right end for the latest value's dot.
  const double pad = 3;
  const double w = width - 2 * pad;
  const double h = height - 2 * pad;
  const double span = hi > lo ? hi - lo : 1;
  const std::size_t n = values.size();
  auto x_of = [&](std::size_t i) { return pad + (n > 1 ? w * static_cast<double>(i) / static_cast<double>(n - 1) : w / 2); };
  auto y_of = [&](double v) { return pad + h - (hi > lo ? (v - lo) / span * h : h / 2); };
  std::string path;
  bool pen_down = false;
  std::size_t last = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!values[i]) {
      pen_down = false;
      continue;
    }
    path += fmt::format("{}{:.1f},{:.1f}", pen_down ? " L" : (path.empty() ? "M" : " M"), x_of(i), y_of(*values[i]));
    pen_down = true;
    last = i;
  }
  out += fmt::format("<path d=\"{}\"/><circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"2.5\"/>", path, x_of(last), y_of(*values[last]));
  out += fmt::format("<desc>min {}, max {}</desc>", escape(format_value(lo, unit)), escape(format_value(hi, unit)));
  return out + "</svg>";
}

std::string
text_sparkline(const std::vector<std::optional<double>>& values)
{
  static const char* const blocks[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  const auto [lo, hi, any] = range_of(values);
  std::string out;
  for (const auto& v : values) {
    if (!v) {
      out += ' ';
      continue;
    }
    const int level = hi > lo ? static_cast<int>(std::lround((*v - lo) / (hi - lo) * 7)) : 3;
    out += blocks[std::clamp(level, 0, 7)];
  }
  return out;
}

} // namespace report::svg
