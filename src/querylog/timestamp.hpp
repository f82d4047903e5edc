#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace querylog {

// The length of the timestamp at the start of `text` as %t or %m write it
// ("2026-12-02 20:15:01 UTC", "2026-12-02 20:15:01.123 UTC", the zone one word or none), or 0.
std::size_t timestamp_length(std::string_view text);

// Seconds since the epoch of "YYYY-MM-DD HH:MM:SS[.fff]" at the start of `text`, read as UTC, or
// of a %n epoch ("1764706501.123"); nullopt when `text` starts with neither.
std::optional<double> timestamp_epoch(std::string_view text);

} // namespace querylog
