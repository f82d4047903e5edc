#include "model/remediation_kind.hpp"
#include "support/remediation_run.hpp"
#include "util/text.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("unique_candidate: flags all-distinct key-like columns that no unique index covers",
          "[checks][unique_candidate]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.users(id bigint primary key, email text, username text, external_ref uuid, plan text,
                          login_count integer, created_at timestamptz, team_id bigint, handle text,
                          login text, invoice_number text, bio text, deleted_at timestamptz, password_hash text,
                          pass_crypt text, commit_sha text, shadow_ref text);
    insert into $s.users
      select g, 'user' || g || '@example.com', 'user' || g, md5(g::text)::uuid,
             case when g % 10 = 0 then 'pro' else 'free' end, g, now() - g * interval '1 minute', g % 40, 'h' || g,
             'Login' || g, 'INV-' || g, 'Bio of user ' || g || ', who likes PostgreSQL', null,
             '$2a$10$' || md5(g::text), md5('salt' || g), md5('commit' || g), 'shadow-' || g
      from generate_series(1, 3000) g;
    create unique index users_username_key on $s.users(username);
    -- controls: uniqueness rules someone chose (per team, case-insensitive, among live rows)
    create unique index users_team_id_handle_key on $s.users(team_id, handle);
    create unique index users_lower_login_key on $s.users(lower(login));
    create unique index users_invoice_number_key on $s.users(invoice_number) where deleted_at is null;
    -- control: a key-like name, but one value repeats (3,000 rows, 2,999 distinct): the statistics disagree
    create table $s.coupons(id bigint primary key, promo_code text);
    insert into $s.coupons select g, 'PROMO-' || least(g, 2999) from generate_series(1, 3000) g;
    -- control: too small to judge
    create table $s.flags(id bigint primary key, slug text);
    insert into $s.flags select g, 'flag-' || g from generate_series(1, 20) g;
    analyze;
  )");

  const auto result = db.audit({"unique_candidate"});
  const auto s = ident(schema);

  const auto& email = finding(result, "unique_candidate", ident(schema) + ".users.email");
  CHECK(email.evidence["n_distinct"] == -1);
  CHECK(email.remediation.find("create unique index concurrently if not exists users_email_key on " + s + ".users (email);") !=
        std::string::npos);
  CHECK(email.remediation.find("add constraint users_email_key unique using index users_email_key;") != std::string::npos);
  CHECK(email.remediation.find("optionally") == std::string::npos);
  CHECK(has_finding(result, "unique_candidate", ident(schema) + ".users.external_ref"));
  // Unique per team by design (a tenant-scoped key): a global unique index would contradict it.
  CHECK_FALSE(has_finding(result, "unique_candidate", ident(schema) + ".users.handle"));
  CHECK_FALSE(has_finding(result, "unique_candidate", ident(schema) + ".users.login"));          // unique on lower(login)
  CHECK_FALSE(has_finding(result, "unique_candidate", ident(schema) + ".users.invoice_number")); // partial unique index
  CHECK_FALSE(has_finding(result, "unique_candidate", ident(schema) + ".users.bio"));            // prose, all distinct
  // secrets: distinct by construction, not keys (Synapse's password_hash, OpenStreetMap's pass_crypt)
  CHECK_FALSE(has_finding(result, "unique_candidate", ident(schema) + ".users.password_hash"));
  CHECK_FALSE(has_finding(result, "unique_candidate", ident(schema) + ".users.pass_crypt"));
  // a content hash repeats with its content (GitLab's ci_pipelines.sha); "sha" inside a word is no hash
  CHECK_FALSE(has_finding(result, "unique_candidate", ident(schema) + ".users.commit_sha"));
  CHECK(has_finding(result, "unique_candidate", ident(schema) + ".users.shadow_ref"));

  CHECK_FALSE(has_finding(result, "unique_candidate", ident(schema) + ".users.username"));    // unique index
  CHECK_FALSE(has_finding(result, "unique_candidate", ident(schema) + ".users.id"));          // primary key
  CHECK_FALSE(has_finding(result, "unique_candidate", ident(schema) + ".users.plan"));        // repeats
  CHECK_FALSE(has_finding(result, "unique_candidate", ident(schema) + ".users.login_count")); // a counter, not a key
  CHECK_FALSE(has_finding(result, "unique_candidate", ident(schema) + ".users.created_at"));
  CHECK_FALSE(has_finding(result, "unique_candidate", ident(schema) + ".flags.slug"));        // too small
  CHECK_FALSE(has_finding(result, "unique_candidate", ident(schema) + ".coupons.promo_code")); // one value repeats
  CHECK(findings_of(result, "unique_candidate").size() == 3); // email, external_ref, shadow_ref
}

