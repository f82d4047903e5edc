#include "querylog/normalize.hpp"
#include "querylog/statement_aggregator.hpp"
#include "querylog/statement_message.hpp"
#include "querylog/statement_shape.hpp"

#include <catch2/catch.hpp>

using querylog::StatementMessage;

TEST_CASE("statement_shape: constants masked, comments and spaces out", "[unit][querylog]")
{
  CHECK(querylog::statement_shape("select *\n\tfrom t -- who: alice\nwhere a = 'x''y' and b in (1, 2.5, -3e5) /* c */;", true)
        == "select * from t where a = ? and b in (?, -?)");
  CHECK(querylog::statement_shape("select $1, E'\\'', $$body$$, $tag$ a $tag$, \"Col\"\"1\", x1 from t", true)
        == "select ?, E?, \"Col\"\"1\", x1 from t"); // a list of constants is one "?"
  CHECK(querylog::statement_shape("select 'a' -- c\n, 2", false) == "select 'a' , 2");
}

TEST_CASE("parse_statement_message: durations, statement, execute, plan", "[unit][querylog]")
{
  const auto s = querylog::parse_statement_message("duration: 12.5 ms  statement: select 1");
  REQUIRE(s);
  CHECK(s->kind == StatementMessage::Kind::statement);
  CHECK(s->duration_ms.value() == Approx(12.5));
  CHECK(s->text == "select 1");
  const auto e = querylog::parse_statement_message("duration: 0.040 ms  execute S_1/C_2: select $1");
  REQUIRE(e);
  CHECK(e->kind == StatementMessage::Kind::execute);
  CHECK(e->text == "select $1");
  const auto plain = querylog::parse_statement_message("statement: select 2");
  REQUIRE(plain);
  CHECK_FALSE(plain->duration_ms);
  CHECK(querylog::parse_statement_message("duration: 0.040 ms  plan:\nQuery Text: x")->kind == StatementMessage::Kind::plan);
  CHECK_FALSE(querylog::parse_statement_message("duration: 0.040 ms"));
  CHECK_FALSE(querylog::parse_statement_message("duration: 0.040 ms  bind <unnamed>: select $1"));
  CHECK_FALSE(querylog::parse_statement_message("checkpoint starting: time"));
}

TEST_CASE("StatementAggregator: one entry per normalized statement and database", "[unit][querylog]")
{
  querylog::QueryLog log;
  querylog::StatementAggregator aggregator(log, 10);
  auto entry = [](std::string db, std::string message, double epoch) {
    querylog::LogEntry e;
    e.database = std::move(db);
    e.severity = "LOG";
    e.message = std::move(message);
    e.epoch = epoch;
    e.timestamp = std::to_string(epoch);
    return e;
  };
  aggregator.add(entry("shop", "duration: 1.5 ms  statement: SELECT * FROM orders WHERE customer = 'secret-1'", 100));
  aggregator.add(entry("shop", "duration: 2.5 ms  statement: select * from orders where customer = 'secret-2'", 200));
  aggregator.add(entry("shop", "statement: select *   from orders\n where customer = 7", 300));
  aggregator.add(entry("crm", "duration: 1 ms  statement: select * from orders where customer = 1", 400));
  aggregator.add(entry("shop", "duration: 1 ms  statement: select frobnicate from where", 500));
  aggregator.add(entry("shop", "duration: 1 ms  statement: select frobnicate from where", 500));
  REQUIRE(log.statements.size() == 2);
  const auto& shop = log.statements[0];
  CHECK(shop.database == "shop");
  CHECK(shop.calls == 3);
  CHECK(shop.timed_calls == 2);
  CHECK(shop.total_ms == Approx(4.0));
  CHECK(shop.query.find("secret") == std::string::npos);
  CHECK(shop.query.find("$1") != std::string::npos);
  CHECK(log.statements[1].database == "crm");
  CHECK(log.executions == 6);
  CHECK(log.unparsed_executions == 2);
  CHECK(log.unparsed_words.at("shop").count("frobnicate"));
  CHECK(log.period_days() == Approx(400.0 / 86400));
  CHECK(log.statements_of("shop").size() == 1);
}
