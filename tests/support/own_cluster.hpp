#pragma once

#include <map>
#include <string>

namespace test {

// A throwaway PostgreSQL cluster of one test's own (scripts/local-pg.sh start/stop), for a test
// whose problem is the whole cluster's: a transaction holding vacuum's horizon, transaction ids
// burnt toward wraparound, autovacuum switched off. Started by the constructor, stopped and
// removed by the destructor. It runs the test cluster's server (its major version).
class OwnCluster
{
public:
  OwnCluster();
  ~OwnCluster();
  OwnCluster(const OwnCluster&) = delete;
  OwnCluster& operator=(const OwnCluster&) = delete;

  std::string conninfo(const std::string& dbname = "postgres") const;
  // The bin directory of the clients that serve the cluster (psql, pgbench).
  const std::string& client_bindir() const { return m_vars.at("SCHEMA_AUDIT_PG_CLIENT_BIN"); }
  // The PG* variables of the cluster, for a command line: "PGHOST=... PGPORT=... PGUSER=...".
  std::string env() const;

private:
  std::string m_envfile;
  std::map<std::string, std::string> m_vars;
};

} // namespace test