TEST_CASE("unique_candidate: the fix runs as printed, names fit in 63 bytes, and it stops on duplicates",
          "[checks][unique_candidate][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.users(id bigint primary key, email text, external_ref uuid);
    insert into $s.users select g, 'user' || g || '@example.com', md5(g::text)::uuid from generate_series(1, 3000) g;
    -- the plain name is taken by another relation of the schema
    create sequence $s.users_external_ref_key;
    create table $s.subscription_billing_cycle_adjustments_by_organization(id bigint primary key, invoice_code text);
    insert into $s.subscription_billing_cycle_adjustments_by_organization
      select g, 'ADJ-' || g from generate_series(1, 3000) g;
    analyze;
  )");
  const auto result = db.audit({"unique_candidate"});
  const auto s = ident(schema);
  const auto findings = findings_of(result, "unique_candidate");
  REQUIRE(findings.size() == 3);

  const auto& long_name = finding(result, "unique_candidate", ident(schema) + ".subscription_billing_cycle_adjustments_by_organization.invoice_code");
  // 54 bytes of the base name, then 8 hex digits of its md5
  CHECK(long_name.remediation.find("create unique index concurrently if not exists "
                                   "subscription_billing_cycle_adjustments_by_organization_36baea94 on ") != std::string::npos);
  CHECK(finding(result, "unique_candidate", ident(schema) + ".users.external_ref").remediation.find(
          "if not exists users_external_ref_key_") != std::string::npos);
  CHECK(finding(result, "unique_candidate", ident(schema) + ".users.email").undo.find(
          "drop index concurrently if exists " + s + ".users_email_key;") != std::string::npos);

  for (const auto& f : findings) {
    INFO(f.object << "\n" << f.remediation);
    const auto fixed = run_fix_on_copy(db, f);
    CHECK(fixed.problems().empty());
    CHECK_FALSE(fixed.still_reported(f));
  }

  // A duplicate written after the audit: the script stops, names it, and leaves no invalid index.
  const auto& email = finding(result, "unique_candidate", ident(schema) + ".users.email");
  const auto stopped = run_fix_on_copy(db, email, with_schema(schema, "insert into $s.users values (3001, 'user1@example.com')"));
  INFO(stopped.run.output);
  REQUIRE_FALSE(stopped.run.errors().empty());
  CHECK(stopped.run.errors()[0].find("holds 1 duplicated values") != std::string::npos);
  CHECK(stopped.weakened.empty());
  CHECK(stopped.invalid.empty());
  CHECK(stopped.still_reported(email));
}

TEST_CASE("unique_candidate: a plain index on the column is dropped once the unique one takes its place, and the undo "
          "builds it again", "[checks][unique_candidate][roundtrip]")
{
  // Danbooru: the unique index was built beside the plain one, which duplicate_index then reported
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.media_assets(id bigint primary key, external_ref uuid not null, md_token text, slug text);
    create index media_assets_external_ref_idx on $s.media_assets(external_ref);
    -- controls: an index of another operator class, and a partial one, stay
    create index media_assets_md_token_pattern_idx on $s.media_assets(md_token text_pattern_ops);
    create index media_assets_recent_slug_idx on $s.media_assets(slug) where id > 10;
    insert into $s.media_assets select g, md5(g::text)::uuid, 'tok-' || g, 'slug-' || g from generate_series(1, 3000) g;
    analyze;
  )");
  const std::vector<std::string> checks{"unique_candidate", "duplicate_index", "redundant_index"};
  const auto result = db.audit(checks);
  const auto s = ident(schema);
  const auto ref = finding(result, "unique_candidate", s + ".media_assets.external_ref");
  INFO(ref.remediation);
  CHECK(ref.evidence["replaces_index"] == "media_assets_external_ref_idx");
  CHECK(ref.message.find("the plain index media_assets_external_ref_idx on it is dropped") != std::string::npos);
  CHECK(finding(result, "unique_candidate", s + ".media_assets.md_token").evidence["replaces_index"].is_null());

  const auto indexes = with_schema(schema, "select string_agg(c.relname, ',' order by c.relname) from pg_index x "
                                           "join pg_class c on c.oid = x.indexrelid where x.indrelid = '$s.media_assets'::regclass");
  for (const auto* object : {".media_assets.external_ref", ".media_assets.md_token"}) {
    const auto& f = finding(result, "unique_candidate", s + object);
    const auto fixed = run_fix_on_copy(db, f);
    INFO(fixed.run.output);
    CHECK(fixed.problems().empty());
    const auto again = fixed.copy->audit(checks);
    CHECK(findings_of(again, "duplicate_index").empty());
    CHECK(findings_of(again, "redundant_index").empty());
    CHECK_FALSE(has_finding(again, "unique_candidate", f.object));
  }
  const auto fixed = run_fix_on_copy(db, ref);
  CHECK(fixed.copy->scalar(indexes) ==
        "media_assets_external_ref_key,media_assets_md_token_pattern_idx,media_assets_pkey,media_assets_recent_slug_idx");
  const auto undone = run_psql_script(*fixed.copy, ref.undo);
  INFO(undone.output);
  CHECK(undone.errors().empty());
  CHECK(fixed.copy->scalar(indexes) == db.scalar(indexes));
}

