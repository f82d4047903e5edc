#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

namespace {

// Runs `body` (statements that may read the loop's i) 60 times in one session and flushes its
// statistics: 60 scans of each table it reads, past min_seq_scan (50).
void
scan_sixty_times(const ScratchDb& db, const std::string& body)
{
  db.exec_with_stats("do $$ begin for i in 1..60 loop " + body + " end loop; end $$;");
}

} // namespace

TEST_CASE("missing_index: flags a table read by large sequential scans, not an indexed or a small one", "[checks][versioned][missing_index]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.events(id bigint, account int, payload text);
    insert into $s.events select g, g % 100, 'x' from generate_series(1, 20000) g;
    create table $s.accounts(id bigint primary key, name text);
    insert into $s.accounts select g, 'n' || g from generate_series(1, 20000) g;
    create table $s.tiny(id int, v int);
    insert into $s.tiny select g, g from generate_series(1, 50) g;
    analyze $s.events;
    analyze $s.accounts;
    analyze $s.tiny;
  )");
  scan_sixty_times(db, with_schema(schema, "perform count(*) from $s.events where account = i; "
                                           "perform name from $s.accounts where id = i; "
                                           "perform count(*) from $s.tiny where v = i;"));

  const auto result = db.audit({"missing_index"});
  const auto& f = finding(result, "missing_index", ident(schema) + ".events");
  CHECK(f.category == "missing_index");
  CHECK(f.evidence.at("seq_scan").get<long>() >= 60);
  CHECK(f.evidence.at("avg_seq_tup").get<long>() >= 20000);
  CHECK(f.message.find("sequential scans") != std::string::npos);
  CHECK_FALSE(has_finding(result, "missing_index", ident(schema) + ".accounts")); // index scans
  CHECK_FALSE(has_finding(result, "missing_index", ident(schema) + ".tiny"));     // below min_rows
  CHECK(findings_of(result, "missing_index").size() == 1);

  // Graded by the work the scans did: 60 scans of 20,000 rows are 1.2 million rows read, below
  // low_rows_read (10 million): low. Its control: with low_rows_read at 1 million, medium.
  CHECK(f.severity == model::Severity::low);
  auto config = audit::default_config();
  config.checks["missing_index"].params["low_rows_read"] = "1000000";
  CHECK(finding(db.audit({"missing_index"}, config), "missing_index", ident(schema) + ".events").severity ==
        model::Severity::medium);

  // The counters of this fresh cluster cover minutes: medium confidence, and why. Its control:
  // with stats_min_age_days = 0 the window is long enough, high.
  CHECK(f.confidence == "medium");
  CHECK(f.evidence.at("confidence_basis").dump().find("one-off") != std::string::npos);
  CHECK(finding(db.audit({"missing_index"}, trusting_config()), "missing_index", ident(schema) + ".events").confidence ==
        "high");
}

TEST_CASE("missing_index: a table below min_rows whose scans did a medium finding's work is one",
          "[checks][versioned][missing_index]")
{
  // Hoppscotch: 9,840 rows scanned 1,501 times (14.8 million rows read) were nothing, 10,100 rows
  // scanned as often medium. Scaled down here: low_rows_read at 400,000, 60 scans of 8,000 rows
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.invites(id bigint, team int, email text);
    insert into $s.invites select g, g % 40, 'x' from generate_series(1, 8000) g;
    analyze $s.invites;
  )");
  scan_sixty_times(db, with_schema(schema, "perform count(*) from $s.invites where team = i;"));
  const auto object = ident(schema) + ".invites";
  auto config = audit::default_config();
  config.checks["missing_index"].params["low_rows_read"] = "400000";
  const auto& f = finding(db.audit({"missing_index"}, config), "missing_index", object);
  CHECK(f.severity == model::Severity::medium);
  CHECK(f.evidence.at("n_live_tup").get<long>() < 10000);
  // control: below low_rows_read (480,000 rows read against 1,000,000) it would be low, and a
  // table below min_rows stays out
  config.checks["missing_index"].params["low_rows_read"] = "1000000";
  CHECK_FALSE(has_finding(db.audit({"missing_index"}, config), "missing_index", object));
}

