#pragma once

#include "model/snapshot.hpp"

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace report {

struct TextOptions
{
  // Every finding of an entry in full, rather than its lead in full and the others by name
  // (implies `verbose`).
  bool expand = false;
  // Each entry with its message, fix and undo under its line, rather than its line alone.
  bool verbose = false;
  // Severities in colour (ANSI escapes): the caller decides (a terminal, NO_COLOR, --color).
  bool color = false;
  // The columns an entry's line may take (its list of objects is cut to fit, never its
  // severity or check id); 0: no limit.
  std::size_t width = 0;
};

// The readable terminal summary of one audit, fix-first: a header line, one line per entry (a
// group of findings, see finding_entries.hpp), the checks without a result, then the totals.
void write_audit_text(const model::AuditResult& result, std::ostream& out, const TextOptions& options = {});

// `audit --format json`: target, server, time, a top-level "findings" array, the "groups" (the
// entries the findings are shown in), skipped checks, per-check timings.
nlohmann::json audit_json(const model::AuditResult& result, const std::string& name);

// Writes audit_json(result, name).dump(2) without building the document: the findings are
// dumped one at a time (a large audit's document would take more memory than the audit).
void write_audit_json(const model::AuditResult& result, const std::string& name, std::ostream& out);

// For documents that embed several audits (a fleet): audit_json with "findings" holding a
// placeholder for the findings of `results[index]` of write_json_with_findings, which writes
// `doc` as dump(2) would with each placeholder replaced by that result's findings.
nlohmann::json audit_json_deferred(const model::AuditResult& result, const std::string& name, std::size_t index);
void write_json_with_findings(const nlohmann::json& doc,
                              const std::vector<const model::AuditResult*>& results,
                              std::ostream& out);

// The result as a snapshot, for rendering one audit through the report templates.
model::Snapshot to_snapshot(const model::AuditResult& result, const std::string& name);

} // namespace report
