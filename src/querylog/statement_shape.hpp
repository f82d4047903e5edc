#pragma once

#include <string>
#include <string_view>

namespace querylog {

// A statement's text lexed without a parser: comments dropped, runs of white space made one
// space, and with `mask_constants` every string, number, dollar-quoted body and $n made "?" (a
// list of them one "?"). Masked, it is the key under which repeated executions that differ only
// in their constants meet before anything is parsed; unmasked, it is what libpg_query normalizes
// (pg_query_normalize keeps comments, which may hold anything).
std::string statement_shape(std::string_view sql, bool mask_constants);

} // namespace querylog
