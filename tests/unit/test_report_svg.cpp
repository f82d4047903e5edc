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
  chart.x_labels = {"2026-01-01", "2026-04-01", "2026-07-01", "2026-10-01"};
  chart.series = {Series{"a<script>", {1.0, 2.0, std::nullopt, 4.0}, ""}, Series{"b", {0.0, 1.0, 1.0, 1.0}, "s3"}};
  const auto svg = line_chart(chart);
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart line-chart\"", 0) == 0);
  CHECK(svg.find("aria-label=\"sizes of &lt;b&gt;\"") != std::string::npos);
  CHECK(svg.find("<script") == std::string::npos);
  CHECK(svg.find("<title>a&lt;script&gt;</title>") != std::string::npos);
  CHECK(count(svg, "<path ") == 2);
  // The gap starts a new subpath.
  CHECK(svg.find(" M") != std::string::npos);
  CHECK(svg.find(">2026-01-01</text>") != std::string::npos);
  CHECK(svg.find(">2026-10-01</text>") != std::string::npos);
  CHECK(svg.find("class=\"series s3\"") != std::string::npos);
  // y axis 0 .. 4 in nice steps: 0, 1, 2, 3, 4.
  CHECK(svg.find(">4</text>") != std::string::npos);
  CHECK(svg.rfind("</svg>") == svg.size() - 6);
}

TEST_CASE("svg: x labels are thinned but keep the first and the last", "[report][svg]")
{
  Chart chart;
  for (int i = 0; i < 40; ++i) {
    chart.x_labels.push_back("q" + std::to_string(i));
  }
  chart.series = {Series{"a", std::vector<std::optional<double>>(40, 1.0), ""}};
  const auto svg = bar_chart(chart);
  CHECK(svg.find(">q0</text>") != std::string::npos);
  CHECK(svg.find(">q39</text>") != std::string::npos);
  CHECK(count(svg, "<text") <= 6 + 6);
  CHECK(count(svg, "<rect") == 40);
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
