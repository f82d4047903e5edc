#include "audit/one_entry_per_object.hpp"

#include "model/remediation_kind.hpp"
#include "util/label.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string_view>
#include <utility>

namespace audit {

namespace {

// A merge: `merged`'s finding on an object `kept` also reports goes into `kept`'s.
enum class How
{
  // The two reach the same decision: the merged message is added as agreeing.
  agrees,
  // The kept fix does what the merged one asks, or makes it moot (`sentence` says why): only
  // when the kept finding has a script to run and, with `covered_if`, that key of its evidence
  // is true.
  covers,
  // The merged fix is a second step, run after the kept one (`sentence` says what it is): the
  // next audit prints it, written for what the kept fix left.
  precedes,
  // The merged fix is a second step the kept one leaves to do, independent of it: appended to
  // the kept fix (and its undo put before the kept undo), `sentence` saying what it adds; only
  // when the kept finding has a script to run (appended to advice, it would run alone).
  appends,
};

struct Merge
{
  std::string_view kept;
  std::string_view merged;
  How how = How::agrees;
  std::string_view sentence = {};
  std::string_view covered_if = {};
  // The merged finding's harm needs the object in use (a table nobody reads or writes suffers
  // nothing from having no key): the entry keeps the kept finding's severity, where otherwise it
  // takes the graver of the two.
  bool harm_needs_use = false;
  // The merged finding is on a column of the kept finding's table, one of those the kept
  // finding's evidence lists (unquoted names) under this key, rather than on the kept object.
  std::string_view column_of_kept = {};
  // A second check whose findings keep `merged` the same way (the two usage checks of a column).
  std::string_view kept_too = {};
  // The merged finding's object is one of those the kept finding's evidence lists (labels) under
  // this key, rather than the kept object (an index the kept fix drops).
  std::string_view listed_in_kept = {};
  // No merge when the merged finding's evidence has this key, not null: its step is of another
  // kind than the kept fix (a type change that rebuilds indexes under an exclusive lock, appended
  // to a NOT NULL that takes none), a decision of its own.
  std::string_view unless_merged_has = {};
};

bool
keeps(const Merge& m, std::string_view check_id)
{
  return m.kept == check_id || (!m.kept_too.empty() && m.kept_too == check_id);
}

// Whether the merged finding is on the kept object itself (not on a column of its table, nor on
// an object its evidence lists): its evidence then goes in whole, and merges the other way round.
bool
on_kept_object(const Merge& m)
{
  return m.column_of_kept.empty() && m.listed_in_kept.empty();
}

// The kept check's reason is the stronger one. redundant_index: a wider index serves every query
// the redundant one serves, so the drop is safe whatever the usage statistics say; unused_index's
// evidence says how little the index was used on top of that. missing_index_statements: the
// statements name the columns to index, where missing_index only saw sequential scans of the
// table. unused_index over array_btree_index and redundant_predicate: an index nothing uses is
// dropped, not rebuilt in another form. duplicate_index over redundant_index: both drop it, the
// exact twin is the simpler proof. A foreign key that duplicate_fk drops or cross_tenant_fk
// replaces (when the original goes: not on a nullable tenant key or MATCH FULL) needs neither an
// index of its own (fk_without_index's CREATE INDEX would leave an index nothing needs) nor a
// validation (not_valid_constraint's); a duplicate's drop waits for its twin's validation (the
// twin's own entry). A key cross_tenant_fk keeps beside its replacement (a nullable tenant key)
// still needs its index: fk_without_index's build is the fix's last step. A serial integer key is
// widened first (type_int_key's swap moves its sequence default to the bigint column), then made
// an identity (type_serial). A column both checks would retire is one decision (unused_column:
// NULL in every row, the stronger proof; unused_column_statements agrees), a column retired needs
// no change of its type (varchar(n), timestamp without time zone, char(n), json, money), and a table that
// unused_table retires needs no new key. A foreign key NOT VALID without an index is validated,
// then indexed; a varchar(n) column made unique is made text after; a column that held no NULL
// and has another finding (not an expand-contract type change: char(n), money) is declared NOT
// NULL as that fix's last step, unless the other is a
// design-wide type choice (varchar(n), timestamp without time zone): that one is info or low over
// the whole schema, and would hide the column's NOT NULL in its entry (Mattermost: 46 of 129), so
// the NOT NULL leads and the type change is its last step (the round trip of the planted database
// runs each such combined fix), unless the type change rebuilds indexes under its exclusive lock
// (an expression or predicate over a varchar(n), any index on a timestamp): then it is a step of
// another kind, planned for a window, and stays an entry of its own.
constexpr std::string_view k_retired_varchar = "it is varchar(n) too (type_varchar_n), which retiring it makes moot";
constexpr std::string_view k_retired_timestamp =
  "it is timestamp without time zone too (type_timestamp_no_tz), which retiring it makes moot";
constexpr std::string_view k_retired_char = "it is char(n) too (type_char_n), which retiring it makes moot";
constexpr std::string_view k_retired_json = "it is json too (type_json), which retiring it makes moot";
constexpr std::string_view k_retired_money = "it is money too (type_money), which retiring it makes moot";
constexpr std::string_view k_statements = "unused_column_statements";
constexpr std::string_view k_varchar_last = "it is varchar(n) too (type_varchar_n): the last step makes it text";
constexpr std::string_view k_rebuilds = "rebuilt_indexes";
constexpr std::string_view k_not_null_last =
  "it held no NULL either (not_null_candidate): the last step declares it NOT NULL";

constexpr Merge k_merges[] = {
  {"redundant_index", "unused_index"},
  {"missing_index_statements", "missing_index"},
  {"unused_index", "array_btree_index"},
  {"unused_index", "redundant_predicate"},
  {"duplicate_index", "redundant_index"},
  {"duplicate_fk", "fk_without_index", How::covers,
   "it has no index either (fk_without_index), which the drop makes moot: the twin keeps the rule, and is reported on "
   "its own when it has no index"},
  {"cross_tenant_fk", "fk_without_index", How::covers,
   "it has no index either (fk_without_index): its replacement, with the tenant key first, is served by an index led "
   "by those columns, which the fix builds when there is none", "drops_original"},
  {"duplicate_fk", "not_valid_constraint", How::covers,
   "it is NOT VALID too (not_valid_constraint), which the drop makes moot; the drop waits until the twin it repeats "
   "is validated"},
  {"cross_tenant_fk", "not_valid_constraint", How::covers,
   "it is NOT VALID too (not_valid_constraint): the fix validates its replacement and drops it", "drops_original"},
  {"cross_tenant_fk", "fk_without_index", How::appends,
   "it has no index either (fk_without_index), and the fix keeps it beside its replacement: the last step builds "
   "the index it needs"},
  {"unused_column", "unused_column_statements"},
  // A column retired needs no other type (Mattermost: 10 columns both NULL everywhere and varchar(n)).
  {.kept = "unused_column", .merged = "type_varchar_n", .how = How::covers, .sentence = k_retired_varchar, .kept_too = k_statements},
  {.kept = "unused_column", .merged = "type_timestamp_no_tz", .how = How::covers, .sentence = k_retired_timestamp, .kept_too = k_statements},
  {.kept = "unused_column", .merged = "type_char_n", .how = How::covers, .sentence = k_retired_char, .kept_too = k_statements},
  // Harbor's scan_report.report, json and NULL in every row: rewrite the table to jsonb, and retire it
  {.kept = "unused_column", .merged = "type_json", .how = How::covers, .sentence = k_retired_json, .kept_too = k_statements},
  {.kept = "unused_column", .merged = "type_money", .how = How::covers, .sentence = k_retired_money, .kept_too = k_statements},
  // Supabase Auth's flow_state.oauth_client_state_id, NULL in every row: a foreign key to add
  // and a column to retire, two entries
  {"unused_column", "missing_fk", How::covers, "it looks like a reference too (missing_fk), which retiring it makes moot"},
  // A char(n) column referencing a key of another type: the swap to the key's type is the change
  // (Hydra's re-check: fk_type_mismatch and type_char_n were two entries for one column)
  {"fk_type_mismatch", "type_char_n", How::covers, "it is char(n) too (type_char_n): the swap gives it the key's type"},
  {.kept = "unused_table", .merged = "no_primary_key", .how = How::covers,
   .sentence = "it has no primary key either (no_primary_key), which retiring it makes moot; if the table stays, the "
               "next audit reports that",
   .harm_needs_use = true},
  {"not_valid_constraint", "fk_without_index", How::appends,
   "it has no index either (fk_without_index): the last step builds it"},
  {.kept = "unique_candidate", .merged = "type_varchar_n", .how = How::appends, .sentence = k_varchar_last,
   .unless_merged_has = k_rebuilds},
  // A table without a key whose unique index becomes the key once its columns are NOT NULL: the
  // fix declares them NOT NULL first (a column's own entry would say the same, once more).
  {.kept = "no_primary_key", .merged = "not_null_candidate", .how = How::covers,
   .sentence = "the key's columns held no NULL (not_null_candidate): the fix declares them NOT NULL first",
   .column_of_kept = "candidate_nullable_columns"},
  {"missing_fk", "not_null_candidate", How::appends, k_not_null_last},
  {"unique_candidate", "not_null_candidate", How::appends, k_not_null_last},
  {"int_overflow", "not_null_candidate", How::appends, k_not_null_last},
  // (not type_char_n's nor type_money's: an expand-contract move, effort medium and often optional,
  // would stand before a cheap NOT NULL, which Authelia's DBA had to reach through it)
  // A design-wide type choice (info or low, grouped over the schema) does not take in a column's
  // NOT NULL, which is a decision of its own: the NOT NULL leads, and the type change follows it.
  // Mattermost: posts.message's change to text rebuilt a GIN full-text index under the exclusive
  // lock, 3 s on 200,000 rows, as the last step of a NOT NULL fix of effort low: a type change
  // that rebuilds indexes stays an entry of its own.
  {.kept = "not_null_candidate", .merged = "type_varchar_n", .how = How::appends, .sentence = k_varchar_last,
   .unless_merged_has = k_rebuilds},
  {.kept = "not_null_candidate", .merged = "type_timestamp_no_tz", .how = How::appends,
   .sentence = "it is timestamp without time zone too (type_timestamp_no_tz): the last step makes it timestamptz",
   .unless_merged_has = k_rebuilds},
  // Formbricks: an index on the tenant alone, already a left prefix of another, that the
  // cross-tenant fix drops too (its new (tenant, ...) index makes it one): two drops, two undos
  {.kept = "cross_tenant_fk", .merged = "redundant_index", .how = How::covers,
   .sentence = "an index on the tenant alone it drops is redundant already (redundant_index): its last step drops it, once",
   .listed_in_kept = "drops_indexes"},
  {"type_int_key", "type_serial", How::precedes,
   "it is a serial too (type_serial): once it is bigint, the next audit prints the catalog-only change to an "
   "identity"},
};

// The checks merged into a finding of `check_id` with `evidence`, and those merged into them.
void
add_merged_checks(std::string_view check_id, const nlohmann::json& evidence, std::vector<std::string>& out)
{
  for (const auto& m : k_merges) {
    if (keeps(m, check_id) && evidence.contains(m.merged)) {
      out.emplace_back(m.merged);
      if (on_kept_object(m)) { // else its evidence is by column or object
        add_merged_checks(m.merged, evidence.at(m.merged), out);
      }
    } else if (on_kept_object(m) && m.merged == check_id && evidence.contains(m.kept)) {
      out.emplace_back(m.kept); // the other way round: the kept one's advice went into this fix
      add_merged_checks(m.kept, evidence.at(m.kept), out);
    }
  }
}

// Where `merged` (a finding of `m.merged`) is looked for among the kept findings: its own object,
// or with `column_of_kept` its table (and the column's name, which the kept evidence must list).
std::pair<std::string, std::string>
kept_key(const Merge& m, const model::FindingHead& merged, std::string* column)
{
  if (!m.listed_in_kept.empty()) {
    return {{}, merged.object};
  }
  if (m.column_of_kept.empty()) {
    return {merged.object_type.str(), merged.object};
  }
  const auto parts = util::label_parts(merged.object);
  if (parts.size() != 3) {
    return {};
  }
  *column = util::unquoted_part(parts[2]);
  return {{}, fmt::format("{}.{}", parts[0], parts[1])};
}

bool
lists_column(const nlohmann::json& evidence, std::string_view key, const std::string& column)
{
  const auto it = evidence.find(key);
  return it != evidence.end() && it->is_array() && std::find(it->begin(), it->end(), column) != it->end();
}

} // namespace

void
merge_same_object_findings(model::FindingList& findings)
{
  auto& heads = findings.heads();
  for (const auto& m : k_merges) {
    const auto& [kept_check, merged_check, how, sentence, covered_if, harm_needs_use, column_of_kept, kept_too,
                 listed_in_kept, unless_merged_has] = m;
    // Keyed by copies: a merge puts a new head, with its own texts, in place of the kept one.
    std::map<std::pair<std::string, std::string>, std::size_t> kept;
    for (std::size_t i = 0; i < heads.size(); ++i) {
      if (!keeps(m, heads[i].check_id.str())) {
        continue;
      }
      if (listed_in_kept.empty()) {
        kept.emplace(std::pair(column_of_kept.empty() ? heads[i].object_type.str() : std::string(), heads[i].object), i);
        continue;
      }
      // filed under each object its evidence lists (the first kept finding that lists one keeps it)
      const auto whole = findings[i]; // a copy: the list reads it from its spill
      const auto listed = whole.evidence.find(listed_in_kept);
      if (listed != whole.evidence.end() && listed->is_array()) {
        for (const auto& label : *listed) {
          if (label.is_string()) {
            kept.emplace(std::pair(std::string(), label.get<std::string>()), i);
          }
        }
      }
    }
    if (kept.empty()) {
      continue;
    }
    std::vector<bool> merged(heads.size(), false);
    for (std::size_t i = 0; i < heads.size(); ++i) {
      const auto& f = heads[i];
      if (f.check_id != merged_check) {
        continue;
      }
      std::string column;
      const auto it = kept.find(kept_key(m, f, &column));
      if (it == kept.end()) {
        continue;
      }
      auto into = findings[it->second];
      if (!column_of_kept.empty() && !lists_column(into.evidence, column_of_kept, column)) {
        continue;
      }
      const bool kept_runs = model::remediation_kind(into.remediation) == model::RemediationKind::script;
      if (how == How::covers && kept_runs && !covered_if.empty() && !into.evidence.value(covered_if, false)) {
        continue; // the kept fix does not cover the other's here
      }
      const auto merged_finding = findings[i];
      if (!unless_merged_has.empty() && merged_finding.evidence.is_object() &&
          !merged_finding.evidence.value(unless_merged_has, nlohmann::json()).is_null()) {
        continue; // a step of another kind: both stay
      }
      if (!kept_runs && (into.confidence == "low" || into.severity == model::Severity::info) && on_kept_object(m) &&
          model::remediation_kind(merged_finding.remediation) == model::RemediationKind::script) {
        // The kept finding's advice, a verdict with not enough evidence yet (an unused index or
        // column) or nothing to act on yet (an info unique_candidate: steps for once someone
        // confirms a key), would hide the other's fix (a B-tree on an array rebuilt as GIN,
        // Danbooru; a varchar(n) made text, Plausible, Temporal's create_request_id): the one
        // with the fix is the entry, the verdict's evidence and words go into it. Other advice
        // (what blocks a type change, at low or above) stays an entry.
        auto other = merged_finding;
        other.evidence[into.check_id.str()] = into.evidence;
        // said in the entry's words too (Harbor: a json column NULL in every row read as a plain
        // rewrite to jsonb, a link column made NOT NULL with nothing about its uniqueness)
        other.message += into.severity != model::Severity::info
                           ? fmt::format("; {} agrees: {}", into.check_id.str(), into.message)
                           : fmt::format("; {} too (info, nothing to act on yet): {}", into.check_id.str(), into.message);
        findings.replace(i, std::move(other));
        merged[it->second] = true;
        continue;
      }
      if (!kept_runs && how != How::agrees) {
        continue; // advice does not do what the other asks, nor leave a step to append to: both stay
      }
      if (!listed_in_kept.empty()) {
        into.evidence[std::string(merged_check)][merged_finding.object] = merged_finding.evidence; // by object
      } else if (column_of_kept.empty()) {
        into.evidence[std::string(merged_check)] = merged_finding.evidence;
      } else {
        into.evidence[std::string(merged_check)][column] = merged_finding.evidence; // by column: one or more
      }
      // An info verdict (not enough evidence yet) neither agrees nor disagrees: its evidence is
      // kept, its words are not added.
      if (how != How::agrees) {
        if (into.message.find(sentence) == std::string::npos) { // said once for all its columns
          into.message += fmt::format("; {}", sentence);
        }
      } else if (merged_finding.severity != model::Severity::info) {
        into.message += fmt::format("; {} agrees: {}", merged_check, merged_finding.message);
      }
      if (how == How::appends) {
        auto said = merged_finding.message;
        std::replace(said.begin(), said.end(), '\n', ' '); // one comment line
        into.remediation += fmt::format("\n\n-- then ({}): {}\n{}", merged_check, said, merged_finding.remediation);
        // each part under its check's name: the kept undo (already so when it took an earlier
        // merge) runs last, after every step appended to its fix is undone
        const auto kept_undo = into.undo.starts_with("-- first (")
                                 ? into.undo
                                 : fmt::format("-- then ({}):\n{}", into.check_id.str(), into.undo);
        into.undo = fmt::format("-- first ({}):\n{}\n\n{}", merged_check, merged_finding.undo, kept_undo);
      }
      if (!harm_needs_use) {
        into.severity = std::max(into.severity, merged_finding.severity);
      }
      findings.replace(it->second, std::move(into));
      merged[i] = true;
    }
    std::size_t i = 0;
    std::erase_if(heads, [&](const model::FindingHead&) { return merged[i++]; });
  }
}

std::vector<std::string>
merged_checks(const model::Finding& finding)
{
  std::vector<std::string> out;
  add_merged_checks(finding.check_id.str(), finding.evidence, out);
  return out;
}

} // namespace audit
