#include "audit/registry.hpp"
#include "report/html_text.hpp"
#include "report/json_stream.hpp"
#include "report/model.hpp"
#include "report/render.hpp"
#include "support/report_sample.hpp"
#include "util/embedded_files.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <set>
#include <sstream>

using nlohmann::json;

namespace {

void
merge_shape(json& into, const json& from)
{
  if (from.is_object()) {
    if (!into.is_object()) {
      into = json::object();
    }
    for (const auto& [key, item] : from.items()) {
      merge_shape(into[key], item);
    }
  } else if (from.is_array()) {
    if (!into.is_array()) {
      into = json::array();
    }
    if (into.empty() && !from.empty()) {
      into.push_back(nullptr);
    }
    for (const auto& item : from) {
      merge_shape(into[0], item);
    }
  } else if (into.is_null()) {
    into = from.is_boolean() ? json(true) : json("");
  }
}

// The union of the keys of `value`: objects merge, each array keeps one element merging all of
// its elements.
json
shape_of(const json& value)
{
  json shape;
  merge_shape(shape, value);
  return shape;
}

// Paths of the arrays in `value` that are empty.
void
empty_arrays(const json& value, const std::string& path, std::vector<std::string>& out)
{
  if (value.is_array()) {
    if (value.empty()) {
      out.push_back(path);
    }
    for (const auto& item : value) {
      empty_arrays(item, path + "[]", out);
    }
  } else if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      if (key != "evidence") {
        empty_arrays(item, path + "." + key, out);
      }
    }
  }
}

// Paths of the keys of `shape` (of real data) that `type` (a type_shape) does not have.
void
missing_keys(const json& shape, const json& type, const std::string& path, std::vector<std::string>& out)
{
  if (type.is_null()) {
    return; // JSON passed on unchanged: any key
  }
  if (shape.is_object()) {
    for (const auto& [key, item] : shape.items()) {
      if (!type.is_object() || !type.contains(key)) {
        out.push_back(path + "." + key);
      } else {
        missing_keys(item, type[key], path + "." + key, out);
      }
    }
  } else if (shape.is_array() && !shape.empty()) {
    if (!type.is_array()) {
      out.push_back(path + "[]");
    } else {
      missing_keys(shape[0], type[0], path + "[]", out);
    }
  }
}

// The sample's histories and its report, generated the day after its last snapshot.
struct Sample
{
  std::vector<report::DatabaseHistory> histories = test::report_sample();
  report::Report report = report::build_model(histories, *util::parse_iso("2026-07-02"), test::report_options());
};

std::string
render_string(const report::Report& model, report::Format format)
{
  std::ostringstream out;
  report::render(model, format, std::nullopt, out);
  return out.str();
}

// build_model() of the sample as JSON, with `options`.
json
model_json(const report::ModelOptions& options)
{
  return report::to_json(report::build_model(test::report_sample(), 0, options));
}

} // namespace

TEST_CASE("report JSON: the sample report and diff written field by field are the documents to_json makes", "[report][model]")
{
  const Sample sample;
  const auto same = [](const auto& value) {
    std::ostringstream streamed;
    std::ostringstream whole;
    report::stream_json(value, streamed, 0);
    report::write_json(report::to_json(value), whole);
    CHECK(streamed.str() == whole.str());
    CHECK(streamed.str().size() > 1000);
  };
  same(sample.report);
  same(test::report_sample_diff());
}

TEST_CASE("report model: the sample fills every list, and every key of its JSON is in the report type", "[report][model]")
{
  // Every list of the model has at least one element in some database of the sample, so its
  // JSON shows every key the report can have; the templates are checked against the type, whose
  // shape (from the fields() lists) must hold each of them.
  const Sample sample;
  const auto shape = shape_of(report::to_json(sample.report));
  const auto diff_shape = shape_of(report::to_json(test::report_sample_diff()));
  std::vector<std::string> empty;
  empty_arrays(shape, "", empty);
  empty_arrays(diff_shape, "", empty);
  INFO(json(empty).dump());
  CHECK(empty.empty());
  std::vector<std::string> missing;
  missing_keys(shape, report::type_shape<report::Report>(report::Format::json), "", missing);
  missing_keys(diff_shape, report::type_shape<report::Diff>(report::Format::json), "", missing);
  INFO(json(missing).dump());
  CHECK(missing.empty());
}

