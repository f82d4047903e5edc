// sa-wal-follower CONNINFO SLOT: a physical replication consumer for the tests, the part of a
// standby that xmin_horizon sees. It streams WAL through replication slot SLOT (physical) with
// the streaming replication protocol and confirms each position it received as written and
// flushed, as a standby does; the data itself is thrown away. Stopped with SIGSTOP it stops
// confirming while its connection (and the slot) stays in use: a standby that hangs. Used
// instead of pg_receivewal, which streams only from servers of its own major and older.
//
// Exits 0 when the server ends the stream, 1 on an error (printed on stderr).
#include <libpq-fe.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

namespace {

void
put_u64(char* out, std::uint64_t value)
{
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
}

std::uint64_t
get_u64(const char* in)
{
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) {
    value = (value << 8) | static_cast<unsigned char>(in[i]);
  }
  return value;
}

// Microseconds since 2000-01-01, the protocol's clock.
std::uint64_t
protocol_now()
{
  constexpr std::int64_t k_epoch_2000 = 946684800;
  return static_cast<std::uint64_t>(std::time(nullptr) - k_epoch_2000) * 1000000;
}

// Standby status update: written, flushed and applied up to `lsn`.
bool
confirm(PGconn* conn, std::uint64_t lsn)
{
  std::array<char, 34> msg{};
  msg[0] = 'r';
  put_u64(&msg[1], lsn);
  put_u64(&msg[9], lsn);
  put_u64(&msg[17], lsn);
  put_u64(&msg[25], protocol_now());
  msg[33] = 0;
  return PQputCopyData(conn, msg.data(), static_cast<int>(msg.size())) == 1 && PQflush(conn) == 0;
}

int
fail(PGconn* conn, const std::string& what)
{
  std::fprintf(stderr, "sa-wal-follower: %s: %s", what.c_str(), PQerrorMessage(conn));
  PQfinish(conn);
  return 1;
}

} // namespace

int
main(int argc, char** argv)
{
  if (argc != 3) {
    std::fprintf(stderr, "usage: sa-wal-follower CONNINFO SLOT\n");
    return 2;
  }
  PGconn* conn = PQconnectdb((std::string(argv[1]) + " replication=true").c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    return fail(conn, "connect");
  }
  PGresult* system = PQexec(conn, "IDENTIFY_SYSTEM");
  if (PQresultStatus(system) != PGRES_TUPLES_OK) {
    PQclear(system);
    return fail(conn, "IDENTIFY_SYSTEM");
  }
  const std::string timeline = PQgetvalue(system, 0, 1);
  const std::string position = PQgetvalue(system, 0, 2); // the server's current flush position
  PQclear(system);
  // From the start of the current segment, as a standby asks.
  const auto slash = position.find('/');
  const auto low = std::strtoull(position.substr(slash + 1).c_str(), nullptr, 16) & ~0xffffffULL;
  char start[64];
  std::snprintf(start, sizeof start, "%s/%llX", position.substr(0, slash).c_str(), low);
  const auto command = "START_REPLICATION SLOT \"" + std::string(argv[2]) + "\" PHYSICAL " + start + " TIMELINE " + timeline;
  PGresult* started = PQexec(conn, command.c_str());
  if (PQresultStatus(started) != PGRES_COPY_BOTH) {
    PQclear(started);
    return fail(conn, "START_REPLICATION");
  }
  PQclear(started);

  std::uint64_t received = 0;
  for (;;) {
    char* buffer = nullptr;
    const int length = PQgetCopyData(conn, &buffer, 0); // blocks until a message arrives
    if (length == -1) {
      break; // the stream ended
    }
    if (length == -2) {
      return fail(conn, "stream");
    }
    if (buffer[0] == 'w' && length >= 25) { // XLogData: start, server end, time, then the WAL
      received = std::max(received, get_u64(buffer + 1) + static_cast<std::uint64_t>(length - 25));
    }
    // a keepalive ('k') asks for the positions as they are
    PQfreemem(buffer);
    if (!confirm(conn, received)) {
      return fail(conn, "confirm");
    }
  }
  PQfinish(conn);
  return 0;
}
