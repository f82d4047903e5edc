#pragma once

#include <filesystem>
#include <string>

namespace test {

// A schema or table name that tries to break out of HTML, Markdown tables and quoting.
inline const char* const k_hostile_schema = "<img src=x onerror=alert(1)>";
inline const char* const k_hostile_table = "t|x\"y'z`*_[a](b)\nnext";

// Writes a history file at `path` through store::open_history_file(): database "prod" with
// `snapshots` quarterly audits (unused indexes and bloat growing, a sequence filling up, a
// deprecated table, findings that appear, get fixed and get worse, metrics for sizes, sequence
// usage and index scans, hostile identifiers) and database "staging" with one audit. With
// `findings_per_snapshot`, each prod snapshot also gets that many filler findings.
void write_report_history(const std::filesystem::path& path, int snapshots = 6, int findings_per_snapshot = 0);

// Writes a fleet history at `path`, shaped like an audit of a multi-tenant SaaS over
// `snapshots` quarters: database "saas" with `tenants` tenant schemas built from one migration
// (per schema 6 foreign keys without an index, a duplicate index and 22 timestamp columns
// without a time zone, so 29,000 findings a snapshot at 1,000 tenants), a shared sequence
// filling up, tenants added and fixed from quarter to quarter; and two small databases,
// "billing" and "reporting". Group ids are assigned as an audit does (audit::assign_groups with
// the built-in checks), so the report shows one entry per decision.
void write_fleet_history(const std::filesystem::path& path, int snapshots = 3, int tenants = 1000);

// A fresh empty directory under the build tree, for a test's files (kept after the test so
// screenshots and reports can be looked at).
std::filesystem::path report_work_dir(const std::string& name);

} // namespace test
