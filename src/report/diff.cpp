#include "report/diff.hpp"

#include "util/index_by.hpp"

#include <unordered_map>

namespace report {

namespace {

using nlohmann::json;

DiffSide
side_of(const model::Snapshot& snap)
{
  return DiffSide{snap.info.id,       snap.info.target_name,     snap.info.dbname,
                  snap.info.taken_at, snap.info.server_version, snap.findings.size()};
}

DiffFinding
diff_finding(const model::Finding& f)
{
  return DiffFinding{f.fingerprint, f.check_id, f.category, f.severity, f.object, f.object_type, f.message};
}

// `value` of evidence `key` formatted as the report shows it (sizes readable).
std::string
evidence_shown(const std::string& key, const json& value)
{
  return value.is_null() ? "(none)" : evidence_value(key, value);
}

// The evidence keys of `a` and then those only `b` has.
std::vector<std::string>
evidence_keys(const json& a, const json& b)
{
  std::vector<std::string> keys;
  for (const auto& [k, v] : a.items()) {
    keys.push_back(k);
  }
  for (const auto& [k, v] : b.items()) {
    if (!a.contains(k)) {
      keys.push_back(k);
    }
  }
  return keys;
}

// What differs between two findings with the same fingerprint: severity, message,
// remediation and each evidence key.
std::vector<FieldChange>
changes_of(const model::Finding& a, const model::Finding& b)
{
  std::vector<FieldChange> out;
  if (a.severity != b.severity) {
    out.push_back({"severity", std::string(model::to_string(a.severity)), std::string(model::to_string(b.severity))});
  }
  if (a.message != b.message) {
    out.push_back({"message", a.message, b.message});
  }
  if (a.evidence != b.evidence) {
    const auto ea = a.evidence.is_object() ? a.evidence : json::object();
    const auto eb = b.evidence.is_object() ? b.evidence : json::object();
    for (const auto& k : evidence_keys(ea, eb)) {
      const auto va = ea.contains(k) ? ea[k] : json(nullptr);
      const auto vb = eb.contains(k) ? eb[k] : json(nullptr);
      if (va != vb) {
        out.push_back({"evidence." + k, evidence_shown(k, va), evidence_shown(k, vb)});
      }
    }
  }
  if (a.remediation != b.remediation) {
    out.push_back({"remediation", a.remediation, b.remediation});
  }
  return out;
}

std::unordered_map<std::string_view, const model::Finding*>
by_fingerprint(const model::Snapshot& snap)
{
  return util::index_by(snap.findings, &model::Finding::fingerprint);
}

} // namespace

DiffCounts
Diff::counts() const
{
  return DiffCounts{appeared.size(), disappeared.size(), changed.size(), unchanged, not_checked.size(),
                    not_checked_before.size()};
}

bool
Diff::identical() const
{
  return appeared.empty() && disappeared.empty() && changed.empty() && not_checked.empty() && not_checked_before.empty();
}

Diff
build_diff(const model::Snapshot& from, const model::Snapshot& to, std::int64_t generated_at)
{
  Diff out;
  out.generated_at = generated_at;
  out.from = side_of(from);
  out.to = side_of(to);
  const auto before = by_fingerprint(from);
  const auto after = by_fingerprint(to);
  // A finding on one side only whose check did not run on the other is "not checked" there:
  // neither appeared nor disappeared.
  const auto not_run_from = not_run_checks(from);
  const auto not_run_to = not_run_checks(to);
  for (const auto& f : to.findings) {
    const auto it = before.find(f.fingerprint);
    if (it == before.end()) {
      if (const auto s = not_run_from.find(f.check_id); s != not_run_from.end()) {
        out.not_checked_before.push_back(NotCheckedDiff{diff_finding(f), *s->second});
      } else {
        out.appeared.push_back(diff_finding(f));
      }
      continue;
    }
    auto changes = changes_of(*it->second, f);
    if (changes.empty()) {
      ++out.unchanged;
    } else {
      out.changed.push_back(ChangedFinding{diff_finding(f), std::move(changes)});
    }
  }
  for (const auto& f : from.findings) {
    if (!after.count(f.fingerprint)) {
      if (const auto s = not_run_to.find(f.check_id); s != not_run_to.end()) {
        out.not_checked.push_back(NotCheckedDiff{diff_finding(f), *s->second});
      } else {
        out.disappeared.push_back(diff_finding(f));
      }
    }
  }
  out.not_run = NotRun{skipped_views(from.skipped), skipped_views(to.skipped)};
  return out;
}

} // namespace report