TEST_CASE("unique_candidate: long values no index looks up are info, the steps as advice", "[checks][unique_candidate]")
{
  // Plausible: OAuth tokens and billing URLs, distinct by their length, nobody looks rows up by them
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.google_auth(id bigint primary key, access_token text, invite_code text, email text);
    insert into $s.google_auth
      select g, md5(g::text) || md5((g + 1)::text), md5('i' || g) || md5('j' || g), 'user' || g || '@example.com'
      from generate_series(1, 3000) g;
    -- control: long too, but looked up by an index: a key someone uses
    create index google_auth_invite_code_idx on $s.google_auth(invite_code);
    analyze $s.google_auth;
  )");
  const auto result = db.audit({"unique_candidate"});
  const auto s = ident(schema);
  const auto token = finding(result, "unique_candidate", s + ".google_auth.access_token");
  INFO(token.remediation);
  CHECK(token.severity == model::Severity::info);
  CHECK(token.evidence["avg_width"].get<int>() >= 32);
  CHECK(token.evidence["first_in_an_index"] == false);
  CHECK(model::remediation_kind(token.remediation) == model::RemediationKind::advice);
  CHECK(token.remediation.find("-- create unique index concurrently if not exists") != std::string::npos);
  CHECK(token.undo == "-- nothing to undo: the advice runs nothing");
  const auto invite = finding(result, "unique_candidate", s + ".google_auth.invite_code");
  CHECK(invite.severity == model::Severity::low);
  CHECK(model::remediation_kind(invite.remediation) == model::RemediationKind::script);
  CHECK(finding(result, "unique_candidate", s + ".google_auth.email").severity == model::Severity::low); // short
}

TEST_CASE("unique_candidate: a foreign key's column, one row per parent so far, is info, the steps as advice",
          "[checks][unique_candidate]")
{
  // Documenso's EnvelopeItem."envelopeId": an envelope had one item each in the data; the key lets
  // it have many, and the fix would have refused the second document of an envelope
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s."Envelope"(id text primary key);
    create table $s."EnvelopeItem"(id text primary key, "envelopeId" text not null references $s."Envelope"(id),
                                   "externalCode" text);
    create index "EnvelopeItem_envelopeId_idx" on $s."EnvelopeItem"("envelopeId");
    insert into $s."Envelope" select 'env' || g from generate_series(1, 3000) g;
    insert into $s."EnvelopeItem" select 'item' || g, 'env' || g, 'X' || g from generate_series(1, 3000) g;
    create table $s.sessions(session_id uuid primary key);
    create table $s.session_data(id bigint primary key, session_id uuid not null, data_key text);
    insert into $s.sessions select md5(g::text)::uuid from generate_series(1, 3000) g;
    insert into $s.session_data select g, md5(g::text)::uuid, 'email' from generate_series(1, 3000) g;
    analyze $s."Envelope", $s."EnvelopeItem", $s.sessions, $s.session_data;
  )");
  const auto result = db.audit({"unique_candidate"});
  const auto s = ident(schema);
  const auto item = finding(result, "unique_candidate", s + ".\"EnvelopeItem\".\"envelopeId\"");
  INFO(item.message);
  CHECK(item.severity == model::Severity::info);
  CHECK(item.evidence["references"] == s + ".\"Envelope\"");
  CHECK(item.message.find("it references " + s + ".\"Envelope\" (by a foreign key), which lets a parent have many rows here") !=
        std::string::npos);
  CHECK(model::remediation_kind(item.remediation) == model::RemediationKind::advice);
  CHECK(item.undo == "-- nothing to undo: the advice runs nothing");
  // Umami's session_data.session_id: a reference by its name alone, no key declared
  const auto data = finding(result, "unique_candidate", s + ".session_data.session_id");
  CHECK(data.severity == model::Severity::info);
  CHECK(data.evidence["references"] == s + ".sessions");
  CHECK(data.message.find("(by its name, no foreign key declared)") != std::string::npos);
  // control: a code column of the same table is no foreign key's: low, a script
  const auto code = finding(result, "unique_candidate", s + ".\"EnvelopeItem\".\"externalCode\"");
  CHECK(code.severity == model::Severity::low);
  CHECK(code.evidence["references"].is_null());
  CHECK(model::remediation_kind(code.remediation) == model::RemediationKind::script);
}