TEST_CASE("missing_index: weighs rows read against rows fetched by index, not the number of scans",
          "[checks][versioned][missing_index]")
{
  // Documenso's WebhookCall: full scans outnumbered by key lookups of a row each were hidden while
  // scans were counted (with 299 lookups beside 300 scans reported, with 301 not)
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.webhook_calls(id bigint primary key, webhook int, status int);
    insert into $s.webhook_calls select g, g % 50, g % 3 from generate_series(1, 20000) g;
    -- control: scanned as often, but its lookups fetch more rows than the scans read
    create table $s.documents(id bigint primary key, owner int);
    insert into $s.documents select g, g % 10 from generate_series(1, 20000) g;
    create index documents_owner_idx on $s.documents(owner);
    analyze $s.webhook_calls, $s.documents;
  )");
  db.exec_with_stats(with_schema(schema, R"(
    do $$
    begin
      for i in 1..60 loop
        perform count(*) from $s.webhook_calls where webhook = i % 50;
        perform count(*) from $s.documents where owner + 0 = -1;
      end loop;
    end
    $$;
    set enable_seqscan = off;
    set enable_bitmapscan = off;
    do $$
    begin
      for i in 1..200 loop
        perform status from $s.webhook_calls where id = i;
      end loop;
      for i in 1..700 loop
        perform sum(id) from $s.documents where owner = i % 10;
      end loop;
    end
    $$;
  )"));
  const auto result = db.audit({"missing_index"});
  const auto& calls = finding(result, "missing_index", ident(schema) + ".webhook_calls");
  INFO(calls.evidence.dump());
  CHECK(calls.evidence.at("idx_scan").get<long>() > calls.evidence.at("seq_scan").get<long>());
  CHECK(calls.evidence.at("seq_tup_read").get<long>() > calls.evidence.at("idx_tup_fetch").get<long>());
  CHECK(calls.message.find("index scans fetched") != std::string::npos);
  CHECK_FALSE(has_finding(result, "missing_index", ident(schema) + ".documents"));
}

TEST_CASE("missing_index: a table whose indexes char(n) columns lead says text comparisons may be the cause",
          "[checks][versioned][missing_index]")
{
  // Temporal's executions_visibility: the key (namespace_id, run_id) is char(64); lookups with text
  // parameters cast the column, scanned the table 6,400 times, and the finding said to index the
  // columns they filter on, which lead every index already
  ScratchDb db;
  db.plant(k_public_schema, R"(
    create table public.visibility(namespace_id char(64) not null, run_id char(64) not null, status int not null,
                                   primary key (namespace_id, run_id));
    insert into public.visibility select md5('ns' || (g % 4)), md5('r' || g), g % 7 from generate_series(1, 20000) g;
    -- control: a text key, scanned the same way
    create table public.runs(namespace_id text not null, run_id text not null, status int not null,
                             primary key (namespace_id, run_id));
    insert into public.runs select md5('ns' || (g % 4)), md5('r' || g), g % 7 from generate_series(1, 20000) g;
    analyze public.visibility, public.runs;
  )");
  scan_sixty_times(db, "perform 1 from public.visibility where namespace_id::text = md5('ns1') and run_id::text = md5('r' || i); "
                      "perform 1 from public.runs where status + 0 = -1;");
  const auto result = db.audit({"missing_index"});
  const auto& visibility = finding(result, "missing_index", "public.visibility");
  INFO(visibility.message);
  CHECK(visibility.evidence.at("char_n_index_leads") == "namespace_id");
  CHECK(visibility.message.find("or they compare namespace_id, the char(n) column that leads its indexes, with text") !=
        std::string::npos);
  const auto& runs = finding(result, "missing_index", "public.runs");
  CHECK(runs.evidence.at("char_n_index_leads").is_null());
  CHECK(runs.message.find("char(n)") == std::string::npos);
}

