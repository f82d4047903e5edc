#pragma once

#include "model/audit_catalog.hpp"
#include "model/catalog.hpp"
#include "model/fingerprint_ages.hpp"
#include "model/finding.hpp"
#include "model/finding_list.hpp"
#include "model/finding_spill.hpp"
#include "model/metrics.hpp"
#include "model/target.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace model {

// A stored audit, as the history keeps it and reports read it.
struct SnapshotInfo
{
  std::int64_t id = 0;
  std::string target_name;
  std::string host;
  std::string port;
  std::string dbname;
  std::int64_t taken_at = 0;
  std::string server_version;
  std::optional<std::string> stats_reset;
  std::size_t finding_count = 0;
  std::size_t skipped_count = 0;
};

struct Snapshot
{
  SnapshotInfo info;
  std::vector<Finding> findings;
  std::vector<SkippedCheck> skipped;
  std::vector<Metric> metrics;
  // When set, the findings' words and evidence are there, not in the findings (each one's
  // spilled_at): a report reads a large database's latest snapshot so (#19: 290,000 findings
  // were 1 GB whole). spill->whole() reads a finding back.
  std::shared_ptr<const FindingSpill> spill;
};

// The number under `key` in the evidence of `finding`, one of `snapshot`'s: read back alone
// from the spill, and parsed only when its text names the key (a report looks for one key in
// every finding of the latest snapshot).
std::optional<double> evidence_number(const Snapshot& snapshot, const Finding& finding, std::string_view key);

// Findings of one snapshot counted by category, severity and object type, with the sums of the
// evidence numbers trend charts draw (nullopt when no finding of the group has the key). The
// history stores them with every snapshot, so reports over many snapshots read a few rows per
// snapshot instead of every finding.
struct FindingTotal
{
  std::string category;
  Severity severity = Severity::medium;
  std::string object_type;
  std::int64_t findings = 0;
  std::optional<double> size_bytes;  // sum of evidence "size_bytes"
  std::optional<double> bloat_bytes; // sum of evidence "bloat_bytes"
};

// The totals of `findings`, ordered by category, severity, object type.
std::vector<FindingTotal> finding_totals(const std::vector<Finding>& findings);
// The totals of findings whose words and evidence are in `spill`.
std::vector<FindingTotal> finding_totals(const std::vector<const FindingHead*>& findings, const FindingSpill& spill);

// What history-aware checks need from the target's previous snapshot.
struct PreviousSnapshot
{
  std::int64_t taken_at = 0;
  std::optional<std::string> stats_reset;
  // Its metrics (100,000+ on a large database, loaded while the checks run).
  MetricValues metrics;
  // When each finding was first seen, over the whole history.
  FingerprintAges first_seen;
};

struct SuppressedFinding
{
  Finding finding;
  std::string reason;
};

// A read replica given to the audit (--replica) whose usage counters were read: counted, or
// not and why (one line, never a password).
struct ReplicaStatus
{
  std::string name;
  std::string not_counted; // empty when counted
};

// One audit of one database, as the runner returns it and the history stores it.
struct AuditResult
{
  Target target;
  Capabilities capabilities;
  std::int64_t taken_at = 0;
  // Fix-first order; their words and evidence, and the suppressed findings', are in
  // findings.spill() while the audit keeps them out of memory.
  FindingList findings;
  std::vector<SuppressedFinding> suppressed;
  std::vector<SkippedCheck> skipped;
  MetricList metrics;
  // The replicas given, when a check read their counters; the history keeps the number not
  // counted as metric "database replicas_missed".
  std::vector<ReplicaStatus> replicas;
  std::vector<CheckTiming> timings;
  // The inputs the checks shared (queries/inputs/), each read once: its id in check_id.
  std::vector<CheckTiming> input_timings;
  double wall_ms = 0;
  double query_ms = 0; // sum of the statement times of the checks and of their inputs
  // The schema's objects (queries/inputs/catalog.sql), read beside the checks in the audit's
  // snapshot, out of memory; null when the read failed or was not asked for (the history then
  // records no change for this snapshot).
  std::shared_ptr<const AuditCatalog> catalog;

  // `finding` (one of findings' heads or suppressed) with all its fields, read back when they
  // are out of memory: what the outputs and the history read.
  Finding whole(const FindingHead& finding) const { return findings.spill().whole(finding); }
  Finding whole(const Finding& finding) const { return findings.spill().whole(finding); }

  // Reads the suppressed findings' fields back into memory, for a caller that keeps a small audit
  // whole (the checks' tests); the findings are read whole as they are read (FindingList).
  void restore_suppressed();
};

} // namespace model
