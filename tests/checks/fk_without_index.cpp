#include "checks/fix_round_trip.hpp"
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
    -- control: a unique index on some of the key's columns finds the one row a lookup of the whole
    -- key can match (Ente's trash: its primary key file_id, the key (file_id, collection_id) to
    -- collection_files), a partial one too when its predicate says only that they are not null
    create table $s.placements(file_id int not null, collection_id int not null, unique (collection_id, file_id));
    create table $s.trash(file_id int primary key, collection_id int not null,
                          foreign key (file_id, collection_id) references $s.placements(file_id, collection_id));
    create table $s.shares(file_id int, collection_id int not null,
                           foreign key (file_id, collection_id) references $s.placements(file_id, collection_id));
    create unique index shares_file on $s.shares(file_id) where file_id is not null;
    -- planted: a unique index on some of the key's columns and a column the key lacks finds many rows
    create table $s.copies(file_id int, collection_id int, copy_no int, unique (file_id, copy_no),
                           foreign key (file_id, collection_id) references $s.placements(file_id, collection_id));
  )");

  const auto result = db.audit({"fk_without_index"});
  const auto& f = finding(result, "fk_without_index", ident(schema) + ".tasks.tasks_project_id_fkey");
  CHECK(f.category == "fk_without_index");
  CHECK(f.object_type == "constraint");
  CHECK(f.message.find("(project_id) has no index with those leading columns") != std::string::npos);
  CHECK(f.evidence.at("references") == ident(schema) + ".projects");
  CHECK(f.remediation.rfind("set lock_timeout = '5s';\ncreate index concurrently if not exists tasks_project_id_idx on " +
                            ident(schema) + ".tasks (project_id);\ndo $$", 0) == 0);
  CHECK(f.undo == "set lock_timeout = '5s';\ndrop index concurrently if exists " + ident(schema) + ".tasks_project_id_idx;");
  CHECK(has_finding(result, "fk_without_index", ident(schema) + ".comments.comments_task_id_fkey"));
  CHECK(has_finding(result, "fk_without_index", ident(schema) + ".files.files_task_id_fkey"));

  CHECK_FALSE(has_finding(result, "fk_without_index", ident(schema) + ".projects.projects_account_id_fkey"));
  CHECK_FALSE(has_finding(result, "fk_without_index", ident(schema) + ".members.members_account_id_region_fkey"));
  CHECK_FALSE(has_finding(result, "fk_without_index", ident(schema) + ".trash.trash_file_id_collection_id_fkey"));
  CHECK_FALSE(has_finding(result, "fk_without_index", ident(schema) + ".shares.shares_file_id_collection_id_fkey"));
  CHECK(has_finding(result, "fk_without_index", ident(schema) + ".copies.copies_file_id_collection_id_fkey"));
  CHECK(findings_of(result, "fk_without_index").size() == 4);
}