TEST_CASE("unique_candidate: an id of another entity that a non-unique index holds, or a composite key's column, is info",
          "[checks][unique_candidate]")
{
  // Hydra's refresh.request_id (a token refresh inserts a row of the same request: the UNIQUE
  // refused it), Temporal's executions_visibility.workflow_id in (namespace_id, workflow_id) (a
  // workflow has many runs), Hydra's device codes' client_id in the key (client_id, nid)
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.refresh(signature text primary key, request_id varchar(40) not null, active bool not null,
                            token_code text not null);
    create index refresh_request_id_idx on $s.refresh(request_id);
    insert into $s.refresh select md5(g::text), md5('r' || g), true, 'T' || g from generate_series(1, 3000) g;
    create table $s.runs(namespace_id text not null, run_id text not null, workflow_id text not null,
                         primary key (namespace_id, run_id));
    create index runs_by_workflow_id on $s.runs(namespace_id, workflow_id);
    insert into $s.runs select 'ns' || (g % 4), 'r' || g, 'wf-' || g from generate_series(1, 3000) g;
    create table $s.clients(id text, nid int, primary key (id, nid));
    insert into $s.clients select 'client-' || g, 1 from generate_series(1, 3000) g;
    create table $s.device_codes(signature text primary key, client_id text not null, nid int not null,
                                 foreign key (client_id, nid) references $s.clients);
    create index device_codes_client on $s.device_codes(client_id, nid);
    insert into $s.device_codes select md5(g::text), 'client-' || g, 1 from generate_series(1, 3000) g;
    -- Harbor's vulnerability_record.urls: short links (under long_bytes), distinct in young data
    create table $s.vulnerabilities(id bigint primary key, urls text, reference text);
    insert into $s.vulnerabilities select g, 'https://cve.io/' || g, 'http://x.io/' || g from generate_series(1, 3000) g;
    -- OpenFGA's store.name: a display name, stores re-created under a deleted one's name
    create table $s.stores(id text primary key, name text not null, deleted_at timestamptz);
    insert into $s.stores select 'id' || g, 'store-' || g, null from generate_series(1, 3000) g;
    -- Mattermost: fileinfo.postid (a post holds up to ten files) beside an index the fix would
    -- have dropped, and users' first and last names, distinct in young data
    create table $s.posts(id varchar(26) primary key);
    create table $s.fileinfo(id varchar(26) primary key, postid varchar(26) not null);
    create index fileinfo_postid_idx on $s.fileinfo(postid);
    insert into $s.posts select left(md5('p' || g), 26) from generate_series(1, 3000) g;
    insert into $s.fileinfo select left(md5('f' || g), 26), left(md5('p' || g), 26) from generate_series(1, 2000) g;
    create table $s.people(id bigint primary key, firstname text not null, last_name text not null, "nickName" text not null);
    insert into $s.people select g, 'First' || g, 'Last' || g, 'nick' || g from generate_series(1, 3000) g;
    analyze $s.refresh, $s.runs, $s.clients, $s.device_codes, $s.vulnerabilities, $s.stores, $s.posts, $s.fileinfo, $s.people;
  )");
  const auto result = db.audit({"unique_candidate"});
  const auto s = ident(schema);
  const auto request = finding(result, "unique_candidate", s + ".refresh.request_id");
  INFO(request.message);
  CHECK(request.severity == model::Severity::info);
  CHECK(request.evidence["plain_reference_index"] == "refresh_request_id_idx");
  CHECK(request.message.find("an id of another entity that the index refresh_request_id_idx holds without uniqueness") !=
        std::string::npos);
  CHECK(request.message.find("the plain index refresh_request_id_idx on it would be dropped once a unique one took its place") !=
        std::string::npos);
  CHECK(model::remediation_kind(request.remediation) == model::RemediationKind::advice);
  CHECK(finding(result, "unique_candidate", s + ".runs.workflow_id").severity == model::Severity::info);
  const auto client = finding(result, "unique_candidate", s + ".device_codes.client_id");
  CHECK(client.severity == model::Severity::info);
  CHECK(client.evidence["references"] == s + ".clients");
  for (const auto* column : {"urls", "reference"}) { // by its name, by its values
    const auto link = finding(result, "unique_candidate", s + ".vulnerabilities." + column);
    CHECK(link.severity == model::Severity::info);
    CHECK(link.message.find("but it holds links, which many rows share") != std::string::npos);
  }
  const auto store = finding(result, "unique_candidate", s + ".stores.name");
  CHECK(store.severity == model::Severity::info);
  CHECK(store.message.find("but it is a display name, a label rather than a key") != std::string::npos);
  const auto post = finding(result, "unique_candidate", s + ".fileinfo.postid");
  CHECK(post.severity == model::Severity::info);
  CHECK(model::remediation_kind(post.remediation) == model::RemediationKind::advice);
  for (const auto* column : {"firstname", "last_name", "\"nickName\""}) {
    INFO(column);
    CHECK(finding(result, "unique_candidate", s + ".people." + column).severity == model::Severity::info);
  }
  // control: a code column, named like no reference, with no index: low, a script
  CHECK(finding(result, "unique_candidate", s + ".refresh.token_code").severity == model::Severity::low);
}

