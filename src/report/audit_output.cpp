#include "report/audit_output.hpp"

#include "model/evidence.hpp"
#include "model/remediation_kind.hpp"
#include "report/fields.hpp"
#include "report/finding_entries.hpp"
#include "report/finding_view.hpp"
#include "report/json_writer.hpp"

#include "util/enum_names.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <optional>
#include <sstream>

namespace report {

namespace {

// `label` then each line of `sql` indented, its control characters escaped (util::printable()).
void
print_sql_block(std::ostream& out, std::string_view label, std::string_view sql)
{
  fmt::print(out, "  {}:\n", label);
  std::size_t start = 0;
  while (start < sql.size()) {
    const auto eol = sql.find('\n', start);
    fmt::print(out, "    {}\n", util::printable(sql.substr(start, eol == std::string::npos ? eol : eol - start)));
    start = eol == std::string::npos ? sql.size() : eol + 1;
  }
}

// How many other objects an entry's heading names before "and N more".
constexpr std::size_t k_objects_named = 8;

// One finding in full: message, confidence, fix and undo.
void
print_finding_body(std::ostream& out, const model::Finding& f)
{
  fmt::print(out, "  {}\n", util::printable(f.message));
  if (!f.confidence.empty()) {
    fmt::print(out, "  confidence: {}\n", f.confidence);
  }
  if (const auto rests_on = rests_on_text(f.evidence); !rests_on.empty()) {
    fmt::print(out, "  rests on: {}\n", util::printable(rests_on));
  }
  if (!f.remediation.empty()) {
    const bool advice = model::remediation_kind(f.remediation) == model::RemediationKind::advice;
    print_sql_block(out, advice ? "advice (nothing to run)" : "fix", f.remediation);
  }
  if (!f.undo.empty()) {
    print_sql_block(out, "undo", f.undo);
  }
}

// `severity` as the entry's label, padded to 8 columns, in its colour when `color` (bold red,
// red, yellow, cyan, dim), as terminal tools mark errors and warnings.
std::string
severity_label(model::Severity severity, bool color)
{
  const auto label = fmt::format("{:<8}", util::to_upper(model::to_string(severity)));
  if (!color) {
    return label;
  }
  static constexpr util::EnumNames<model::Severity, 5> escapes(
    {"\033[2m", "\033[36m", "\033[33m", "\033[31m", "\033[1;31m"});
  return fmt::format("{}{}\033[0m", escapes.name(severity), label);
}

// What the lead says of the entry's other findings: alike (the same object in other schemas,
// the same kind of fix), each with a fix of its own (other objects of a check-wide entry: a
// unique_candidate that also drops an index, a not_null_candidate that also changes a type), or
// how many of them differ in what their fix does (advice to read where the lead has a script to
// run, or the other way round).
std::string
others_alike(const model::AuditResult& result, const EntryMembers& entry, model::RemediationKind lead_kind)
{
  const auto& findings = result.findings.heads();
  std::size_t differ = 0;
  for (std::size_t k = 1; k < entry.positions.size(); ++k) {
    differ += model::remediation_kind(result.whole(findings[entry.positions[k]]).remediation) != lead_kind;
  }
  if (differ == 0) {
    if (one_object_across_schemas(findings, entry)) {
      return " the others are alike (--expand shows each)";
    }
    return lead_kind == model::RemediationKind::advice
             ? " the others: other objects, each with advice of its own (--expand shows each)"
             : " the others: other objects, each with its own fix (--expand shows each)";
  }
  return fmt::format(" {} of the others {} (--expand shows each)", differ,
                     lead_kind == model::RemediationKind::script ? "print advice only, nothing to run"
                                                                 : "print a script to run");
}

// " (4 medium, 41 low)" when the findings of `entry` differ in severity (the line shows the
// gravest: Hatchet's "MEDIUM duplicate_index 45 indexes" held 41 low ones), else "".
std::string
severity_mix(const std::vector<model::FindingHead>& findings, const EntryMembers& entry)
{
  const auto counts = severity_counts(findings, entry.positions);
  const auto kinds = std::count_if(counts.begin(), counts.end(), [](const SeverityCount& c) { return c.count > 0; });
  return kinds < 2 ? std::string() : fmt::format(" ({})", severity_counts_text(counts));
}

// An entry in full (-v): its lead finding in full, then the other objects by name (`expand`:
// each in full).
void
print_entry_in_full(std::ostream& out, const model::AuditResult& result, const EntryMembers& entry,
                    const TextOptions& options)
{
  const auto expand = options.expand;
  const auto& findings = result.findings.heads();
  const auto& lead = findings[entry.positions.front()];
  fmt::print(out, "{}  {}  {}\n", severity_label(lead.severity, options.color), lead.check_id,
             util::printable(entry_summary(findings, entry)) + severity_mix(findings, entry));
  if (entry.positions.size() == 1) {
    print_finding_body(out, result.whole(lead));
    fmt::print(out, "\n");
    return;
  }
  for (std::size_t k = 0; k < entry.positions.size(); ++k) {
    const auto& f = findings[entry.positions[k]];
    if (k == 0 || expand) {
      const auto whole = result.whole(f);
      fmt::print(out, "  [{}]{}{}\n", util::printable(f.object),
                 f.severity == lead.severity ? "" : fmt::format(" ({})", model::to_string(f.severity)),
                 // "first of N": the bracketed object is the one shown, not "the others" (Kong's
                 // "[public.acls."group"] the others: ..." read as if it were)
                 k == 0 && !expand ? fmt::format(" first of {};{}", entry.positions.size(),
                                                 others_alike(result, entry, model::remediation_kind(whole.remediation)))
                                   : "");
      print_finding_body(out, whole);
    }
  }
  if (!expand) {
    std::string others;
    for (std::size_t k = 1; k < entry.positions.size() && k <= k_objects_named; ++k) {
      others += fmt::format("{}{}", k == 1 ? "" : ", ", util::printable(findings[entry.positions[k]].object));
    }
    const auto rest = entry.positions.size() - 1 - std::min(entry.positions.size() - 1, k_objects_named);
    fmt::print(out, "  also: {}{}\n", others, rest ? fmt::format(", and {} more", rest) : "");
  }
  fmt::print(out, "\n");
}

// The measure a one-line entry shows after its object, when its evidence has one: how close to
// a limit, how much bloat, how large an index or table is ("92.1% used", "1.2 GB bloat").
std::string
measured_hint(const model::Finding& f)
{
  const auto number = [&f](std::string_view key) { return model::evidence_number(f.evidence, key); };
  if (const auto usage = number("usage_pct")) {
    return fmt::format("{} used", evidence_value("usage_pct", *usage));
  }
  if (const auto bloat = number("bloat_bytes"); bloat && *bloat > 0) {
    return fmt::format("{} bloat", evidence_value("bloat_bytes", *bloat));
  }
  const auto size = number("size_bytes");
  if (size && *size > 0 && (f.object_type == "index" || f.object_type == "table")) {
    return evidence_value("size_bytes", *size);
  }
  return "";
}

// What an entry's line says after its check id, in at most `room` columns (0: any): the object
// and its measure, or for several findings their summary and as many of the objects as fit,
// then "and N more".
std::string
entry_line_text(const model::AuditResult& result, const EntryMembers& entry, std::size_t room)
{
  const auto& findings = result.findings.heads();
  const auto& lead = findings[entry.positions.front()];
  const auto fits = [room](std::string_view text) { return room == 0 || util::display_width(text) <= room; };
  if (entry.positions.size() == 1) {
    const auto object = util::printable(lead.object);
    const auto hint = measured_hint(result.whole(lead));
    const auto with_hint = hint.empty() ? object : fmt::format("{} ({})", object, hint);
    return fits(with_hint) ? with_hint : util::fit_width(object, room);
  }
  auto text = util::printable(entry_summary(findings, entry)) + severity_mix(findings, entry);
  if (!fits(text)) {
    return util::fit_width(text, room);
  }
  const auto count = entry.positions.size();
  for (std::size_t k = 0; k < count; ++k) {
    const auto rest = count - k - 1;
    const auto longer = fmt::format("{}{}{}", text, k == 0 ? ": " : ", ",
                                    util::printable(findings[entry.positions[k]].object));
    const auto tail = rest ? fmt::format(" and {} more", rest) : "";
    const auto named_enough = room == 0 && k == k_objects_named;
    if (named_enough || !fits(longer + tail)) {
      return fmt::format("{}{}", text, k == 0 ? "" : fmt::format(" and {} more", count - k));
    }
    text = longer;
  }
  return text;
}

// An entry on one line: severity, check id, then what entry_line_text says, within `width`.
void
print_entry_line(std::ostream& out, const model::AuditResult& result, const EntryMembers& entry,
                 const TextOptions& options)
{
  const auto& lead = result.findings.heads()[entry.positions.front()];
  const auto prefix_width = 8 + 2 + util::display_width(lead.check_id) + 2;
  const auto room = options.width == 0 ? 0 : options.width > prefix_width ? options.width - prefix_width : 1;
  fmt::print(out, "{}  {}  {}\n", severity_label(lead.severity, options.color), lead.check_id,
             entry_line_text(result, entry, room));
}

// The replicas whose usage counters were summed, and those that could not be, before the
// entries whose confidence they decide.
void
print_replicas(std::ostream& out, const std::vector<model::ReplicaStatus>& replicas)
{
  std::vector<std::string> counted;
  for (const auto& r : replicas) {
    if (r.not_counted.empty()) {
      counted.push_back(util::printable(r.name));
    }
  }
  if (!counted.empty()) {
    fmt::print(out, "Usage counted on this server and {} replica(s): {}\n", counted.size(), fmt::join(counted, "; "));
  }
  for (const auto& r : replicas) {
    if (!r.not_counted.empty()) {
      fmt::print(out, "Replica {} not counted: {}; usage verdicts are low confidence until it is\n",
                 util::printable(r.name), util::printable(r.not_counted));
    }
  }
  if (!replicas.empty()) {
    fmt::print(out, "\n");
  }
}

} // namespace

void
write_audit_text(const model::AuditResult& result, std::ostream& out, const TextOptions& options)
{
  fmt::print(out, "{}, PostgreSQL {}, audited {}\n\n", util::printable(result.target.display()),
             result.capabilities.server_version, util::format_iso(result.taken_at));
  print_replicas(out, result.replicas);
  const auto entries = entries_of(result.findings.heads());
  const bool in_full = options.verbose || options.expand;
  for (const auto& entry : entries) {
    if (in_full) {
      print_entry_in_full(out, result, entry, options);
    } else {
      print_entry_line(out, result, entry, options);
    }
  }
  if (!entries.empty() && !in_full) {
    fmt::print(out, "\n");
  }
  // Checks that failed to run first: their findings are missing from this audit.
  bool listed_skipped = false;
  for (const bool failed : {true, false}) {
    bool header = false;
    for (const auto& s : result.skipped) {
      if (s.failed() == failed) {
        if (!header) {
          fmt::print(out, "{}:\n", failed ? "Checks that did not run (not checked this time)" : "Skipped checks");
          header = true;
        }
        fmt::print(out, "  {}: {}\n", s.check_id, util::printable(s.reason));
        listed_skipped = true;
      }
    }
  }
  if (listed_skipped) {
    fmt::print(out, "\n");
  }
  if (!result.suppressed.empty()) {
    fmt::print(out, "{} finding(s) suppressed by the config.\n", result.suppressed.size());
  }
  // The totals where the list ends, so that they do not scroll away.
  const auto by_severity = severity_counts_text(severity_counts(result.findings.heads()));
  fmt::print(out, "In all: {} finding(s) in {} entr{}{}{}; {} check(s) ran in {:.0f} ms, {} skipped{}\n",
             result.findings.size(), entries.size(), entries.size() == 1 ? "y" : "ies",
             by_severity.empty() ? "" : ": ", by_severity, result.timings.size(), result.wall_ms,
             result.skipped.size(), entries.empty() || in_full ? "" : " (-v shows each fix)");
}

namespace {

// Stands in for a findings array in a document written by write_json_with_findings.
constexpr std::string_view k_findings_placeholder = "schema-audit:findings:";

nlohmann::json
audit_fields(const model::AuditResult& result, const std::string& name, nlohmann::json findings)
{
  using nlohmann::json;
  json skipped = json::array();
  for (const auto& s : result.skipped) {
    skipped.push_back(to_json(SkippedView{s}));
  }
  json suppressed = json::array();
  for (const auto& s : result.suppressed) {
    suppressed.push_back(json{{"check_id", s.finding.check_id},
                              {"object", s.finding.object},
                              {"fingerprint", s.finding.fingerprint},
                              {"reason", s.reason}});
  }
  json timings = json::array();
  for (const auto& t : result.timings) {
    timings.push_back(json{{"check_id", t.check_id}, {"ms", t.milliseconds}, {"rows", t.rows}});
  }
  // The entries, fix-first: each finding's "group" is the id of one of them.
  json groups = json::array();
  for (const auto& entry : entries_of(result.findings.heads())) {
    const auto& lead = result.findings.heads()[entry.positions.front()];
    groups.push_back(json{{"id", lead.group_id},
                          {"check_id", lead.check_id},
                          {"severity", model::to_string(lead.severity)},
                          {"count", entry.positions.size()},
                          {"summary", entry_summary(result.findings.heads(), entry)},
                          {"lead", lead.object}});
  }
  json replicas = json::array();
  for (const auto& r : result.replicas) {
    replicas.push_back(json{{"name", r.name},
                            {"counted", r.not_counted.empty()},
                            {"reason", r.not_counted.empty() ? json(nullptr) : json(r.not_counted)}});
  }
  json input_timings = json::array();
  for (const auto& t : result.input_timings) {
    input_timings.push_back(json{{"input", t.check_id}, {"ms", t.milliseconds}, {"rows", t.rows}});
  }
  return json{{"schema_version", 1},
              {"target",
               json{{"name", name},
                    {"host", result.target.host},
                    {"port", result.target.port},
                    {"dbname", result.target.dbname},
                    {"user", result.target.user}}},
              {"server_version", result.capabilities.server_version},
              {"taken_at", util::format_iso(result.taken_at)},
              {"stats_reset", result.capabilities.stats_reset ? json(*result.capabilities.stats_reset) : json(nullptr)},
              {"findings", std::move(findings)},
              {"groups", std::move(groups)},
              {"skipped", std::move(skipped)},
              {"replicas", std::move(replicas)},
              {"suppressed", std::move(suppressed)},
              {"timings", std::move(timings)},
              {"input_timings", std::move(input_timings)},
              {"wall_ms", result.wall_ms},
              {"query_ms", result.query_ms}};
}

// `result`'s findings as a JSON array the way dump(2) writes it at `indent` spaces of depth, one
// finding at a time, in blocks of about 64 KB (the serializer writes a character at a time, which
// an unbuffered stream such as std::cout pays for call by call).
void
write_findings_array(const model::AuditResult& result, std::size_t indent, std::ostream& out)
{
  const auto& findings = result.findings.heads();
  if (findings.empty()) {
    out << "[]";
    return;
  }
  const std::string inner(indent + 2, ' ');
  std::ostringstream block;
  block << '[';
  for (std::size_t i = 0; i < findings.size(); ++i) {
    block << (i > 0 ? ",\n" : "\n") << inner;
    write_json(finding_fields_json(result.whole(findings[i])), block, static_cast<unsigned>(inner.size()));
    if (block.tellp() >= 65536) {
      out << std::move(block).str();
      block.str({});
    }
  }
  block << '\n' << std::string(indent, ' ') << ']';
  out << std::move(block).str();
}

} // namespace

nlohmann::json
audit_json(const model::AuditResult& result, const std::string& name)
{
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& f : result.findings.heads()) {
    findings.push_back(finding_fields_json(result.whole(f)));
  }
  return audit_fields(result, name, std::move(findings));
}

