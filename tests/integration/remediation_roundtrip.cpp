// The remediation round trip (issue #11, item 1): every remediation the audit prints, on the
// planted database of the remediation lint and on the real-world fixture, is run exactly as a DBA
// pastes it (plain `psql -X -f`, no ON_ERROR_STOP) on a fresh copy of the database (the column
// findings of one check share a copy, see groups_of), then:
//   - consistent data: no ERROR, no key constraint lost or weakened, no invalid index left, the
//     re-audit of the copy no longer reports the finding and reports nothing new except the
//     intended next step (deprecated_*) and usage-based checks (a copy starts with empty
//     statistics);
//   - advice (model::remediation_kind: a remediation of comments only, which says what the change
//     needs because no safe script exists for it, e.g. the type of a partition key): it runs like
//     any other (comments: nothing may change), and its finding is expected to stay; the table
//     counts these in "advice". The rule is the finding's, not the check's: a check's other
//     findings with a script must still be fixed by it;
//   - violating data (tests/fixtures/rails_saas/violating_*.sql, written after the audit) for the
//     fixes that add a rule: the script stops with an ERROR, every original constraint is kept and
//     no invalid index is left.
// A per-check table goes to stdout. Checks whose fixes are still being made safe are listed in
// each Fixture's known_failures with the reason; an entry that passes fails the test so that it
// is removed.
#include "audit/one_entry_per_object.hpp"
#include "model/remediation_kind.hpp"
#include "support/remediation_run.hpp"
#include "support/test_db.hpp"
#include "util/parallel.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <regex>
#include <sstream>
#include <set>

using namespace test;

namespace {

const std::string k_fixtures = SCHEMA_AUDIT_SOURCE_DIR "/tests/fixtures/";

// Checks whose findings come and go with the usage statistics, which a copy starts without.
const std::set<std::string> k_usage_based = {"unused_index",  "unused_table",     "unused_column",
                                             "unused_column_statements", "missing_index",
                                             "missing_index_statements", "vacuum_health"};

// The violating-data script whose rows a fix of the check must refuse.
const std::map<std::string, std::string> k_violation_of_check = {
  {"missing_fk", "violating_orphans.sql"},
  {"not_valid_constraint", "violating_orphans.sql"},
  {"cross_tenant_fk", "violating_cross_tenant.sql"},
  {"unique_candidate", "violating_duplicates.sql"},
  {"invalid_index", "violating_duplicates.sql"},
  {"not_null_candidate", "violating_nulls.sql"},
};

struct Fixture
{
  std::string name;
  std::string schema_sql; // file under tests/fixtures/
  std::string config;     // file under tests/fixtures/
  std::string violations; // directory under tests/fixtures/ of the violating_*.sql, or empty
  // (check id, object) pairs that must not be reported at all.
  std::vector<std::pair<std::string, std::string>> controls;
  // check id -> why its remediations do not pass yet (the fix is on another branch).
  std::map<std::string, std::string> known_failures;
};

// What the round trip of one check found, summed over its findings.
struct CheckRow
{
  int findings = 0;
  int advice = 0;           // findings whose remediation is advice only (comments: nothing to run)
  int with_error = 0;       // scripts that printed an ERROR on consistent data
  int weakened = 0;         // constraints lost or weakened
  int invalid_left = 0;     // invalid indexes the fix left
  int still_reported = 0;   // findings the re-audit still reports
  int new_findings = 0;     // findings the fix created (other than deprecated_* and usage-based)
  int violating_runs = 0;   // runs on violating data
  int not_stopped = 0;      // ... that ran without an ERROR
  int violating_damage = 0; // ... that weakened a constraint or left an invalid index
  int undo_failed = 0;      // undos that failed, or did not give back the schema the audit saw
  int refix_failed = 0;     // fixes run again after their undo that failed or did something else
  int twice_failed = 0;     // fixes run a second time at once that printed an ERROR or changed a definition
  std::vector<std::string> details;

  bool clean() const
  {
    return with_error + weakened + invalid_left + still_reported + new_findings + not_stopped + violating_damage +
             undo_failed + refix_failed + twice_failed ==
           0;
  }