TEST_CASE("fk_without_index: severity from the child's rows: info when empty or tiny, high when large",
          "[checks][fk_without_index]")
{
  ScratchDb db;
  db.plant(k_public_schema, R"(
    -- more rows than tiny_parent_rows (100): the child's size grades
    create table public.parents(id int primary key);
    insert into public.parents select g from generate_series(1, 200) g;
    create table public.empty_child(parent_id int references public.parents);
    create table public.tiny_child(parent_id int references public.parents);
    insert into public.tiny_child select g % 10 + 1 from generate_series(1, 50) g;
    create table public.big_child(parent_id int references public.parents);
    insert into public.big_child select g % 10 + 1 from generate_series(1, 5000) g;
    -- never analyzed, with rows: no estimate, but a file of one page cannot hold small_rows rows
    -- (Documenso's seeded tables): info; a file that could: the default; never analyzed and never
    -- loaded (a schema just migrated): empty, info
    create table public.unknown_child(parent_id int references public.parents);
    insert into public.unknown_child select g % 10 + 1 from generate_series(1, 20) g;
    create table public.unknown_large_child(parent_id int references public.parents) with (autovacuum_enabled = false);
    insert into public.unknown_large_child select g % 10 + 1 from generate_series(1, 3000) g;
    create table public.unloaded_child(parent_id int references public.parents);
    -- partitioned children: the rows are their leaves' (the parent's own estimate stays -1 until
    -- the whole table is analyzed); never loaded, analyzed and large, a leaf with rows unanalyzed
    create table public.unloaded_parted(parent_id int references public.parents, k int) partition by list (k);
    create table public.unloaded_parted_1 partition of public.unloaded_parted for values in (1);
    create table public.unloaded_parted_2 partition of public.unloaded_parted for values in (2);
    create table public.big_parted(parent_id int references public.parents, k int) partition by list (k);
    create table public.big_parted_1 partition of public.big_parted for values in (1);
    create table public.big_parted_2 partition of public.big_parted for values in (2);
    insert into public.big_parted select g % 10 + 1, 1 + g % 2 from generate_series(1, 5000) g;
    -- a large child of a parent analyzed empty (Lago's cached_aggregations.group_id, NULL in
    -- every row): no parent row to delete, so no lookup yet: low; its control, big_child: high
    create table public.groups(id int primary key);
    create table public.aggregations(group_id int references public.groups, v int);
    insert into public.aggregations select null, g from generate_series(1, 5000) g;
    create table public.unknown_parted(parent_id int references public.parents, k int) partition by list (k);
    create table public.unknown_parted_1 partition of public.unknown_parted for values in (1);
    insert into public.unknown_parted select g % 10 + 1, 1 from generate_series(1, 20) g;
  )");
  db.exec_with_stats("analyze public.parents, public.empty_child, public.tiny_child, public.big_child, "
                     "public.big_parted_1, public.big_parted_2, public.groups, public.aggregations");
  auto config = audit::default_config();
  config.checks["fk_without_index"].params["large_rows"] = "4000";
  const auto result = db.audit({"fk_without_index"}, config);
  const auto severity_of = [&](const std::string& table) {
    return finding(result, "fk_without_index", "public." + table + "." + table + "_parent_id_fkey").severity;
  };
  CHECK(severity_of("empty_child") == model::Severity::info);
  CHECK(severity_of("tiny_child") == model::Severity::info);
  // the message says why (listmonk, Cal.com: the info ones read as the medium ones)
  CHECK(finding(result, "fk_without_index", "public.tiny_child.tiny_child_parent_id_fkey").message.find(
          "; but public.tiny_child holds about 50 row(s): a scan of it costs little until it grows") != std::string::npos);
  CHECK(finding(result, "fk_without_index", "public.empty_child.empty_child_parent_id_fkey").message.find(
          "; but public.empty_child holds no row") != std::string::npos);
  CHECK(severity_of("big_child") == model::Severity::high);
  const auto& aggregations = finding(result, "fk_without_index", "public.aggregations.aggregations_group_id_fkey");
  CHECK(aggregations.severity == model::Severity::low);
  CHECK(aggregations.evidence["parent_empty"] == true);
  CHECK(finding(result, "fk_without_index", "public.big_child.big_child_parent_id_fkey").evidence["parent_empty"] == false);
  CHECK(severity_of("unknown_child") == model::Severity::info);
  const auto& unknown = finding(result, "fk_without_index", "public.unknown_child.unknown_child_parent_id_fkey");
  CHECK(unknown.evidence["rows_estimate"].is_null());
  CHECK(unknown.evidence["never_analyzed"] == true);
  CHECK(unknown.evidence["table_size_bytes"] == 8192);
  CHECK(severity_of("unknown_large_child") == model::Severity::medium);
  CHECK(severity_of("unloaded_child") == model::Severity::info);
  CHECK(severity_of("unloaded_parted") == model::Severity::info);
  CHECK(severity_of("big_parted") == model::Severity::high);
  CHECK(finding(result, "fk_without_index", "public.big_parted.big_parted_parent_id_fkey").evidence["rows_estimate"] == 5000);
  CHECK(severity_of("unknown_parted") == model::Severity::medium);
  config.checks["fk_without_index"].params["small_rows"] = "10";
  CHECK(finding(db.audit({"fk_without_index"}, config), "fk_without_index", "public.tiny_child.tiny_child_parent_id_fkey")
          .severity
        == model::Severity::medium);
}

