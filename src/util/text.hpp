#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace util {

std::string_view trim(std::string_view s);
std::vector<std::string> split(std::string_view s, char sep);
bool starts_with_ci(std::string_view s, std::string_view prefix);
std::string to_lower(std::string_view s);
std::string to_upper(std::string_view s);

// Shell-style glob with `*` and `?`, used for include/exclude and suppression patterns.
bool glob_match(std::string_view pattern, std::string_view text);

// Stable 64-bit FNV-1a hash as 16 hex digits; used for finding fingerprints, so it must never
// change between versions.
std::string stable_hash(std::string_view data);

// "1.2 MB" style sizes for human output.
std::string human_bytes(double bytes);

// `text` as SQL line comments: "-- " before every line, so that no newline or carriage return
// inside it (from an identifier) can end the comment and turn the rest into SQL.
std::string sql_comment(std::string_view text);

// `text` as a PostgreSQL string literal (standard_conforming_strings).
std::string sql_literal(std::string_view text);

// `s` safe for a terminal: control characters (newlines too) shown as \xNN, so a name cannot
// move the cursor, recolour the screen or fake a line of output in any text view.
std::string printable(std::string_view s);

// Columns `s` takes on a terminal: its UTF-8 code points (each counted as one column).
std::size_t display_width(std::string_view s);

// `s` cut to at most `width` columns at a code point boundary, ending in "..." when cut.
std::string fit_width(std::string_view s, std::size_t width);

// A character and what replace_chars writes in its place.
struct CharReplacement
{
  char c;
  std::string_view with;
};

// `text` with every character that `table` lists written as its replacement.
std::string replace_chars(std::string_view text, std::span<const CharReplacement> table);

// 1-based line number of byte offset `pos` in `text`.
std::size_t line_of(std::string_view text, std::size_t pos);

// `values` as a PostgreSQL array literal of text: {"a","b\\"c"}, for a $n::text[] param.
std::string pg_array_literal(const std::vector<std::string>& values);
// The same with NULL elements (nullopt), e.g. for a $n::float8[] param.
std::string pg_nullable_array_literal(const std::vector<std::optional<std::string>>& values);

} // namespace util
