#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace util {

// Seconds since the Unix epoch, UTC.
std::int64_t now_epoch();

// "2026-11-25T11:42:57Z".
std::string format_iso(std::int64_t epoch);

// Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" or "YYYY-MM-DD HH:MM[:SS]", with an optional
// trailing "Z" or "+00:00"/"+HH:MM"/"-HH:MM" offset. Without an offset the time is UTC.
std::optional<std::int64_t> parse_iso(std::string_view text);

} // namespace util
