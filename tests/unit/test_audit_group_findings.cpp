#include "audit/group_findings.hpp"
#include "util/label.hpp"

#include <catch2/catch.hpp>

namespace {

model::Finding
make(const std::string& check_id, const std::string& object, const std::string& confidence = {})
{
  model::Finding f;
  f.check_id = check_id;
  f.object = object;
  f.confidence = confidence;
  return f;
}

} // namespace

TEST_CASE("label_parts: a dot inside quotes does not split", "[unit][groups]")
{
  using parts = std::vector<std::string_view>;
  CHECK(util::label_parts("app.orders.id") == parts{"app", "orders", "id"});
  CHECK(util::label_parts(R"("a.b".c)") == parts{R"("a.b")", "c"});
  CHECK(util::label_parts(R"(a."b.c")") == parts{"a", R"("b.c")"});
  CHECK(util::label_parts(R"("x""."".y".z)") == parts{R"("x""."".y")", "z"});
  CHECK(util::label_parts("db") == parts{"db"});
}

TEST_CASE("unquoted_part: a label's part as the identifier it names", "[unit][groups]")
{
  CHECK(util::unquoted_part("id") == "id");
  CHECK(util::unquoted_part(R"("Order.lines")") == "Order.lines");
  CHECK(util::unquoted_part(R"("a""b")") == R"(a"b)");
  CHECK(util::unquoted_part(R"("Code")") == "Code");
}

TEST_CASE("assign_groups: low-confidence verdicts are one entry, partitions count as their root", "[unit][groups]")
{
  const auto registry = audit::Registry::load();
  model::FindingList findings{
    make("unused_index", "public.a_idx", "low"),
    make("unused_index", "public.b_idx", "low"),
    make("unused_index", "public.c_idx", "high"),  // evidence enough: its own entry
    make("unused_index", "public.d_idx", "high"),
    make("missing_index", R"("p.q"."e.1")"),   // a partition of "p.q".e
    make("missing_index", R"("p.q"."e.2")"),
    make("missing_index", R"("p.q".e)"),       // the root itself
    make("missing_index", R"(p."q.e")"),       // unrelated, though it reads alike unquoted
  };
  const audit::PartitionRoots roots{{R"("p.q"."e.1")", R"("p.q".e)"}, {R"("p.q"."e.2")", R"("p.q".e)"}};
  audit::assign_groups(findings, registry, roots);
  CHECK(findings[0].group_id == findings[1].group_id);
  CHECK(findings[2].group_id != findings[0].group_id);
  CHECK(findings[2].group_id != findings[3].group_id);
  CHECK(findings[4].group_id == findings[5].group_id);
  CHECK(findings[4].group_id == findings[6].group_id);
  CHECK(findings[7].group_id != findings[4].group_id);
}