TEST_CASE("fk_without_index: a key to a parent of a handful of rows that deleted none is info",
          "[checks][fk_without_index]")
{
  // Ory Hydra: every table's nid references networks (3 rows, never deleted): an index on a key of
  // three values serves neither a network's delete (a third of the table) nor a lookup; ten such
  // keys were ten medium entries
  ScratchDb db;
  db.plant(k_public_schema, R"(
    create table public.networks(id int primary key);
    insert into public.networks select g from generate_series(1, 4) g;
    create table public.flows(id bigint primary key, nid int not null references public.networks on delete cascade);
    insert into public.flows select g, g % 3 + 1 from generate_series(1, 6000) g;
  )");
  db.exec_with_stats("analyze public.networks, public.flows");
  const auto result = db.audit({"fk_without_index"});
  const auto& flows = finding(result, "fk_without_index", "public.flows.flows_nid_fkey");
  CHECK(flows.severity == model::Severity::info);
  CHECK(flows.evidence["parent_rows"] == 4);
  CHECK(flows.message.find("public.networks holds 4 row(s) and deleted none") != std::string::npos);
  CHECK(flows.remediation.find("create index concurrently if not exists flows_nid_idx on public.flows (nid);") != std::string::npos);
  // rows inserted into the parent after its last analyze count (4 analyzed, 500 live: no small parent)
  {
    ScratchDb grown(db.name());
    grown.exec_with_stats("insert into public.networks select g from generate_series(5, 500) g");
    CHECK(finding(grown.audit({"fk_without_index"}), "fk_without_index", "public.flows.flows_nid_fkey").severity ==
          model::Severity::medium);
  }
  // control: once the parent deletes, its deletes scan the child: graded by the child's size again
  db.exec_with_stats("delete from public.networks where id = 4");
  CHECK(finding(db.audit({"fk_without_index"}), "fk_without_index", "public.flows.flows_nid_fkey").severity ==
        model::Severity::medium);
}

