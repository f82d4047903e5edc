#include "support/test_db.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

using namespace test;

TEST_CASE("fk_without_index: flags foreign keys whose columns lead no index", "[checks][fk_without_index]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.accounts(id int primary key, region int, unique (id, region));
    create table $s.projects(id int primary key, account_id int references $s.accounts, owner_id int);
    -- planted: no index at all
    create table $s.tasks(id int primary key, project_id int references $s.projects, note text);
    -- planted: the column is indexed, but not as the leading column
    create table $s.comments(id int primary key, task_id int references $s.tasks, at timestamptz);
    create index comments_at_task on $s.comments(at, task_id);
    -- planted: only a partial index
    create table $s.files(id int primary key, task_id int references $s.tasks);
    create index files_task_some on $s.files(task_id) where id > 100;
    -- controls: leading index; two-column key led by its columns in the other order
    create index projects_account on $s.projects(account_id, owner_id);
    create table $s.members(account_id int, region int, name text,
                            foreign key (account_id, region) references $s.accounts(id, region));
    create index members_region_account on $s.members(region, account_id, name);
  )");

  const auto result = db.audit({"fk_without_index"});
  const auto& f = finding(result, "fk_without_index", schema + ".tasks.tasks_project_id_fkey");
  CHECK(f.category == "fk_without_index");
  CHECK(f.object_type == "constraint");
  CHECK(f.message.find("(project_id) has no index with those leading columns") != std::string::npos);
  CHECK(f.evidence.at("references") == schema + ".projects");
  CHECK(f.remediation == "set lock_timeout = '5s';\ncreate index concurrently if not exists tasks_project_id_idx on "
                         + ident(schema) + ".tasks (project_id);");
  CHECK(has_finding(result, "fk_without_index", schema + ".comments.comments_task_id_fkey"));
  CHECK(has_finding(result, "fk_without_index", schema + ".files.files_task_id_fkey"));

  CHECK_FALSE(has_finding(result, "fk_without_index", schema + ".projects.projects_account_id_fkey"));
  CHECK_FALSE(has_finding(result, "fk_without_index", schema + ".members.members_account_id_region_fkey"));
  CHECK(findings_of(result, "fk_without_index").size() == 3);
}

TEST_CASE("fk_without_index: the suggested name stays within 63 bytes and distinct", "[checks][fk_without_index]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  // 50 two-byte letters: 100 bytes, cut by PostgreSQL to 63 bytes (31 letters) as a table name.
  std::string long_name;
  for (int i = 0; i < 50; ++i) {
    long_name += "\xc3\xa9"; // é
  }
  db.plant(schema, "create table $s.parents(id int primary key);"
                   "create table $s." + qi(long_name) + "(parent_id int references $s.parents, \"Odd \"\"Col\"\"\" int references $s.parents);");

  const auto result = db.audit({"fk_without_index"});
  const auto rows = findings_of(result, "fk_without_index");
  REQUIRE(rows.size() == 2);
  std::set<std::string> names;
  for (const auto& f : rows) {
    const auto on = f.remediation.find("if not exists ");
    const auto end = f.remediation.find(" on ", on);
    REQUIRE(on != std::string::npos);
    auto name = f.remediation.substr(on + 14, end - on - 14);
    if (name.front() == '"') {
      name = name.substr(1, name.size() - 2);
    }
    CHECK(name.size() <= 63);
    CHECK(name.size() > 50);
    CHECK(name.substr(name.size() - 4) == "_idx");
    names.insert(name);
    // Cut on a character boundary: every lead byte of é keeps its continuation byte.
    CHECK(std::count(name.begin(), name.end(), '\xc3') == std::count(name.begin(), name.end(), '\xa9'));
  }
  CHECK(names.size() == 2); // cut names stay distinct
  // Hostile column names are quoted in the index's column list.
  bool quoted = false;
  for (const auto& f : rows) {
    quoted = quoted || f.remediation.find("(\"Odd \"\"Col\"\"\");") != std::string::npos;
  }
  CHECK(quoted);
}
