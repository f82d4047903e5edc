#pragma once

#include <string_view>

namespace model {

// What a finding's remediation is, read from its text (no stored field: the history keeps the
// text, and the kind follows from it):
//   script  at least one statement to run;
//   advice  only `--` comment lines (and blank ones): it says what the change needs and that no
//           safe script exists for it (a partition key's type, a CHECK that cannot be re-bound to
//           the new type, what else still uses a column), and there is nothing to run. A check
//           prints advice rather than a part of a change that leaves the finding in place;
//   none    no remediation.
// `audit --format json` gives it as `remediation_kind`, the views label advice "nothing to run",
// and the remediation round trip (tests/integration/remediation_roundtrip.cpp) runs every
// remediation but expects only a script's finding to be gone.
enum class RemediationKind { none, script, advice };

RemediationKind remediation_kind(std::string_view remediation);

std::string_view to_string(RemediationKind kind);

} // namespace model
