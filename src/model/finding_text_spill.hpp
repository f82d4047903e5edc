#pragma once

#include "model/finding.hpp"

#include <cstdint>
#include <mutex>

namespace model {

// The words of an audit's findings (their FieldHome::text fields: message, remediation and undo,
// about half of a finding's memory) kept in an unlinked temporary file while the audit runs, so
// that memory holds each finding's short fields only (#19). A finding whose words are in the file
// says where (Finding::texts_at); with_texts() reads them back, one finding at a time, for the
// outputs and the history. The file is made in TMPDIR (else /tmp) and removed at once, so that
// nothing is left behind however the process ends. When no temporary file can be made or written
// (no usable TMPDIR, a full disk), the words stay in memory and the audit goes on as before.
class FindingTextSpill
{
public:
  FindingTextSpill() = default;
  ~FindingTextSpill();
  FindingTextSpill(const FindingTextSpill&) = delete;
  FindingTextSpill& operator=(const FindingTextSpill&) = delete;

  // Moves `finding`'s words into the file (their memory freed) and sets its texts_at; leaves
  // them where they are when the file cannot take them. Safe to call from several threads.
  void spill(Finding& finding);

  // `finding` with its words, read back from the file when they are there.
  Finding with_texts(const Finding& finding) const;

  // Reads `finding`'s words back into it when they are in the file (texts_at is reset).
  void restore(Finding& finding) const;

  // The bytes written to the file so far.
  std::int64_t bytes() const;

private:
  int m_fd = -1; // the temporary file, already removed from its folder
  bool m_unusable = false;     // the file could not be made or written: words stay in memory
  std::int64_t m_end = 0;
  mutable std::mutex m_mutex;
};

} // namespace model
