#include "pg/connection.hpp"

#include "util/error.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

#include <fmt/format.h>
#include <pqxx/pqxx>

namespace pg {

namespace {

std::string
first_line_of(const std::exception& e)
{
  const auto message = util::trim(e.what());
  return std::string(util::trim(message.substr(0, message.find('\n'))));
}

} // namespace

struct Connection::Impl
{
  std::unique_ptr<pqxx::connection> conn;
  std::unique_ptr<pqxx::nontransaction> tx;
};

Connection::Connection(const std::string& conninfo)
  : m_impl(std::make_unique<Impl>())
{
  validate_conninfo(conninfo);
  try {
    m_impl->conn = std::make_unique<pqxx::connection>(conninfo);
    m_impl->tx = std::make_unique<pqxx::nontransaction>(*m_impl->conn, "schema-audit-history");
  } catch (const pqxx::failure& e) {
    throw util::Fatal(util::ExitCode::connection, fmt::format("cannot connect: {}", first_line_of(e)));
  }
  auto& c = *m_impl->conn;
  m_target = Target{c.hostname() ? c.hostname() : "", c.port() ? c.port() : "",
                    c.dbname() ? c.dbname() : "", c.username() ? c.username() : ""};
}

Connection::~Connection() = default;

QueryResult
Connection::exec(const std::string& sql, const std::vector<std::string>& params)
{
  const auto start = std::chrono::steady_clock::now();
  util::log(util::LogLevel::debug, "history sql: {}", sql);
  try {
    const pqxx::result r = params.empty()
                             ? m_impl->tx->exec(sql)
                             : m_impl->tx->exec_params(sql, pqxx::prepare::make_dynamic_params(params));
    QueryResult out;
    for (pqxx::row::size_type i = 0; i < r.columns(); ++i) {
      out.columns.emplace_back(r.column_name(i));
    }
    out.rows.reserve(r.size());
    for (const auto& row : r) {
      Row values;
      values.reserve(out.columns.size());
      for (const auto& field : row) {
        values.push_back(field.is_null() ? std::nullopt : std::optional<std::string>(field.c_str()));
      }
      out.rows.push_back(std::move(values));
    }
    out.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
    return out;
  } catch (const pqxx::broken_connection& e) {
    throw util::Fatal(util::ExitCode::connection,
                      fmt::format("lost the connection to {}: {}", m_target.display(), first_line_of(e)));
  } catch (const pqxx::sql_error& e) {
    throw util::Error(fmt::format("{} (SQLSTATE {})", first_line_of(e), e.sqlstate().empty() ? "?" : e.sqlstate()));
  }
}

} // namespace pg
