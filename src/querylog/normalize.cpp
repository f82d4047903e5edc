#include "querylog/normalize.hpp"

#include <pg_query.h>

namespace querylog {

std::optional<NormalizedStatement>
normalize_statement(std::string_view sql)
{
  const std::string text(sql);
  const auto normalized = pg_query_normalize(text.c_str());
  if (normalized.error || !normalized.normalized_query) {
    pg_query_free_normalize_result(normalized);
    return std::nullopt;
  }
  NormalizedStatement out;
  out.query = normalized.normalized_query;
  pg_query_free_normalize_result(normalized);
  const auto fingerprint = pg_query_fingerprint(out.query.c_str());
  if (fingerprint.error || !fingerprint.fingerprint_str) {
    pg_query_free_fingerprint_result(fingerprint);
    return std::nullopt;
  }
  out.fingerprint = fingerprint.fingerprint_str;
  pg_query_free_fingerprint_result(fingerprint);
  return out;
}

} // namespace querylog
