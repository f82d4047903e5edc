#pragma once

#include "model/finding.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace store {

// The finding columns both history backends read, of findings `f` joined to finding_texts `t`.
// A light finding (HistoryStore::load_light) is the first seven; a full one (load) adds the
// other five.
inline constexpr const char* k_light_finding_columns =
  "f.fingerprint, f.check_id, f.category, f.severity, f.effort, f.object, f.object_type";
inline constexpr const char* k_full_finding_extra_columns =
  "f.schema_name, t.message, f.evidence, t.remediation, t.undo";

// A light finding from a row of k_light_finding_columns; `text(i)` reads column i as text.
template<typename Text>
model::Finding
light_finding(const Text& text)
{
  model::Finding f;
  f.fingerprint = text(0);
  f.check_id = text(1);
  f.category = text(2);
  f.severity = model::parse_severity(text(3)).value_or(model::Severity::medium);
  f.effort = model::parse_effort(text(4)).value_or(model::Effort::low);
  f.object = text(5);
  f.object_type = text(6);
  return f;
}

// A full finding from a row of k_light_finding_columns then k_full_finding_extra_columns.
template<typename Text>
model::Finding
full_finding(const Text& text)
{
  auto f = light_finding(text);
  f.schema_name = text(7);
  f.message = text(8);
  f.evidence = nlohmann::json::parse(text(9), nullptr, false);
  if (f.evidence.is_discarded()) {
    f.evidence = nlohmann::json::object();
  }
  f.remediation = text(10);
  f.undo = text(11);
  return f;
}

} // namespace store
