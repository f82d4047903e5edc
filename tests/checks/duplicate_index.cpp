#include "model/remediation_kind.hpp"
#include "support/remediation_run.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("duplicate_index: reports the twin to drop and names the one kept", "[checks][duplicate_index]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.orders(id int primary key, code text, status int);
    insert into $s.orders select g, 'c' || g, g % 5 from generate_series(1, 500) g;
    -- planted: a plain index next to a unique one on the same column
    create unique index orders_code_key on $s.orders(code);
    create index orders_a_code_idx on $s.orders(code);
    -- planted: two plain twins, and expression twins written differently
    create index orders_status_a on $s.orders(status);
    create index orders_status_b on $s.orders(status);
    create index orders_lower_a on $s.orders(lower(code));
    create index orders_lower_b on $s.orders ( lower( code ) );
    -- planted: a unique constraint on the primary key's column
    alter table $s.orders add constraint orders_id_key unique (id);
    -- controls: other sort order, other predicate, other opclass, other method
    create index orders_status_desc on $s.orders(status desc);
    create index orders_status_part on $s.orders(status) where code is not null;
    create index orders_code_pattern on $s.orders(code text_pattern_ops);
    create index orders_status_hash on $s.orders using hash(status);
  )");

  const auto result = db.audit({"duplicate_index"});

  // The unique index is kept, whatever the names' order.
  const auto& code = finding(result, "duplicate_index", ident(schema) + ".orders_a_code_idx");
  CHECK(code.category == "duplicate_index");
  CHECK(code.message.find("duplicates orders_code_key") != std::string::npos);
  CHECK(code.evidence.at("kept_index") == "orders_code_key");
  CHECK(code.evidence.at("kept_unique") == true);
  CHECK(code.remediation.find("-- duplicate of orders_code_key; to recreate it: CREATE INDEX orders_a_code_idx ON "
                              + ident(schema) + ".orders USING btree (code);") != std::string::npos);
  // Dropped inside a guard that checks the kept twin is there and valid; the undo recreates it.
  CHECK(code.remediation.find("(x.indexrelid = pg_catalog.to_regclass('" + ident(schema) + ".orders_code_key')") !=
        std::string::npos);
  CHECK(code.remediation.find("  drop index if exists " + ident(schema) + ".orders_a_code_idx;\nend $$;") != std::string::npos);
  // (the undo drops an invalid leftover of a cancelled build first: guard_index_rebuilds)
  CHECK(code.undo.starts_with("set lock_timeout = '5s';\n-- a cancelled build leaves the index invalid"));
  CHECK(code.undo.ends_with("\ncreate index concurrently if not exists orders_a_code_idx ON " + ident(schema) +
                     ".orders USING btree (code);"));
  CHECK_FALSE(has_finding(result, "duplicate_index", ident(schema) + ".orders_code_key"));
  // Severity from size: a twin of a few pages is low; from min_size_bytes, medium.
  CHECK(code.severity == model::Severity::low);
  auto config = audit::default_config();
  config.checks["duplicate_index"].params["min_size_bytes"] = "0";
  CHECK(finding(db.audit({"duplicate_index"}, config), "duplicate_index", ident(schema) + ".orders_a_code_idx").severity
        == model::Severity::medium);

  // Between equals, the first by name is kept.
  CHECK(finding(result, "duplicate_index", ident(schema) + ".orders_status_b").evidence.at("kept_index") == "orders_status_a");
  CHECK_FALSE(has_finding(result, "duplicate_index", ident(schema) + ".orders_status_a"));
  CHECK(finding(result, "duplicate_index", ident(schema) + ".orders_lower_b").evidence.at("kept_index") == "orders_lower_a");

  // The primary key is kept; the unique constraint goes with its constraint.
  const auto& id = finding(result, "duplicate_index", ident(schema) + ".orders_id_key");
  CHECK(id.evidence.at("kept_index") == "orders_pkey");
  CHECK(id.evidence.at("kept_constraint") == "orders_pkey");
  CHECK(id.remediation.find("alter table " + ident(schema) + ".orders drop constraint if exists orders_id_key;")
        != std::string::npos);
  CHECK_FALSE(has_finding(result, "duplicate_index", ident(schema) + ".orders_pkey"));

  for (const auto* control : {"orders_status_desc", "orders_status_part", "orders_code_pattern", "orders_status_hash"}) {
    CHECK_FALSE(has_finding(result, "duplicate_index", ident(schema) + "." + control));
  }
  CHECK(findings_of(result, "duplicate_index").size() == 4);
}

