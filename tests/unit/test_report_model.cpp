#include "audit/registry.hpp"
#include "report/model.hpp"
#include "report/render.hpp"
#include "report/sample.hpp"
#include "util/error.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <set>
#include <sstream>

using nlohmann::json;

namespace {

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

std::string
render_string(const json& model, report::Format format)
{
  std::ostringstream out;
  report::render(model, format, std::nullopt, out);
  return out.str();
}

} // namespace

TEST_CASE("report model: the sample fills every list, so templates are checked against all names", "[report][model]")
{
  // Every list of the model has at least one element in some database of the sample, so the
  // shape templates are validated against knows the names inside every list.
  std::vector<std::string> empty;
  empty_arrays(report::shape_of(report::sample_model()), "", empty);
  empty_arrays(report::shape_of(report::sample_diff()), "", empty);
  INFO(json(empty).dump());
  CHECK(empty.empty());
}

TEST_CASE("report model: new, fixed, worse and better against the previous snapshot", "[report][model]")
{
  const auto model = report::build_model(report::sample_history(), 0);
  const auto& alpha = model["databases"][0];
  CHECK(alpha["changes"]["new_count"] == 1);     // invalid_index
  CHECK(alpha["changes"]["fixed_count"] == 1);   // missing_fk_index
  CHECK(alpha["changes"]["worse_count"] == 1);   // unused_index medium -> high
  CHECK(alpha["changes"]["better_count"] == 1);  // table_bloat medium -> low
  CHECK(alpha["changes"]["worse"][0]["previous_severity"] == "medium");
  CHECK(alpha["findings"][0]["check_id"] == "invalid_index");
  CHECK(alpha["findings"][0]["is_new"] == true);
  const auto& beta = model["databases"][1];
  CHECK(beta["anchor"] == "db-2");
  CHECK(beta["trends"]["has_trends"] == false);
  CHECK(model["fleet"][1]["trend"] == "none");
}

TEST_CASE("report model: detail limit splits the fix-first list", "[report][model]")
{
  report::ModelOptions options;
  options.detail_limit = 2;
  const auto model = report::build_model(report::sample_history(), 0, options);
  const auto& findings = model["databases"][0]["findings"];
  CHECK(findings[1]["detailed"] == true);
  CHECK(findings[2]["detailed"] == false);
  CHECK(model["databases"][0]["more_findings_count"] == findings.size() - 2);
}

TEST_CASE("report model: listed findings carry their listing fields only when asked", "[report][model]")
{
  report::ModelOptions options;
  options.detail_limit = 1;
  const auto full = report::build_model(report::sample_history(), 0, options);
  options.full_listing = false;
  const auto listed = report::build_model(report::sample_history(), 0, options);
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
  report::ModelOptions options;
  options.checks = &registry.checks();
  options.detail_limit = 1;
  const auto model = report::build_model(report::sample_history(), 0, options);
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

TEST_CASE("report render: the built-in templates render the sample in every format", "[report][render]")
{
  const auto& model = report::sample_model();
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

TEST_CASE("template validation: names resolve in their section context", "[report][templates]")
{
  const json shape = report::shape_of(json{{"title", "x"},
                                           {"items", json::array({json{{"name", "a"}, {"tags", json::array({"t"})}}})},
                                           {"meta", json{{"count", 1}}}});
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
  const auto model = report::build_model({report::history_of("big", {snap})}, 0);
  const auto& findings = model["databases"][0]["findings"];
  REQUIRE(findings.size() == snap.findings.size());
  for (std::size_t i = 0; i < findings.size(); ++i) {
    INFO(i);
    REQUIRE(findings[i]["rank"] == i + 1);
    REQUIRE(findings[i]["object"] == snap.findings[i].object);
    REQUIRE(findings[i]["evidence"] == snap.findings[i].evidence);
  }
  const auto html = render_string(model, report::Format::html);
  std::size_t last = 0;
  for (const auto& f : snap.findings) {
    const auto at = html.find(f.object, last);
    REQUIRE(at != std::string::npos);
    last = at;
  }
}

TEST_CASE("report render: the undo is shown under the fix in HTML and Markdown, and is in the JSON", "[report][render]")
{
  const auto& model = report::sample_model();
  const std::string undo = "create index concurrently if not exists orders_note_idx on public.orders (note);";
  const auto html = render_string(model, report::Format::html);
  const auto fix_html = html.find("drop index concurrently if exists public.orders_note_idx;</code></pre>");
  REQUIRE(fix_html != std::string::npos);
  CHECK(html.find("<p class=\"undo-label\">Undo</p><pre class=\"sql undo\"><code>" + undo + "</code></pre>", fix_html)
        != std::string::npos);
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