TEST_CASE("unique_candidate: on a tenant's table the key is unique within each tenant", "[checks][unique_candidate]")
{
  // Lago's invoices.number: every organization numbers its own invoices; a global key would refuse
  // the second tenant's INV-0001
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.invoices(id bigint primary key, organization_id bigint not null, number text);
    create index invoices_organization_id_idx on $s.invoices(organization_id);
    create index invoices_number_idx on $s.invoices(number);
    insert into $s.invoices select g, g % 3, 'INV-' || g from generate_series(1, 3000) g;
    -- control: no tenant column, a global key
    create table $s.plans(id bigint primary key, code text);
    insert into $s.plans select g, 'plan-' || g from generate_series(1, 3000) g;
    analyze $s.invoices, $s.plans;
  )");
  const auto result = db.audit({"unique_candidate"});
  const auto s = ident(schema);
  const auto number = finding(result, "unique_candidate", s + ".invoices.number");
  INFO(number.remediation);
  CHECK(number.evidence["tenant_column"] == "organization_id");
  CHECK(number.message.find("unique within each tenant, (number, organization_id)") != std::string::npos);
  CHECK(number.remediation.find("create unique index concurrently if not exists invoices_number_organization_id_key on " + s +
                                ".invoices (number, organization_id);") != std::string::npos);
  const auto plans = finding(result, "unique_candidate", s + ".plans.code");
  CHECK(plans.evidence["tenant_column"].is_null());
  CHECK(plans.remediation.find("(code);") != std::string::npos);

  // the fix: the same number in two tenants stays allowed, within one it is refused; the plain
  // index on number (a left prefix now) goes, the one on the tenant stays, nothing new is reported
  const auto fixed = run_fix_on_copy(db, number);
  INFO(fixed.run.output);
  REQUIRE(fixed.problems().empty());
  const auto& copy = *fixed.copy;
  CHECK(run_psql_script(copy, with_schema(schema, "insert into $s.invoices values (9001, 7, 'INV-1')")).errors().empty());
  CHECK(run_psql_script(copy, with_schema(schema, "insert into $s.invoices values (9002, 1, 'INV-1')")).errors().size() == 1);
  CHECK(copy.scalar(with_schema(schema, "select count(*) from pg_indexes where schemaname = '" + schema +
                                            "' and indexname in ('invoices_number_idx', 'invoices_organization_id_idx')")) == "1");
  run_psql_script(copy, "analyze;");
  const auto again = copy.audit({"unique_candidate", "redundant_index", "duplicate_index"});
  CHECK_FALSE(has_finding(again, "unique_candidate", s + ".invoices.number"));
  CHECK_FALSE(has_finding(again, "redundant_index", s + ".invoices_organization_id_idx"));
  CHECK_FALSE(has_finding(again, "redundant_index", s + ".invoices_number_organization_id_key"));
  // the fix stops on a duplicate within one tenant, and leaves no invalid index
  const auto stopped = run_fix_on_copy(db, number, with_schema(schema, "insert into $s.invoices values (9003, 1, 'INV-1')"));
  REQUIRE_FALSE(stopped.run.errors().empty());
  CHECK(stopped.run.errors()[0].find("holds 1 duplicated values") != std::string::npos);
  CHECK(stopped.invalid.empty());
  CHECK(stopped.still_reported(number));
}

