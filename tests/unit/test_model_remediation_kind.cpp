#include "model/remediation_kind.hpp"

#include <catch2/catch.hpp>

using model::remediation_kind;
using model::RemediationKind;

TEST_CASE("remediation_kind: comments only are advice, any statement makes a script", "[unit][model]")
{
  CHECK(remediation_kind("") == RemediationKind::none);
  CHECK(remediation_kind("\n  \n") == RemediationKind::none);
  CHECK(remediation_kind("-- not printed: PostgreSQL refuses to change the type of a partition key column.\n"
                         "-- create a new partitioned table ...") == RemediationKind::advice);
  CHECK(remediation_kind("\n  -- indented comment\n\n-- another\n") == RemediationKind::advice);
  // a statement anywhere, even one line after comments, is something to run
  CHECK(remediation_kind("-- why\nset lock_timeout = '5s';") == RemediationKind::script);
  CHECK(remediation_kind("set timezone = 'UTC';\n-- the rest by hand") == RemediationKind::script);
  CHECK(remediation_kind("do $$\nbegin\n  -- inside\nend $$;") == RemediationKind::script);
  // a comment marker that is not at the start of the line does not make a statement a comment
  CHECK(remediation_kind("select 1; -- trailing") == RemediationKind::script);
  CHECK(model::to_string(RemediationKind::advice) == "advice");
  CHECK(model::to_string(RemediationKind::script) == "script");
  CHECK(model::to_string(RemediationKind::none) == "none");
}
