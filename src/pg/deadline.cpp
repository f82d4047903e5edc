#include "pg/deadline.hpp"

#include "util/log.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>
#include <pqxx/pqxx>

#include <cstdlib>
#include <memory>
#include <set>
#include <utility>

#include <sys/socket.h>

namespace pg {

std::string
with_client_deadlines(const std::string& conninfo)
{
  static constexpr std::pair<std::string_view, std::string_view> k_limits[] = {
    {"connect_timeout", "10"},  {"keepalives", "1"},        {"keepalives_idle", "10"},
    {"keepalives_interval", "5"}, {"keepalives_count", "3"}, {"tcp_user_timeout", "30000"},
  };
  char* err = nullptr;
  const std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(PQconninfoParse(conninfo.c_str(), &err),
                                                                              &PQconninfoFree);
  if (err) {
    PQfreemem(err);
  }
  if (!options) {
    return conninfo; // the connection attempt reports it
  }
  std::string out;
  std::set<std::string_view> given;
  if (std::getenv("PGCONNECT_TIMEOUT")) {
    given.insert("connect_timeout");
  }
  for (const auto* o = options.get(); o->keyword; ++o) {
    if (!o->val) {
      continue;
    }
    given.insert(o->keyword);
    std::string value;
    for (const char* c = o->val; *c; ++c) {
      if (*c == '\\' || *c == '\'') {
        value += '\\';
      }
      value += *c;
    }
    out += fmt::format("{}='{}' ", o->keyword, value);
  }
  for (const auto& [keyword, value] : k_limits) {
    if (!given.count(keyword)) {
      out += fmt::format("{}={} ", keyword, value);
    }
  }
  return out;
}

Deadline::Deadline(pqxx::connection_base& conn, std::chrono::milliseconds limit, std::chrono::milliseconds grace)
{
  // The socket is read here, on the thread that owns the connection; the watcher only uses it
  // once the owner is stuck waiting on it.
  const int socket = conn.sock();
  m_thread = std::thread([this, &conn, socket, limit, grace] { watch(conn, socket, limit, grace); });
}

Deadline::~Deadline()
{
  {
    std::lock_guard lock(m_mutex);
    m_done = true;
  }
  m_answered.notify_all();
  m_thread.join();
}

bool
Deadline::cancelled() const
{
  std::lock_guard lock(m_mutex);
  return m_cancelled;
}

bool
Deadline::gave_up() const
{
  std::lock_guard lock(m_mutex);
  return m_gave_up;
}

void
Deadline::watch(pqxx::connection_base& conn, int socket, std::chrono::milliseconds limit, std::chrono::milliseconds grace)
{
  const auto sent = std::chrono::steady_clock::now();
  std::unique_lock lock(m_mutex);
  if (m_answered.wait_until(lock, sent + limit, [this] { return m_done; })) {
    return;
  }
  m_cancelled = true;
  lock.unlock();
  try {
    // PQgetCancel + PQcancel: made for use from another thread while the owner waits.
    conn.cancel_query();
  } catch (const std::exception& e) {
    util::log(util::LogLevel::info, "cancel request failed: {}", e.what());
  }
  lock.lock();
  if (m_answered.wait_until(lock, sent + limit + grace, [this] { return m_done; })) {
    return;
  }
  m_gave_up = true;
  ::shutdown(socket, SHUT_RDWR);
}

} // namespace pg