TEST_CASE("report model: new, fixed, worse and better against the previous snapshot", "[report][model]")
{
  const auto model = model_json(test::report_options());
  const auto& alpha = model["databases"][0];
  CHECK(alpha["changes"]["new_count"] == 1);     // invalid_index
  CHECK(alpha["changes"]["fixed_count"] == 1);   // fk_without_index
  // unused_index medium -> high; the sequence stays high but went from 70% to 80% of its range
  CHECK(alpha["changes"]["worse_count"] == 2);
  CHECK(alpha["changes"]["better_count"] == 1);  // table_bloat medium -> low
  for (const auto& worse : alpha["changes"]["worse"]) {
    if (worse["check_id"] == "unused_index") {
      CHECK(worse["previous_severity"] == "medium");
      CHECK(worse["change_text"] == "worse, was medium");
    } else {
      CHECK(worse["check_id"] == "sequence_overflow");
      CHECK(worse["previous_severity"].is_null());
      CHECK(worse["change_text"] == "worse: usage_pct 70.0% \u2192 80.0%");
    }
  }
  CHECK(alpha["findings"][0]["check_id"] == "invalid_index");
  CHECK(alpha["findings"][0]["is_new"] == true);
  const auto& beta = model["databases"][1];
  CHECK(beta["anchor"] == "db-2");
  CHECK(beta["trends"]["has_trends"] == false);
  CHECK(model["fleet"][1]["trend"] == "none");
}

TEST_CASE("report model: detail limit splits the fix-first list", "[report][model]")
{
  auto options = test::report_options();
  options.detail_limit = 2;
  const auto model = model_json(options);
  const auto& findings = model["databases"][0]["findings"];
  CHECK(findings[1]["detailed"] == true);
  CHECK(findings[2]["detailed"] == false);
  CHECK(model["databases"][0]["more_findings_count"] == findings.size() - 2);
}

TEST_CASE("report model: listed findings carry their listing fields only when asked", "[report][model]")
{
  auto options = test::report_options();
  options.detail_limit = 1;
  const auto full = model_json(options);
  options.full_listing = false;
  const auto listed = model_json(options);
  const auto& all = full["databases"][0]["findings"];
  const auto& some = listed["databases"][0]["findings"];
  REQUIRE(all.size() == some.size());
  REQUIRE(all.size() > 1);
  // Shown in full either way.
  CHECK(some[0] == all[0]);
  for (std::size_t i = 1; i < all.size(); ++i) {
    CHECK(all[i].contains("remediation"));
    CHECK(all[i].contains("evidence_items"));
    CHECK_FALSE(some[i].contains("remediation"));
    CHECK_FALSE(some[i].contains("evidence"));
    for (const char* key : {"rank", "severity", "check_id", "object", "message", "first_seen", "status"}) {
      CHECK(some[i][key] == all[i][key]);
    }
  }
}

TEST_CASE("report model: rationales on detailed findings, and for every check at the top", "[report][model]")
{
  const auto registry = audit::Registry::load(std::nullopt);
  auto options = test::report_options();
  options.checks = &registry.checks();
  options.detail_limit = 1;
  const auto model = model_json(options);
  const auto& findings = model["databases"][0]["findings"];
  REQUIRE(findings.size() > 1);
  const auto* first = registry.find(findings[0]["check_id"].get<std::string>());
  REQUIRE(first != nullptr);
  CHECK(findings[0]["rationale"] == first->rationale);
  CHECK(findings[0]["has_rationale"] == true);
  CHECK(findings[1]["rationale"].is_null());
  CHECK(findings[1]["has_rationale"] == false);
  std::set<std::string> ids;
  for (const auto& check : model["checks"]) {
    ids.insert(check["check_id"].get<std::string>());
    const auto* def = registry.find(check["check_id"].get<std::string>());
    REQUIRE(def != nullptr);
    CHECK(check["rationale"] == def->rationale);
    CHECK(check["title"] == def->title);
  }
  for (const auto& db : model["databases"]) {
    for (const auto& f : db["findings"]) {
      CHECK(ids.count(f["check_id"].get<std::string>()) == 1);
    }
  }
}

