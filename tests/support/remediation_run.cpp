#include "support/remediation_run.hpp"
#include "support/test_db.hpp"

#include <fmt/format.h>
#include <pqxx/pqxx>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <utility>
#include <sys/wait.h>
#include <unistd.h>

namespace test {

namespace {

std::string
psql_binary()
{
  // the cluster's own psql, or Debian's for a server without one (scripts/local-pg.sh)
  return cluster_env().at("SCHEMA_AUDIT_PG_CLIENT_BIN") + "/psql";
}

std::vector<std::string>
split_names(const std::string& array_text)
{
  // array_to_string(..., chr(1)) output
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(array_text);
  while (std::getline(in, item, '\x01')) {
    out.push_back(item);
  }
  return out;
}

bool
contains_all(const std::vector<std::string>& haystack, const std::vector<std::string>& needles)
{
  return std::all_of(needles.begin(), needles.end(), [&](const std::string& n) {
    return std::find(haystack.begin(), haystack.end(), n) != haystack.end();
  });
}

bool
same_set(std::vector<std::string> a, std::vector<std::string> b)
{
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

// Whether `candidate` enforces at least what `original` enforced.
bool
keeps(const KeyConstraint& original, const KeyConstraint& candidate)
{
  if (candidate.table_oid != original.table_oid || (original.validated && !candidate.validated)) {
    return false;
  }
  switch (original.kind) {
  case 'p':
    return candidate.kind == 'p' && same_set(candidate.columns, original.columns);
  case 'u':
  case 'i':
    return (candidate.kind == 'p' || candidate.kind == 'u' || candidate.kind == 'i') &&
           same_set(candidate.columns, original.columns) &&
           // a whole unique index enforces what any partial one on its columns did
           (candidate.predicate.empty() || candidate.predicate == original.predicate);
  default:
    break;
  }
  // the actions (update, delete, match): the same, but for an ON UPDATE that refuses (NO ACTION,
  // RESTRICT) where the original acted: the key still holds, a referenced key's update fails
  // instead of acting on the children (cross_tenant_fk leaves ON UPDATE CASCADE out of a composite key)
  const auto refuses = [](char update) { return update == 'a' || update == 'r'; };
  const bool actions_kept = candidate.actions == original.actions ||
                            (candidate.actions.size() == 3 && original.actions.size() == 3 &&
                             candidate.actions.substr(1) == original.actions.substr(1) && refuses(candidate.actions[0]));
  if (candidate.kind != 'f' || candidate.referenced_oid != original.referenced_oid ||
      !actions_kept || candidate.deferrable != original.deferrable ||
      candidate.deferred != original.deferred) {
    return false;
  }
  // Every (child column, parent column) pair of the original is still a pair of the candidate.
  for (std::size_t i = 0; i < original.columns.size(); ++i) {
    bool paired = false;
    for (std::size_t j = 0; j < candidate.columns.size() && !paired; ++j) {
      paired = candidate.columns[j] == original.columns[i] && j < candidate.ref_columns.size() &&
               candidate.ref_columns[j] == original.ref_columns[i];
    }
    if (!paired) {
      return false;
    }
  }
  return contains_all(candidate.columns, original.columns);
}

// Each ERROR line psql reported, in order, and whether the script raised it (RAISE EXCEPTION,
// which psql follows with a CONTEXT line ending "at RAISE").
std::vector<std::pair<std::string, bool>>
error_lines(const std::string& output)
{
  std::istringstream in(output);
  std::string line;
  std::vector<std::pair<std::string, bool>> out;
  while (std::getline(in, line)) {
    if (line.find("ERROR:") != std::string::npos) {
      out.emplace_back(line, false);
    } else if (line.find("CONTEXT:") != std::string::npos && line.ends_with(" at RAISE") && !out.empty()) {
      out.back().second = true;
    }
  }
  return out;
}

} // namespace

std::vector<std::string>
PsqlRun::errors() const
{
  std::vector<std::string> out;
  for (auto& [line, raised] : error_lines(output)) {
    out.push_back(std::move(line));
  }
  return out;
}

bool
PsqlRun::refused() const
{
  const auto errors = error_lines(output);
  return !errors.empty() && errors.front().second;
}

bool
PsqlRun::only_refusals() const
{
  const auto errors = error_lines(output);
  return !errors.empty() && std::all_of(errors.begin(), errors.end(), [](const auto& e) { return e.second; });
}

PsqlRun
run_psql_script(const ScratchDb& db, const std::string& sql)
{
  return run_psql_script(db.conninfo(), sql);
}

PsqlRun
run_psql_script(const std::string& conninfo, const std::string& sql)
{
  char script_path[] = "/tmp/sa-fix.XXXXXX";
  char out_path[] = "/tmp/sa-fix-out.XXXXXX";
  const int script_fd = mkstemp(script_path);
  const int out_fd = mkstemp(out_path);
  close(out_fd);
  {
    std::ofstream script(script_path, std::ios::binary);
    script << sql;
  }
  close(script_fd);
  const auto command = fmt::format("{} -X -d {} -f {} >{} 2>&1 </dev/null", psql_binary(),
                                   shell_quote(conninfo), script_path, out_path);
  const int status = std::system(command.c_str());
  PsqlRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(out_path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  run.output = s.str();
  std::remove(script_path);
  std::remove(out_path);
  return run;
}

std::vector<KeyConstraint>
key_constraints(const ScratchDb& db)
{
  pqxx::connection c(db.conninfo());
  pqxx::nontransaction tx(c);
  std::vector<KeyConstraint> out;
  const auto constraints = tx.exec(R"(
    select con.contype, con.conrelid::text,
           format('%s.%s %s', con.conrelid::regclass, quote_ident(con.conname), pg_get_constraintdef(con.oid)),
           array_to_string(array(select a.attname from unnest(con.conkey) with ordinality k(n, i)
                                 join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n
                                 order by k.i), chr(1)),
           con.confrelid::text,
           array_to_string(array(select a.attname from unnest(con.confkey) with ordinality k(n, i)
                                 join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n
                                 order by k.i), chr(1)),
           concat(con.confupdtype, con.confdeltype, con.confmatchtype),
           con.condeferrable, con.condeferred, con.convalidated
    from pg_constraint con
    join pg_namespace n on n.oid = con.connamespace
    where con.contype in ('p', 'u', 'f') and con.conrelid <> 0 and con.conparentid = 0
      and n.nspname not in ('pg_catalog', 'information_schema'))");
  for (const auto& row : constraints) {
    KeyConstraint k;
    k.kind = row[0].c_str()[0];
    k.table_oid = row[1].c_str();
    k.description = row[2].c_str();
    k.columns = split_names(row[3].c_str());
    k.referenced_oid = row[4].c_str();
    k.ref_columns = split_names(row[5].c_str());
    k.actions = row[6].c_str();
    k.deferrable = row[7].as<bool>();
    k.deferred = row[8].as<bool>();
    k.validated = row[9].as<bool>();
    out.push_back(std::move(k));
  }
  const auto indexes = tx.exec(R"(
    -- a materialized view is known by its name: a fix that changes a column it reads makes it
    -- again (a new oid) with its unique indexes
    select case when t.relkind = 'm' then i.indrelid::regclass::text else i.indrelid::text end,
           format('%s %s', i.indexrelid::regclass, pg_get_indexdef(i.indexrelid)),
           -- expressions and predicates without the casts of a column to text: a varchar column's
           -- lower((name)::text) reads lower(name) once the column is text, the same key
           array_to_string(array(select coalesce(a.attname, regexp_replace(regexp_replace(pg_get_indexdef(i.indexrelid, k.i::int, true),
                                                                            '\((\w+|"[^"]+")\)::text', '\1', 'g'),
                                                             '(\w+|"[^"]+")::text', '\1', 'g'))
                                 from unnest(i.indkey) with ordinality k(n, i)
                                 left join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.n
                                 where k.i <= i.indnkeyatts order by k.i), chr(1)),
           regexp_replace(coalesce(pg_get_expr(i.indpred, i.indrelid), ''), '\((\w+|"[^"]+")\)::text', '\1', 'g'),
           i.indisvalid
    from pg_index i
    join pg_class t on t.oid = i.indrelid
    join pg_namespace n on n.oid = t.relnamespace
    where i.indisunique and not exists (select 1 from pg_constraint con where con.conindid = i.indexrelid)
      and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast'))");
  for (const auto& row : indexes) {
    KeyConstraint k;
    k.kind = 'i';
    k.table_oid = row[0].c_str();
    k.description = row[1].c_str();
    k.columns = split_names(row[2].c_str());
    k.predicate = row[3].c_str();
    k.validated = row[4].as<bool>();
    out.push_back(std::move(k));
  }
  return out;
}

std::vector<std::string>
weakened_constraints(const std::vector<KeyConstraint>& before, const std::vector<KeyConstraint>& after)
{
  std::vector<std::string> out;
  for (const auto& original : before) {
    const bool kept = std::any_of(after.begin(), after.end(),
                                  [&](const KeyConstraint& candidate) { return keeps(original, candidate); });
    if (!kept) {
      out.push_back(original.description);
    }
  }
  return out;
}

std::vector<std::string>
invalid_indexes(const ScratchDb& db)
{
  pqxx::connection c(db.conninfo());
  pqxx::nontransaction tx(c);
  std::vector<std::string> out;
  for (const auto& row : tx.exec("select indexrelid::regclass::text from pg_index where not indisvalid order by 1")) {
    out.emplace_back(row[0].c_str());
  }
  return out;
}

bool
FixOnCopy::still_reported(const model::Finding& finding) const
{
  return has_finding(copy->audit({finding.check_id}), finding.check_id, finding.object);
}

std::vector<std::string>
FixOnCopy::problems() const
{
  auto out = run.errors();
  for (const auto& w : weakened) {
    out.push_back("weakened: " + w);
  }
  for (const auto& i : invalid) {
    out.push_back("left invalid: " + i);
  }
  return out;
}

std::vector<std::string>
schema_definitions(const ScratchDb& db)
{
  pqxx::connection c(db.conninfo());
  pqxx::nontransaction tx(c);
  std::vector<std::string> out;
  const auto rows = tx.exec(R"(
with rel as (
  select c.oid, c.relkind, c.relpersistence, format('%I.%I', n.nspname, c.relname) as name
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_(toast|temp)'
)
select line from (
  select format('relation %s %s %s', r.name, r.relkind, r.relpersistence) as line from rel r
  union all
  select format('column %s.%I %s%s%s%s%s', r.name, a.attname, format_type(a.atttypid, a.atttypmod),
                case when a.attnotnull then ' not null' end,
                ' default ' || pg_get_expr(d.adbin, d.adrelid),
                case when a.attidentity <> '' then ' identity ' || a.attidentity::text end,
                case when a.attgenerated <> '' then ' generated' end)
  from rel r
  join pg_attribute a on a.attrelid = r.oid and a.attnum > 0 and not a.attisdropped
  left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
  where r.relkind in ('r', 'p', 'v', 'm', 'f')
  union all
  select format('constraint %s.%I %s%s', r.name, co.conname, pg_get_constraintdef(co.oid),
                case when not co.convalidated then ' (not validated)' end)
  from rel r
  join pg_constraint co on co.conrelid = r.oid
  union all
  select format('index %s%s', pg_get_indexdef(i.indexrelid), case when not i.indisvalid then ' (invalid)' end)
  from rel r
  join pg_index i on i.indexrelid = r.oid
  union all
  -- comments of relations (an index's says why it is kept) and of columns
  select format('comment %s%s %s', r.name, case when d.objsubid > 0 then '.' || quote_ident(a.attname) end, d.description)
  from rel r
  join pg_description d on d.objoid = r.oid and d.classoid = 'pg_class'::regclass
  left join pg_attribute a on a.attrelid = r.oid and a.attnum = d.objsubid and d.objsubid > 0
  union all
  select format('trigger %s %s', pg_get_triggerdef(t.oid), t.tgenabled)
  from rel r
  join pg_trigger t on t.tgrelid = r.oid and not t.tgisinternal
  union all
  select format('view %s %s', r.name, pg_get_viewdef(r.oid)) from rel r where r.relkind in ('v', 'm')
  union all
  select format('function %s %s', p.oid::regprocedure, md5(p.prosrc))
  from pg_proc p
  join pg_namespace n on n.oid = p.pronamespace
  where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_(toast|temp)'
    and not exists (select from pg_depend e where e.classid = 'pg_proc'::regclass and e.objid = p.oid and e.deptype = 'e')
  union all
  select format('sequence %s %s owned by %s', r.name, format_type(s.seqtypid, null),
                coalesce((select format('%s.%I', o.name, a.attname)
                          from pg_depend dep
                          join rel o on o.oid = dep.refobjid
                          join pg_attribute a on a.attrelid = dep.refobjid and a.attnum = dep.refobjsubid
                          where dep.classid = 'pg_class'::regclass and dep.objid = r.oid and dep.deptype in ('a', 'i')
                          limit 1), 'none'))
  from rel r
  join pg_sequence s on s.seqrelid = r.oid
) x
order by line)");
  for (const auto& row : rows) {
    out.emplace_back(row[0].c_str());
  }
  return out;
}

std::vector<std::string>
definition_changes(const std::vector<std::string>& before, const std::vector<std::string>& after)
{
  std::vector<std::string> out;
  for (const auto& line : before) {
    if (std::find(after.begin(), after.end(), line) == after.end()) {
      out.push_back("- " + line);
    }
  }
  for (const auto& line : after) {
    if (std::find(before.begin(), before.end(), line) == before.end()) {
      out.push_back("+ " + line);
    }
  }
  return out;
}

RunAgain
run_again(const ScratchDb& db, const std::string& script)
{
  const auto before = schema_definitions(db);
  auto run = run_psql_script(db, script);
  return RunAgain{std::move(run), definition_changes(before, schema_definitions(db))};
}

FixOnCopy
run_fix_on_copy(const ScratchDb& db, const std::string& script, const std::string& setup)
{
  FixOnCopy fix;
  fix.copy = std::make_unique<ScratchDb>(db.name());
  if (!setup.empty()) {
    fix.copy->exec(setup);
  }
  const auto before = key_constraints(*fix.copy);
  fix.run = run_psql_script(*fix.copy, script);
  fix.weakened = weakened_constraints(before, key_constraints(*fix.copy));
  fix.invalid = invalid_indexes(*fix.copy);
  return fix;
}

FixOnCopy
run_fix_on_copy(const ScratchDb& db, const model::Finding& finding, const std::string& setup)
{
  return run_fix_on_copy(db, finding.remediation, setup);
}

} // namespace test

