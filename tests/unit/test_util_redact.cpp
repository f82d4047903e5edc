#include "util/redact.hpp"

#include <catch2/catch.hpp>

TEST_CASE("redact_passwords: URL and keyword passwords become asterisks", "[unit][util]")
{
  using util::redact_passwords;
  CHECK(redact_passwords("The following argument was not expected: postgresql://app:S3cr:et@db1:5432/app")
        == "The following argument was not expected: postgresql://app:***@db1:5432/app");
  CHECK(redact_passwords("postgres://u:p%40ss@h/db?sslmode=require") == "postgres://u:***@h/db?sslmode=require");
  CHECK(redact_passwords("host=h password=hunter2 dbname=x") == "host=h password=*** dbname=x");
  CHECK(redact_passwords("host=h password = 'it\\'s a secret' user=u") == "host=h password = *** user=u");
  CHECK(redact_passwords("postgresql://h/db?password=abc&user=u") == "postgresql://h/db?password=***&user=u");
  CHECK(redact_passwords("--db: \"host=h PASSWORD=x\"") == "--db: \"host=h PASSWORD=***\"");
  // Nothing to hide: unchanged.
  CHECK(redact_passwords("postgresql://app@db1/app and http://example.com/a:b")
        == "postgresql://app@db1/app and http://example.com/a:b");
  CHECK(redact_passwords("password authentication failed for user \"x\"")
        == "password authentication failed for user \"x\"");
  CHECK(redact_passwords("rolpassword=abc") == "rolpassword=abc");
}
