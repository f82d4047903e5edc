#pragma once

#include "model/finding.hpp"
#include "support/test_db.hpp"

#include <memory>
#include <string>
#include <vector>

namespace test {

// What plain `psql -X -f FILE` printed for a script run the way a DBA pastes a remediation: no
// ON_ERROR_STOP, so psql carries on after an error, exactly as the script's guards must expect.
struct PsqlRun
{
  int exit_code = 0;
  std::string output; // stdout and stderr, interleaved as psql wrote them

  // The lines psql reported as ERROR, in order.
  std::vector<std::string> errors() const;
  // Whether the script's own guard stopped it: its first ERROR was raised by the script (RAISE
  // EXCEPTION, which psql follows with a CONTEXT line ending "at RAISE"). Later statements may
  // have failed on what that step did not do.
  bool refused() const;
  // Whether there was an ERROR and every one was raised by the script itself.
  bool only_refusals() const;
};

PsqlRun run_psql_script(const ScratchDb& db, const std::string& sql);
// The same on the database `conninfo` names.
PsqlRun run_psql_script(const std::string& conninfo, const std::string& sql);

// A primary key, unique constraint, foreign key or unique index, as the round trip compares them:
// the table by OID (a copy keeps OIDs, and a rename keeps them), columns by name.
struct KeyConstraint
{
  char kind = 'f'; // 'p', 'u', 'f', or 'i' for a unique index that backs no constraint
  std::string table_oid;   // the table's oid; a materialized view's name (a fix may make it again)
  std::string description; // schema.table.name and the definition, for messages
  std::vector<std::string> columns;
  std::string referenced_oid;            // foreign keys
  std::vector<std::string> ref_columns;  // foreign keys, paired with columns
  std::string actions;                   // foreign keys: confupdtype confdeltype confmatchtype
  bool deferrable = false;
  bool deferred = false;
  bool validated = true;
  std::string predicate; // unique indexes: the partial-index predicate, empty if none
};

std::vector<KeyConstraint> key_constraints(const ScratchDb& db);

// Each constraint of `before` that `after` no longer enforces as strongly: a primary key or
// unique constraint needs the same columns; a foreign key the same parent, the same column pairs
// or more (a tenant key added), the same actions (an ON UPDATE that refuses where the original acted is kept), deferrability and match type, and validation
// if the original was validated. One line each, naming the constraint.
std::vector<std::string> weakened_constraints(const std::vector<KeyConstraint>& before,
                                              const std::vector<KeyConstraint>& after);

// schema.index of every index left invalid (indisvalid false).
std::vector<std::string> invalid_indexes(const ScratchDb& db);

// The definitions of the user's schemas, one sorted line each: relations (kind, persistence),
// columns (type, NOT NULL, default, identity, generated), constraints (and whether validated),
// indexes (and whether valid), comments of relations and columns, triggers (and whether enabled), views' queries, functions (their
// source) and sequences (type, owner). Two equal lists: a script changed no definition (rows and
// column order aside).
std::vector<std::string> schema_definitions(const ScratchDb& db);

// What differs between two schema_definitions lists: "- line" for what `before` has alone, "+
// line" for what `after` has alone.
std::vector<std::string> definition_changes(const std::vector<std::string>& before, const std::vector<std::string>& after);

// What running a script again on the database it ran on did: what psql printed, and the
// definitions (schema_definitions) that changed, "- before" and "+ after" (none: it changed nothing).
struct RunAgain
{
  PsqlRun run;
  std::vector<std::string> changed;
};
RunAgain run_again(const ScratchDb& db, const std::string& script);

// What running a remediation on a fresh copy of its database did: what psql printed, the key
// constraints it weakened, the indexes it left invalid; the copy is kept for a re-audit.
struct FixOnCopy
{
  std::unique_ptr<ScratchDb> copy;
  PsqlRun run;
  std::vector<std::string> weakened; // weakened_constraints(before the script, after it)
  std::vector<std::string> invalid;  // invalid_indexes after the script

  // Whether a re-audit of the copy by the finding's own check still reports its object.
  bool still_reported(const model::Finding& finding) const;
  // What a fix run on consistent data must not do: psql's ERROR lines, then the constraints it
  // weakened, then the indexes it left invalid. Empty when it did none of these.
  std::vector<std::string> problems() const;
};

// Copies `db`, runs `setup` on the copy (e.g. rows that break what the fix adds, inserted after
// the audit), then `script` as pasted into psql (run_psql_script), and compares the key
// constraints before and after the script.
FixOnCopy run_fix_on_copy(const ScratchDb& db, const std::string& script, const std::string& setup = "");
// The same with `finding`'s remediation exactly as printed.
FixOnCopy run_fix_on_copy(const ScratchDb& db, const model::Finding& finding, const std::string& setup = "");

} // namespace test
