#pragma once

#include "model/snapshot.hpp"
#include "report/fields.hpp"
#include "report/finding_view.hpp"
#include "util/time.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace report {

// One side of a diff: a snapshot.
struct DiffSide
{
  std::int64_t id = 0;
  std::string name;
  std::string dbname;
  std::int64_t taken_at = 0;
  std::string server_version;
  std::size_t findings = 0;

  template<typename Fields>
  void fields(Fields& f) const;
};

// A finding as a diff lists it.
struct DiffFinding
{
  std::string fingerprint;
  std::string check_id;
  std::string category;
  model::Severity severity = model::Severity::medium;
  std::string object;
  std::string object_type;
  std::string message;

  template<typename Fields>
  void fields(Fields& f) const
  {
    f("fingerprint", fingerprint);
    f("check_id", check_id);
    f("category", category);
    f("severity", model::to_string(severity));
    f("object", object);
    f("object_type", object_type);
    f("message", message);
  }
};

// One field of a finding that differs: severity, message, remediation or evidence.<key>.
struct FieldChange
{
  std::string field;
  std::string from;
  std::string to;

  template<typename Fields>
  void fields(Fields& f) const
  {
    f("field", field);
    f("from", from);
    f("to", to);
  }
};

// A finding on both sides that differs.
struct ChangedFinding
{
  DiffFinding finding;
  std::vector<FieldChange> changes;

  template<typename Fields>
  void fields(Fields& f) const
  {
    finding.fields(f);
    f("changes", changes);
  }
};

// A finding on one side only whose check did not run on the other.
struct NotCheckedDiff
{
  DiffFinding finding;
  model::SkippedCheck why;

  template<typename Fields>
  void fields(Fields& f) const
  {
    finding.fields(f);
    f("reason", why.reason);
    f("cause", model::to_string(why.cause));
  }
};

struct DiffCounts
{
  std::size_t appeared = 0;
  std::size_t disappeared = 0;
  std::size_t changed = 0;
  std::size_t unchanged = 0;
  std::size_t not_checked = 0;
  std::size_t not_checked_before = 0;

  template<typename Fields>
  void fields(Fields& f) const
  {
    f("appeared", appeared);
    f("disappeared", disappeared);
    f("changed", changed);
    f("unchanged", unchanged);
    f("not_checked", not_checked);
    f("not_checked_before", not_checked_before);
  }
};

// The checks without a result on each side.
struct NotRun
{
  std::vector<SkippedView> from;
  std::vector<SkippedView> to;

  template<typename Fields>
  void fields(Fields& f) const
  {
    f("from", from);
    f("to", to);
  }
};

// What appeared, disappeared and changed from one snapshot to another.
struct Diff
{
  std::int64_t generated_at = 0;
  DiffSide from;
  DiffSide to;
  std::vector<DiffFinding> appeared;
  std::vector<DiffFinding> disappeared;
  std::vector<ChangedFinding> changed;
  std::size_t unchanged = 0;
  std::vector<NotCheckedDiff> not_checked;        // only in `from`; its check did not run in `to`
  std::vector<NotCheckedDiff> not_checked_before; // only in `to`; its check did not run in `from`
  NotRun not_run;

  DiffCounts counts() const;
  bool identical() const;

  template<typename Fields>
  void fields(Fields& f) const;
};

// What appeared, disappeared and changed from snapshot `from` to snapshot `to`.
Diff build_diff(const model::Snapshot& from, const model::Snapshot& to, std::int64_t generated_at);

template<typename Fields>
void
DiffSide::fields(Fields& f) const
{
  f("id", id);
  f("name", name);
  f("dbname", dbname);
  f("taken_at", util::format_iso(taken_at));
  f("date", date_of(taken_at));
  f("server_version", server_version);
  f("findings", findings);
}

template<typename Fields>
void
Diff::fields(Fields& f) const
{
  f("schema_version", k_schema_version);
  f("tool_version", SCHEMA_AUDIT_VERSION);
  f("generated_at", util::format_iso(generated_at));
  f("from", from);
  f("to", to);
  f("counts", counts());
  f("identical", identical());
  f("has_appeared", !appeared.empty());
  f("has_disappeared", !disappeared.empty());
  f("has_changed", !changed.empty());
  f("has_not_checked", !not_checked.empty());
  f("has_not_checked_before", !not_checked_before.empty());
  f("appeared", appeared);
  f("disappeared", disappeared);
  f("changed", changed);
  f("not_checked", not_checked);
  f("not_checked_before", not_checked_before);
  f("not_run", not_run);
}

} // namespace report