nlohmann::json
audit_json_deferred(const model::AuditResult& result, const std::string& name, std::size_t index)
{
  return audit_fields(result, name, fmt::format("{}{}", k_findings_placeholder, index));
}

void
write_json_with_findings(const nlohmann::json& doc,
                         const std::vector<const model::AuditResult*>& results,
                         std::ostream& out)
{
  std::ostringstream dumped;
  write_json(doc, dumped);
  const auto text = std::move(dumped).str();
  // A quote inside a JSON string is escaped, so this key-and-value text only matches a real
  // "findings" key whose value is a placeholder.
  const auto key = fmt::format("\"findings\": \"{}", k_findings_placeholder);
  std::size_t pos = 0;
  for (auto at = text.find(key); at != std::string::npos; at = text.find(key, pos)) {
    const auto value = at + key.size() - k_findings_placeholder.size() - 1; // its opening quote
    const auto digits = value + 1 + k_findings_placeholder.size();
    const auto close = text.find('"', digits);
    const auto index = std::stoul(text.substr(digits, close - digits));
    const auto line_start = text.rfind('\n', at);
    const auto indent = at - (line_start == std::string::npos ? 0 : line_start + 1);
    out.write(text.data() + pos, static_cast<std::streamsize>(value - pos));
    write_findings_array(*results.at(index), indent, out);
    pos = close + 1;
  }
  out.write(text.data() + pos, static_cast<std::streamsize>(text.size() - pos));
}

void
write_audit_json(const model::AuditResult& result, const std::string& name, std::ostream& out)
{
  write_json_with_findings(audit_json_deferred(result, name, 0), {&result}, out);
}

model::Snapshot
to_snapshot(const model::AuditResult& result, const std::string& name)
{
  model::Snapshot snap;
  snap.info.target_name = name;
  snap.info.host = result.target.host;
  snap.info.port = result.target.port;
  snap.info.dbname = result.target.dbname;
  snap.info.taken_at = result.taken_at;
  snap.info.server_version = result.capabilities.server_version;
  snap.info.stats_reset = result.capabilities.stats_reset;
  snap.findings.reserve(result.findings.size());
  for (const auto& f : result.findings.heads()) {
    snap.findings.push_back(result.whole(f));
  }
  snap.skipped = result.skipped;
  snap.metrics.assign(result.metrics.begin(), result.metrics.end());
  snap.info.finding_count = snap.findings.size();
  snap.info.skipped_count = snap.skipped.size();
  return snap;
}

} // namespace report