TEST_CASE("unique_candidate: a column an index orders by more columns, a polymorphic reference and key material are no keys",
          "[checks][unique_candidate]")
{
  // Windmill's script.path (a row per deployed version, in (workspace_id, path, created_at desc))
  // and input.runnable_id beside runnable_type; Lemmy's person.public_key
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.script(workspace_id text not null, hash bigint not null, path text not null,
                           created_at timestamptz not null default now(), primary key (workspace_id, hash));
    create index script_path_created_at on $s.script(workspace_id, path, created_at desc);
    insert into $s.script select 'ws-' || (g % 20), g, 'f/x/s_' || g, now() from generate_series(1, 5000) g;
    create table $s.input(id bigint primary key, runnable_id text not null, runnable_type text not null);
    insert into $s.input select g, 'f/x/s_' || g, 'ScriptPath' from generate_series(1, 2000) g;
    create table $s.person(id bigint primary key, public_key text not null, code text not null, handle text not null);
    -- control: an index on (column, tenant) only scopes lookups to a tenant
    create table $s.orders(id bigint primary key, workspace_id text not null, code text not null);
    create index orders_code_workspace on $s.orders(code, workspace_id);
    insert into $s.orders select g, 'ws-' || (g % 20), 'o' || g from generate_series(1, 2000) g;
    insert into $s.person select g, 'PUBKEY' || md5(g::text) || md5((g + 1)::text), 'c' || g, 'h' || g
      from generate_series(1, 2000) g;
    analyze $s.script, $s.input, $s.person, $s.orders;
  )");
  auto config = audit::default_config();
  config.globals["tenant_keys"] = util::pg_array_literal({"workspace_id"});
  const auto result = db.audit({"unique_candidate"}, config);
  const auto s = ident(schema);
  const auto path = finding(result, "unique_candidate", s + ".script.path");
  CHECK(path.severity == model::Severity::info);
  CHECK(path.evidence["ordering_index"] == "script_path_created_at");
  CHECK(model::remediation_kind(path.remediation) == model::RemediationKind::advice);
  const auto runnable = finding(result, "unique_candidate", s + ".input.runnable_id");
  CHECK(runnable.severity == model::Severity::info);
  CHECK(runnable.evidence["polymorphic_type_column"] == "runnable_type");
  CHECK_FALSE(has_finding(result, "unique_candidate", s + ".person.public_key"));
  // controls: keys indeed
  CHECK(finding(result, "unique_candidate", s + ".person.code").severity == model::Severity::low);
  CHECK(finding(result, "unique_candidate", s + ".orders.code").severity == model::Severity::low);
}

TEST_CASE("unique_candidate: a tenant column is no key, and the tenant's own table is no tenant's table",
          "[checks][unique_candidate]")
{
  // AppFlowy: af_workspace_invitation.workspace_id made UNIQUE refused a workspace's second
  // invitation; af_workspace (key workspace_id) got (database_storage_id, workspace_id), which
  // enforces nothing
  ScratchDb db;
  db.plant(k_public_schema, R"(
    create table $s.af_workspace(workspace_id uuid primary key, database_storage_id text not null);
    insert into $s.af_workspace select md5('w' || g)::uuid, 'store-' || g from generate_series(1, 2000) g;
    create table $s.af_workspace_invitation(id bigint primary key, workspace_id uuid not null, code text not null);
    insert into $s.af_workspace_invitation select g, md5('w' || g)::uuid, 'inv' || g from generate_series(1, 2000) g;
    analyze $s.af_workspace, $s.af_workspace_invitation;
  )");
  const auto result = db.audit({"unique_candidate"});
  const auto& tenant = finding(result, "unique_candidate", "public.af_workspace_invitation.workspace_id");
  CHECK(tenant.severity == model::Severity::info);
  CHECK(model::remediation_kind(tenant.remediation) == model::RemediationKind::advice);
  CHECK(tenant.message.find("but it is a tenant column") != std::string::npos);
  const auto& storage = finding(result, "unique_candidate", "public.af_workspace.database_storage_id");
  CHECK(storage.evidence["tenant_column"].is_null());
  CHECK(storage.remediation.find("(database_storage_id)") != std::string::npos);
  // control: an invitation's code, unique within the workspace
  const auto& code = finding(result, "unique_candidate", "public.af_workspace_invitation.code");
  CHECK(code.severity == model::Severity::low);
  CHECK(code.evidence["tenant_column"] == "workspace_id");
}

