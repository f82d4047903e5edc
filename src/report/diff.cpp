#include "report/finding_view.hpp"
#include "report/model.hpp"
#include "util/time.hpp"

#include <fmt/format.h>

#include <unordered_map>

namespace report {

namespace {

using nlohmann::json;

json
side_json(const model::Snapshot& snap)
{
  return json{{"id", snap.info.id},
              {"name", snap.info.target_name},
              {"dbname", snap.info.dbname},
              {"taken_at", util::format_iso(snap.info.taken_at)},
              {"date", date_of(snap.info.taken_at)},
              {"server_version", snap.info.server_version},
              {"findings", snap.findings.size()}};
}

std::string
shown(const json& value)
{
  if (value.is_null()) {
    return "(none)";
  }
  return value.is_string() ? value.get<std::string>() : value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// `value` of evidence `key` formatted as the report shows it (sizes readable).
std::string
evidence_shown(const std::string& key, const json& value)
{
  if (value.is_null()) {
    return "(none)";
  }
  model::Finding one;
  one.evidence = json{{key, value}};
  return shown(finding_json(one)["evidence_items"][0]["value"]);
}

// What differs between two findings with the same fingerprint: severity, message,
// remediation and each evidence key.
json
changes_of(const model::Finding& a, const model::Finding& b)
{
  json out = json::array();
  auto add = [&](std::string field, std::string from, std::string to) {
    out.push_back(json{{"field", std::move(field)}, {"from", std::move(from)}, {"to", std::move(to)}});
  };
  if (a.severity != b.severity) {
    add("severity", std::string(model::to_string(a.severity)), std::string(model::to_string(b.severity)));
  }
  if (a.message != b.message) {
    add("message", a.message, b.message);
  }
  if (a.evidence != b.evidence) {
    const auto ea = a.evidence.is_object() ? a.evidence : json::object();
    const auto eb = b.evidence.is_object() ? b.evidence : json::object();
    std::vector<std::string> keys;
    for (const auto& [k, v] : ea.items()) {
      keys.push_back(k);
    }
    for (const auto& [k, v] : eb.items()) {
      if (!ea.contains(k)) {
        keys.push_back(k);
      }
    }
    for (const auto& k : keys) {
      const auto va = ea.contains(k) ? ea[k] : json(nullptr);
      const auto vb = eb.contains(k) ? eb[k] : json(nullptr);
      if (va != vb) {
        add("evidence." + k, evidence_shown(k, va), evidence_shown(k, vb));
      }
    }
  }
  if (a.remediation != b.remediation) {
    add("remediation", a.remediation, b.remediation);
  }
  return out;
}

json
short_json(const model::Finding& f)
{
  return json{{"fingerprint", f.fingerprint},
              {"check_id", f.check_id},
              {"category", f.category},
              {"severity", model::to_string(f.severity)},
              {"object", f.object},
              {"object_type", f.object_type},
              {"message", f.message}};
}

} // namespace

json
build_diff(const model::Snapshot& from, const model::Snapshot& to, std::int64_t generated_at)
{
  std::unordered_map<std::string_view, const model::Finding*> before;
  for (const auto& f : from.findings) {
    before.emplace(f.fingerprint, &f);
  }
  std::unordered_map<std::string_view, const model::Finding*> after;
  for (const auto& f : to.findings) {
    after.emplace(f.fingerprint, &f);
  }
  // A finding on one side only whose check did not run on the other is "not checked" there:
  // neither appeared nor disappeared.
  const auto not_run_from = not_run_checks(from);
  const auto not_run_to = not_run_checks(to);
  auto not_checked_json = [](const model::Finding& f, const model::SkippedCheck& s) {
    auto item = short_json(f);
    item["reason"] = s.reason;
    item["cause"] = model::to_string(s.cause);
    return item;
  };
  json appeared = json::array();
  json not_checked_before = json::array();
  json changed = json::array();
  std::size_t unchanged = 0;
  for (const auto& f : to.findings) {
    const auto it = before.find(f.fingerprint);
    if (it == before.end()) {
      if (const auto s = not_run_from.find(f.check_id); s != not_run_from.end()) {
        not_checked_before.push_back(not_checked_json(f, *s->second));
      } else {
        appeared.push_back(short_json(f));
      }
      continue;
    }
    auto changes = changes_of(*it->second, f);
    if (changes.empty()) {
      ++unchanged;
      continue;
    }
    auto item = short_json(f);
    item["changes"] = std::move(changes);
    changed.push_back(std::move(item));
  }
  json disappeared = json::array();
  json not_checked = json::array();
  for (const auto& f : from.findings) {
    if (!after.count(f.fingerprint)) {
      if (const auto s = not_run_to.find(f.check_id); s != not_run_to.end()) {
        not_checked.push_back(not_checked_json(f, *s->second));
      } else {
        disappeared.push_back(short_json(f));
      }
    }
  }
  // Which checks did not run on each side, and why.
  auto not_run_json = [](const model::Snapshot& snap) {
    json out = json::array();
    for (const auto& s : snap.skipped) {
      out.push_back(skipped_json(s));
    }
    return out;
  };
  const bool identical = appeared.empty() && disappeared.empty() && changed.empty() && not_checked.empty()
                         && not_checked_before.empty();
  return json{{"schema_version", k_schema_version},
              {"tool_version", SCHEMA_AUDIT_VERSION},
              {"generated_at", util::format_iso(generated_at)},
              {"from", side_json(from)},
              {"to", side_json(to)},
              {"counts",
               json{{"appeared", appeared.size()},
                    {"disappeared", disappeared.size()},
                    {"changed", changed.size()},
                    {"unchanged", unchanged},
                    {"not_checked", not_checked.size()},
                    {"not_checked_before", not_checked_before.size()}}},
              {"identical", identical},
              {"has_appeared", !appeared.empty()},
              {"has_disappeared", !disappeared.empty()},
              {"has_changed", !changed.empty()},
              {"has_not_checked", !not_checked.empty()},
              {"has_not_checked_before", !not_checked_before.empty()},
              {"appeared", std::move(appeared)},
              {"disappeared", std::move(disappeared)},
              {"changed", std::move(changed)},
              {"not_checked", std::move(not_checked)},
              {"not_checked_before", std::move(not_checked_before)},
              {"not_run", json{{"from", not_run_json(from)}, {"to", not_run_json(to)}}}};
}

} // namespace report
