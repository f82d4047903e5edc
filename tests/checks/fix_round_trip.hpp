#pragma once

#include "support/remediation_run.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <string>
#include <vector>

namespace test {

// Runs `script` (one finding's remediation, or several one after the other) on a copy of `db`
// as pasted into psql, and checks the round trip: no error, no key constraint weakened, no
// invalid index left; then run again as a whole (pasted twice), it changes no definition and
// prints no ERROR unless its own guard stops it first, as the whole-database round trips ask
// (unused_table's rename failed there on the realistic sample, which they never audit with a
// history). Returns the run, whose copy the caller re-audits.
inline FixOnCopy
check_fix_runs(const ScratchDb& db, const std::string& script)
{
  auto fix = run_fix_on_copy(db, script);
  INFO(script << "\n" << fix.run.output);
  const auto problems = fix.problems();
  CHECK(problems.empty());
  if (problems.empty()) {
    const auto again = run_again(*fix.copy, script);
    INFO("run again:\n" << again.run.output);
    CHECK((again.run.errors().empty() || again.run.refused()));
    CHECK(again.changed.empty());
  }
  return fix;
}

// Runs `undo` on `copy`, where the fix ran, as pasted into psql: no ERROR, and every definition is
// back as `original` has it (schema_definitions; a failure names the lines that differ). Returns
// the run, for what else the caller asks of its output.
inline PsqlRun
check_undo_gives_back(const ScratchDb& original, const ScratchDb& copy, const std::string& undo)
{
  auto undone = run_psql_script(copy, undo);
  INFO(undo << "\n" << undone.output);
  CHECK(undone.errors().empty());
  const auto left = definition_changes(schema_definitions(original), schema_definitions(copy));
  INFO("what the undo did not give back:\n" << fmt::format("{}", fmt::join(left, "\n")));
  CHECK(left.empty());
  return undone;
}

// check_fix_runs over every finding of `findings`, each on its own copy, then over all of them
// one after the other on one copy; every re-audit with `checks` must no longer report the
// findings it fixed. Returns the run of all of them.
inline FixOnCopy
check_every_fix_runs(const ScratchDb& db, const std::vector<model::Finding>& findings, const std::vector<std::string>& checks)
{
  std::string all;
  for (const auto& f : findings) {
    INFO(f.object);
    const auto fix = check_fix_runs(db, f.remediation);
    CHECK_FALSE(has_finding(fix.copy->audit(checks), f.check_id, f.object));
    all += f.remediation + "\n";
  }
  auto fix = check_fix_runs(db, all);
  const auto again = fix.copy->audit(checks);
  for (const auto& f : findings) {
    CHECK_FALSE(has_finding(again, f.check_id, f.object));
  }
  return fix;
}

// Runs `f`'s remediation on a copy of `db` after `setup` (rows that break what the fix adds,
// inserted after the audit): the script must stop with an error, the first one containing every
// piece of `message`, and leave every key constraint as it was and no invalid index.
inline FixOnCopy
check_fix_stops(const ScratchDb& db, const model::Finding& f, const std::string& setup, const std::vector<std::string>& message)
{
  auto fix = run_fix_on_copy(db, f.remediation, setup);
  INFO(f.object << "\n" << f.remediation << "\n" << fix.run.output);
  const auto errors = fix.run.errors();
  REQUIRE_FALSE(errors.empty());
  for (const auto& piece : message) {
    CHECK(errors[0].find(piece) != std::string::npos);
  }
  CHECK(fix.weakened.empty());
  CHECK(fix.invalid.empty());
  return fix;
}

} // namespace test