  void add(const CheckRow& other)
  {
    findings += other.findings;
    advice += other.advice;
    with_error += other.with_error;
    weakened += other.weakened;
    invalid_left += other.invalid_left;
    still_reported += other.still_reported;
    new_findings += other.new_findings;
    violating_runs += other.violating_runs;
    not_stopped += other.not_stopped;
    violating_damage += other.violating_damage;
    undo_failed += other.undo_failed;
    refix_failed += other.refix_failed;
    twice_failed += other.twice_failed;
    details.insert(details.end(), other.details.begin(), other.details.end());
  }
};

// Elements of `after` not in `before`.
std::vector<std::string>
added(const std::vector<std::string>& before, const std::vector<std::string>& after)
{
  std::vector<std::string> out;
  std::copy_if(after.begin(), after.end(), std::back_inserter(out), [&](const std::string& s) {
    return std::find(before.begin(), before.end(), s) == before.end();
  });
  return out;
}

std::string
first_lines(const std::vector<std::string>& lines, std::size_t n = 2)
{
  std::string out;
  for (std::size_t i = 0; i < lines.size() && i < n; ++i) {
    out += (i ? "; " : "") + lines[i];
  }
  return out;
}

struct Baseline
{
  const ScratchDb& db;
  const audit::Config& config;
  std::vector<KeyConstraint> constraints;
  std::vector<std::string> invalid;
  std::vector<std::string> definitions; // schema_definitions: what each undo must give back
  std::set<std::string> fingerprints;
  // "check object_type object" of each check merged into a finding (audit/one_entry_per_object):
  // a fix that leaves one of them standing shows it again as its own, not as a new finding
  std::set<std::string> merged;
};

// Whether `f` is about an object renamed to deprecated_* (the old column an expand-contract swap
// keeps until its grace period ends): the intended next step, which deprecated_object tracks.
bool
on_deprecated_object(const model::Finding& f)
{
  const auto last = f.object.rfind('.');
  return f.object.compare(last == std::string::npos ? 0 : last + 1, 11, "deprecated_") == 0;
}

// Whether `f`'s remediation is advice only: comments that say what the change needs, nothing to
// run, so its finding stays after the script (model/remediation_kind.hpp).
bool
is_advice(const model::Finding& f)
{
  return model::remediation_kind(f.remediation) == model::RemediationKind::advice;
}

// Findings run together on one copy: the column findings of one check (independent changes to
// different columns, as a DBA applies them in a row), else each finding alone. Each script still
// runs on its own and is judged on its own errors and on whether its finding is gone.
using Group = std::vector<const model::Finding*>;

std::vector<Group>
groups_of(const std::vector<model::Finding>& findings)
{
  std::vector<Group> out;
  std::map<std::string, std::size_t> column_group_of_check;
  for (const auto& f : findings) {
    if (f.remediation.empty()) {
      continue;
    }
    if (f.object_type != "column") {
      out.push_back({&f});
      continue;
    }
    const auto [it, first] = column_group_of_check.emplace(f.check_id, out.size());
    if (first) {
      out.emplace_back();
    }
    out[it->second].push_back(&f);
  }
  return out;
}

std::string
objects_of(const Group& group)
{
  std::string out;
  for (const auto* f : group) {
    out += (out.empty() ? "" : ", ") + f->object;
  }
  return out;
}


// The parts of an undo, in order: one entry's undo holds the undo of each step appended to its
// fix from another check ("-- first (check):", audit/one_entry_per_object), then its own ("-- then
// (check):"); else it is one part.
std::vector<std::string>
undo_parts(const std::string& undo)
{
  static const std::regex k_header(R"(^-- (first|then) \([a-z_]+\):$)");
  std::vector<std::string> parts;
  std::istringstream in(undo);
  std::string line;
  while (std::getline(in, line)) {
    if (parts.empty() || std::regex_match(line, k_header)) {
      parts.emplace_back();
    }
    parts.back() += line + "\n";
  }
  return parts;
}

// What an undo of a check leaves on purpose, and why: changes of definitions
// (definition_changes) that are no change once `same` is applied to both sides (a type's
// precision), and lines `extra` covers, which the undo leaves as they are (a key column's values).
struct UndoLeaves
{
  std::string_view check_id; // empty: every check
  std::string_view reason;
  std::string (*same)(const std::string& line) = nullptr;
  bool (*extra)(std::string_view change) = nullptr;
};

const UndoLeaves k_undo_leaves[] = {
  {"", "a validated constraint cannot be made NOT VALID again, and validating changed no row",
   [](const std::string& line) {
     static const std::regex k_not_valid(" NOT VALID \\(not validated\\)$");
     return std::regex_replace(line, k_not_valid, "");
   }},
  {"invalid_index", "an invalid index enforces and serves nothing: the undo goes back to no index, not to a failed build",
   nullptr, [](std::string_view c) { return c.starts_with("- ") && (c.ends_with(" (invalid)") || c.ends_with(" i p")); }},
  {"no_primary_key", "the undo keeps the key column and its values (a dropped column is not given back)", nullptr,
   [](std::string_view c) { return c.starts_with("+ column "); }},
  {"type_varchar_n", "the limit comes back as a validated check; the type itself only as a comment (a scan under an exclusive lock), "
                     "so the views the fix made again over the column read it without the cast to text",
   [](const std::string& line) {
     static const std::regex k_varchar(" character varying\\(\\d+\\)");
     // "(cr.countryregioncode)::text = ..." over the varchar column, "cr.countryregioncode = ..." over text
     static const std::regex k_text_cast("\\(((?:[A-Za-z_][A-Za-z0-9_$]*\\.)?[A-Za-z_][A-Za-z0-9_$]*)\\)::text");
     return std::regex_replace(std::regex_replace(line, k_varchar, " text"), k_text_cast, "$1");
   },
   [](std::string_view c) { return c.starts_with("+ constraint ") && c.find("CHECK ((length(") != std::string_view::npos; }},
  {"type_timestamp_no_tz", "the undo goes back to timestamp without a precision below 6 (catalog-only; with it, a rewrite): the "
                           "precision is a comment (timestamp(6), the type's own, comes back as it was)",
   [](const std::string& line) {
     static const std::regex k_precision("timestamp\\([0-5]\\) without time zone");
     return std::regex_replace(line, k_precision, "timestamp without time zone");
   }},
};

// What differs between `before` and `after` (schema_definitions) that the undo of an entry of
// `checks` (the finding's check and those merged into it) does not leave on purpose.
std::vector<std::string>
unintended(const std::set<std::string>& checks, std::vector<std::string> before, std::vector<std::string> after)
{
  for (const auto& leaves : k_undo_leaves) {
    if (!leaves.check_id.empty() && !checks.count(std::string(leaves.check_id))) {
      continue;
    }
    if (leaves.same) {
      std::transform(before.begin(), before.end(), before.begin(), leaves.same);
      std::transform(after.begin(), after.end(), after.begin(), leaves.same);
    }
  }
  auto changes = definition_changes(before, after);
  for (const auto& leaves : k_undo_leaves) {
    if (leaves.extra && checks.count(std::string(leaves.check_id))) {
      std::erase_if(changes, [&](const std::string& c) { return leaves.extra(c); });
    }
  }
  return changes;
}

// The undos of `group`'s fixes (last first) on `copy`, where the fixes ran, then the fixes again,
// added to `row`. Each part of an undo (undo_parts) runs without an ERROR, or refuses (its own
// guard raises, as an expand-contract move's undo does once the swap ran) and then changes
// nothing. Undone without a refusal, every definition is as before the fix (schema_definitions;
// less what k_undo_leaves lists), and the fix runs again without an ERROR to the schema of its
// first run. After a refusal, the fix run again is stopped by its own guard too (nothing to do; the
// steps after it that no guard can hold, such as CREATE INDEX CONCURRENTLY, fail on what it did
// not add) and leaves that schema as it is.
void
undo_trip(const Baseline& base, const Group& group, ScratchDb& copy, CheckRow& row)
{
  const auto fixed = schema_definitions(copy);
  const auto note = [&](int& counter, const std::string& what, const std::vector<std::string>& lines) {
    ++counter;
    row.details.push_back(fmt::format("{}: {}: {}", objects_of(group), what, first_lines(lines, 3)));
  };
  bool refused = false;
  for (auto f = group.rbegin(); f != group.rend(); ++f) {
    if (is_advice(**f)) {
      continue; // nothing ran, nothing to undo
    }
    for (const auto& part : undo_parts((*f)->undo)) {
      const auto before = schema_definitions(copy);
      const auto undo = run_psql_script(copy, part);
      if (undo.only_refusals()) {
        refused = true;
        if (const auto after = schema_definitions(copy); after != before) {
          note(row.undo_failed, "the refused undo changed", definition_changes(before, after));
          return;
        }
      } else if (!undo.errors().empty()) {
        note(row.undo_failed, "undo error", undo.errors());
        return;
      }
    }
  }
  if (!refused) {
    std::set<std::string> checks;
    for (const auto* f : group) {
      checks.insert(f->check_id.str());
      for (const auto& merged : audit::merged_checks(*f)) {
        checks.insert(merged);
      }
    }
    const auto left = unintended(checks, base.definitions, schema_definitions(copy));
    if (!left.empty()) {
      note(row.undo_failed, "the undo did not give back", left);
      return;
    }
  }
  for (const auto* f : group) {
    if (is_advice(*f)) {
      continue;
    }
    const auto again = run_psql_script(copy, f->remediation);
    if (!again.errors().empty() && !(refused && again.refused())) {
      note(row.refix_failed, "the fix after its undo: error", again.errors());
      return;
    }
  }
  if (const auto refixed = schema_definitions(copy); refixed != fixed) {
    note(row.refix_failed, "the fix after its undo made another schema", definition_changes(fixed, refixed));
  }
}

// The round trip of `group` on consistent data, added to `row`.
void
round_trip(const Baseline& base, const Group& group, CheckRow& row)
{
  ScratchDb copy(base.db.name());
  bool ran_clean = true;
  for (const auto* finding : group) {
    const auto errors = run_psql_script(copy, finding->remediation).errors();
    ran_clean = ran_clean && errors.empty();
    ++row.findings;
    if (is_advice(*finding)) {
      ++row.advice;
    }
    if (!errors.empty()) {
      ++row.with_error;
      row.details.push_back(fmt::format("{}: error: {}", finding->object, first_lines(errors)));
    }
  }
  const auto weakened = weakened_constraints(base.constraints, key_constraints(copy));
  const auto invalid = added(base.invalid, invalid_indexes(copy));
  // The next audit runs after autovacuum has analyzed what the fix wrote (within a minute of a
  // backfill); analyzing here makes the re-audit see that state every time, not only when
  // autovacuum happened to run before it.
  run_psql_script(copy, "analyze;");
  const auto re_audit = copy.audit({}, base.config);
  std::vector<std::string> created;
  for (const auto& f : re_audit.findings) {
    const auto fixed = std::find_if(group.begin(), group.end(), [&](const model::Finding* g) {
      return g->fingerprint == f.fingerprint;
    });
    if (fixed != group.end() && !is_advice(**fixed)) {
      ++row.still_reported;
      row.details.push_back(fmt::format("{}: still reported: {}", f.object, f.message));
    } else if (!base.fingerprints.count(f.fingerprint) &&
               !base.merged.count(fmt::format("{} {} {}", f.check_id.str(), f.object_type.str(), f.object)) &&
               !k_usage_based.count(f.check_id) &&
               !f.check_id.starts_with("deprecated_") && !on_deprecated_object(f)) {
      created.push_back(f.check_id.str() + " " + f.object);
    }
  }
  row.weakened += static_cast<int>(weakened.size());
  row.invalid_left += static_cast<int>(invalid.size());
  row.new_findings += static_cast<int>(created.size());
  const auto note = [&](const char* what, const std::vector<std::string>& lines) {
    if (!lines.empty()) {
      row.details.push_back(fmt::format("{}: {}: {}", objects_of(group), what, first_lines(lines)));
    }
  };
  note("weakened", weakened);
  note("invalid index left", invalid);
  note("new finding", created);
  // a fix that failed is counted above already
  if (ran_clean) {
    // Run again as a whole (a script that stopped halfway is run again from the top, or pasted
    // twice), it changes nothing, and prints no ERROR unless its own guard stops it first (an
    // expand-contract move that has run: "nothing to do; audit again"): a step done already says
    // so (Hoppscotch: a second run of no_primary_key's fix failed with "index ... does not exist")
    // (the group's fixes again in their order, compared as a whole: one may build again what a
    // later one drops, as the first time)
    const auto fixed = schema_definitions(copy);
    for (const auto* finding : group) {
      const auto again = run_psql_script(copy, finding->remediation);
      if (!again.errors().empty() && !again.refused()) {
        ++row.twice_failed;
        row.details.push_back(fmt::format("{}: run again: error: {}", finding->object, first_lines(again.errors())));
      }
    }
    const auto changes = definition_changes(fixed, schema_definitions(copy));
    if (!changes.empty()) {
      ++row.twice_failed;
      note("run again, changed", changes);
    }
    undo_trip(base, group, copy, row);
  }
}

// The run of `group`'s remediations after `violation` wrote rows they must refuse, added to `row`.
void
violating_trip(const Baseline& base, const Group& group, const std::string& violation, CheckRow& row)
{
  ScratchDb copy(base.db.name());
  const auto planted = run_psql_script(copy, read_file(violation)).errors();
  if (!planted.empty()) {
    row.details.push_back(fmt::format("{}: violating data not written: {}", violation, planted[0]));
    row.not_stopped += static_cast<int>(group.size());
    return;
  }
  for (const auto* finding : group) {
    // advice has nothing to run, so nothing to stop
    if (is_advice(*finding)) {
      continue;
    }
    ++row.violating_runs;
    if (run_psql_script(copy, finding->remediation).errors().empty()) {
      ++row.not_stopped;
      row.details.push_back(fmt::format("{}: ran to the end on violating data", finding->object));
    }
  }
  const auto weakened = weakened_constraints(base.constraints, key_constraints(copy));
  const auto invalid = added(base.invalid, invalid_indexes(copy));
  row.violating_damage += static_cast<int>(weakened.size() + invalid.size());
  if (!weakened.empty() || !invalid.empty()) {
    row.details.push_back(fmt::format("{}: on violating data: {}", objects_of(group),
                                      first_lines(weakened.empty() ? invalid : weakened)));
  }
}

std::map<std::string, CheckRow>
run_harness(const Fixture& fixture)
{
  ScratchDb db;
  const auto planted = run_psql_script(db, read_file(k_fixtures + fixture.schema_sql));
  INFO(planted.output);
  REQUIRE(planted.exit_code == 0);
  const auto config = audit::load_config(k_fixtures + fixture.config);
  const auto original = db.audit({}, config);

  for (const auto& [check_id, object] : fixture.controls) {
    INFO("control flagged: " << check_id << " " << object);
    CHECK_FALSE(has_finding(original, check_id, object));
  }

  Baseline base{db, config, key_constraints(db), invalid_indexes(db), schema_definitions(db), {}, {}};
  for (const auto& f : original.findings) {
    base.fingerprints.insert(f.fingerprint);
    for (const auto& check_id : audit::merged_checks(f)) {
      base.merged.insert(fmt::format("{} {} {}", check_id, f.object_type.str(), f.object));
    }
  }
  const auto original_findings = original.findings.whole(); // the groups point into it
  const auto groups = groups_of(original_findings);
  REQUIRE(!groups.empty());

  // One result per group, filled on two threads (Catch2 assertions stay on this one).
  std::vector<CheckRow> rows(groups.size());
  util::in_two_halves(groups.size(), 2, [&](std::size_t from, std::size_t to) {
    for (auto i = from; i < to; ++i) {
      round_trip(base, groups[i], rows[i]);
      const auto violation = k_violation_of_check.find(groups[i].front()->check_id);
      if (!fixture.violations.empty() && violation != k_violation_of_check.end()) {
        violating_trip(base, groups[i], k_fixtures + fixture.violations + violation->second, rows[i]);
      }
    }
  });

  std::map<std::string, CheckRow> by_check;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    by_check[groups[i].front()->check_id].add(rows[i]);
  }
  return by_check;
}

