#include "model/remediation_kind.hpp"
#include "support/remediation_run.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("type_varchar_n: flags varchar(n) columns once, with a catalog-only change to text",
          "[checks][versioned][type_varchar_n]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.customers(id bigint primary key, name varchar(80), notes text, locale varchar);
    create table $s.events(id bigint not null, at date not null, source varchar(32)) partition by range (at);
    create table $s.events_2024 partition of $s.events for values from ('2024-01-01') to ('2025-01-01');
    create view $s.customer_names as select name from $s.customers;
  )");

  const auto result = db.audit({"type_varchar_n"});
  const auto s = ident(schema);

  const auto& name = finding(result, "type_varchar_n", ident(schema) + ".customers.name");
  CHECK(name.severity == model::Severity::info);
  CHECK(name.evidence["max_length"] == 80);
  CHECK(name.remediation.find("alter table " + s + ".customers alter column name type text;") != std::string::npos);
  CHECK(name.remediation.find("check (pg_catalog.length(name) <= 80) not valid;") != std::string::npos);
  CHECK(has_finding(result, "type_varchar_n", ident(schema) + ".events.source"));

  CHECK_FALSE(has_finding(result, "type_varchar_n", ident(schema) + ".customers.notes"));
  CHECK_FALSE(has_finding(result, "type_varchar_n", ident(schema) + ".customers.locale"));     // no limit
  CHECK_FALSE(has_finding(result, "type_varchar_n", ident(schema) + ".events_2024.source"));   // the parent's
  CHECK_FALSE(has_finding(result, "type_varchar_n", ident(schema) + ".customer_names.name"));  // a view
  CHECK(findings_of(result, "type_varchar_n").size() == 2);
}

TEST_CASE("type_varchar_n: an index with an expression or a predicate over the column is said to be rebuilt",
          "[checks][versioned][type_varchar_n]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  // hexpm's usernames, coder's workspaces
  db.plant(schema, R"(
    create table $s.workspaces(id bigint primary key, owner_id bigint not null, name varchar(64) not null,
                               deleted bool not null default false, slug varchar(64));
    insert into $s.workspaces select g, g % 10, 'w' || g, false, 's' || g from generate_series(1, 500) g;
    create unique index workspaces_owner_lower_name on $s.workspaces(owner_id, lower(name)) where not deleted;
    create index workspaces_live_name on $s.workspaces(name) where not deleted;
    create index workspaces_name on $s.workspaces(name);
    create index workspaces_slug on $s.workspaces(slug);
  )");
  const auto result = db.audit({"type_varchar_n"});
  const auto s = ident(schema);
  const auto& name = finding(result, "type_varchar_n", s + ".workspaces.name");
  CHECK(name.evidence["rebuilt_indexes"] == s + ".workspaces_live_name, " + s + ".workspaces_owner_lower_name");
  CHECK(name.remediation.find("no table rewrite; but " + s + ".workspaces_live_name, " + s +
                              ".workspaces_owner_lower_name, with an expression or a predicate and the column among its columns, are rebuilt") !=
        std::string::npos);
  const auto& slug = finding(result, "type_varchar_n", s + ".workspaces.slug");
  CHECK(slug.evidence["rebuilt_indexes"].is_null());
  CHECK(slug.remediation.find("no table rewrite, no index rebuild") != std::string::npos);
  // an index rebuilt under the lock is no catalog-only change (Mattermost's full-text index)
  CHECK(name.effort == model::Effort::medium);
  CHECK(name.message.find("the change rebuilds " + s + ".workspaces_live_name, " + s +
                          ".workspaces_owner_lower_name under its exclusive lock") != std::string::npos);
  CHECK(slug.effort == model::Effort::low);

  // What it says is what the server does: the plain indexes keep their files, the others do not.
  const auto fixed = run_fix_on_copy(db, name);
  CHECK(fixed.problems() == std::vector<std::string>{});
  const auto filenode = [&](const ScratchDb& on, const std::string& index) {
    return on.scalar(with_schema(schema, "select pg_relation_filenode('$s." + index + "')"));
  };
  CHECK(filenode(*fixed.copy, "workspaces_name") == filenode(db, "workspaces_name"));
  CHECK(filenode(*fixed.copy, "workspaces_live_name") != filenode(db, "workspaces_live_name"));
  CHECK(filenode(*fixed.copy, "workspaces_owner_lower_name") != filenode(db, "workspaces_owner_lower_name"));
}