TEST_CASE("fk_without_index: high when the parent deletes often, even on a mid-size child",
          "[checks][fk_without_index]")
{
  ScratchDb db;
  db.plant(k_public_schema, R"(
    create table public.busy_parents(id int primary key);
    insert into public.busy_parents select g from generate_series(1, 3000) g;
    create table public.busy_child(parent_id int references public.busy_parents);
    insert into public.busy_child select g from generate_series(1, 2000) g;
    -- control: the same shape, but nothing is ever deleted from the parent
    create table public.calm_parents(id int primary key);
    insert into public.calm_parents select g from generate_series(1, 3000) g;
    create table public.calm_child(parent_id int references public.calm_parents);
    insert into public.calm_child select g from generate_series(1, 2000) g;
  )");
  // 1,000 deletes, each of which scans busy_child (no child references them)
  db.exec_with_stats("delete from public.busy_parents where id > 2000");
  db.exec_with_stats("analyze public.busy_parents, public.busy_child, public.calm_parents, public.calm_child");
  // Supabase Auth: 2,010 deletes of one cleanup run minutes after the counters began read as
  // 48,240 a day and made a 1,000-row child high: under rate_min_days (1) of counters, no rate
  const auto young = finding(db.audit({"fk_without_index"}), "fk_without_index", "public.busy_child.busy_child_parent_id_fkey");
  CHECK(young.severity == model::Severity::medium);
  CHECK(young.message.find("(1000 rows deleted since the statistics began, ") != std::string::npos);
  CHECK(young.message.find("too short for a rate)") != std::string::npos);
  CHECK(young.evidence.at("parent_deletes") == 1000);
  CHECK(young.evidence.at("parent_deletes_per_day").is_null());
  auto config = audit::default_config();
  // the counters began at most the suite's length ago (and count at least an hour): 1,000
  // deletes are well over 100 a day, once the window is taken as long enough
  config.checks["fk_without_index"].params["busy_deletes_per_day"] = "100";
  config.checks["fk_without_index"].params["rate_min_days"] = "0";
  const auto result = db.audit({"fk_without_index"}, config);

  const auto& busy = finding(result, "fk_without_index", "public.busy_child.busy_child_parent_id_fkey");
  CHECK(busy.severity == model::Severity::high);
  CHECK(busy.evidence.at("parent_deletes") == 1000);
  CHECK(busy.evidence.at("parent_deletes_per_day").get<std::int64_t>() >= 100);
  CHECK(busy.message.find("rows deleted a day) scans public.busy_child") != std::string::npos);
  const auto& calm = finding(result, "fk_without_index", "public.calm_child.calm_child_parent_id_fkey");
  CHECK(calm.severity == model::Severity::medium);
  CHECK(calm.evidence.at("parent_deletes") == 0);
  CHECK(calm.message.find("deleted a day") == std::string::npos);
  CHECK(calm.message.find("deleted no row") == std::string::npos); // under quiet_days (7) of counters

  // Trigger.dev's OrgMember (3,000 rows, medium): a parent that deleted no row in quiet_days of
  // counters has had no delete scan the child: low, and the message says why; the busy one stays high
  config.checks["fk_without_index"].params["quiet_days"] = "0";
  const auto quiet = db.audit({"fk_without_index"}, config);
  const auto& calm_quiet = finding(quiet, "fk_without_index", "public.calm_child.calm_child_parent_id_fkey");
  INFO(calm_quiet.message);
  CHECK(calm_quiet.severity == model::Severity::low);
  CHECK(calm_quiet.message.find("but public.calm_parents deleted no row in the 0 days the statistics cover: no delete has "
                                "scanned it yet") != std::string::npos);
  CHECK(finding(quiet, "fk_without_index", "public.busy_child.busy_child_parent_id_fkey").severity == model::Severity::high);
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
    // the base name is too long: its first 54 bytes, "_" and 8 hex digits of its md5
    CHECK(name.size() <= 63);
    CHECK(name.size() > 54);
    CHECK(name[name.size() - 9] == '_');
    CHECK(name.find_first_not_of("0123456789abcdef", name.size() - 8) == std::string::npos);
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

TEST_CASE("fk_without_index: every fix runs on a copy, including partitioned and composite keys, and is not reported again",
          "[checks][fk_without_index]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.organizations(id uuid primary key, region int not null, unique (id, region));
    -- composite key, on a table name of 50+ bytes: the index name is cut and hashed
    create table $s.subscription_invoice_line_item_adjustment_allocations(
      id bigint primary key, organization_id uuid, region int,
      foreign key (organization_id, region) references $s.organizations(id, region) on delete cascade);
    -- the name the fix would use is taken (by a table of the schema)
    create table $s.projects(id bigint primary key, organization_id uuid references $s.organizations(id));
    create table $s.projects_organization_id_idx(x int);
    -- partitioned, two levels, with a template-like default partition
    create table $s.events(id bigint, organization_id uuid references $s.organizations(id), at date not null,
                           kind text not null) partition by range (at);
    create table $s.events_2024 partition of $s.events for values from ('2024-01-01') to ('2025-01-01')
      partition by list (kind);
    create table $s.events_2024_click partition of $s.events_2024 for values in ('click');
    create table $s.events_2024_default partition of $s.events_2024 default;
    create table $s.events_2025 partition of $s.events for values from ('2025-01-01') to ('2026-01-01');
    -- control: indexed
    create table $s.members(id bigint primary key, organization_id uuid references $s.organizations(id));
    create index on $s.members(organization_id);
    insert into $s.organizations select md5(g::text)::uuid, g % 3 from generate_series(1, 20) g;
    insert into $s.events select g, md5((g % 20 + 1)::text)::uuid, date '2024-01-01' + g, case when g % 2 = 0 then 'click' else 'view' end
      from generate_series(1, 600) g;
  )");

  const auto result = db.audit({"fk_without_index"});
  const auto rows = findings_of(result, "fk_without_index");
  CHECK(rows.size() == 3);
  CHECK_FALSE(has_finding(result, "fk_without_index", ident(schema) + ".members.members_organization_id_fkey"));
  const auto& events = finding(result, "fk_without_index", ident(schema) + ".events.events_organization_id_fkey");
  CHECK(events.remediation.find("create index if not exists events_organization_id_idx on only " + ident(schema) + ".events") !=
        std::string::npos);
  CHECK(events.remediation.find("create index concurrently if not exists events_2024_click_organization_id_idx on " +
                                ident(schema) + ".events_2024_click") != std::string::npos);
  CHECK(events.remediation.find("alter index " + ident(schema) + ".events_2024_organization_id_idx attach partition " +
                                ident(schema) + ".events_2024_click_organization_id_idx;") != std::string::npos);
  const auto& projects = finding(result, "fk_without_index", ident(schema) + ".projects.projects_organization_id_fkey");
  CHECK(projects.remediation.find("projects_organization_id_idx_") != std::string::npos);

  check_every_fix_runs(db, rows, {"fk_without_index"});
}

