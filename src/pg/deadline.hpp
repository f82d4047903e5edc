#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace pqxx {
class connection_base;
}

namespace pg {

// `conninfo` (keyword/value or URL, or empty for the PG* variables) with the client-side limits
// the caller did not set: connect_timeout 10 s, TCP keepalives after 10 s idle (every 5 s, 3
// probes) and tcp_user_timeout 30 s, so a partitioned network ends the connection instead of
// leaving it waiting. libpq applies the TCP ones only over TCP. Keyword/value form; it may hold
// the password of `conninfo`, so it is never shown.
std::string with_client_deadlines(const std::string& conninfo);

// The client's own limit on one statement, for a server that stops answering (a stopped
// backend, a network partition) where the server's statement_timeout cannot help. While armed,
// a thread waits: `limit` after the statement was sent it asks the server to cancel it (a
// cancel request on a new connection); if there is still no answer `grace` later, it shuts the
// connection's socket down, so the wait ends with a broken connection instead of never.
class Deadline
{
public:
  Deadline(pqxx::connection_base& conn, std::chrono::milliseconds limit, std::chrono::milliseconds grace);
  // Disarms (the statement answered) and waits for the thread.
  ~Deadline();
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  // The statement outlived `limit` and a cancel request was sent.
  bool cancelled() const;
  // The statement outlived `limit` + `grace` and the connection was given up.
  bool gave_up() const;

private:
  void watch(pqxx::connection_base& conn, int socket, std::chrono::milliseconds limit, std::chrono::milliseconds grace);

  mutable std::mutex m_mutex;
  std::condition_variable m_answered;
  bool m_done = false;
  bool m_cancelled = false;
  bool m_gave_up = false;
  std::thread m_thread;
};

} // namespace pg