TEST_CASE("type_varchar_n: views and materialized views over the column are recreated around the change, partition "
          "keys and views read by other views are named and left alone", "[checks][versioned][type_varchar_n][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.organization_members(id uuid primary key, organization_id uuid not null, email varchar(120),
                                         locale varchar(5), nickname varchar(40), country varchar(2));
    insert into $s.organization_members select md5(g::text)::uuid, md5((g % 3)::text)::uuid, 'u' || g || '@example.com', 'fr', 'n'
      from generate_series(1, 50) g;
    create view $s.member_emails with (security_barrier) as select id, email from $s.organization_members;
    grant select on $s.member_emails to public;
    create materialized view $s.member_locales as select distinct locale from $s.organization_members;
    create unique index member_locales_locale_idx on $s.member_locales(locale);
    create view $s.member_countries as select id, country from $s.organization_members;
    create view $s.member_countries_fr as select id from $s.member_countries where country = 'FR';
    -- the check's plain name is taken by another constraint of the table
    alter table $s.organization_members add constraint organization_members_nickname_length check (nickname <> '');
    create table $s.events(id bigint not null, source varchar(32) not null) partition by list (source);
    create table $s.events_web partition of $s.events for values in ('web');
  )");
  const auto result = db.audit({"type_varchar_n"});
  const auto findings = findings_of(result, "type_varchar_n");
  REQUIRE(findings.size() == 5);

  const auto& email = finding(result, "type_varchar_n", ident(schema) + ".organization_members.email");
  CHECK(email.evidence["dependent_views"] == "view " + ident(schema) + ".member_emails");
  CHECK(email.message.find("member_emails reads it: the change drops and recreates it in its transaction") != std::string::npos);
  const auto& locale = finding(result, "type_varchar_n", ident(schema) + ".organization_members.locale");
  CHECK(locale.message.find("materialized view " + ident(schema) + ".member_locales reads it: the change drops and recreates "
                            "it in its transaction") != std::string::npos);
  const auto& country = finding(result, "type_varchar_n", ident(schema) + ".organization_members.country");
  CHECK(country.message.find("the change needs it dropped and recreated by hand") != std::string::npos);
  const auto& source = finding(result, "type_varchar_n", ident(schema) + ".events.source");
  CHECK(source.evidence["partition_key"] == true);
  CHECK(source.remediation.find("alter column") == std::string::npos);
  CHECK(finding(result, "type_varchar_n", ident(schema) + ".organization_members.nickname")
          .remediation.find("add constraint organization_members_nickname_length_") != std::string::npos);

  for (const auto& f : findings) {
    INFO(f.object << "\n" << f.remediation);
    const auto fixed = run_fix_on_copy(db, f);
    CHECK(fixed.problems().empty());
    // what can be changed is; what PostgreSQL refuses is still reported, and says why
    const bool refused = f.object == country.object || f.object == source.object;
    CHECK(fixed.still_reported(f) == refused);
  }

  // The recreated view keeps its options and grants.
  ScratchDb copy(db.name());
  CHECK(run_psql_script(copy, email.remediation).errors().empty());
  CHECK(copy.scalar(with_schema(schema, "select concat(reloptions::text, relacl::text) from pg_class where oid = '$s.member_emails'::regclass"))
          .value_or("").find("{security_barrier=true}{") != std::string::npos);
  CHECK(copy.scalar(with_schema(schema, "select has_table_privilege('public', '$s.member_emails', 'select')")) == "t");
  // The recreated materialized view is filled again, with its unique index.
  ScratchDb locales(db.name());
  CHECK(run_psql_script(locales, locale.remediation).errors().empty());
  CHECK(locales.scalar(with_schema(schema, "select count(*) || ' ' || (select count(*) from pg_index where indrelid = "
                                           "'$s.member_locales'::regclass and indisunique) from $s.member_locales")) == "1 1");
}

TEST_CASE("type_varchar_n: no change is printed under a generated column or a policy that reads the column",
          "[checks][versioned][type_varchar_n]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.people(id bigint primary key, name varchar(80), team varchar(20), nick varchar(30),
                           name_upper text generated always as (upper(name)) stored);
    alter table $s.people enable row level security;
    create policy own_team on $s.people using (team = current_user);
  )");
  const auto result = db.audit({"type_varchar_n"});
  const auto s = ident(schema);
  for (const auto& [column, name] : {std::pair{"name", "generated column name_upper"},
                                     std::pair{"team", "policy own_team on "}}) {
    const auto& f = finding(result, "type_varchar_n", s + ".people." + column);
    INFO(f.remediation);
    CHECK(f.message.find(name) != std::string::npos);
    CHECK(f.remediation.find("alter table " + s + ".people alter column " + column + " type text;\n") == std::string::npos);
    CHECK(run_fix_on_copy(db, f).problems().empty());
  }
  const auto& nick = finding(result, "type_varchar_n", s + ".people.nick");
  const auto fixed = run_fix_on_copy(db, nick);
  INFO(fixed.run.output);
  CHECK(fixed.problems().empty());
  CHECK_FALSE(fixed.still_reported(nick));
}

