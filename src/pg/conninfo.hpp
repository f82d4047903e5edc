#pragma once

#include <string>

namespace pg {

// Checks that `conninfo` parses as a libpq keyword/value string or URL (an empty string means
// "use the PG* environment variables"). Throws util::Fatal(usage) with a message that quotes
// none of the input, since the input may hold a password.
void validate_conninfo(const std::string& conninfo);

// `conninfo` with any password removed, for logs (keyword/value form).
std::string redact_conninfo(const std::string& conninfo);

} // namespace pg
