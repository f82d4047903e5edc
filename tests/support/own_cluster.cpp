#include "support/own_cluster.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <random>

namespace test {

OwnCluster::OwnCluster()
  : m_envfile(fmt::format("/tmp/sa-own-cluster-env.{}", std::random_device{}()))
{
  const auto command = fmt::format("PG_BINDIR='{}' {}/scripts/local-pg.sh start {} >/dev/null 2>&1",
                                   cluster_env().at("SCHEMA_AUDIT_PG_BIN"), SCHEMA_AUDIT_SOURCE_DIR, m_envfile);
  REQUIRE(std::system(command.c_str()) == 0);
  m_vars = read_env_file(m_envfile);
}

OwnCluster::~OwnCluster()
{
  const auto command = fmt::format("{}/scripts/local-pg.sh stop {} >/dev/null 2>&1", SCHEMA_AUDIT_SOURCE_DIR, m_envfile);
  [[maybe_unused]] const int rc = std::system(command.c_str());
}

std::string
OwnCluster::conninfo(const std::string& dbname) const
{
  return fmt::format("host={} port={} user={} dbname={}", m_vars.at("PGHOST"), m_vars.at("PGPORT"), m_vars.at("PGUSER"),
                     dbname);
}

std::string
OwnCluster::env() const
{
  return fmt::format("PGHOST={} PGPORT={} PGUSER={}", m_vars.at("PGHOST"), m_vars.at("PGPORT"), m_vars.at("PGUSER"));
}

} // namespace test