TEST_CASE("fk_without_index: the step after the build stops when a partition's index is missing", "[checks][fk_without_index]")
{
  ScratchDb db;
  db.plant(k_public_schema, R"(
    create table organizations(id bigint primary key);
    create table events(id bigint, organization_id bigint references organizations(id), at date not null) partition by range (at);
    create table events_2024 partition of events for values from ('2024-01-01') to ('2025-01-01');
  )");
  const auto result = db.audit({"fk_without_index"});
  const auto& f = finding(result, "fk_without_index", "public.events.events_organization_id_fkey");
  // a partition added after the audit gets no index from the printed procedure: the parent's stays invalid
  const auto fix = run_fix_on_copy(db, f.remediation,
                                   "create table events_2025 partition of events for values from ('2025-01-01') to ('2026-01-01')");
  INFO(fix.run.output);
  REQUIRE(fix.run.errors().size() == 1);
  CHECK(fix.run.errors()[0].find("index public.events_organization_id_idx is not valid yet") != std::string::npos);
}

TEST_CASE("fk_without_index: a partial index on the key's columns WHERE they are not null serves the key",
          "[checks][fk_without_index]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.teams(id int primary key);
    create table $s.pairs(tenant int, id int, primary key (tenant, id));
    create table $s.transfers(id int primary key, team int references $s.teams, "Payer" int references $s.teams,
                              tenant int, project int, beneficiary int references $s.teams, deleted_at timestamptz,
                              foreign key (tenant, project) references $s.pairs);
    -- the key's lookup (team = $1) implies the predicate: the index serves it
    create index transfers_team_idx on $s.transfers(team) where team is not null;
    create index transfers_payer_idx on $s.transfers("Payer") where "Payer" is not null;
    create index transfers_pair_idx on $s.transfers(tenant, project) where tenant is not null and project is not null;
    -- control: a soft-delete predicate does not follow from the lookup
    create index transfers_beneficiary_idx on $s.transfers(beneficiary) where deleted_at is null;
  )");
  const auto result = db.audit({"fk_without_index"});
  const auto s = ident(schema);
  CHECK_FALSE(has_finding(result, "fk_without_index", s + ".transfers.transfers_team_fkey"));
  CHECK_FALSE(has_finding(result, "fk_without_index", s + ".transfers.\"transfers_Payer_fkey\""));
  CHECK_FALSE(has_finding(result, "fk_without_index", s + ".transfers.transfers_tenant_project_fkey"));
  // the partial index is named, so the key does not read as never indexed (Lago's membership_roles)
  CHECK(finding(result, "fk_without_index", s + ".transfers.transfers_beneficiary_fkey").message.find(
          "has no index with those leading columns, only a partial one (transfers_beneficiary_idx) whose predicate its "
          "lookups do not imply") != std::string::npos);
  CHECK(findings_of(result, "fk_without_index").size() == 1);
}