TEST_CASE("duplicate_index and redundant_index: the fixes run as printed, together, and stop when the kept index is gone",
          "[checks][duplicate_index][redundant_index][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.organization_subscription_invoice_line_items_archived(
      id bigint primary key, organization_id uuid, invoice_id bigint, created_at timestamptz);
    insert into $s.organization_subscription_invoice_line_items_archived
      select g, md5((g % 9)::text)::uuid, g, now() from generate_series(1, 500) g;
    create index line_items_organization_a on $s.organization_subscription_invoice_line_items_archived(organization_id);
    create index line_items_organization_b on $s.organization_subscription_invoice_line_items_archived(organization_id);
    create index line_items_organization_created on $s.organization_subscription_invoice_line_items_archived(organization_id, created_at);
    alter table $s.organization_subscription_invoice_line_items_archived add constraint line_items_id_key unique (id);
  )");
  const auto result = db.audit({"duplicate_index", "redundant_index"});
  auto fixes = findings_of(result, "duplicate_index");
  const auto redundant = findings_of(result, "redundant_index");
  REQUIRE(fixes.size() == 2);
  // Both twins are a prefix of the wider index: the duplicate is one entry with redundant_index's
  // evidence (audit/one_entry_per_object.cpp), the twin it keeps a redundant_index finding.
  REQUIRE(redundant.size() == 1);
  CHECK(redundant[0].object == ident(schema) + ".line_items_organization_a");
  CHECK(finding(result, "duplicate_index", ident(schema) + ".line_items_organization_b").evidence.contains("redundant_index"));
  fixes.insert(fixes.end(), redundant.begin(), redundant.end());
  for (const auto& f : fixes) {
    INFO(f.object << "\n" << f.remediation);
    const auto fixed = run_fix_on_copy(db, f);
    CHECK(fixed.problems().empty());
    CHECK_FALSE(fixed.still_reported(f));
  }

  // Every fix at once, in the audit's order: the twin goes while its kept twin is there, then
  // that one while the wider index is.
  std::string all;
  for (const auto& h : result.findings.heads()) {
    all += result.whole(h).remediation + "\n";
  }
  const auto together = run_fix_on_copy(db, all);
  INFO(together.run.output);
  CHECK(together.run.errors().empty());
  CHECK(together.copy->audit({"duplicate_index", "redundant_index"}).findings.size() == 0);

  // The kept twin dropped after the audit: the duplicate is kept.
  const auto& twin = finding(result, "duplicate_index", ident(schema) + ".line_items_organization_b");
  ScratchDb copy(db.name());
  copy.exec(with_schema(schema, "drop index $s.line_items_organization_a"));
  const auto stopped = run_psql_script(copy, twin.remediation);
  INFO(stopped.output);
  REQUIRE(stopped.errors().size() == 1);
  CHECK(stopped.errors()[0].find("line_items_organization_a is missing or invalid") != std::string::npos);
  CHECK(copy.scalar(with_schema(schema, "select to_regclass('$s.line_items_organization_b')")).has_value());
}

TEST_CASE("duplicate_index and redundant_index: on a partitioned table the undo rebuilds a valid index",
          "[checks][duplicate_index][redundant_index][roundtrip]")
{
  ScratchDb db;
  db.plant(k_public_schema, R"(
    create table public.events(id bigint, org_id int, at date) partition by range (at);
    create table public.events_2026 partition of public.events for values from ('2026-01-01') to ('2027-01-01');
    insert into public.events select g, g % 7, date '2026-01-01' + g % 300 from generate_series(1, 500) g;
    create index events_org_a on public.events(org_id);
    create index events_org_b on public.events(org_id);
    create index events_org_at on public.events(org_id, at);
  )");
  const auto result = db.audit({"duplicate_index", "redundant_index"});
  auto fixes = findings_of(result, "duplicate_index");
  const auto redundant = findings_of(result, "redundant_index");
  fixes.insert(fixes.end(), redundant.begin(), redundant.end());
  REQUIRE(fixes.size() >= 2);
  for (auto f : fixes) {
    // ON ONLY would recreate an invalid index on the parent alone
    CHECK(f.undo.find(" ON ONLY ") == std::string::npos);
    f.remediation += "\n" + f.undo;
    INFO(f.check_id << " " << f.object << "\n" << f.remediation);
    const auto fixed = run_fix_on_copy(db, f);
    INFO(fixed.run.output);
    CHECK(fixed.problems().empty());
    CHECK(fixed.run.errors().empty());
  }
}