TEST_CASE("report model: check metadata, not category names, decides what is charted", "[report][model]")
{
  // The sample's bloat and unused index findings are charted through the "-- trend:" keys of
  // their checks; the deprecation board lists the findings of checks with "-- report:".
  const auto model = model_json(test::report_options());
  const auto& alpha = model["databases"][0];
  const auto& charts = alpha["trends"]["charts"];
  REQUIRE(charts.size() == 5);
  CHECK(charts[1]["id"] == "unused_index_size");
  CHECK(charts[1]["series"][0]["values"] == json{1e6, 2e6, 3e6});
  CHECK(charts[2]["id"] == "bloat");
  REQUIRE(charts[2]["series"].size() == 2);
  CHECK(charts[2]["series"][0]["name"] == "tables");
  CHECK(charts[2]["series"][0]["values"] == json{2e6, 4e6, 6e6});
  CHECK(charts[2]["series"][1]["values"] == json{5e5, 1e6, 1.5e6});
  REQUIRE(alpha["deprecations"].size() == 1);
  CHECK(alpha["deprecations"][0]["object"] == "public.deprecated_old_orders");

  // Checks whose headers name no chart or board: nothing is charted, whatever the categories.
  std::vector<model::CheckDef> plain = *test::report_options().checks;
  for (auto& def : plain) {
    def.trend = model::TrendChart::none;
    def.report_section = model::ReportSection::none;
  }
  const auto bare = model_json(report::ModelOptions(plain, 30));
  CHECK(bare["databases"][0]["trends"]["charts"][1]["series"].empty());
  CHECK(bare["databases"][0]["trends"]["charts"][2]["series"].empty());
  CHECK(bare["databases"][0]["deprecations"].empty());
}

TEST_CASE("report model: statistics younger than stats_min_age_days are a caveat", "[report][model]")
{
  // The sample's statistics were reset a day before each snapshot.
  auto caveat_kinds = [](int stats_min_age_days) {
    const auto model = model_json(report::ModelOptions(*test::report_options().checks, stats_min_age_days));
    std::set<std::string> kinds;
    for (const auto& c : model["databases"][0]["caveats"]) {
      kinds.insert(c["kind"].get<std::string>());
    }
    return kinds;
  };
  CHECK(caveat_kinds(30).count("young_stats") == 1);
  CHECK(caveat_kinds(2).count("young_stats") == 1);
  CHECK(caveat_kinds(1).count("young_stats") == 0);
}

TEST_CASE("report render: the built-in templates render the sample in every format", "[report][render]")
{
  const Sample sample;
  const auto& model = sample.report;
  const auto html = render_string(model, report::Format::html);
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("data-trend=\"sequence_overflow\"") != std::string::npos);
  const auto md = render_string(model, report::Format::markdown);
  CHECK(md.find("## Fleet overview") != std::string::npos);
  CHECK(md.find("<svg") == std::string::npos);
  const auto js = json::parse(render_string(model, report::Format::json));
  CHECK(js["schema_version"] == report::k_schema_version);
  CHECK_FALSE(js["databases"][0]["trends"]["charts"][0].contains("svg"));
}

TEST_CASE("report templates: every name the built-in templates use is in the report type", "[report][templates]")
{
  // Checked against the type (its fields() lists), not against data: a name inside a list that
  // is empty in every report so far is checked all the same.
  const std::pair<const char*, report::Format> templates[] = {{"templates/report.html.mustache", report::Format::html},
                                                              {"templates/report.md.mustache", report::Format::markdown}};
  for (const auto& [path, format] : templates) {
    INFO(path);
    const auto& file = *std::find_if(util::embedded_files().begin(), util::embedded_files().end(),
                                     [&](const auto& f) { return f.path == path; });
    CHECK_NOTHROW(report::validate_template(path, std::string(file.content), report::type_shape<report::Report>(format)));
  }
  const auto& diff = *std::find_if(util::embedded_files().begin(), util::embedded_files().end(),
                                   [](const auto& f) { return f.path == "templates/diff.md.mustache"; });
  CHECK_NOTHROW(report::validate_template("diff.md.mustache", std::string(diff.content),
                                          report::type_shape<report::Diff>(report::Format::markdown)));
  // View fields exist in their format only.
  const auto html = report::type_shape<report::Report>(report::Format::html);
  const auto md = report::type_shape<report::Report>(report::Format::markdown);
  CHECK(html["databases"][0]["total_chart"].contains("svg"));
  CHECK_FALSE(md["databases"][0]["total_chart"].contains("svg"));
  CHECK(md["databases"][0]["findings"][0].contains("remediation_indented"));
  CHECK_FALSE(html["databases"][0]["findings"][0].contains("remediation_indented"));
}

