#include "model/remediation_kind.hpp"
#include "support/remediation_run.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("type_char_n: flags char(n) columns with an expand-contract move to text", "[checks][type_char_n]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.accounts(id bigint primary key, country_code char(2), status "char", currency text);
    create function $s.open_accounts() returns setof $s.accounts language sql as 'select * from $s.accounts';
  )");

  const auto result = db.audit({"type_char_n"});
  const auto s = ident(schema);

  const auto& f = finding(result, "type_char_n", ident(schema) + ".accounts.country_code");
  CHECK(f.evidence["column_type"] == "character(2)");
  CHECK(f.remediation.find("alter table " + s + ".accounts add column if not exists country_code_text text;") != std::string::npos);
  CHECK(f.remediation.find(" type text") == std::string::npos);
  CHECK(f.remediation.find("-- function " + s + ".open_accounts() returns rows of " + s + ".accounts: the new column") <
        f.remediation.find("-- 1. the new column"));
  CHECK_FALSE(has_finding(result, "type_char_n", ident(schema) + ".accounts.status")); // the internal "char" type
  CHECK_FALSE(has_finding(result, "type_char_n", ident(schema) + ".accounts.currency"));
  CHECK(findings_of(result, "type_char_n").size() == 1);
}

TEST_CASE("type_char_n: expand-contract runs as printed, and the swap waits for a complete copy and a free column",
          "[checks][type_char_n][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.accounts(id bigint primary key, country_code char(2) default 'FR', currency char(3), region char(4),
                             tier char(5) not null);
    insert into $s.accounts select g, 'FR', 'EUR', 'west', 'gold' from generate_series(1, 500) g;
    create index accounts_currency_idx on $s.accounts(currency);
    create index accounts_id_currency_idx on $s.accounts(id desc, currency) include (tier);
    create table $s.products(id bigint primary key, sku char(6));
    insert into $s.products select g, 'S' || g from generate_series(1, 100) g;
    create index products_sku_upper_idx on $s.products(upper(sku));
    create view $s.account_regions as select id, region from $s.accounts;
    -- more rows than one backfill batch
    create table $s.ledger(id bigint primary key, kind char(1));
    insert into $s.ledger select g, 'c' from generate_series(1, 12000) g;
  )");
  const auto result = db.audit({"type_char_n"});
  REQUIRE(findings_of(result, "type_char_n").size() == 6);

  // NOT NULL moves with the swap: a check validated first, then SET NOT NULL on the new column
  // (no scan), and the old one, renamed, takes NULL (writers no longer fill it).
  const auto& tier = finding(result, "type_char_n", ident(schema) + ".accounts.tier");
  CHECK(tier.remediation.find("check (tier_text is not null) not valid") != std::string::npos);
  const auto tiered = run_fix_on_copy(db, tier);
  INFO(tiered.run.output);
  CHECK(tiered.run.errors().empty());
  CHECK(tiered.weakened.empty());
  CHECK_FALSE(tiered.still_reported(tier));
  CHECK(tiered.copy->scalar(with_schema(schema, "select format_type(atttypid, atttypmod) || ' ' || attnotnull from pg_attribute "
                                                "where attrelid = '$s.accounts'::regclass and attname = 'tier'")) == "text true");
  tiered.copy->exec(with_schema(schema, "insert into $s.accounts(id, tier) values (501, 'basic')"));
  // the not-null check is gone with the swap; char(5)'s limit stays, as a check validated in step 2d
  CHECK(tiered.copy->scalar(with_schema(schema, "select string_agg(conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated, '; ') "
                                                "from pg_constraint where conrelid = '$s.accounts'::regclass and contype = 'c'"))
        == "accounts_tier_length CHECK ((char_length(tier) <= 5)) true");
  CHECK_THROWS(tiered.copy->exec(with_schema(schema, "insert into $s.accounts(id, tier) values (503, 'golden')")));
  // no not_null_candidate on the table the swap changed (its old column, renamed, is nullable on
  // purpose); the ledger, which autovacuum may analyze meanwhile, is another matter
  for (const auto& f : findings_of(tiered.copy->audit({"not_null_candidate"}), "not_null_candidate")) {
    CHECK(f.object.rfind(ident(schema) + ".accounts.", 0) != 0);
  }

  const auto& country = finding(result, "type_char_n", ident(schema) + ".accounts.country_code");
  const auto swapped = run_fix_on_copy(db, country);
  INFO(swapped.run.output);
  CHECK(swapped.run.errors().empty());
  CHECK(swapped.weakened.empty());
  CHECK_FALSE(swapped.still_reported(country));
  // Its default moves with it, cast to text.
  CHECK(swapped.copy->scalar(with_schema(schema, "insert into $s.accounts(id, tier) values (502, 'basic') returning country_code || '|' "
                                                 "|| pg_typeof(country_code)")) == "FR|text");

  // Plain indexes move: built again on the new column concurrently (key order, DESC and INCLUDE
  // kept), checked valid by the swap, which gives them the old names; the old ones stay on the
  // old column as deprecated_<name> until its drop takes them along.
  const auto& currency = finding(result, "type_char_n", ident(schema) + ".accounts.currency");
  CHECK(currency.evidence["column_used_by"].is_null());
  CHECK(currency.remediation.find("create index concurrently if not exists accounts_id_currency_idx_text on " + ident(schema) +
                                  ".accounts using btree (id desc, currency_text) include (tier);")
        != std::string::npos);
  const auto moved = run_fix_on_copy(db, currency);
  INFO(moved.run.output);
  CHECK(moved.run.errors().empty());
  CHECK(moved.weakened.empty());
  CHECK_FALSE(moved.still_reported(currency));
  CHECK(moved.copy->scalar(with_schema(schema, "select string_agg(pg_get_indexdef(indexrelid), '; ' order by indexrelid::regclass::text) "
                                               "from pg_index where indrelid = '$s.accounts'::regclass and indisvalid "
                                               "and indexrelid::regclass::text like '%currency%'"))
        == "CREATE INDEX accounts_currency_idx ON " + ident(schema) + ".accounts USING btree (currency); "
           "CREATE INDEX accounts_id_currency_idx ON " + ident(schema) + ".accounts USING btree (id DESC, currency) INCLUDE (tier); "
           "CREATE INDEX deprecated_accounts_currency_idx ON " + ident(schema) + ".accounts USING btree (deprecated_currency); "
           "CREATE INDEX deprecated_accounts_id_currency_idx ON " + ident(schema) + ".accounts USING btree (id DESC, deprecated_currency) INCLUDE (tier)");
  // one entry for the deprecated column: its indexes go with its drop
  const auto deprecated = moved.copy->audit({"deprecated_object"});
  CHECK(findings_of(deprecated, "deprecated_object").size() == 1);
  CHECK(has_finding(deprecated, "deprecated_object", ident(schema) + ".accounts.deprecated_currency"));
  // the undo after the swap names the index renames back
  CHECK(currency.undo.find("alter index " + ident(schema) + ".deprecated_accounts_currency_idx rename to accounts_currency_idx")
        != std::string::npos);

  // Used by an expression index: no part of the change is printed, only advice (comments) that
  // says what to move; it runs nothing and the finding stays.
  const auto& sku = finding(result, "type_char_n", ident(schema) + ".products.sku");
  CHECK(sku.evidence["column_used_by"].get<std::string>().find("index ") == 0);
  CHECK(sku.remediation.find("-- not printed: index ") == 0);
  CHECK(model::remediation_kind(sku.remediation) == model::RemediationKind::advice);
  const auto advised = run_fix_on_copy(db, sku);
  INFO(advised.run.output);
  CHECK(advised.run.errors().empty());
  CHECK(advised.still_reported(sku));
  CHECK(advised.copy->scalar(with_schema(schema, "select count(*) from pg_attribute where attrelid = '$s.products'::regclass "
                                                 "and attname = 'sku_text'")) == "0");
  // Read by a plain view: the swap drops it and makes it again over the new column.
  const auto& region = finding(result, "type_char_n", ident(schema) + ".accounts.region");
  CHECK(region.evidence["dependent_views"] == "view " + ident(schema) + ".account_regions");
  CHECK(model::remediation_kind(region.remediation) == model::RemediationKind::script);
  const auto viewed = run_fix_on_copy(db, region);
  INFO(viewed.run.output);
  CHECK(viewed.run.errors().empty());
  CHECK_FALSE(viewed.still_reported(region));
  CHECK(viewed.copy->scalar(with_schema(schema, "select format_type(atttypid, atttypmod) from pg_attribute "
                                                "where attrelid = '$s.account_regions'::regclass and attname = 'region'")) == "text");
  // A column freed after the audit is still checked at run time: the swap stops.
  ScratchDb copy(db.name());
  copy.exec(with_schema(schema, "create index accounts_country_code_idx on $s.accounts(country_code)"));
  const auto late = run_psql_script(copy, country.remediation);
  REQUIRE(late.errors().size() == 1);
  CHECK(late.errors()[0].find("accounts.country_code is still used by index") != std::string::npos);

  // More rows than a batch: the backfill, as printed, fills them all and the swap runs.
  const auto& kind = finding(result, "type_char_n", ident(schema) + ".ledger.kind");
  const auto filled = run_fix_on_copy(db, kind);
  INFO(filled.run.output);
  CHECK(filled.problems().empty());
  CHECK_FALSE(filled.still_reported(kind));
  // the old column it keeps for the grace period is deprecated_object's, not a char(n) finding again
  CHECK(findings_of(filled.copy->audit({"type_char_n"}), "type_char_n").size() ==
        findings_of(result, "type_char_n").size() - 1);
  CHECK(has_finding(filled.copy->audit({"deprecated_object"}), "deprecated_object", ident(schema) + ".ledger.deprecated_kind"));
  // nor a NOT NULL candidate: the swap made it nullable on purpose (writers no longer fill it)
  filled.copy->exec_with_stats(with_schema(schema, "analyze $s.ledger"));
  CHECK_FALSE(has_finding(filled.copy->audit({"not_null_candidate"}), "not_null_candidate",
                          ident(schema) + ".ledger.deprecated_kind"));
  // Run again once the swap has run, it stops at its first step: no second new column, no trigger.
  const auto again = run_psql_script(*filled.copy, kind.remediation);
  REQUIRE_FALSE(again.errors().empty());
  CHECK(again.errors()[0].find("ledger.kind: it is no longer character(1)") != std::string::npos);
  CHECK(filled.copy->scalar(with_schema(schema, "select count(*) from pg_attribute where attrelid = '$s.ledger'::regclass "
                                                "and attname like 'kind\\_%' and not attisdropped")) == "0");
  CHECK(filled.copy->scalar(with_schema(schema, "select count(*) from pg_trigger where tgrelid = '$s.ledger'::regclass "
                                                "and not tgisinternal")) == "0");
  // A backfill that did not run: the swap stops on the rows that differ.
  auto unfilled_script = kind.remediation;
  const auto backfill = unfilled_script.find("do $$\ndeclare\n  batch bigint;");
  REQUIRE(backfill != std::string::npos);
  const auto backfill_end = unfilled_script.find("end\n$$;", backfill);
  REQUIRE(backfill_end != std::string::npos);
  unfilled_script.erase(backfill, backfill_end + 7 - backfill);
  ScratchDb unfilled(db.name());
  const auto partial = run_psql_script(unfilled, unfilled_script);
  REQUIRE(partial.errors().size() == 1);
  CHECK(partial.errors()[0].find("ledger.kind_text: 12000 rows differ from") != std::string::npos);
  CHECK(weakened_constraints(key_constraints(db), key_constraints(unfilled)).empty());
}

