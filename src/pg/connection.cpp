#include "pg/connection.hpp"

#include "util/error.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <algorithm>
#include <cctype>

namespace pg {

namespace {

// libpq messages span lines ("FATAL:  terminating connection ...\nserver closed the
// connection unexpectedly ..."); the first one names the cause.
std::string
first_line_of(const char* message)
{
  const auto text = util::trim(message ? message : "");
  return std::string(util::trim(text.substr(0, text.find('\n'))));
}

// The server's own words for a failed statement: its primary message and SQLSTATE, or libpq's
// message when the server sent none (the connection broke before it could).
std::string
reason_of(const PGresult* result, const PGconn* conn)
{
  const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  if (!primary) {
    return first_line_of(result && *PQresultErrorMessage(result) ? PQresultErrorMessage(result) : PQerrorMessage(conn));
  }
  return state ? fmt::format("{} (SQLSTATE {})", primary, state) : std::string(primary);
}

// Why the server closed the connection, when it said so before closing (an admin's
// pg_terminate_backend, idle_session_timeout, a shutdown): libpq keeps that message only in the
// connection's error text, not in the result, as its first line "FATAL:  57P01: terminating
// connection ..." (with verbose errors, which add the SQLSTATE). Else what libpq saw.
std::string
lost_reason_of(const PGresult* result, const PGconn* conn)
{
  const auto line = first_line_of(PQerrorMessage(conn));
  const auto severity_end = line.find(":  ");
  if (severity_end != std::string::npos) {
    const auto rest = std::string_view(line).substr(severity_end + 3);
    const bool has_state = rest.size() > 7 && rest[5] == ':' && rest[6] == ' '
                           && std::all_of(rest.begin(), rest.begin() + 5,
                                          [](char c) { return std::isdigit(static_cast<unsigned char>(c))
                                                              || std::isupper(static_cast<unsigned char>(c)); });
    if (has_state) {
      return fmt::format("{} (SQLSTATE {})", rest.substr(7), rest.substr(0, 5));
    }
  }
  return reason_of(result, conn);
}

// Notices (a WARNING from "rollback" outside a transaction) are diagnostics, not output.
void
log_notice(void*, const char* message)
{
  util::log(util::LogLevel::debug, "history server: {}", first_line_of(message));
}

} // namespace

struct Connection::Impl
{
  PGconn* conn = nullptr;

  ~Impl() { PQfinish(conn); }
};

Connection::Connection(const std::string& conninfo)
  : m_impl(std::make_unique<Impl>())
{
  validate_conninfo(conninfo);
  m_impl->conn = PQconnectdb(conninfo.c_str());
  auto* c = m_impl->conn;
  if (!c || PQstatus(c) != CONNECTION_OK) {
    throw util::Fatal(util::ExitCode::connection,
                      fmt::format("cannot connect: {}", first_line_of(c ? PQerrorMessage(c) : "out of memory")));
  }
  PQsetNoticeProcessor(c, log_notice, nullptr);
  PQsetErrorVerbosity(c, PQERRORS_VERBOSE); // the SQLSTATE of a closing server's last words
  m_target = model::Target{PQhost(c) ? PQhost(c) : "", PQport(c) ? PQport(c) : "", PQdb(c) ? PQdb(c) : "",
                    PQuser(c) ? PQuser(c) : ""};
}

Connection::~Connection() = default;

bool
Connection::is_open() const
{
  return PQstatus(m_impl->conn) == CONNECTION_OK;
}

QueryResult
Connection::exec(const std::string& sql, const std::vector<std::optional<std::string>>& params)
{
  const auto start = std::chrono::steady_clock::now();
  util::log(util::LogLevel::debug, "history sql: {}", sql);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) {
    values.push_back(p ? p->c_str() : nullptr);
  }
  using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;
  // Without params, the simple protocol: a migration is several statements in one string.
  const Result r(params.empty() ? PQexec(m_impl->conn, sql.c_str())
                                : PQexecParams(m_impl->conn, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                               values.data(), nullptr, nullptr, 0),
                 &PQclear);
  const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    if (PQstatus(m_impl->conn) != CONNECTION_OK) {
      throw util::Fatal(util::ExitCode::connection, fmt::format("lost the connection to {}: {}", m_target.display(),
                                                                lost_reason_of(r.get(), m_impl->conn)));
    }
    throw util::Error(reason_of(r.get(), m_impl->conn));
  }
  QueryResult out;
  const int columns = PQnfields(r.get());
  const int rows = PQntuples(r.get());
  for (int i = 0; i < columns; ++i) {
    out.columns.emplace_back(PQfname(r.get(), i));
  }
  out.rows.reserve(static_cast<std::size_t>(rows));
  for (int row = 0; row < rows; ++row) {
    Row values_of_row;
    values_of_row.reserve(out.columns.size());
    for (int i = 0; i < columns; ++i) {
      values_of_row.push_back(PQgetisnull(r.get(), row, i)
                                ? std::nullopt
                                : std::optional<std::string>(std::string(PQgetvalue(r.get(), row, i),
                                                                         static_cast<std::size_t>(PQgetlength(r.get(), row, i)))));
    }
    out.rows.push_back(std::move(values_of_row));
  }
  out.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
  return out;
}

} // namespace pg