TEST_CASE("template validation: names resolve in their section context", "[report][templates]")
{
  const json shape{{"title", ""}, {"items", json::array({json{{"name", ""}, {"tags", json::array({""})}}})}, {"meta", json{{"count", ""}}}};
  CHECK_NOTHROW(report::validate_template("t", "{{title}} {{meta.count}} {{#items}}{{name}} {{title}}{{#tags}}{{.}}{{/tags}}{{/items}}", shape));
  CHECK_NOTHROW(report::validate_template("t", "{{^items}}none{{/items}}{{! a comment {{nope}} }}", shape));
  CHECK_NOTHROW(report::validate_template("t", "{{=<% %>=}}<% title %><%#items%><%name%><%/items%>", shape));
  CHECK_NOTHROW(report::validate_template("t", "{{{title}}} {{& title}}", shape));
  auto message = [&](const std::string& text) {
    try {
      report::validate_template("f.mustache", text, shape);
    } catch (const util::Fatal& e) {
      CHECK(e.code() == util::ExitCode::report);
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message("{{title}}\n{{#items}}\n{{nmae}}{{/items}}") == "f.mustache:3: unknown name 'nmae'");
  CHECK(message("{{name}}") == "f.mustache:1: unknown name 'name'"); // only inside items
  CHECK(message("{{meta.total}}") == "f.mustache:1: unknown name 'meta.total'");
  CHECK(message("\n{{#items}}") == "f.mustache:2: section 'items' is not closed");
  CHECK(message("{{> partial}}") == "f.mustache:1: partials are not supported");
  // Evidence is passed on unchanged (null in the shape): any name inside it may exist.
  const json with_evidence{{"evidence", nullptr}};
  CHECK_NOTHROW(report::validate_template("t", "{{evidence.size_bytes}}{{#evidence}}{{anything}}{{/evidence}}", with_evidence));
}

TEST_CASE("template validation: a tag is the field it resolves to, not every field of its name", "[report][templates]")
{
  // A name inside a section is its element's field when the element has it, else an outer one;
  // only those fields are converted for rendering.
  const json shape{{"title", ""},
                   {"findings", json::array({json{{"object", ""}}})},
                   {"snapshots", json::array({json{{"findings", ""}, {"when", ""}}})}};
  using Paths = std::set<std::string>;
  CHECK(report::validate_template("t", "{{#snapshots}}{{when}} {{findings}} {{title}}{{/snapshots}}", shape)
        == Paths{"snapshots", "snapshots.findings", "snapshots.when", "title"});
  CHECK(report::validate_template("t", "{{#findings}}{{object}}{{/findings}}", shape) == Paths{"findings", "findings.object"});
  // The built-in HTML report lists each snapshot's finding count, and never the whole list of
  // findings (its entries show a lead and the first others): converting that list for a
  // database of 29,000 findings took 2.6 of the report's 4 seconds and 100 MB.
  const auto& html = *std::find_if(util::embedded_files().begin(), util::embedded_files().end(),
                                   [](const auto& f) { return f.path == "templates/report.html.mustache"; });
  const auto used = report::validate_template("report.html.mustache", std::string(html.content),
                                              report::type_shape<report::Report>(report::Format::html));
  CHECK(used.count("databases.snapshots.findings"));
  CHECK(used.count("databases.entries.lead"));
  CHECK_FALSE(used.count("databases.findings"));
  CHECK_FALSE(used.count("databases.entries.others"));
}

TEST_CASE("report model: thousands of findings (viewed on two threads) keep their fix-first order", "[report][model]")
{
  model::Snapshot snap;
  snap.info.id = 1;
  snap.info.target_name = "big";
  snap.info.taken_at = 1767225600;
  for (int i = 0; i < 2500; ++i) {
    model::Finding f;
    f.check_id = "unused_index";
    f.category = "unused_index";
    f.severity = i < 1200 ? model::Severity::high : model::Severity::low;
    f.object_type = "index";
    f.object = fmt::format("public.idx_{:05}", i);
    f.message = fmt::format("index {} is never scanned", f.object);
    f.evidence = json{{"size_bytes", 8192 * (i + 1)}};
    f.remediation = fmt::format("drop index concurrently if exists public.idx_{:05};", i);
    f.fingerprint = model::make_fingerprint(f.check_id, f.object);
    snap.findings.push_back(std::move(f));
  }
  model::sort_by_priority(snap.findings);
  const std::vector<report::DatabaseHistory> histories{report::history_of("big", {snap})};
  const auto built = report::build_model(histories, 0, test::report_options());
  const auto model = report::to_json(built);
  // Written field by field and item by item, it is the same document byte for byte.
  std::ostringstream streamed;
  std::ostringstream whole;
  report::stream_json(built, streamed, 0);
  report::write_json(model, whole);
  CHECK(streamed.str() == whole.str());
  const auto& findings = model["databases"][0]["findings"];
  REQUIRE(findings.size() == snap.findings.size());
  for (std::size_t i = 0; i < findings.size(); ++i) {
    INFO(i);
    REQUIRE(findings[i]["rank"] == i + 1);
    REQUIRE(findings[i]["object"] == snap.findings[i].object);
    REQUIRE(findings[i]["evidence"] == snap.findings[i].evidence);
  }
  // The HTML shows the entries within the detail limit in full and lists the next 200; every
  // one of those in order (the JSON report has the rest).
  const auto html = render_string(built, report::Format::html);
  const auto shown = test::report_options().detail_limit + report::k_more_entries_listed;
  std::size_t last = 0;
  for (std::size_t i = 0; i < shown; ++i) {
    const auto at = html.find(report::wrappable_html(snap.findings[i].object) + "<", last);
    INFO(i);
    REQUIRE(at != std::string::npos);
    last = at;
  }
  CHECK(html.find(report::wrappable_html(snap.findings[shown].object) + "<") == std::string::npos);
  CHECK(html.find(fmt::format("and {} more: every one, with its fix, is in the JSON report", snap.findings.size() - shown)) !=
        std::string::npos);
}

TEST_CASE("report render: the undo is shown under the fix in HTML and Markdown, and is in the JSON", "[report][render]")
{
  const Sample sample;
  const auto& model = sample.report;
  const std::string undo = "create index concurrently if not exists orders_note_idx on public.orders (note);";
  const auto html = render_string(model, report::Format::html);
  const auto fix_html = html.find("drop index concurrently if exists public.orders_note_idx;</code></pre>");
  REQUIRE(fix_html != std::string::npos);
  CHECK(html.find("<details class=\"undo\"><summary>Undo</summary><pre class=\"sql undo\"><code>" + undo + "</code></pre>",
                  fix_html) != std::string::npos);
  const auto md = render_string(model, report::Format::markdown);
  const auto fix_md = md.find("    drop index concurrently if exists public.orders_note_idx;\n");
  REQUIRE(fix_md != std::string::npos);
  CHECK(md.find("*Undo:*\n\n    " + undo + "\n", fix_md) != std::string::npos);
  const auto js = json::parse(render_string(model, report::Format::json));
  int with_undo = 0;
  for (const auto& db : js["databases"]) {
    for (const auto& f : db["findings"]) {
      REQUIRE(f.contains("undo"));
      with_undo += f["undo"] == undo ? 1 : 0;
    }
  }
  CHECK(with_undo >= 1);
}

TEST_CASE("report render: advice is said to be nothing to run, above its comments, in HTML and Markdown", "[report][render]")
{
  model::Snapshot snapshot;
  snapshot.info.taken_at = *util::parse_iso("2026-07-01");
  snapshot.info.target_name = "parts";
  for (const auto* column : {"created_at", "updated_at"}) {
    model::Finding f;
    f.check_id = "type_timestamp_no_tz";
    f.category = "type_timestamp_no_tz";
    f.severity = model::Severity::medium;
    f.object = std::string("public.events.") + column;
    f.object_type = "column";
    f.message = "column public.events." + std::string(column) + " is timestamp without time zone";
    f.remediation = column == std::string("created_at")
                      ? "-- not printed: PostgreSQL refuses to change the type of a partition key column."
                      : "set timezone = 'UTC';\nalter table public.events alter column updated_at type timestamptz;";
    f.fingerprint = std::string("fp-") + column;
    f.group_id = std::string("g-") + column;
    snapshot.findings.push_back(std::move(f));
  }
  const std::vector<report::DatabaseHistory> histories{report::history_of("parts", {snapshot})};
  const auto model = report::build_model(histories, *util::parse_iso("2026-07-02"), test::report_options());
  const auto html = render_string(model, report::Format::html);
  const auto advice_html = html.find("<p class=\"advice\"><strong>Advice, nothing to run:</strong>");
  REQUIRE(advice_html != std::string::npos);
  CHECK(html.find("-- not printed: PostgreSQL refuses", advice_html) != std::string::npos);
  CHECK(html.find("<p class=\"advice\">", advice_html + 1) == std::string::npos); // the script is not labelled
  const auto markdown = render_string(model, report::Format::markdown);
  const auto advice_md = markdown.find("*Advice, nothing to run:*");
  REQUIRE(advice_md != std::string::npos);
  CHECK(markdown.find("    -- not printed: PostgreSQL refuses", advice_md) != std::string::npos);
  CHECK(markdown.find("*Advice, nothing to run:*", advice_md + 1) == std::string::npos);
  const auto as_json = report::to_json(model);
  int advice = 0;
  for (const auto& f : as_json["databases"][0]["findings"]) {
    advice += f["remediation_kind"] == "advice" ? 1 : 0;
  }
  CHECK(advice == 1);
}

TEST_CASE("report model: HTML and Markdown list 20 of an entry's others and count the rest, and the JSON has all",
          "[report][model]")
{
  // One decision on 100 columns: one entry, its lead and 99 others.
  model::Snapshot snapshot;
  snapshot.info.taken_at = *util::parse_iso("2026-07-01");
  snapshot.info.target_name = "wide";
  for (int i = 0; i < 100; ++i) {
    model::Finding f;
    f.check_id = "type_serial";
    f.category = "type_serial";
    f.severity = model::Severity::medium; // shown in full: low and info entries are listed in a table
    f.object = fmt::format("public.table_{:03}.id", i);
    f.object_type = "column";
    f.message = fmt::format("column public.table_{:03}.id is serial", i);
    f.fingerprint = fmt::format("fp{}", i);
    f.group_id = "serial-ids";
    snapshot.findings.push_back(std::move(f));
  }
  const std::vector<report::DatabaseHistory> histories{report::history_of("wide", {snapshot})};
  const auto model = report::build_model(histories, *util::parse_iso("2026-07-02"), test::report_options());

  const auto as_json = report::to_json(model);
  const auto& entry = as_json["databases"][0]["entries"][0];
  CHECK(entry["others_count"] == 99);
  CHECK(entry["others"].size() == 99);

  const auto markdown = render_string(model, report::Format::markdown);
  // (Markdown escapes the underscores) the 20th other is listed, the 21st is not
  CHECK(markdown.find("| medium | public.table\\_020.id |") != std::string::npos);
  CHECK(markdown.find("| medium | public.table\\_021.id |") == std::string::npos);
  CHECK(markdown.find("And 79 more: every one, with its own fix, is in the JSON report") != std::string::npos);
  const auto html = render_string(model, report::Format::html);
  CHECK(html.find("<code class=\"ident\">" + report::wrappable_html("public.table_020.id") + "</code>") != std::string::npos);
  CHECK(html.find(report::wrappable_html("public.table_021.id")) == std::string::npos);
  CHECK(html.find("and 79 more: every one") != std::string::npos);
}

TEST_CASE("report model: dates where a reader reads a date, and no null evidence chips", "[report][model]")
{
  const Sample sample;
  const auto html = render_string(sample.report, report::Format::html);
  const auto markdown = render_string(sample.report, report::Format::markdown);
  // The summary names the audits by date (YYYY-MM-DD and then the markup), not by timestamp.
  for (const auto& [page, after] : {std::pair{&html, '<'}, std::pair{&markdown, '.'}}) {
    const auto compared = page->find("compared with 20");
    REQUIRE(compared != std::string::npos);
    CHECK(page->at(compared + 14 + 10) == after);
  }
  const auto since = html.find("since 20");
  REQUIRE(since != std::string::npos);
  CHECK(html.at(since + 6 + 10) == '<');
  CHECK(html.find(": null") == std::string::npos);

  model::Finding f;
  f.evidence = json{{"constraint", nullptr}, {"size_bytes", 8192}};
  const auto view = report::evidence_view(f.evidence);
  REQUIRE(view.items.size() == 1);
  CHECK(view.text.find("constraint") == std::string::npos);
}

TEST_CASE("report trends: the growth chart draws the large tables that grew most, not only the largest", "[report][model]")
{
  std::vector<model::Snapshot> snapshots;
  for (int q = 0; q < 3; ++q) {
    model::Snapshot s;
    s.info.id = q + 1;
    s.info.target_name = "growth";
    s.info.taken_at = *util::parse_iso("2026-01-01") + q * 91 * 86400;
    s.metrics = {{"table", "public.archive", "size_bytes", 9e10},             // the largest, flat
                 {"table", "public.events", "size_bytes", 1e9 + 4e9 * q},     // grows most
                 {"table", "public.users", "size_bytes", 2e9 + 1e8 * q}};
    s.info.finding_count = 0;
    snapshots.push_back(std::move(s));
  }
  const std::vector<report::DatabaseHistory> histories{report::history_of("growth", snapshots)};
  const auto model = report::to_json(report::build_model(histories, 0, test::report_options()));
  const auto& charts = model["databases"][0]["trends"]["charts"];
  const auto it = std::find_if(charts.begin(), charts.end(), [](const json& c) { return c["id"] == "largest_tables"; });
  REQUIRE(it != charts.end());
  CHECK((*it)["series"][0]["name"] == "public.events");
  CHECK((*it)["series"][1]["name"] == "public.users");
  CHECK((*it)["series"][2]["name"] == "public.archive");
  CHECK((*it)["caption"].get<std::string>().rfind("of the 3 largest: public.events grew 7.5 GB", 0) == 0);
}

TEST_CASE("report model: a sequence from 92% to 94% of its range at the same severity counts as worse", "[report][model]")
{
  std::vector<model::Snapshot> snapshots;
  for (const double usage : {92.0, 94.0}) {
    model::Snapshot s;
    s.info.id = static_cast<std::int64_t>(snapshots.size()) + 1;
    s.info.target_name = "seq";
    s.info.taken_at = *util::parse_iso("2026-08-17") + static_cast<std::int64_t>(snapshots.size()) * 91 * 86400;
    model::Finding f;
    f.check_id = "sequence_overflow";
    f.category = "int_overflow";
    f.severity = model::Severity::critical;
    f.object_type = "sequence";
    f.object = "public.orders_id_seq";
    f.evidence = json{{"usage_pct", usage}};
    f.fingerprint = model::make_fingerprint(f.check_id, f.object);
    s.findings.push_back(f);
    s.info.finding_count = 1;
    snapshots.push_back(std::move(s));
  }
  const std::vector<report::DatabaseHistory> histories{report::history_of("seq", snapshots)};
  const auto model = report::to_json(report::build_model(histories, 0, test::report_options()));
  const auto& changes = model["databases"][0]["changes"];
  CHECK(changes["worse_count"] == 1);
  CHECK(changes["unchanged"] == 0);
  CHECK(changes["worse"][0]["change_text"] == "worse: usage_pct 92.0% \u2192 94.0%");
  CHECK(changes["worse"][0]["previous_severity"].is_null());
}

TEST_CASE("report model: Markdown's code block keeps each line of a fix as written", "[report][model]")
{
  // A DO block's indentation, and a blank line inside a string literal, pasted back as written.
  const std::string sql = "do $$\nbegin\n  if true then\n    perform 1;\n  end if;\nend $$;\n"
                          "comment on table t is 'first\n\n  second';\r\nselect 1;";
  CHECK(report::indented_block(sql) == "    do $$\n    begin\n      if true then\n        perform 1;\n      end if;\n"
                                       "    end $$;\n    comment on table t is 'first\n    \n      second';\n    \n"
                                       "    select 1;\n");
}
