#include "report/diff.hpp"

#include "report/measure_change.hpp"
#include "util/index_by.hpp"
#include "util/line_diff.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <unordered_map>

namespace report {

namespace {

// `left_out`: findings of the snapshot not in `snap.findings` (unchanged in the other).
DiffSide
side_of(const model::Snapshot& snap, std::size_t left_out)
{
  return DiffSide{snap.info.id,       snap.info.target_name,     snap.info.dbname,
                  snap.info.taken_at, snap.info.server_version, snap.findings.size() + left_out};
}

DiffFinding
diff_finding(const model::Finding& f)
{
  return DiffFinding{f.fingerprint, f.check_id, f.category, f.severity, f.object, f.object_type, f.message};
}

// `text` with every run of digits as one "0": what is left of a fix once the counters, sizes
// and dates in it (which tick with time) are set aside.
std::string
without_numbers(std::string_view text)
{
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool digit = std::isdigit(static_cast<unsigned char>(text[i]));
    const bool run_goes_on = digit && i > 0 && std::isdigit(static_cast<unsigned char>(text[i - 1]));
    if (!run_goes_on) {
      out += digit ? '0' : text[i];
    }
  }
  return out;
}

// The change of fix from `a` to `b` as a unified diff, empty when only numbers differ.
std::vector<std::string>
fix_diff(const model::Finding& a, const model::Finding& b)
{
  if (a.remediation == b.remediation || without_numbers(a.remediation) == without_numbers(b.remediation)) {
    return {};
  }
  return util::unified_diff(a.remediation, b.remediation);
}

std::unordered_map<std::string_view, const model::Finding*>
by_fingerprint(const model::Snapshot& snap)
{
  return util::index_by(snap.findings, &model::Finding::fingerprint);
}

} // namespace

std::string
ComparedFinding::moved_text() const
{
  std::string out;
  if (severity_before) {
    out = fmt::format("severity {} -> {}", *severity_before, model::to_string(finding.severity));
  }
  if (measure) {
    out += fmt::format("{}{} {} -> {}", out.empty() ? "" : "; ", measure->key, measure->before, measure->after);
  }
  return out;
}

std::string
ComparedFinding::diff_block() const
{
  // A fence longer than any run of backticks in the lines, so none can close it.
  std::size_t longest = 0;
  for (const auto& line : fix_diff) {
    std::size_t run = 0;
    for (const char c : line) {
      run = c == '`' ? run + 1 : 0;
      longest = std::max(longest, run);
    }
  }
  const std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  std::string out = fence + "diff\n";
  for (auto line : fix_diff) {
    std::replace(line.begin(), line.end(), '\r', ' '); // a carriage return would end the line too
    out += line + "\n";
  }
  return out + fence + "\n";
}

std::string
NotCheckedGroup::example_objects() const
{
  std::string out;
  for (const auto& f : examples) {
    out += (out.empty() ? "" : ", ") + f.object;
  }
  return out;
}

std::vector<NotCheckedGroup>
not_checked_groups(const std::vector<NotCheckedDiff>& items)
{
  std::vector<NotCheckedGroup> out;
  std::unordered_map<std::string_view, std::size_t> group_of;
  for (const auto& item : items) {
    const auto [it, added] = group_of.try_emplace(item.finding.check_id, out.size());
    if (added) {
      out.push_back(NotCheckedGroup{item.finding.check_id, item.why.reason, 0, {}});
    }
    auto& group = out[it->second];
    ++group.count;
    if (group.examples.size() < k_not_checked_examples) {
      group.examples.push_back(item.finding);
    }
  }
  return out;
}

DiffCounts
Diff::counts() const
{
  return DiffCounts{new_findings.size(), fixed.size(),       worse.size(),         better.size(),
                    fix_changed.size(),  unchanged,          not_checked.size(),   not_checked_before.size()};
}

bool
Diff::identical() const
{
  return new_findings.empty() && fixed.empty() && worse.empty() && better.empty() && fix_changed.empty()
         && not_checked.empty() && not_checked_before.empty() && schema_changes.empty();
}

Diff
build_diff(const model::Snapshot& from, const model::Snapshot& to, std::int64_t generated_at, std::size_t unchanged_left_out)
{
  Diff out;
  out.generated_at = generated_at;
  out.from = side_of(from, unchanged_left_out);
  out.to = side_of(to, unchanged_left_out);
  out.unchanged = unchanged_left_out;
  const auto before = by_fingerprint(from);
  const auto after = by_fingerprint(to);
  // A finding on one side only whose check did not run on the other is "not checked" there:
  // neither new nor fixed.
  const auto not_run_from = not_run_checks(from);
  const auto not_run_to = not_run_checks(to);
  for (const auto& head : to.findings) {
    const WholeFinding f_whole(head, to.spill.get());
    const auto& f = *f_whole;
    const auto it = before.find(f.fingerprint);
    if (it == before.end()) {
      if (const auto s = not_run_from.find(f.check_id); s != not_run_from.end()) {
        out.not_checked_before.push_back(NotCheckedDiff{diff_finding(f), *s->second});
      } else {
        out.new_findings.push_back(diff_finding(f));
      }
      continue;
    }
    const WholeFinding was_whole(*it->second, from.spill.get());
    const auto& was = *was_whole;
    const auto comparison = compare_finding(was, f);
    ComparedFinding compared{diff_finding(f), std::nullopt, std::nullopt, fix_diff(was, f)};
    if (comparison.severity_before) {
      compared.severity_before = std::string(model::to_string(*comparison.severity_before));
    }
    if (comparison.measure) {
      compared.measure = DiffMeasure{comparison.measure->key, comparison.measure->before, comparison.measure->after};
    }
    switch (comparison.direction) {
    case Direction::worse:
      out.worse.push_back(std::move(compared));
      break;
    case Direction::better:
      out.better.push_back(std::move(compared));
      break;
    case Direction::same:
      if (compared.fix_diff.empty()) {
        ++out.unchanged;
      } else {
        out.fix_changed.push_back(std::move(compared));
      }
      break;
    }
  }
  for (const auto& head : from.findings) {
    if (!after.count(head.fingerprint)) {
      const WholeFinding f(head, from.spill.get());
      if (const auto s = not_run_to.find(f->check_id); s != not_run_to.end()) {
        out.not_checked.push_back(NotCheckedDiff{diff_finding(*f), *s->second});
      } else {
        out.fixed.push_back(diff_finding(*f));
      }
    }
  }
  out.not_run = NotRun{skipped_views(from.skipped), skipped_views(to.skipped)};
  return out;
}

} // namespace report
