#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace model {

// Ordered: a finding "at or above" --fail-on compares by this order.
enum class Severity { info = 0, low = 1, medium = 2, high = 3, critical = 4 };

std::string_view to_string(Severity severity);
std::optional<Severity> parse_severity(std::string_view text);

// Effort and risk of the fix, from the check metadata: low (CONCURRENTLY / NOT VALID, no
// rewrite), medium (backfill in batches), high (table rewrite or maintenance window).
enum class Effort { low = 0, medium = 1, high = 2 };

std::string_view to_string(Effort effort);
std::optional<Effort> parse_effort(std::string_view text);

// Sort key of the "fix first" list: higher impact first, then cheaper fixes first.
int priority_score(Severity severity, Effort effort);

} // namespace model