void
print_table(const Fixture& fixture, const std::map<std::string, CheckRow>& by_check)
{
  fmt::print("\nremediation round trip on {} ({}):\n", fixture.name, fixture.schema_sql);
  fmt::print("{:<26} {:>8} {:>6} {:>7} {:>9} {:>8} {:>9} {:>6} {:>5} | {:>9} {:>11} {:>7} | {:>5} {:>5}  {}\n", "check",
             "findings", "advice", "error", "weakened", "invalid", "reported", "new", "twice", "violating", "not stopped",
             "damage", "undo", "refix", "status");
  CheckRow total;
  for (const auto& [check_id, r] : by_check) {
    const auto known = fixture.known_failures.count(check_id) > 0;
    fmt::print("{:<26} {:>8} {:>6} {:>7} {:>9} {:>8} {:>9} {:>6} {:>5} | {:>9} {:>11} {:>7} | {:>5} {:>5}  {}\n", check_id,
               r.findings, r.advice, r.with_error, r.weakened, r.invalid_left, r.still_reported, r.new_findings,
               r.twice_failed, r.violating_runs, r.not_stopped, r.violating_damage, r.undo_failed, r.refix_failed,
               r.clean() ? "ok" : known ? "known failure" : "FAIL");
    total.add(r);
  }
  fmt::print("{:<26} {:>8} {:>6} {:>7} {:>9} {:>8} {:>9} {:>6} {:>5} | {:>9} {:>11} {:>7} | {:>5} {:>5}\n", "total",
             total.findings, total.advice, total.with_error, total.weakened, total.invalid_left, total.still_reported,
             total.new_findings, total.twice_failed, total.violating_runs, total.not_stopped, total.violating_damage, total.undo_failed,
             total.refix_failed);
  for (const auto& [check_id, r] : by_check) {
    for (const auto& d : r.details) {
      fmt::print("  {}: {}\n", check_id, d);
    }
  }
  fmt::print("what an undo leaves on purpose (not counted):\n");
  for (const auto& leaves : k_undo_leaves) {
    fmt::print("  {}: {}\n", leaves.check_id.empty() ? "every check" : leaves.check_id, leaves.reason);
  }
}

