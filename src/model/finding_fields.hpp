#pragma once

#include "model/finding.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <string>
#include <string_view>
#include <variant>

namespace model {

// Where the history keeps a stored field: in the finding_states row that every snapshot holding
// the finding unchanged shares, or in the finding_texts row that every state with the same words
// shares (history/0003, 0009).
enum class FieldHome { state, text };

// The member a field reads and writes; its type decides how the field is stored (text, the
// enum's name, JSON text) and written to JSON.
using FieldMember = std::variant<std::string Finding::*, util::Interned Finding::*, Severity Finding::*, Effort Finding::*, nlohmann::json Finding::*>;

// One stored field of a finding. The history's column lists, binds and reads (both backends),
// `audit --format json`, the report's finding views and the listing rows all loop over
// k_finding_fields, so adding a stored field is: the member in Finding, a row here, a history
// migration, the value where the finding is made, and docs/report-json.md.
struct FindingField
{
  std::string_view name;     // the column in the history, and the member's name
  std::string_view json_key; // the key in JSON output
  FieldMember member;
  FieldHome home = FieldHome::state;
  // Read for trend reports over many snapshots (HistoryStore::load_light).
  bool light = false;
  // Shown in a one-line listing of the finding (report::FindingCard of a finding not shown in full).
  bool listed = false;
};

inline const auto k_finding_fields = std::to_array<FindingField>({
  // name, json key, member, home, light, listed
  {"fingerprint", "fingerprint", &Finding::fingerprint, FieldHome::state, true, false},
  {"check_id", "check_id", &Finding::check_id, FieldHome::state, true, true},
  {"category", "category", &Finding::category, FieldHome::state, true, true},
  {"severity", "severity", &Finding::severity, FieldHome::state, true, true},
  {"effort", "effort", &Finding::effort, FieldHome::state, true, false},
  {"object", "object", &Finding::object, FieldHome::state, true, true},
  {"object_type", "object_type", &Finding::object_type, FieldHome::state, true, true},
  {"schema_name", "schema", &Finding::schema_name, FieldHome::state, false, false},
  {"evidence", "evidence", &Finding::evidence, FieldHome::state, true, false},
  {"message", "message", &Finding::message, FieldHome::text, false, true},
  {"remediation", "remediation", &Finding::remediation, FieldHome::text, false, false},
  {"undo", "undo", &Finding::undo, FieldHome::text, false, false},
  {"confidence", "confidence", &Finding::confidence, FieldHome::state, false, true},
  {"group_id", "group", &Finding::group_id, FieldHome::state, false, false},
  {"entry", "entry", &Finding::entry, FieldHome::state, false, false},
});

// The field's value as the history stores it: the text itself, the enum's name, JSON text.
std::string stored_value(const Finding& finding, const FindingField& field);

// Sets the field from its stored form; a value that does not parse leaves the default (an
// unknown severity reads as medium, unreadable evidence as an empty object).
void set_stored_value(Finding& finding, const FindingField& field, std::string_view stored);

// The field's value in JSON output.
nlohmann::json json_value(const Finding& finding, const FindingField& field);

} // namespace model
