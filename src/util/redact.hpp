#pragma once

#include <string>
#include <string_view>

namespace util {

// `text` with every connection password it quotes replaced by "***": the password of a URL
// ("postgresql://user:SECRET@host") and the value of a `password=` keyword (quoted or not).
// Applied to every message schema-audit prints, since a message may quote a command line (a
// CLI parse error) or a connection string that holds one.
std::string redact_passwords(std::string_view text);

} // namespace util
