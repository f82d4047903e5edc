#pragma once

#include "model/target.hpp"
#include "util/time.hpp"

#include <cstdint>
#include <optional>

namespace audit {

// When a server's statistics counters began: their last reset (pg_stat_database.stats_reset),
// else the server's start. The audited server's window and each replica's start come from here.
inline std::optional<std::int64_t>
counters_since(const model::Capabilities& caps)
{
  const auto reset = caps.stats_reset ? util::parse_iso(*caps.stats_reset) : std::nullopt;
  return reset ? reset : caps.postmaster_start ? util::parse_iso(*caps.postmaster_start) : std::nullopt;
}

} // namespace audit