TEST_CASE("duplicate_index: the drop's guard finds the twin by its definition once renamed, and stops without it",
          "[checks][duplicate_index]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.settings(key text not null, value jsonb);
    create unique index settings_key_uq on $s.settings(key);
    create unique index settings_key_uq2 on $s.settings(key);
    insert into $s.settings select 'k' || g, '{}' from generate_series(1, 50) g;
  )");
  const auto result = db.audit({"duplicate_index"});
  REQUIRE(findings_of(result, "duplicate_index").size() == 1);
  const auto f = findings_of(result, "duplicate_index").front();
  const auto kept = f.evidence.at("kept_index").get<std::string>();
  // the twin kept became a primary key first (no_primary_key's fix renames it)
  const auto renamed = run_fix_on_copy(db, f, with_schema(schema, "alter table $s.settings add constraint settings_pkey "
                                                                  "primary key using index " + kept));
  INFO(renamed.run.output);
  CHECK(renamed.problems().empty());
  CHECK(renamed.copy->scalar(with_schema(schema, "select count(*) from pg_index where indrelid = '$s.settings'::regclass")) == "1");
  // gone: the guard stops, and the index stays
  const auto gone = run_fix_on_copy(db, f, with_schema(schema, "drop index $s." + kept));
  REQUIRE(gone.run.errors().size() == 1);
  CHECK(gone.run.errors()[0].find("is missing or invalid: keep") != std::string::npos);
  CHECK(gone.copy->scalar(with_schema(schema, "select count(*) from pg_index where indrelid = '$s.settings'::regclass")) == "1");
}

TEST_CASE("duplicate_index: a unique index is dropped only while a unique twin is there, not beside a plain one",
          "[checks][duplicate_index]")
{
  // Documenso's unique duplicates: the guard's match by definition left UNIQUE out, so with the
  // named unique twin gone, a plain index on the same column passed it, and the drop took the
  // column's uniqueness with it
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.accounts(id int primary key, email text not null);
    create unique index accounts_email_key on $s.accounts(email);
    create unique index accounts_email_key2 on $s.accounts(email);
    create index accounts_email_idx on $s.accounts(email);
    insert into $s.accounts select g, 'u' || g || '@example.com' from generate_series(1, 500) g;
  )");
  const auto result = db.audit({"duplicate_index"});
  const auto& unique_twin = finding(result, "duplicate_index", ident(schema) + ".accounts_email_key2");
  REQUIRE(unique_twin.evidence.at("kept_index") == "accounts_email_key");
  const auto count_unique = "select count(*) from pg_index where indrelid = '$s.accounts'::regclass and indisunique "
                            "and indkey::text = (select attnum::text from pg_attribute where attrelid = '$s.accounts'::regclass "
                            "and attname = 'email')";
  // the named twin gone: the guard stops, and the unique index stays
  const auto gone = run_fix_on_copy(db, unique_twin, with_schema(schema, "drop index $s.accounts_email_key"));
  REQUIRE(gone.run.errors().size() == 1);
  CHECK(gone.run.errors()[0].find("is missing or invalid: keep") != std::string::npos);
  CHECK(gone.copy->scalar(with_schema(schema, count_unique)) == "1");
  // control: the plain index's own drop still finds a unique twin by its definition, renamed
  const auto& plain = finding(result, "duplicate_index", ident(schema) + ".accounts_email_idx");
  const auto renamed = run_fix_on_copy(db, plain, with_schema(schema, "alter index $s.accounts_email_key rename to accounts_email_uq"));
  INFO(renamed.run.output);
  CHECK(renamed.problems().empty());
  CHECK(renamed.copy->scalar(with_schema(schema, count_unique)) == "2");
}

TEST_CASE("duplicate_index: of two equal twins, the one named for its table is kept, not a name left from before a rename",
          "[checks][duplicate_index]")
{
  // Rallly: "User_email_key" stayed from before the table's rename to users beside users_email_key,
  // the name Prisma's schema holds; keeping the first by name dropped Prisma's, which its next
  // migration would add again
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.users(id text primary key, email text not null);
    create unique index "User_email_key" on $s.users(email);
    create unique index users_email_key on $s.users(email);
  )");
  const auto result = db.audit({"duplicate_index"});
  const auto& old_name = finding(result, "duplicate_index", ident(schema) + ".\"User_email_key\"");
  CHECK(old_name.evidence.at("kept_index") == "users_email_key");
  CHECK_FALSE(has_finding(result, "duplicate_index", ident(schema) + ".users_email_key"));
}

