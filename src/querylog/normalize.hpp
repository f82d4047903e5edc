#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace querylog {

// A statement with its constants out, as libpg_query sees it.
struct NormalizedStatement
{
  // pg_query_normalize's text: every constant a $n. This, never the logged text, is what the
  // audit keeps: the constants of a logged statement may hold personal data.
  std::string query;
  // pg_query_fingerprint's hex string: the same for statements that differ only in constants
  // (and in the length of IN lists).
  std::string fingerprint;
};

// Normalizes `sql` (comments already dropped: querylog::statement_shape with constants kept).
// Nullopt when libpg_query cannot parse it.
std::optional<NormalizedStatement> normalize_statement(std::string_view sql);

} // namespace querylog
