#include "report/diff_text.hpp"

#include "util/text.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

namespace report {

namespace {

// Names may hold newlines and other control characters: one item, one line.
std::string
line(const std::string& text)
{
  return util::printable(text);
}

void
print_finding(std::ostream& out, const DiffFinding& f, bool with_message)
{
  fmt::print(out, "  {:<8}  {}  {}\n", model::to_string(f.severity), f.check_id, line(f.object));
  if (with_message) {
    fmt::print(out, "            {}\n", line(f.message));
  }
}

// One item of each kind of list: a new or fixed finding with its message; the findings of a
// check that did not run, a few of them; a worse, better or changed-fix finding with what moved
// (severity, measure) and its fix's diff.
void
print_item(std::ostream& out, const DiffFinding& f)
{
  print_finding(out, f, true);
}

void
print_item(std::ostream& out, const NotCheckedGroup& group)
{
  fmt::print(out, "  {}: {} finding(s); {}\n", group.check_id, group.count, line(group.reason));
  for (const auto& f : group.examples) {
    fmt::print(out, "  ");
    print_finding(out, f, false);
  }
  if (group.count > group.examples.size()) {
    fmt::print(out, "    and {} more (--format json lists every one)\n", group.count - group.examples.size());
  }
}

void
print_item(std::ostream& out, const ComparedFinding& item)
{
  print_finding(out, item.finding, false);
  if (const auto moved = item.moved_text(); !moved.empty()) {
    fmt::print(out, "            {}\n", line(moved));
  }
  if (!item.fix_diff.empty()) {
    fmt::print(out, "            fix:\n");
    for (const auto& l : item.fix_diff) {
      fmt::print(out, "              {}\n", line(l));
    }
  }
}

// A titled list, nothing when it is empty.
template<typename Item>
void
print_section(std::ostream& out, const char* title, const std::vector<Item>& items)
{
  if (items.empty()) {
    return;
  }
  fmt::print(out, "\n{}:\n", title);
  for (const auto& item : items) {
    print_item(out, item);
  }
}

} // namespace

void
write_diff_text(const Diff& diff, std::ostream& out)
{
  const auto& from = diff.from;
  const auto& to = diff.to;
  const auto counts = diff.counts();
  fmt::print(out, "{}: snapshot {} ({}) -> {}snapshot {} ({})\n", line(from.name), from.id, util::format_iso(from.taken_at),
             from.name == to.name ? "" : line(to.name) + " ", to.id, util::format_iso(to.taken_at));
  fmt::print(out, "{} new, {} fixed, {} worse, {} better, {} unchanged", counts.new_count, counts.fixed, counts.worse,
             counts.better, counts.unchanged);
  for (const auto& [n, text] : {std::pair{counts.fix_changed, "with another fix"},
                                std::pair{counts.not_checked, "not checked in the newer snapshot"},
                                std::pair{counts.not_checked_before, "not checked in the older snapshot"}}) {
    if (n) {
      fmt::print(out, ", {} {}", n, text);
    }
  }
  fmt::print(out, "\n");
  print_section(out, "New", diff.new_findings);
  print_section(out, "Fixed", diff.fixed);
  print_section(out, "Worse", diff.worse);
  print_section(out, "Better", diff.better);
  print_section(out, "Another fix (neither worse nor better)", diff.fix_changed);
  print_section(out, "Not checked in the newer snapshot (its check did not run)", not_checked_groups(diff.not_checked));
  print_section(out, "Not checked in the older snapshot (its check did not run)",
                not_checked_groups(diff.not_checked_before));
  for (const auto& [not_run, title] : {std::pair{&diff.not_run.from, "older"}, std::pair{&diff.not_run.to, "newer"}}) {
    if (!not_run->empty()) {
      fmt::print(out, "\nChecks without a result in the {} snapshot:\n", title);
      for (const auto& s : *not_run) {
        fmt::print(out, "  {}: {}\n", s.check.check_id, line(s.check.reason));
      }
    }
  }
  if (!diff.schema_changes.empty()) {
    fmt::print(out, "\nSchema changes ({}):\n", diff.schema_changes.size());
    for (const auto& c : diff.schema_changes) {
      fmt::print(out, "  {}\n", line(c.text));
    }
  } else if (diff.schema_catalog) {
    fmt::print(out, "\nSchema changes: none\n");
  }
}

} // namespace report
