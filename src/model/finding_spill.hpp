#pragma once

#include "model/finding.hpp"
#include "model/finding_fields.hpp"
#include "util/spill_file.hpp"

#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace model {

// Whether an audit keeps `field` of its findings out of memory: the words (the FieldHome::text
// fields: message, remediation, undo) and the evidence, about three quarters of a finding's
// memory. The others (check, object, severity, group, fingerprint, ...) are what ordering,
// grouping and suppressing the findings read.
bool is_spilled(const FindingField& field);

// The place of `field` among the spilled fields (k_finding_fields' order), as stored_values()
// returns them; nullopt when it is not spilled. `field` is a row of k_finding_fields.
std::optional<std::size_t> spilled_position(const FindingField& field);

// The spilled fields of an audit's findings, kept out of memory while the audit runs so that
// memory holds each finding's FindingHead only (#19). A finding whose fields are spilled says
// where (FindingHead::spilled_at); whole() reads them back, one finding at a time, for the outputs
// and the history. They go to a temporary file (util::SpillFile) made in TMPDIR (else /tmp) and
// removed from it at once, so that nothing is left behind however the process ends. When no file
// can be made or written (no usable TMPDIR, a full disk), they are kept in memory in the same form
// and the audit goes on as before.
class FindingSpill
{
public:

  // Moves each finding's spilled fields out (their memory freed) and sets its spilled_at, a
  // megabyte to a write. Safe to call from several threads.
  void spill(std::span<Finding> findings);
  void spill(Finding& finding) { spill(std::span<Finding>(&finding, 1)); }

  // `finding` with all its fields, read back when they are spilled.
  Finding whole(const FindingHead& finding) const;
  Finding whole(const Finding& finding) const;

  // Reads `finding`'s fields back into it when they are spilled (spilled_at is reset).
  void restore(Finding& finding) const;

  // The stored values (stored_value()) of `finding`'s spilled fields as the spill holds them, in
  // the order of spilled_position(); empty when they are not spilled. For a reader that stores
  // them as they are (the history), without parsing the evidence back.
  std::vector<std::string> stored_values(const FindingHead& finding) const;
  // Of those, the evidence as stored (JSON text); nullopt when it is not spilled.
  std::optional<std::string> stored_evidence(const FindingHead& finding) const;

  // The bytes written to the file so far.
  std::int64_t bytes() const { return m_file.bytes(); }

private:
  // Where a batch made with SpillFile::add_record() went: its start in the file, or, when the
  // file cannot take it, -2 - its start in m_memory.
  std::int64_t keep(const std::string& buffer);

  util::SpillFile m_file{"findings", "the findings' words and evidence"};
  std::string m_memory; // the records the file could not take
  mutable std::mutex m_memory_mutex;
};

} // namespace model
