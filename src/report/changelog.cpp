#include "report/changelog.hpp"

#include "report/finding_view.hpp"
#include "report/render.hpp"
#include "report/schema_changes.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <iterator>

namespace report {

namespace {

// "12 tables, 80 columns, ..." of the kinds `counts` has any of.
std::string
size_text(const std::map<std::string, std::int64_t>& counts)
{
  std::string out;
  for (const auto kind : model::k_catalog_kinds) {
    const auto it = counts.find(std::string(kind));
    if (it == counts.end() || it->second == 0) {
      continue;
    }
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", it->second, it->second == 1 ? std::string(kind) : kinds_of(kind));
  }
  return out.empty() ? "no objects" : out;
}

void
write_database(const model::HistoryStore& history, const std::string& name, std::optional<std::int64_t> since,
               bool heading, std::ostream& out)
{
  if (heading) {
    fmt::print(out, "## {}\n\n", markdown_escape(name));
  }
  const auto snapshots = history.catalog_changes(name);
  if (snapshots.empty()) {
    fmt::print(out, "No snapshot of {} has a catalog yet: its schema changes are recorded from its next audit on.\n\n",
               markdown_escape(name));
    return;
  }
  const auto spans = model::deprecation_spans(snapshots);
  const auto level = heading ? "###" : "##";
  std::size_t audits = 0;  // in the window
  std::size_t entries = 0; // listed
  for (auto it = snapshots.rbegin(); it != snapshots.rend(); ++it) {
    if (since && it->taken_at < *since) {
      break;
    }
    ++audits;
    const bool baseline = it == std::prev(snapshots.rend());
    if (!it->has_changes() && !baseline) {
      continue;
    }
    ++entries;
    fmt::print(out, "{} {}\n\n", level, date_of(it->taken_at));
    if (baseline) {
      const auto counts = history.catalog_counts(name);
      const auto found = counts.find(it->snapshot_id);
      fmt::print(out, "- Baseline: the catalog starts here ({}).\n\n",
                 found == counts.end() ? std::string("no objects") : size_text(found->second));
      continue;
    }
    for (const auto& line : change_lines(*it, spans)) {
      fmt::print(out, "- {}\n", markdown_escape(line.text));
    }
    fmt::print(out, "\nWhy: _\xE2\x80\xA6_\n\n");
  }
  // Only a window (--since) can list nothing: without one the baseline is always listed.
  if (entries == 0 && since) {
    if (audits == 0) {
      fmt::print(out, "No audit since {}: the latest is of {}.\n\n", date_of(*since), date_of(snapshots.back().taken_at));
    } else {
      fmt::print(out, "No schema change since {}: {} audit{} found it unchanged.\n\n", date_of(*since), audits,
                 audits == 1 ? "" : "s");
    }
  }
}

} // namespace

void
write_changelog(const model::HistoryStore& history,
                const std::vector<std::string>& names,
                std::optional<std::int64_t> since,
                std::ostream& out)
{
  fmt::print(out, "# Schema changelog{}\n\n", names.size() == 1 ? ": " + markdown_escape(names.front()) : "");
  fmt::print(out, "<!-- Written by schema-audit changelog from the audits' snapshots, newest first. Replace each "
                  "\"Why\" with the reason for the change. -->\n\n");
  for (const auto& name : names) {
    write_database(history, name, since, names.size() > 1, out);
  }
}

} // namespace report