TEST_CASE("duplicate_index: a twin a foreign key references its parent through is kept, or named in advice",
          "[checks][duplicate_index]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    -- the key took p_id_key: with a primary key beside it, that one cannot go; advice
    create table $s.p(id int not null);
    create unique index p_id_key on $s.p(id);
    create table $s.c(id int primary key, pid int references $s.p(id));
    alter table $s.p add constraint p_pkey primary key (id);
    -- no primary key: the twin the key uses is the one kept (not the first by name), the other dropped
    create table $s.q(code text not null);
    create unique index q_code_b on $s.q(code);
    create table $s.r(id int primary key, qcode text references $s.q(code));
    create unique index q_code_a on $s.q(code);
    insert into $s.p values (1), (2);
    insert into $s.q values ('a'), ('b');
  )");
  const auto result = db.audit({"duplicate_index"});
  const auto s = ident(schema);
  const auto& p = finding(result, "duplicate_index", s + ".p_id_key");
  INFO(p.remediation);
  CHECK(model::remediation_kind(p.remediation) == model::RemediationKind::advice);
  CHECK(p.remediation.find("foreign keys c_pid_fkey reference") != std::string::npos);
  // the message agrees with the advice (Hydra's hydra_client_idx_id_uq said "drop it" beside it)
  CHECK(p.message.find("the foreign keys c_pid_fkey go through it, so they move to p_pkey first") != std::string::npos);
  CHECK(p.message.find("drop it and keep") == std::string::npos);
  CHECK(run_fix_on_copy(db, p).problems().empty());

  CHECK_FALSE(has_finding(result, "duplicate_index", s + ".q_code_b"));
  const auto& q = finding(result, "duplicate_index", s + ".q_code_a");
  const auto fixed = run_fix_on_copy(db, q);
  INFO(fixed.run.output);
  CHECK(fixed.run.errors().empty());
  CHECK_FALSE(fixed.still_reported(q));
  // its twin, which the foreign key uses, still enforces the rule
  CHECK(fixed.copy->scalar(with_schema(schema, "select string_agg(indexrelid::regclass::text, ',') from pg_index "
                                               "where indrelid = '$s.q'::regclass and indisunique")) ==
        (schema == k_public_schema ? "q_code_b" : ident(schema) + ".q_code_b"));
}

TEST_CASE("duplicate_index: the advice for a twin foreign keys go through moves them in one transaction, which works "
          "when the twin is the older index", "[checks][duplicate_index]")
{
  // Concourse's workers: constraint_workers_name_unique is older than workers_pkey; re-adding the
  // keys beside it (the old advice) bound them to it again, and the finding came back
  ScratchDb db;
  db.plant(k_public_schema, R"(
    create table public.w(name text not null, constraint w_name_unique unique (name));
    alter table public.w add primary key (name);
    create table public.c(id int primary key, wn text constraint c_wn_fkey references public.w(name));
    insert into public.w values ('a'), ('b');
    insert into public.c values (1, 'a');
  )");
  const auto result = db.audit({"duplicate_index"});
  const auto& twin = finding(result, "duplicate_index", "public.w_name_unique");
  INFO(twin.remediation);
  CHECK(model::remediation_kind(twin.remediation) == model::RemediationKind::advice);
  CHECK(twin.remediation.find("alter table public.w drop constraint w_name_unique (the index goes with it)") != std::string::npos);
  // the steps, as the advice says them, run on a copy: the key binds to the primary key, the finding is gone
  ScratchDb copy(db.name());
  copy.exec("set lock_timeout = '5s'; begin; alter table public.c drop constraint c_wn_fkey; "
            "alter table public.w drop constraint w_name_unique; "
            "alter table public.c add constraint c_wn_fkey foreign key (wn) references public.w(name) not valid; commit; "
            "alter table public.c validate constraint c_wn_fkey;");
  CHECK(copy.scalar("select conindid::regclass::text from pg_constraint where conname = 'c_wn_fkey'") == "w_pkey");
  CHECK_FALSE(has_finding(copy.audit({"duplicate_index"}), "duplicate_index", "public.w_name_unique"));
}

TEST_CASE("duplicate_index and redundant_index: an index's comment is shown before its drop and set again by the undo",
          "[checks][duplicate_index][redundant_index][roundtrip]")
{
  // Coder's template_usage_stats_start_time_template_id_user_id_idx, 'Index for primary key.'
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.t(a int not null, b int not null, c int not null, primary key (a, b));
    create unique index t_a_b_idx on $s.t(a, b);
    comment on index $s.t_a_b_idx is 'Index for primary key.';
    create index t_c_idx on $s.t(c);
    create index t_c_a_idx on $s.t(c, a);
    comment on index $s.t_c_idx is 'keep: used by the nightly report';
  )");
  const auto s = ident(schema);
  const auto result = db.audit({"duplicate_index", "redundant_index"});
  const auto& twin = finding(result, "duplicate_index", s + ".t_a_b_idx");
  const auto& prefix = finding(result, "redundant_index", s + ".t_c_idx");
  CHECK(twin.evidence.at("comment") == "Index for primary key.");
  CHECK(prefix.message.find("(its comment says: keep: used by the nightly report)") != std::string::npos);
  for (const auto* f : {&twin, &prefix}) {
    const auto fix = run_fix_on_copy(db, *f);
    INFO(fix.run.output);
    CHECK(fix.problems().empty());
    CHECK(run_psql_script(*fix.copy, f->undo).errors().empty());
    CHECK(fix.copy->scalar(fmt::format("select obj_description('{}'::regclass, 'pg_class')", f->object)) ==
          std::optional<std::string>(f->evidence.at("comment").get<std::string>()));
  }
}