TEST_CASE("type_char_n: the backfill keeps the table's update triggers from firing on every row",
          "[checks][type_char_n][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  // MusicBrainz's editors: a trigger stamps every update; an ENABLE ALWAYS audit trigger on another table.
  // More rows than a batch of the backfill: the script as printed fills them all before the swap.
  db.plant(schema, R"(
    create table $s.editors(id bigint primary key, ha1 char(32) not null, last_updated timestamptz);
    create function $s.stamp() returns trigger language plpgsql as $$begin new.last_updated := now(); return new; end$$;
    create trigger editors_stamp before update on $s.editors for each row execute function $s.stamp();
    -- control: a trigger on another column's updates only does not fire for the backfill's
    create trigger editors_stamp_ha1 before update of id on $s.editors for each row execute function $s.stamp();
    insert into $s.editors select g, md5(g::text), '2015-01-01' from generate_series(1, 25000) g;
    create table $s.areas(id bigint primary key, code char(3), last_updated timestamptz);
    create trigger areas_stamp before update on $s.areas for each row execute function $s.stamp();
    alter table $s.areas enable always trigger areas_stamp;
  )");
  const auto result = db.audit({"type_char_n"});
  const auto s = ident(schema);

  const auto& ha1 = finding(result, "type_char_n", s + ".editors.ha1");
  CHECK(ha1.remediation.find("-- its UPDATEs would fire trigger editors_stamp (for each row, on UPDATE) on every row of " + s +
                             ".editors") != std::string::npos);
  CHECK(ha1.remediation.find("editors_stamp_ha1") == std::string::npos);
  CHECK(ha1.remediation.find("set session_replication_role = replica;") != std::string::npos);
  const auto fixed = run_fix_on_copy(db, ha1);
  CHECK(fixed.problems() == std::vector<std::string>{});
  CHECK(fixed.copy->scalar(with_schema(schema, "select count(*) from $s.editors where last_updated = '2015-01-01'")) == "25000");
  CHECK(fixed.copy->scalar(with_schema(schema, "select count(*) from $s.editors where ha1 is distinct from md5(id::text)")) == "0");
  CHECK_FALSE(fixed.still_reported(ha1));

  // One that fires whatever the session holds the move back: advice.
  const auto& code = finding(result, "type_char_n", s + ".areas.code");
  CHECK(model::remediation_kind(code.remediation) == model::RemediationKind::advice);
  CHECK(code.remediation.find("trigger areas_stamp (ENABLE ALWAYS") != std::string::npos);
}

