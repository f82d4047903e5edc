#include "model/remediation_kind.hpp"
#include "support/remediation_run.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("fk_set_null_not_null: a key that sets a NOT NULL column to NULL fails its parent's delete, which the finding "
          "says and the advice mends",
          "[checks][fk_set_null_not_null]")
{
  // AppFlowy's af_published_view_comment.created_by: NOT NULL, ON DELETE SET NULL; deleting any
  // user who had commented failed
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.users(id bigint primary key);
    create table $s.comments(id bigint primary key, created_by bigint not null references $s.users(id) on delete set null);
    create table $s.drafts(id bigint primary key, author bigint not null references $s.users(id) on update set null);
    create table $s.archive(id bigint primary key, owner bigint not null references $s.users(id) on delete set null);
    -- controls: a nullable column, a default the SET DEFAULT takes, an ordinary key
    create table $s.notes(id bigint primary key, editor bigint references $s.users(id) on delete set null,
                          owner bigint not null default 1 references $s.users(id) on delete set default,
                          reader bigint not null references $s.users(id) on delete cascade);
    insert into $s.users select generate_series(1, 10);
    insert into $s.comments select g, 1 + g % 10 from generate_series(1, 100) g;
    insert into $s.drafts select g, 1 + g % 10 from generate_series(1, 100) g;
    analyze $s.users, $s.comments, $s.drafts, $s.archive;
  )");
  const auto result = db.audit({"fk_set_null_not_null"});
  const auto s = ident(schema);
  const auto& comments = finding(result, "fk_set_null_not_null", s + ".comments.comments_created_by_fkey");
  CHECK(comments.severity == model::Severity::high);
  CHECK(comments.evidence.at("actions") == "ON DELETE SET NULL");
  CHECK(comments.evidence.at("not_null_columns") == nlohmann::json{"created_by"});
  CHECK(model::remediation_kind(comments.remediation) == model::RemediationKind::advice);
  // the new key takes the old one's name, the one the application and the migrations know
  CHECK(comments.remediation.find("rename constraint <new_name> to comments_created_by_fkey;") != std::string::npos);
  CHECK(finding(result, "fk_set_null_not_null", s + ".drafts.drafts_author_fkey").evidence.at("actions") == "ON UPDATE SET NULL");
  CHECK(finding(result, "fk_set_null_not_null", s + ".archive.archive_owner_fkey").severity == model::Severity::low); // empty
  CHECK(findings_of(result, "fk_set_null_not_null").size() == 3);

  // What it says is so: the delete fails; each way the advice offers makes it pass.
  CHECK_THROWS(db.exec(with_schema(schema, "delete from $s.users where id = 2")));
  for (const auto& way : {std::string("alter table $s.comments alter column created_by drop not null"),
                          std::string("alter table $s.comments add constraint comments_created_by_cascade foreign key (created_by) "
                                      "references $s.users(id) on delete cascade not valid; "
                                      "alter table $s.comments validate constraint comments_created_by_cascade; "
                                      "alter table $s.comments drop constraint comments_created_by_fkey; "
                                      "alter table $s.comments rename constraint comments_created_by_cascade to comments_created_by_fkey")}) {
    ScratchDb copy(db.name());
    copy.exec(with_schema(schema, way));
    copy.exec(with_schema(schema, "delete from $s.drafts"));
    CHECK_NOTHROW(copy.exec(with_schema(schema, "delete from $s.users where id = 2")));
    CHECK_FALSE(has_finding(copy.audit({"fk_set_null_not_null"}), "fk_set_null_not_null",
                            s + ".comments.comments_created_by_fkey"));
  }
}

TEST_CASE("fk_set_null_not_null: a column list of ON DELETE SET NULL sets only those columns",
          "[checks][fk_set_null_not_null]")
{
  ScratchDb db;
  if (cluster_major() < 15) {
    SUCCEED("ON DELETE SET NULL (columns) is PostgreSQL 15's");
    return;
  }
  // a tenant's composite key that clears the reference and keeps the tenant (NOT NULL)
  db.plant(k_public_schema, R"(
    create table $s.posts(tenant_id bigint not null, id bigint not null, primary key (tenant_id, id));
    create table $s.comments(tenant_id bigint not null, id bigint primary key, post_id bigint,
                             foreign key (tenant_id, post_id) references $s.posts on delete set null (post_id));
    create table $s.likes(tenant_id bigint not null, id bigint primary key, post_id bigint,
                          foreign key (tenant_id, post_id) references $s.posts on delete set null);
  )");
  const auto result = db.audit({"fk_set_null_not_null"});
  CHECK_FALSE(has_finding(result, "fk_set_null_not_null", "public.comments.comments_tenant_id_post_id_fkey"));
  const auto& likes = finding(result, "fk_set_null_not_null", "public.likes.likes_tenant_id_post_id_fkey");
  CHECK(likes.evidence.at("not_null_columns") == nlohmann::json{"tenant_id"});
}