TEST_CASE("unique_candidate: a constant default, a link table's column and a uuid id of another entity are no evidence of a key",
          "[checks][unique_candidate]")
{
  // listmonk's campaign_media.filename (default '', copied from the medium each time one is
  // attached; the UNIQUE refused the application's next attach); Coder's audit_logs.request_id
  // (random uuids, distinct by construction). Controls: a plain key, an indexed uuid id.
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.campaigns(id bigint primary key);
    create table $s.media(id bigint primary key, filename text not null);
    create table $s.campaign_media(campaign_id bigint not null references $s.campaigns on delete cascade,
                                   media_id bigint references $s.media on delete set null,
                                   filename text not null default '', unique (campaign_id, media_id));
    insert into $s.campaigns select g from generate_series(1, 2000) g;
    insert into $s.media select g, 'file' || g || '.png' from generate_series(1, 2000) g;
    insert into $s.campaign_media select g, g, 'file' || g || '.png' from generate_series(1, 2000) g;
    create table $s.settings(id bigint primary key, slug text not null default 'none');
    insert into $s.settings select g, 's' || g from generate_series(1, 2000) g;
    create table $s.audit_logs(id bigint primary key, request_id uuid not null, session_id uuid not null, code text not null);
    create index audit_logs_session_code on $s.audit_logs(session_id);
    insert into $s.audit_logs select g, gen_random_uuid(), gen_random_uuid(), 'c' || g from generate_series(1, 2000) g;
    analyze $s.campaign_media, $s.settings, $s.audit_logs;
  )");
  const auto result = db.audit({"unique_candidate"});
  const auto s = ident(schema);
  const auto& filename = finding(result, "unique_candidate", s + ".campaign_media.filename");
  INFO(filename.message);
  CHECK(filename.severity == model::Severity::info);
  CHECK(filename.evidence.at("constant_default") == "''::text");
  CHECK(model::remediation_kind(filename.remediation) == model::RemediationKind::advice);
  const auto& slug = finding(result, "unique_candidate", s + ".settings.slug");
  CHECK(slug.severity == model::Severity::info);
  CHECK(slug.message.find("a constant default ('none'::text)") != std::string::npos);
  const auto& request = finding(result, "unique_candidate", s + ".audit_logs.request_id");
  CHECK(request.severity == model::Severity::info);
  CHECK(request.evidence.at("external_reference") == true);
  CHECK(request.message.find("uuids are distinct by construction") != std::string::npos);
  CHECK(finding(result, "unique_candidate", s + ".audit_logs.code").severity == model::Severity::low); // control
}

TEST_CASE("unique_candidate: a link table's other columns describe the link", "[checks][unique_candidate]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.lists(id bigint primary key);
    create table $s.subscribers(id bigint primary key);
    create table $s.subscriber_lists(subscriber_id bigint not null references $s.subscribers,
                                     list_id bigint not null references $s.lists, token text not null,
                                     primary key (subscriber_id, list_id));
    insert into $s.lists select g from generate_series(1, 2000) g;
    insert into $s.subscribers select g from generate_series(1, 2000) g;
    insert into $s.subscriber_lists select g, g, 'tok' || g from generate_series(1, 2000) g;
    -- control: a key of one foreign key and a column of its own is no link
    create table $s.invoices(account_id bigint not null references $s.lists, seq int not null, number text not null,
                             primary key (account_id, seq));
    insert into $s.invoices select g, 1, 'INV' || g from generate_series(1, 2000) g;
    analyze $s.subscriber_lists, $s.invoices;
  )");
  const auto result = db.audit({"unique_candidate"});
  const auto s = ident(schema);
  const auto& token = finding(result, "unique_candidate", s + ".subscriber_lists.token");
  INFO(token.message);
  CHECK(token.severity == model::Severity::info);
  CHECK(token.evidence.at("link_key") == "subscriber_id, list_id");
  CHECK(finding(result, "unique_candidate", s + ".invoices.number").severity == model::Severity::low);
}