TEST_CASE("type_char_n: the swap carries the column's own foreign keys, checks and views over to the new column",
          "[checks][type_char_n][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.countries(code text primary key);
    insert into $s.countries values ('FR'), ('DE');
    create table $s.currencies(code char(3) primary key);
    insert into $s.currencies values ('EUR'), ('USD');
    create table $s.addresses(id bigint primary key,
                              country_code char(2) not null references $s.countries (code) on delete cascade,
                              currency char(3) constraint addresses_currency_fk references $s.currencies (code)
                                deferrable initially deferred,
                              kind char(1) constraint addresses_kind_known check (kind in ('h', 'w')),
                              zone char(2));
    create index addresses_country_code_idx on $s.addresses(country_code);
    insert into $s.addresses select g, 'FR', 'EUR', 'h', 'eu' from generate_series(1, 300) g;
    create materialized view $s.addresses_by_kind as select kind, count(*) as n from $s.addresses group by kind;
    create unique index addresses_by_kind_kind_idx on $s.addresses_by_kind(kind);
    comment on materialized view $s.addresses_by_kind is 'addresses per kind';
    grant select on $s.addresses_by_kind to public;
    create view $s.address_zones as select id, zone from $s.addresses;
    create view $s.address_zones_fr as select id, zone from $s.address_zones where id < 100;
  )");
  const auto result = db.audit({"type_char_n"});
  const auto s = ident(schema);

  // its own foreign key to a text key, with its action: dropped and added again by name after the
  // renames, NOT VALID, validated in step 3b; nothing weakened
  for (const auto* column : {"country_code"}) {
    const auto& f = finding(result, "type_char_n", s + ".addresses." + column);
    INFO(f.remediation);
    CHECK(model::remediation_kind(f.remediation) == model::RemediationKind::script);
    CHECK(f.evidence["column_used_by"].is_null());
    const auto fixed = run_fix_on_copy(db, f);
    INFO(fixed.run.output);
    CHECK(fixed.problems().empty());
    CHECK_FALSE(fixed.still_reported(f));
    CHECK(fixed.copy->scalar(with_schema(schema, std::string("select format_type(a.atttypid, a.atttypmod) || ' ' || c.convalidated "
                                                             "from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid "
                                                             "and a.attnum = c.conkey[1] where c.conrelid = '$s.addresses'::regclass "
                                                             "and c.contype = 'f' and a.attname = '") + column + "'")) == "text true");
  }
  // a key to a char(3) key: moved alone it would compare as text with the parent's key (Authelia:
  // a new fk_type_mismatch, and joins that no longer use the key's index): advice, with the parent
  const auto& currency = finding(result, "type_char_n", s + ".addresses.currency");
  CHECK(model::remediation_kind(currency.remediation) == model::RemediationKind::advice);
  CHECK(currency.severity == model::Severity::info);
  CHECK(currency.evidence["references_char_key"] == s + ".currencies.code");
  // and the other way round, the key char(n) columns reference (Vaultwarden's groups.uuid: moved
  // alone, a group's delete scanned groups_users, whose index no longer served the key)
  const auto& code = finding(result, "type_char_n", s + ".currencies.code");
  CHECK(model::remediation_kind(code.remediation) == model::RemediationKind::advice);
  CHECK(code.evidence["char_referencing_columns"] == s + ".addresses.currency");
  CHECK(code.message.find("char(n) column " + s + ".addresses.currency reference it: moved alone") != std::string::npos);

  // its own CHECK (char to text casts implicitly: the expression resolves on text) and a
  // materialized view with its index, comment and grant: moved, the view filled again
  const auto& kind = finding(result, "type_char_n", s + ".addresses.kind");
  CHECK(kind.evidence["dependent_views"] == "materialized view " + s + ".addresses_by_kind");
  const auto moved = run_fix_on_copy(db, kind);
  INFO(moved.run.output);
  CHECK(moved.problems().empty());
  CHECK_FALSE(moved.still_reported(kind));
  CHECK(moved.copy->scalar(with_schema(schema, "select pg_get_constraintdef(oid) from pg_constraint "
                                               "where conrelid = '$s.addresses'::regclass and conname = 'addresses_kind_known'"))
        == "CHECK ((kind = ANY ((ARRAY['h'::bpchar, 'w'::bpchar])::text[])))");
  CHECK(moved.copy->scalar(with_schema(schema, "select format_type(atttypid, atttypmod) from pg_attribute "
                                               "where attrelid = '$s.addresses_by_kind'::regclass and attname = 'kind'")) == "text");
  CHECK(moved.copy->scalar(with_schema(schema, "select n from $s.addresses_by_kind")) == "300");
  CHECK(moved.copy->scalar(with_schema(schema, "select obj_description('$s.addresses_by_kind'::regclass) || ' ' "
                                               "|| has_table_privilege('public', '$s.addresses_by_kind', 'select') || ' ' "
                                               "|| (select count(*) from pg_index where indrelid = '$s.addresses_by_kind'::regclass)"))
        == "addresses per kind true 1");

  // control: a view read by another view is not dropped by a script; the finding is advice
  const auto& zone = finding(result, "type_char_n", s + ".addresses.zone");
  CHECK(model::remediation_kind(zone.remediation) == model::RemediationKind::advice);
  CHECK(zone.evidence["column_used_by"].get<std::string>().find("address_zones") != std::string::npos);
  const auto advised = run_fix_on_copy(db, zone);
  CHECK(advised.problems().empty());
  CHECK(advised.still_reported(zone));
}