TEST_CASE("fk_without_index: a key NULL in most rows gets the index of its other rows, which the next audit counts",
          "[checks][fk_without_index][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  // OpenStreetMap's nodes.redaction_id: an optional reference, NULL in all but a few rows; control:
  // a key filled in every row
  db.plant(schema, R"(
    create table $s.redactions(id int primary key);
    insert into $s.redactions select g from generate_series(1, 10) g;
    create table $s.nodes(id bigint primary key, redaction_id int references $s.redactions, changeset int references $s.redactions);
    insert into $s.nodes select g, case when g % 500 = 0 then 1 + g % 10 end, 1 + g % 10 from generate_series(1, 20000) g;
    analyze $s.nodes;
  )");
  const auto result = db.audit({"fk_without_index"});
  const auto s = ident(schema);
  const auto& redaction = finding(result, "fk_without_index", s + ".nodes.nodes_redaction_id_fkey");
  INFO(redaction.remediation);
  CHECK(redaction.remediation.find("create index concurrently if not exists nodes_redaction_id_idx on " + s +
                                   ".nodes (redaction_id) where redaction_id is not null;") != std::string::npos);
  CHECK(redaction.evidence["null_frac"].get<double>() > 0.9);
  const auto& changeset = finding(result, "fk_without_index", s + ".nodes.nodes_changeset_fkey");
  CHECK(changeset.remediation.find("(changeset);") != std::string::npos);
  const auto fixed = run_fix_on_copy(db, redaction);
  INFO(fixed.run.output);
  CHECK(fixed.problems().empty());
  CHECK_FALSE(fixed.still_reported(redaction));
}

TEST_CASE("fk_without_index: a key holding a tenant column is served by an index on its other columns, and a key by an "
          "index on those of its columns that reference a unique key",
          "[checks][fk_without_index]")
{
  // Lago's fees: (organization_id, invoice_id) references invoices(organization_id, id), and the
  // index on invoice_id serves its lookups (they give the tenant too)
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.invoices(id bigint primary key, organization_id bigint not null, region int not null,
                             number int not null, unique (organization_id, id), unique (region, id),
                             unique (region, number));
    create table $s.fees(id bigint primary key, organization_id bigint not null, invoice_id bigint,
                         credit_invoice_id bigint, region int, region_invoice_id bigint, region_invoice_number int,
                         foreign key (organization_id, invoice_id) references $s.invoices(organization_id, id),
                         foreign key (organization_id, credit_invoice_id) references $s.invoices(organization_id, id),
                         foreign key (region, region_invoice_id) references $s.invoices(region, id),
                         foreign key (region, region_invoice_number) references $s.invoices(region, number));
    create index fees_invoice_id_idx on $s.fees(invoice_id);
    -- control: the tenant column alone serves no lookup of one invoice
    create index fees_organization_id_idx on $s.fees(organization_id);
    -- region is no tenant key, but region_invoice_id references invoices' primary key on its own:
    -- its index finds exactly the rows of one invoice (Concourse's volumes (parent_id, parent_state))
    create index fees_region_invoice_id_idx on $s.fees(region_invoice_id);
    -- control: an invoice number repeats across regions, so its index alone is not the key's
    create index fees_region_invoice_number_idx on $s.fees(region_invoice_number);
  )");
  const auto result = db.audit({"fk_without_index"});
  const auto s = ident(schema);
  CHECK_FALSE(has_finding(result, "fk_without_index", s + ".fees.fees_organization_id_invoice_id_fkey"));
  CHECK(has_finding(result, "fk_without_index", s + ".fees.fees_organization_id_credit_invoice_id_fkey"));
  CHECK_FALSE(has_finding(result, "fk_without_index", s + ".fees.fees_region_region_invoice_id_fkey"));
  CHECK(has_finding(result, "fk_without_index", s + ".fees.fees_region_region_invoice_number_fkey"));
  CHECK(findings_of(result, "fk_without_index").size() == 2);
}