TEST_CASE("unique_candidate: a column that a natural key beside the primary key leaves out, and no index has first, "
          "describes its row: info",
          "[checks][unique_candidate]")
{
  // Rallly's calendar_connections: (user_id, provider, provider_account_id) keys a connection, and
  // the account's email repeats once two users connect one shared account; the fix pasted as
  // printed refused the second connection
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.calendar_connections(id text primary key, user_id text not null, provider text not null,
                                         provider_account_id text not null, email text not null,
                                         unique (user_id, provider, provider_account_id));
    insert into $s.calendar_connections select 'c' || g, 'u' || g, 'google', 'acc' || g, 'user' || g || '@mail.com'
    from generate_series(1, 1500) g;
    -- controls: the primary key with a tenant beside it, which composite foreign keys reference (the
    -- realistic sample's payment_methods (organization_id, id)), is no natural key
    create table $s.payment_methods(id bigint primary key, organization_id bigint not null, external_id text not null,
                                    unique (organization_id, id));
    insert into $s.payment_methods select g, g % 7, 'pm_' || g from generate_series(1, 1500) g;
    -- an index has it first, so rows are looked up by it
    -- and the old column an expand-contract move left (Vaultwarden's sends.deprecated_user_uuid): no key
    create table $s.members(id text primary key, team_id text not null, login text not null, email text not null,
                            deprecated_email text, unique (team_id, login));
    create index members_email_idx on $s.members(email);
    create index members_deprecated_email_idx on $s.members(deprecated_email);
    insert into $s.members select 'm' || g, 't' || g, 'l' || g, 'member' || g || '@mail.com', 'member' || g || '@mail.com'
    from generate_series(1, 1500) g;
    analyze $s.calendar_connections, $s.members, $s.payment_methods;
  )");
  const auto result = db.audit({"unique_candidate"});
  const auto s = ident(schema);
  const auto& email = finding(result, "unique_candidate", s + ".calendar_connections.email");
  INFO(email.message);
  CHECK(email.severity == model::Severity::info);
  CHECK(email.evidence.at("natural_key") == "user_id, provider, provider_account_id");
  CHECK(email.message.find("the table's key (user_id, provider, provider_account_id) leaves it out") != std::string::npos);
  CHECK(model::remediation_kind(email.remediation) == model::RemediationKind::advice);
  const auto& member = finding(result, "unique_candidate", s + ".members.email");
  CHECK(member.severity == model::Severity::low);
  CHECK(member.evidence.at("natural_key").is_null());
  CHECK_FALSE(has_finding(result, "unique_candidate", s + ".members.deprecated_email"));
  const auto& external = finding(result, "unique_candidate", s + ".payment_methods.external_id");
  CHECK(external.evidence.at("natural_key").is_null());
}

TEST_CASE("unique_candidate: a nullable tenant column makes the key within each tenant advice", "[checks][unique_candidate]")
{
  // Ory Kratos: identities.organization_id, NULL in every row; (email, organization_id) enforced
  // nothing and a duplicate email went in after the fix
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.addresses(id bigint primary key, organization_id bigint, code text not null);
    insert into $s.addresses select g, null, 'c' || g from generate_series(1, 3000) g;
    -- the tenant column: another table has it too (lib/tenant_columns.sql reads one per table as none)
    create table $s.organizations_users(id bigint primary key, organization_id bigint not null);
    analyze $s.addresses;
  )");
  const auto result = db.audit({"unique_candidate"});
  const auto s = ident(schema);
  const auto& code = finding(result, "unique_candidate", s + ".addresses.code");
  INFO(code.message);
  CHECK(code.severity == model::Severity::info);
  CHECK(code.evidence.at("tenant_nullable") == true);
  CHECK(code.message.find("organization_id can be NULL") != std::string::npos);
  CHECK(model::remediation_kind(code.remediation) == model::RemediationKind::advice);
}

TEST_CASE("unique_candidate: any <x>_name is a label, a login's name is no label, and an external id nothing looks up is info",
          "[checks][unique_candidate]")
{
  // Langfuse's job_configurations.score_name (one score name for many evaluators); Cal.com's
  // DestinationCalendar."externalId" (an id of a calendar elsewhere, in several rows by design)
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.job_configurations(id text primary key, score_name text not null, "displayName" text not null,
                                       user_name text not null, "externalId" text not null);
    insert into $s.job_configurations select 'j' || g, 'score-' || g, 'd' || g, 'u' || g, 'x' || g from generate_series(1, 3000) g;
    analyze $s.job_configurations;
  )");
  const auto result = db.audit({"unique_candidate"});
  const auto s = ident(schema);
  for (const auto* column : {".score_name", ".\"displayName\"", ".\"externalId\""}) {
    const auto& f = finding(result, "unique_candidate", s + ".job_configurations" + column);
    INFO(f.message);
    CHECK(f.severity == model::Severity::info);
  }
  CHECK(finding(result, "unique_candidate", s + ".job_configurations.\"externalId\"").evidence.at("external_reference") == true);
  CHECK(finding(result, "unique_candidate", s + ".job_configurations.user_name").severity == model::Severity::low); // control
}