TEST_CASE("type_char_n: a partition key column gets advice, another column of the partitioned table a script",
          "[checks][type_char_n][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.regional(region char(2) not null, id bigint, label char(4)) partition by list (region);
    create table $s.regional_eu partition of $s.regional for values in ('eu');
    create table $s.regional_us partition of $s.regional for values in ('us');
    insert into $s.regional select case when g % 2 = 0 then 'eu' else 'us' end, g, 'x' from generate_series(1, 100) g;
    -- MusicBrainz's artist_release: an index of one partition alone, over another char column
    alter table $s.regional add column country char(2);
    create index regional_eu_country on $s.regional_eu(id, country);
  )");
  const auto result = db.audit({"type_char_n"});
  const auto s = ident(schema);

  // PostgreSQL changes neither the type of a partition key column nor drops it: advice, no new column
  const auto& region = finding(result, "type_char_n", s + ".regional.region");
  INFO(region.remediation);
  CHECK(model::remediation_kind(region.remediation) == model::RemediationKind::advice);
  CHECK(region.evidence["column_used_by"] == "the partition key of " + s + ".regional");
  CHECK(region.remediation.find("A partition key column cannot change type in place") != std::string::npos);
  const auto advised = run_fix_on_copy(db, region);
  CHECK(advised.problems().empty());
  CHECK(advised.still_reported(region));
  CHECK(advised.copy->scalar(with_schema(schema, "select count(*) from pg_attribute where attrelid = '$s.regional'::regclass "
                                                 "and attname = 'region_text'")) == "0");

  // an index of a partition alone: the swap would leave it on the old column, the drop take it along
  const auto& country = finding(result, "type_char_n", s + ".regional.country");
  CHECK(model::remediation_kind(country.remediation) == model::RemediationKind::advice);
  CHECK(country.evidence["column_used_by"] == "index " + s + ".regional_eu_country of partition " + s + ".regional_eu alone");

  // control: another column of the same partitioned table moves
  const auto& label = finding(result, "type_char_n", s + ".regional.label");
  CHECK(model::remediation_kind(label.remediation) == model::RemediationKind::script);
  const auto fixed = run_fix_on_copy(db, label);
  INFO(fixed.run.output);
  CHECK(fixed.problems().empty());
  CHECK_FALSE(fixed.still_reported(label));
  CHECK(fixed.copy->scalar(with_schema(schema, "select format_type(atttypid, atttypmod) from pg_attribute "
                                               "where attrelid = '$s.regional_us'::regclass and attname = 'label'")) == "text");
}