TEST_CASE("missing_index: scans no more than the deletes of an unindexed key's parent are that key's lookups: "
          "fk_without_index's entry alone",
          "[checks][versioned][missing_index]")
{
  // Hoppscotch's Account: 62 sequential scans for 61 deletes of User, each a lookup of the key
  // account.userId (ON DELETE CASCADE) without its index; missing_index repeated fk_without_index's
  // entry for 7 tables. Rallly's sessions: two keys to users, each looked up on every user delete
  // (683 scans for 340 deletes)
  ScratchDb db;
  db.plant(k_public_schema, R"(
    create table public.users(uid text primary key);
    insert into public.users select 'u' || g from generate_series(1, 20000) g;
    create table public.accounts(id text primary key, user_id text not null references public.users on delete cascade);
    insert into public.accounts select 'a' || g, 'u' || (1 + g % 20000) from generate_series(1, 22000) g;
    create table public.sessions(id text primary key, user_id text not null references public.users on delete cascade,
                                 impersonated_by text references public.users on delete set null);
    insert into public.sessions select 's' || g, 'u' || (1 + g % 20000), null from generate_series(1, 22000) g;
    -- control: the same shape, scanned by queries besides its parent's deletes
    create table public.owners(uid text primary key);
    insert into public.owners select 'o' || g from generate_series(1, 20000) g;
    create table public.assets(id text primary key, owner_id text not null references public.owners on delete cascade, v int);
    insert into public.assets select 'x' || g, 'o' || (1 + g % 20000), g from generate_series(1, 22000) g;
    analyze;
  )");
  db.exec_with_stats("do $$ begin for i in 1..60 loop delete from public.users where uid = 'u' || i; "
                     "delete from public.owners where uid = 'o' || i; "
                     "perform 1 from public.assets where v + 0 = -i; end loop; end $$");
  const auto result = db.audit({"missing_index", "fk_without_index"}, trusting_config());
  CHECK_FALSE(has_finding(result, "missing_index", "public.accounts"));
  CHECK(has_finding(result, "fk_without_index", "public.accounts.accounts_user_id_fkey"));
  CHECK_FALSE(has_finding(result, "missing_index", "public.sessions"));
  CHECK(has_finding(result, "fk_without_index", "public.sessions.sessions_impersonated_by_fkey"));
  const auto& assets = finding(result, "missing_index", "public.assets");
  CHECK(assets.evidence.at("unindexed_foreign_keys") == "(owner_id)");
  CHECK(assets.evidence.at("seq_scan").get<std::int64_t>() >= 120);
}

TEST_CASE("missing_index: a table with a foreign key no index serves names it as a possible cause, one entry each",
          "[checks][versioned][missing_index]")
{
  // Supabase Auth's mfa_challenges, scanned for lookups by factor_id: missing_index said to index
  // "the columns they filter on" beside fk_without_index's entry for the key. The scans' columns
  // are not known, so it names the key and both stay (the realistic sample's payments are scanned
  // by an unindexed external_id beside an unindexed invoice_id).
  ScratchDb db;
  db.plant(k_public_schema, R"(
    create table public.factors(id bigint primary key);
    insert into public.factors select generate_series(1, 5000);
    create table public.challenges(id bigint primary key, factor_id bigint not null references public.factors, v text);
    insert into public.challenges select g, 1 + g % 5000, 'v' from generate_series(1, 20000) g;
    -- control: its key indexed, scanned on another column
    create table public.links(id bigint primary key, factor_id bigint references public.factors, v int);
    create index links_factor_id_idx on public.links(factor_id);
    insert into public.links select g, 1 + g % 5000, g from generate_series(1, 20000) g;
    analyze;
  )");
  db.exec_with_stats("do $$ begin for i in 1..60 loop perform 1 from public.challenges where factor_id = i; "
                     "perform 1 from public.links where v + 0 = -i; end loop; end $$");
  const auto result = db.audit({"missing_index", "fk_without_index"}, trusting_config());
  const auto& challenges = finding(result, "missing_index", "public.challenges");
  INFO(challenges.message);
  CHECK(challenges.evidence.at("unindexed_foreign_keys") == "(factor_id)");
  CHECK(challenges.message.find("; or they look rows up by (factor_id), a foreign key with no index (fk_without_index, "
                                "whose fix builds the index that serves such lookups)") != std::string::npos);
  CHECK(has_finding(result, "fk_without_index", "public.challenges.challenges_factor_id_fkey"));
  const auto& links = finding(result, "missing_index", "public.links");
  CHECK(links.evidence.at("unindexed_foreign_keys").is_null());
  CHECK(links.message.find("foreign key") == std::string::npos);
}
