#pragma once

#include "model/finding.hpp"
#include "model/finding_fields.hpp"
#include "util/spill_file.hpp"

#include <cstdint>
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

// The spilled fields of an audit's findings, kept in a temporary file while the audit runs so
// that memory holds each finding's short fields only (#19). A finding whose fields are in the
// file says where (Finding::spilled_at); whole() reads them back, one finding at a time, for the
// outputs and the history. The file (util::SpillFile) is made in TMPDIR (else /tmp) and removed
// from it at once, so that nothing is left behind however the process ends. When no file can be
// made or written (no usable TMPDIR, a full disk), the fields stay in memory and the audit goes on
// as before.
class FindingSpill
{
public:

  // Moves each finding's spilled fields into the file (their memory freed) and sets its
  // spilled_at, a megabyte to a write; leaves them where they are when the file cannot take them.
  // Safe to call from several threads.
  void spill(std::span<Finding> findings);
  void spill(Finding& finding) { spill(std::span<Finding>(&finding, 1)); }

  // `finding` with all its fields, read back from the file when they are there.
  Finding whole(const Finding& finding) const;

  // Reads `finding`'s fields back into it when they are in the file (spilled_at is reset).
  void restore(Finding& finding) const;

  // The stored values (stored_value()) of `finding`'s spilled fields as the file holds them, in
  // the order of spilled_position(); empty when they are in memory. For a reader that stores
  // them as they are (the history), without parsing the evidence back.
  std::vector<std::string> stored_values(const Finding& finding) const;

  // The bytes written to the file so far.
  std::int64_t bytes() const { return m_file.bytes(); }

private:
  util::SpillFile m_file{"findings", "the findings' words and evidence"};
};

} // namespace model
