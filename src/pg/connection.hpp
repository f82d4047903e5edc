#pragma once

#include "pg/session.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pg {

// A plain read-write connection in autocommit mode, for the PostgreSQL history backend (never
// for an audited target: those get a read-only Session). Statements run one at a time; "begin"
// and "commit" group them. Not thread-safe. Built on libpq itself, so that every error carries
// the server's own message and SQLSTATE, a connection the server closed stays closed (never
// silently reopened mid-transaction) and its last message is the server's reason.
class Connection
{
public:
  // Connects; throws util::Fatal(connection) "cannot connect: <reason>" (no password).
  explicit Connection(const std::string& conninfo);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Whether the connection is still usable (false once the server closed it).
  bool is_open() const;

  // Runs `sql` with `params` bound as $1..$n (nullopt: NULL). Throws util::Error("<server
  // message> (SQLSTATE x)") when the statement fails, util::Fatal(connection) "lost the
  // connection to ...: <the server's reason>" when the connection is lost.
  QueryResult exec(const std::string& sql, const std::vector<std::optional<std::string>>& params = {});

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
  model::Target m_target;
};

} // namespace pg
