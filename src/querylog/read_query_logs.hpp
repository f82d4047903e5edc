#pragma once

#include "querylog/query_log.hpp"

#include <optional>
#include <string>
#include <vector>

namespace querylog {

// How to read the query logs of an audit.
struct ReadOptions
{
  // Paths or globs; `.gz` files are decompressed as they are read.
  std::vector<std::string> patterns;
  // The server's log_line_prefix, for stderr logs; detected when not given.
  std::optional<std::string> log_line_prefix;
  std::size_t max_distinct = 100000;
};

// Reads every file of `options`, streaming, each in its own format (stderr, csvlog, jsonlog:
// detected from its first line), and aggregates their statements. Throws util::Error with a
// one-line message when a pattern names no readable file; a line that cannot be parsed is
// counted, never an error, and a file that stops being readable (a cut .gz) counts the rest
// of it as unparsed.
QueryLog read_query_logs(const ReadOptions& options);

} // namespace querylog
