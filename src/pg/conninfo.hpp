#pragma once

#include "model/target.hpp"

#include <string>

namespace pg {

// Checks that `conninfo` parses as a libpq keyword/value string or URL (an empty string means
// "use the PG* environment variables"). Throws util::Fatal(usage) with a message that quotes
// none of the input, since the input may hold a password.
void validate_conninfo(const std::string& conninfo);

// `conninfo` with any password removed, for logs (keyword/value form).
std::string redact_conninfo(const std::string& conninfo);

// Where `conninfo` would connect (host, port, dbname, user; libpq's defaults and PG* variables
// for what it leaves out), without connecting: how messages name a server that could not be
// reached. Never holds the password. Empty fields when `conninfo` does not parse.
model::Target conninfo_target(const std::string& conninfo);

} // namespace pg