TEST_CASE("type_char_n: codes that fill all n characters are info, padded values low",
          "[checks][type_char_n]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  // Umami's session.country: ISO codes, always two characters; currency codes written short
  db.plant(schema, R"(
    create table $s.sessions(id bigint primary key, country char(2), currency char(3), region char(4), kind char);
    insert into $s.sessions select g, (array['US', 'DE', 'FR'])[1 + g % 3], (array['EU', 'USD'])[1 + g % 2], null, 'w'
      from generate_series(1, 3000) g;
  )");
  db.exec_with_stats(with_schema(schema, "analyze $s.sessions"));
  const auto result = db.audit({"type_char_n"});
  const auto s = ident(schema);

  const auto& country = finding(result, "type_char_n", s + ".sessions.country");
  CHECK(country.severity == model::Severity::info);
  CHECK(country.evidence["sampled_values_fill_n"] == true);
  CHECK(country.message.find("every value ANALYZE sampled fills all 2 characters") != std::string::npos);
  // control: a padded value ('EU' in char(3))
  const auto& currency = finding(result, "type_char_n", s + ".sessions.currency");
  CHECK(currency.severity == model::Severity::low);
  CHECK(currency.evidence["sampled_values_fill_n"] == false);
  // every row NULL (Authelia's signature_claims): no value padded yet, info
  const auto& region = finding(result, "type_char_n", s + ".sessions.region");
  CHECK(region.severity == model::Severity::info);
  CHECK(region.evidence["sampled_values_fill_n"].is_null());
  CHECK(region.evidence["sampled_all_null"] == true);
  CHECK(region.message.find("every row ANALYZE sampled holds NULL") != std::string::npos);
  // char without a length is char(1): 'w' fills it
  CHECK(finding(result, "type_char_n", s + ".sessions.kind").severity == model::Severity::info);
}

TEST_CASE("type_char_n: the column's comment goes with its name to the new column at the swap",
          "[checks][type_char_n][roundtrip]")
{
  // lib/expand_contract_column.sql, shared by every expand-contract move: the swap renamed the old
  // column away with its comment, and the new one had none
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.partners(id bigint primary key, code char(8) not null);
    comment on column $s.partners.code is 'the partner''s code, from the old ERP';
    insert into $s.partners select g, 'c' || g from generate_series(1, 2000) g;
    analyze $s.partners;
  )");
  const auto result = db.audit({"type_char_n"});
  const auto& f = finding(result, "type_char_n", ident(schema) + ".partners.code");
  const auto fix = run_fix_on_copy(db, f);
  INFO(fix.run.output);
  CHECK(fix.problems().empty());
  CHECK(fix.copy->scalar(with_schema(schema, "select col_description('$s.partners'::regclass, attnum) from pg_attribute "
                                             "where attrelid = '$s.partners'::regclass and attname = 'code'")) ==
        std::optional<std::string>("the partner's code, from the old ERP"));
}