TEST_CASE("type_varchar_n: the undo gives the limit back, enforced by a validated check", "[checks][versioned][type_varchar_n]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.codes(id int primary key, code varchar(16) not null);
    insert into $s.codes select g, 'c' || g from generate_series(1, 100) g;
  )");
  const auto& f = finding(db.audit({"type_varchar_n"}), "type_varchar_n", ident(schema) + ".codes.code");
  // the fix, without its optional check: the undo adds the check itself
  const auto optional = f.remediation.find("-- only if the limit matters:");
  REQUIRE(optional != std::string::npos);
  const auto fixed = run_fix_on_copy(db, f.remediation.substr(0, optional));
  INFO(fixed.run.output);
  CHECK(fixed.problems().empty());
  const auto longer = with_schema(schema, "insert into $s.codes values (1000, repeat('x', 17))");
  CHECK(run_psql_script(*fixed.copy, "begin;\n" + longer + ";\nrollback;").errors().empty()); // text: no limit
  const auto undone = run_psql_script(*fixed.copy, f.undo);
  INFO(undone.output);
  CHECK(undone.errors().empty());
  const auto refused = run_psql_script(*fixed.copy, longer + ";");
  REQUIRE(refused.errors().size() == 1);
  CHECK(refused.errors()[0].find("violates check constraint") != std::string::npos);
  CHECK(run_psql_script(*fixed.copy, with_schema(schema, "insert into $s.codes values (1001, repeat('x', 16));")).errors().empty());
  // run twice (the check there already, as after the fix's optional step): nothing fails
  CHECK(run_psql_script(*fixed.copy, f.undo).errors().empty());
  // and the whole fix again after the undo (the check kept): its optional step finds the check there
  const auto again = run_psql_script(*fixed.copy, f.remediation);
  INFO(again.output);
  CHECK(again.errors().empty());
}

TEST_CASE("type_varchar_n: no change is printed while an invalid index is on the column (the change would rebuild it "
          "under its lock)",
          "[checks][versioned][type_varchar_n]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.api_keys(id int primary key, prefix varchar(12), name varchar(20));
    insert into $s.api_keys select g, 'sk_' || g % 10, 'n' || g from generate_series(1, 100) g;
  )");
  // a unique build that failed on the duplicates leaves an invalid index
  const auto failed = run_psql_script(db, with_schema(schema, "create unique index concurrently api_keys_prefix_key on $s.api_keys (prefix);"));
  REQUIRE(failed.errors().size() == 1);
  const auto result = db.audit({"type_varchar_n"});
  const auto& prefix = finding(result, "type_varchar_n", ident(schema) + ".api_keys.prefix");
  INFO(prefix.remediation);
  CHECK(prefix.message.find("invalid index " + ident(schema) + ".api_keys_prefix_key on it would be rebuilt") != std::string::npos);
  CHECK(model::remediation_kind(prefix.remediation) == model::RemediationKind::advice);
  const auto advised = run_fix_on_copy(db, prefix);
  CHECK(advised.run.errors().empty());
  CHECK(advised.invalid.size() == 1); // still invalid: nothing rebuilt it
  // control: no index on it
  const auto& name = finding(result, "type_varchar_n", ident(schema) + ".api_keys.name");
  CHECK(model::remediation_kind(name.remediation) == model::RemediationKind::script);
}

TEST_CASE("type_varchar_n: a column an inheritance child has from its parent is the parent's finding only",
          "[checks][versioned][type_varchar_n]")
{
  // Concourse's pipeline_build_events_N () INHERITS (build_events): each child's fix failed with
  // "cannot alter inherited column", and the parent's change reaches them all
  ScratchDb db;
  db.plant(k_public_schema, R"(
    create table public.build_events(build_id bigint, type varchar(32) not null);
    create table public.pipeline_build_events_1 (note varchar(8)) inherits (public.build_events);
    create table public.pipeline_build_events_2 () inherits (public.build_events);
  )");
  const auto result = db.audit({"type_varchar_n"});
  CHECK(has_finding(result, "type_varchar_n", "public.build_events.type"));
  CHECK_FALSE(has_finding(result, "type_varchar_n", "public.pipeline_build_events_1.type"));
  CHECK_FALSE(has_finding(result, "type_varchar_n", "public.pipeline_build_events_2.type"));
  CHECK(has_finding(result, "type_varchar_n", "public.pipeline_build_events_1.note")); // its own column
  const auto fixed = run_fix_on_copy(db, finding(result, "type_varchar_n", "public.build_events.type"));
  INFO(fixed.run.output);
  CHECK(fixed.problems().empty());
  CHECK(fixed.copy->scalar("select format_type(atttypid, atttypmod) from pg_attribute "
                           "where attrelid = 'public.pipeline_build_events_2'::regclass and attname = 'type'") == "text");
}