TEST_CASE("fk_without_index: a key of several columns one of which leads a selective index is info, the index named",
          "[checks][fk_without_index]")
{
  // Langfuse's dataset_items: the key (dataset_id, project_id) -> datasets(id, project_id), a hash
  // index on dataset_id; a delete's lookup used it, and the finding said "scans"
  ScratchDb db;
  db.plant(k_public_schema, R"(
    create table public.datasets(id text not null, project_id text not null, primary key (id, project_id));
    create table public.dataset_items(id text primary key, project_id text not null, dataset_id text not null,
      foreign key (dataset_id, project_id) references public.datasets(id, project_id) on delete cascade);
    create index dataset_items_dataset_id_idx on public.dataset_items using hash (dataset_id);
    insert into public.datasets select 'd' || g, 'p' || (g % 50) from generate_series(1, 2000) g;
    insert into public.dataset_items select 'i' || g, 'p' || ((1 + g % 2000) % 50), 'd' || (1 + g % 2000) from generate_series(1, 20000) g;
    -- control: the leading column of its index repeats in many rows (a tenant's)
    create table public.scores(id text primary key, project_id text not null, dataset_id text not null,
      foreign key (dataset_id, project_id) references public.datasets(id, project_id));
    create index scores_project_id_idx on public.scores(project_id);
    insert into public.scores select 's' || g, 'p' || ((1 + g % 2000) % 50), 'd' || (1 + g % 2000) from generate_series(1, 20000) g;
  )");
  db.exec_with_stats("analyze public.datasets, public.dataset_items, public.scores");
  const auto result = db.audit({"fk_without_index"});
  const auto& items = finding(result, "fk_without_index", "public.dataset_items.dataset_items_dataset_id_project_id_fkey");
  INFO(items.message);
  CHECK(items.severity == model::Severity::info);
  CHECK(items.evidence.at("selective_index") == "dataset_items_dataset_id_idx");
  CHECK(items.message.find("but dataset_items_dataset_id_idx (hash) leads with dataset_id") != std::string::npos);
  CHECK(items.message.find("scans") == std::string::npos);
  CHECK(finding(result, "fk_without_index", "public.scores.scores_dataset_id_project_id_fkey").severity ==
        model::Severity::medium);
}

TEST_CASE("fk_without_index: a key compared as another type than its column's is not served by the column's index, and "
          "gets advice to fix the type",
          "[checks][fk_without_index]")
{
  // Vaultwarden: character(36) columns referencing character varying(40) keys are compared as
  // text, which a bpchar_ops index does not answer: sso_users' primary key on user_uuid looked
  // like the key's index while every user delete scanned the table, and the fix's plain index on
  // sends.user_uuid left the scan as it was
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.users(uuid varchar(40) primary key);
    create table $s.sso_users(user_uuid char(36) primary key references $s.users on delete cascade);
    create table $s.sends(id int primary key, user_uuid char(36) references $s.users);
    -- controls: varchar and text compare as text, which a varchar index answers; an int key to a
    -- bigint one compares across the integer family, which an int index answers
    create table $s.devices(id int primary key, user_uuid text references $s.users);
    create index on $s.devices(user_uuid);
    create table $s.ids(id bigint primary key);
    create table $s.refs(id int primary key, ids_id int references $s.ids);
    create index on $s.refs(ids_id);
    create table $s.hashed(id int primary key, ids_id bigint references $s.ids);
    create index on $s.hashed using hash (ids_id);
  )");
  const auto result = db.audit({"fk_without_index"});
  const auto s = ident(schema);
  CHECK(findings_of(result, "fk_without_index").size() == 2);
  const auto& sso = finding(result, "fk_without_index", s + ".sso_users.sso_users_user_uuid_fkey");
  CHECK(sso.evidence.at("compared_as") == "user_uuid as text");
  CHECK(sso.message.find("and the key compares user_uuid as text, which no index on the column's own type answers") !=
        std::string::npos);
  CHECK(sso.message.find("create the index concurrently") == std::string::npos);
  CHECK(sso.remediation.rfind("-- not printed: the key compares user_uuid as text", 0) == 0);
  CHECK(sso.undo == "-- nothing was changed");
  CHECK(has_finding(result, "fk_without_index", s + ".sends.sends_user_uuid_fkey"));
}
