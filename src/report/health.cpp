#include "report/health.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace report {

namespace {

constexpr std::string_view k_other_area = "other";

std::string
area_title(std::string area)
{
  std::replace(area.begin(), area.end(), '_', ' ');
  if (!area.empty() && area[0] >= 'a' && area[0] <= 'z') {
    area[0] = static_cast<char>(area[0] - 'a' + 'A');
  }
  return area;
}

struct AreaTally
{
  std::vector<const model::Finding*> findings;
  std::set<std::string> checks;      // the area's finding checks this build knows
  std::set<std::string> not_run;     // of those, the ones without a result in the snapshot
  std::string not_run_reason;        // the first one's reason
};

} // namespace

std::vector<AreaHealth>
area_health(const model::Snapshot& latest, const std::vector<model::CheckDef>& checks)
{
  std::map<std::string, const model::SkippedCheck*> skipped;
  for (const auto& s : latest.skipped) {
    skipped.emplace(s.check_id, &s);
  }
  std::map<std::string, AreaTally> areas;
  for (const auto& def : checks) {
    if (def.kind != model::CheckKind::findings) {
      continue;
    }
    auto& tally = areas[def.area];
    tally.checks.insert(def.id);
    if (const auto it = skipped.find(def.id); it != skipped.end()) {
      tally.not_run.insert(def.id);
      if (tally.not_run_reason.empty()) {
        tally.not_run_reason = it->second->reason;
      }
    }
  }
  std::unordered_map<std::string_view, std::string_view> area_of;
  for (const auto& def : checks) {
    area_of.emplace(def.id, def.area);
  }
  for (const auto& f : latest.findings) {
    const auto it = area_of.find(f.check_id);
    areas[std::string(it != area_of.end() ? it->second : k_other_area)].findings.push_back(&f);
  }

  std::vector<AreaHealth> out;
  for (const auto& [area, tally] : areas) {
    AreaHealth h;
    h.area = area;
    h.title = area_title(area);
    h.count = tally.findings.size();
    if (!tally.findings.empty()) {
      const auto counts = severity_counts(tally.findings); // critical first
      h.state = "findings";
      h.worst = std::find_if(counts.begin(), counts.end(), [](const SeverityCount& c) { return c.count > 0; })->severity;
      h.text = severity_counts_text(counts);
    } else if (!tally.checks.empty() && tally.not_run.size() == tally.checks.size()) {
      h.state = "not_checked";
      h.text = fmt::format("not checked: {}", tally.not_run_reason);
    } else {
      h.state = tally.not_run.empty() ? "clean" : "partly_checked";
      h.text = tally.not_run.empty()
                 ? "no findings"
                 : fmt::format("no findings; {} of its {} checks did not run", tally.not_run.size(), tally.checks.size());
    }
    if (!tally.findings.empty() && !tally.not_run.empty()) {
      h.text += fmt::format("; {} of its {} checks did not run", tally.not_run.size(), tally.checks.size());
    }
    out.push_back(std::move(h));
  }
  // Worst first (by their worst severity, then how many), then clean, then not checked.
  auto rank = [](const AreaHealth& h) {
    return h.worst ? 10 + static_cast<int>(*h.worst) : h.state == "clean" ? 1 : 0;
  };
  std::stable_sort(out.begin(), out.end(), [&](const AreaHealth& a, const AreaHealth& b) {
    return rank(a) != rank(b) ? rank(a) > rank(b) : a.count > b.count;
  });
  return out;
}

} // namespace report
