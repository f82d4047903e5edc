#include "app/commands.hpp"

#include "audit/registry.hpp"
#include "report/render.hpp"
#include "util/error.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <iostream>

namespace app {

namespace {

// The rubric every check's severity follows; README.md ("Severity and priority") says the same.
constexpr std::string_view k_severity_rubric =
  "Severity rubric: impact decides (critical: outage risk now; high: outage risk soon or broken\n"
  "integrity; medium: integrity or real cost; low: hygiene with some cost; info: nothing to do yet),\n"
  "measured on the evidence where harm grows with it: rows, bytes, scans, closeness to a limit. Empty\n"
  "and tiny tables are info; design-wide type choices are low or info unless a value is near its limit.\n"
  "A verdict on usage carries a confidence; at low confidence it is info and proposes nothing to run.\n"
  "Within a severity, fixes of low effort (CONCURRENTLY, NOT VALID) come first, then backfills, then\n"
  "rewrites that need a maintenance window.";

// `checks --explain ID`: what the check finds, why, and how it grades its findings.
void
print_explanation(const model::CheckDef& def)
{
  fmt::print("{} ({})\n\n", def.title, def.id);
  fmt::print("category:  {}\nseverity:  {}{}\nfix effort: {}\nneeds:     {}\nserver:    PostgreSQL {}+\nsource:    {}\n",
             def.category, model::to_string(def.severity_range),
             def.severity_range.lowest == def.severity_range.highest
               ? ""
               : fmt::format(" ({} unless its evidence says otherwise)", model::to_string(def.severity)),
             model::to_string(def.effort),
             def.needs.empty() ? "nothing beyond CONNECT" : fmt::format("{}", fmt::join(def.needs, ", ")),
             def.min_server_major, def.source);
  fmt::print("entries:   one per {} (see queries/README.md, group)\n", model::to_string(def.group_by));
  for (const auto& [name, value] : def.params) {
    fmt::print("param:     {} = {} (config: [checks.{}] {} = ...)\n", name, value, def.id, name);
  }
  fmt::print("\n{}\n\nSeverity: {}\n\n{}\n", def.rationale,
             def.grading.empty() ? fmt::format("{} for every finding.", model::to_string(def.severity)) : def.grading,
             k_severity_rubric);
}

// The checks that give findings (not the metrics queries), as a list in `format`.
void
print_checks(const std::vector<model::CheckDef>& checks, const std::string& format)
{
  if (format == "json") {
    auto out = nlohmann::json::array();
    for (const auto& def : checks) {
      out.push_back({{"id", def.id},
                     {"category", def.category},
                     {"title", def.title},
                     {"severity", model::to_string(def.severity)},
                     {"severity_range", {{"lowest", model::to_string(def.severity_range.lowest)},
                                         {"highest", model::to_string(def.severity_range.highest)}}},
                     {"effort", model::to_string(def.effort)},
                     {"needs", def.needs},
                     {"min_server", def.min_server_major},
                     {"source", def.source}});
    }
    std::cout << out.dump(2) << '\n';
    return;
  }
  const auto needs = [](const model::CheckDef& def) {
    return def.needs.empty() ? std::string("-") : fmt::format("{}", fmt::join(def.needs, ","));
  };
  if (format == "markdown") {
    fmt::print("| Check | Category | Severity | Effort | Needs | Title |\n| --- | --- | --- | --- | --- | --- |\n");
    for (const auto& def : checks) {
      if (def.kind != model::CheckKind::metrics) {
        fmt::print("| {} | {} | {} | {} | {} | {} |\n", report::markdown_escape(def.id),
                   report::markdown_escape(def.category), model::to_string(def.severity_range),
                   model::to_string(def.effort), report::markdown_escape(needs(def)), report::markdown_escape(def.title));
      }
    }
    return;
  }
  fmt::print("{:<28} {:<22} {:<16} {:<7} {}\n", "id", "category", "severity", "effort", "needs");
  for (const auto& def : checks) {
    if (def.kind != model::CheckKind::metrics) {
      fmt::print("{:<28} {:<22} {:<16} {:<7} {}\n", def.id, def.category, model::to_string(def.severity_range),
                 model::to_string(def.effort), needs(def));
    }
  }
}

} // namespace

void
add_checks_command(CLI::App& app, GlobalOptions& global, Action& chosen)
{
  struct Args
  {
    std::optional<std::string> explain;
    std::string format = "text";
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("checks", "List the checks with their category, severity range and needs");
  cmd->add_option("--explain", args->explain, "Explain one check: rationale, severity range and rubric, params");
  add_format_option(*cmd, args->format);
  add_queries_option(*cmd, global);
  cmd->callback([args, &global, &chosen]() {
    chosen = [args, &global]() {
      const auto registry = audit::Registry::load(global.queries);
      if (args->explain) {
        const auto* def = registry.find(*args->explain);
        if (!def) {
          throw util::Fatal(util::ExitCode::usage,
                            fmt::format("--explain {}: no such check; list them with \"schema-audit checks\"", *args->explain));
        }
        print_explanation(*def);
        return 0;
      }
      print_checks(registry.checks(), args->format);
      return 0;
    };
  });
}

} // namespace app
