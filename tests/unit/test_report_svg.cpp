#include "report/svg.hpp"
#include "support/text.hpp"

#include <catch2/catch.hpp>

using namespace report::svg;
using test::count;

TEST_CASE("svg: escape makes any text safe in SVG text and attributes", "[report][svg]")
{
  CHECK(escape("<img src=x onerror=\"alert('1')\">&") == "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;");
  CHECK(escape(std::string("a\x01" "b")) == "a b");
}

TEST_CASE("svg: values read in their unit", "[report][svg]")
{
  CHECK(format_value(0, Unit::bytes) == "0");
  CHECK(format_value(1536, Unit::bytes) == "1.5 kB");
  CHECK(format_value(42.25, Unit::percent) == "42.3%");
  CHECK(format_value(12500, Unit::count) == "12.5k");
  CHECK(format_value(3, Unit::count) == "3");
}

TEST_CASE("svg: a line chart has gridlines, labels, one path per series, gaps for missing values", "[report][svg]")
{
  Chart chart;
  chart.title = "sizes of <b>";
  chart.x_labels = {"2026-01", "2026-04", "2026-07", "2026-10"};
  chart.series = {Series{"a<script>", {1.0, 2.0, std::nullopt, 4.0}, ""}, Series{"b", {0.0, 1.0, 1.0, 1.0}, "s3"}};
  const auto svg = line_chart(chart);
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart line-chart\"", 0) == 0);
  CHECK(svg.find("aria-label=\"sizes of &lt;b&gt;\"") != std::string::npos);
  CHECK(svg.find("<script") == std::string::npos);
  CHECK(svg.find("<title>a&lt;script&gt;</title>") != std::string::npos);
  CHECK(count(svg, "<path ") == 2);
  // The gap starts a new subpath.
  CHECK(svg.find(" M") != std::string::npos);
  CHECK(svg.find(">2026-01</text>") != std::string::npos);
  CHECK(svg.find(">2026-10</text>") != std::string::npos);
  CHECK(svg.find("class=\"series s3\"") != std::string::npos);
  // y axis 0 .. 4 in nice steps: 0, 1, 2, 3, 4.
  CHECK(svg.find(">4</text>") != std::string::npos);
  CHECK(svg.rfind("</svg>") == svg.size() - 6);
}

TEST_CASE("svg: x labels are thinned so that none overlap, and keep the last", "[report][svg]")
{
  Chart chart;
  for (int i = 0; i < 40; ++i) {
    chart.x_labels.push_back("q" + std::to_string(i));
  }
  chart.series = {Series{"a", std::vector<std::optional<double>>(40, 1.0), ""}};
  const auto svg = bar_chart(chart);
  CHECK(svg.find(">q39</text>") != std::string::npos);
  // labels at least a label's width apart in a plot 246 px wide
  const auto y_ticks = count(svg, "text-anchor=\"end\"");
  CHECK(count(svg, "<text") - y_ticks <= 246 / (3 * 0.58 * 13 + 8) + 1);
  CHECK(count(svg, "<rect") == 40);

  // Four quarters fit, each labelled (report::chart_svg writes snapshot dates as months).
  Chart quarters;
  quarters.x_labels = {"2026-02", "2026-05", "2026-08", "2026-11"};
  quarters.series = {Series{"a", {1.0, 2.0, 3.0, 4.0}, ""}};
  const auto bars = bar_chart(quarters);
  for (const auto& label : quarters.x_labels) {
    CHECK(bars.find(">" + label + "</text>") != std::string::npos);
  }
}

TEST_CASE("svg: ticks are round in the unit their labels are written in, and whole for counts", "[report][svg]")
{
  const double mib = 1024.0 * 1024.0;
  CHECK(tick_step(95.4 * mib, Unit::bytes) == 100 * mib);
  CHECK(tick_step(130 * 1024.0, Unit::bytes) == 200 * 1024.0);
  CHECK(tick_step(0.2, Unit::count) == 1);
  CHECK(tick_step(3.1, Unit::count) == 5);
  CHECK(tick_step(22, Unit::percent) == 25);
  // The labels of a chart of sizes read as round numbers.
  Chart chart;
  chart.unit = Unit::bytes;
  chart.x_labels = {"a", "b"};
  chart.series = {Series{"s", {0.0, 505.9 * 1024}, ""}};
  const auto svg = line_chart(chart);
  CHECK(svg.find(">200.0 kB</text>") != std::string::npos);
  CHECK(svg.find("390.6") == std::string::npos);
}

TEST_CASE("svg: stacked bars, threshold line and sparklines", "[report][svg]")
{
  Chart chart;
  chart.x_labels = {"a", "b"};
  chart.series = {Series{"x", {1.0, 2.0}, "sev-high"}, Series{"y", {3.0, 0.0}, "sev-low"}};
  chart.threshold = 5;
  const auto bars = bar_chart(chart);
  CHECK(count(bars, "<rect") == 3); // zero-height bars are left out
  CHECK(bars.find("class=\"threshold\"") != std::string::npos);

  const auto spark = sparkline({1.0, std::nullopt, 3.0}, "t<");
  CHECK(spark.find("class=\"spark\"") != std::string::npos);
  CHECK(spark.find("<title>t&lt;</title>") != std::string::npos);
  CHECK(spark.find("<desc>min 1, max 3</desc>") != std::string::npos);
  CHECK(sparkline({}, "empty").find("<path") == std::string::npos);

  CHECK(text_sparkline({0.0, 7.0, std::nullopt, 14.0}) == "▁▅ █");
}
