#pragma once

#include "model/target.hpp"
#include "pg/conninfo.hpp"
#include "util/error.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace pg {

// Session limits; every audit statement runs under them.
struct SessionSettings
{
  int statement_timeout_ms = 30000;
  int lock_timeout_ms = 1000;
  std::string application_name = "schema-audit";
  // Where the connection string came from, for the hint of a failed connection.
  std::string conninfo_option = "--db";
};

using Row = std::vector<std::optional<std::string>>;

struct QueryResult
{
  std::vector<std::string> columns;
  std::vector<Row> rows;
  std::chrono::microseconds elapsed{0};

  // Index of `name` in columns, or nullopt.
  std::optional<std::size_t> column(std::string_view name) const;
};

// Why a statement failed on the server.
enum class FailureCause {
  lock_timeout,      // lock_timeout (SQLSTATE 55P03)
  statement_timeout, // statement_timeout, or the client's deadline cancelled it
  cancelled,         // cancelled by another session (pg_cancel_backend; 57014 without a timeout)
  no_privilege,      // SQLSTATE 42501
  error,             // anything else
};

// A statement failed; the transaction goes on. what() is one line: the reason and a hint.
class QueryFailed : public util::CodedError<FailureCause, util::Error>
{
public:
  using CodedError::CodedError;

  FailureCause cause() const { return code(); }
};

// One connection holding one READ ONLY, REPEATABLE READ transaction for its whole life (unless
// begin_again() ends it), so every query of an audit sees the same snapshot. Each query runs
// inside a savepoint: one failing query (timeout, missing privilege) is rolled back alone and the
// transaction goes on.
// Not thread-safe; use one Session per thread.
class Session
{
public:
  // Connects (throws util::Fatal(connection) with a one-line reason) and begins the
  // transaction. With `snapshot`, imports that exported snapshot instead of taking a new one.
  Session(const std::string& conninfo,
          const SessionSettings& settings,
          const std::optional<std::string>& snapshot = std::nullopt);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const model::Target& target() const { return m_target; }

  model::Capabilities probe();

  // Exports this transaction's snapshot for other sessions to import.
  std::string export_snapshot();

  // Ends the transaction, releasing every lock it took, and begins another read-only one with
  // a snapshot of its own. For a reader of values no snapshot governs (sequences), whose locks
  // (one per relation it opens) must not pile up until the audit ends.
  void begin_again();

  // Runs `sql` with `params` bound as $1..$n under the statement timeout of the settings.
  // Throws QueryFailed when the statement fails, util::Fatal(connection) when the connection is
  // lost or the server stops answering (no reply within the statement timeout plus 10 s: the
  // client's own deadline, see Deadline).
  QueryResult run(const std::string& label,
                  const std::string& sql,
                  const std::vector<std::string>& params = {});

  // Runs `sql` with `params` through a cursor of this transaction, `page_rows` rows at a time:
  // `on_page` takes each page, so that a large result is never held whole (the catalog's 87,000
  // rows on the 1,000-schema benchmark, a check's findings). The statement timeout of the
  // settings bounds the read as a whole (the server's time, summed over the fetches), as it
  // bounds one statement of run(). Each statement throws as run() does; the cursor is closed
  // whatever happens. Returns the time its statements took: the declare, every fetch (the
  // empty last one too: a read that returns no row costs what its plan does) and the close.
  std::chrono::microseconds run_in_pages(const std::string& label,
                                         const std::string& sql,
                                         const std::vector<std::string>& params,
                                         std::size_t page_rows,
                                         const std::function<void(QueryResult&& page)>& on_page);

private:
  QueryResult run_with_timeout(const std::string& label,
                               const std::string& sql,
                               const std::vector<std::string>& params,
                               int timeout_ms);

  struct Impl;
  std::unique_ptr<Impl> m_impl;
  model::Target m_target;
};

} // namespace pg