// Every check not listed as a known failure must be clean; every listed one must still fail.
void
check_rows(const Fixture& fixture, const std::map<std::string, CheckRow>& by_check)
{
  print_table(fixture, by_check);
  for (const auto& [check_id, r] : by_check) {
    const auto known = fixture.known_failures.find(check_id);
    if (known == fixture.known_failures.end()) {
      std::string details;
      for (const auto& d : r.details) {
        details += "\n  " + d;
      }
      INFO(check_id << " on " << fixture.name << ":" << details);
      CHECK(r.clean());
    } else {
      INFO(check_id << " is listed as a known failure on " << fixture.name << " (" << known->second
                    << ") but passes now: remove it from the list");
      CHECK_FALSE(r.clean());
    }
  }
  for (const auto& [check_id, reason] : fixture.known_failures) {
    INFO(check_id << " is listed as a known failure on " << fixture.name << " but has no finding with a fix there");
    CHECK(by_check.count(check_id) == 1);
  }
}

} // namespace

// None of the known failures is an error, a weakened constraint, an invalid index or a script that
// ran on violating data: those are 0 on both fixtures.

TEST_CASE("remediation round trip: every fix of the planted lint database", "[roundtrip][roundtrip_harness]")
{
  const Fixture fixture{
    "the planted lint database",
    "remediation_plant.sql",
    "remediation_plant.toml",
    "",
    // a fresh index of 8 pages, which the bloat estimate reads as 1 free page in 8: below index_bloat's
    // min_pages, not judged even at the fixture's min_bloat_bytes = 0
    {{"index_bloat", "\"Billing \"\"EU\"\"\".invoices_pkey"}},
    {
      {"table_bloat", "VACUUM frees the pages but does not shrink the file: the estimate stays until pg_repack or "
                      "VACUUM FULL, which the script leaves to a maintenance window"},
    },
  };
  const auto by_check = run_harness(fixture);
  // the planted bloated index (churn_pkey: 84 pages, 80 % of its keys deleted) is big enough to be
  // judged, and its rebuild (about 18 pages) is not judged again
  const auto bloat = by_check.find("index_bloat");
  CHECK((bloat != by_check.end() && bloat->second.findings == 1));
  check_rows(fixture, by_check);
}

TEST_CASE("remediation round trip: every fix of the real-world Rails fixture", "[roundtrip][roundtrip_harness]")
{
  const Fixture fixture{
    "the real-world Rails SaaS fixture",
    "rails_saas/schema.sql",
    "rails_saas/audit.toml",
    "rails_saas/",
    {{"cross_tenant_fk", "public.tasks.fk_rails_tasks_project"},
     {"fk_without_index", "public.tasks.fk_rails_tasks_project"},
     {"missing_fk", "public.tasks.project_id"},
     {"unique_candidate", "public.users.email"},
     {"unique_candidate", "public.organizations.slug"},
     {"not_null_candidate", "public.users.encrypted_password"},
     {"type_timestamp_no_tz", "public.projects.created_at"},
     {"missing_fk", "public.addresses.country_code"}},
    {},
  };
  check_rows(fixture, run_harness(fixture));
}
