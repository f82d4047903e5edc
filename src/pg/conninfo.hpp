#pragma once

#include "model/target.hpp"

#include <optional>
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

// psql's connection options (-d, -h, -p, -U) as one connection string: `db` is a keyword/value
// string, a postgresql:// URL, or, as psql's -d takes it, a bare database name; host, port and
// user are added as keywords (they override the same keywords in `db`). Throws
// util::Fatal(usage) when they come with a URL, which cannot take keywords beside it.
struct ConnOptions
{
  std::string db;
  std::optional<std::string> host;
  std::optional<std::string> port;
  std::optional<std::string> user;
};
std::string compose_conninfo(const ConnOptions& options);

} // namespace pg
