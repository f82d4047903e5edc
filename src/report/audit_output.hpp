#pragma once

#include "audit/runner.hpp"
#include "audit/snapshot.hpp"

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>

namespace report {

// `s` safe for a terminal: control characters (newlines too) shown as \xNN, so an object
// name cannot move the cursor, recolour the screen or fake a line of output.
std::string printable(std::string_view s);

// The readable terminal summary of one audit.
void write_audit_text(const audit::AuditResult& result, std::ostream& out);

// `audit --format json`: target, server, time, a top-level "findings" array, skipped checks,
// per-check timings.
nlohmann::json audit_json(const audit::AuditResult& result, const std::string& name);

// The result as a snapshot, for rendering one audit through the report templates.
audit::Snapshot to_snapshot(const audit::AuditResult& result, const std::string& name);

} // namespace report
