-- id: unused_sequence
-- category: unused_sequence
-- area: cleanup
-- title: Sequences nothing in the schema uses
-- severity: info..low, default info
-- effort: low
-- params: deprecation_patterns={deprecated_*,dropped_*}, stats_min_age_days=(config)
-- input: sequence_values
-- grading: low when the sequence was never called (no value was ever taken from it since it was
--   created or last restarted) while the database's tables took rows (an application at work),
--   over stats_min_age_days (30) of statistics; info when it was called, its value could not be
--   read, no table took a row since the statistics began (a schema loaded without its
--   application: nothing was called yet), or the statistics are younger (Concourse's one_off_name,
--   called by name for a rare `fly execute`: a bulk load is not weeks of the application). Only the
--   low ones print the rename to paste; the others print it as a comment for after the
--   application's owners confirm that nothing calls nextval() on it by name.
-- rationale: A sequence that no column owns (serial, identity) and no default, view or function
--   body names is left over from a dropped table or a changed default, or is called by name from
--   application code (nextval('name')), which the catalog cannot see. Its last value is the
--   evidence: never called is strong, called is a question for the application's owners. Retire
--   it in two steps: rename it to deprecated_<name>, so a caller left behind fails loudly (a
--   default stores the sequence's OID and is not affected), then drop it after the grace period.
--
-- Sequences (relkind S) outside the system schemas and extensions, with no pg_depend row tying
-- them to a column (deptype 'a': OWNED BY, serial; 'i': identity) and none from anything that
-- references them: a column default (pg_attrdef), a domain default, a view (pg_rewrite), a
-- function with a SQL-standard body, a constraint; nor named as a word in the text of any
-- function's body (plpgsql, SQL as a string: the catalog records no dependency for those). Sequences whose names already match a
-- deprecation pattern ($1, deprecation_patterns: globs with * and ?) are left out. $2 is
-- stats_min_age_days (the config's). $3 is the
-- input sequence_values (seqrelid, last_value: null when never called), read with ACCESS SHARE
-- only; a sequence missing from it could not be read by the auditing role. Evidence: last_value,
-- called (true, false, or null when unread), data_type. Returns the fixed finding aliases
-- (queries/README.md).
with
-- include: stats_window
written as (
  -- whether the application wrote anything: any table that took a row since the statistics began
  -- (evaluated once, and only when a sequence is found)
  select exists (select from pg_catalog.pg_class c
                 where c.relkind in ('r', 'p') and c.relnamespace <> 'pg_catalog'::regnamespace
                   and pg_catalog.pg_stat_get_tuples_inserted(c.oid) > 0) as tables
), sequence_values as materialized (
  -- looked up by key through a scalar subquery, as sequence_overflow does (a join to the input's
  -- rows became a nested loop over all of them)
  select jsonb_object_agg(v.seqrelid, v.last_value) as by_oid
  from jsonb_to_recordset($3::jsonb) as v(seqrelid oid, last_value bigint)
), pattern as (
  select string_agg('^' || replace(replace(regexp_replace(p, '([^[:alnum:]_*?])', '\\\1', 'g'),
                                           '*', '.*'), '?', '.') || '$', '|') as re
  from unnest($1::text[]) p
), unused as (
  select s.seqrelid, n.nspname, c.relname, s.seqtypid, s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
         coalesce((select v.by_oid from sequence_values v) ? s.seqrelid::text, false) as was_read,
         ((select v.by_oid from sequence_values v) ->> s.seqrelid::text)::bigint as last_value,
         fitted.names[1] as new_name
  from pg_catalog.pg_sequence s
  join pg_catalog.pg_class c on c.oid = s.seqrelid
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  cross join lateral (select array['deprecated_' || c.relname] as bases,
                             array[exists (select from pg_catalog.pg_class o where o.relnamespace = c.relnamespace
                                     and o.relname = 'deprecated_' || c.relname)] as taken) fit
-- include: fitted_names
  cross join pattern
  where c.relkind = 'S'
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and (pattern.re is null or c.relname !~ pattern.re)
    -- owned by a column (serial, OWNED BY: 'a'; identity: 'i') or by an extension ('e')
    and not exists (select from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = s.seqrelid
                      and d.deptype in ('a', 'i', 'e'))
    -- named by anything: a default's nextval (pg_attrdef), a view, a function body, a constraint
    -- (not its own row type, which sequences have before PostgreSQL 14)
    and not exists (select from pg_catalog.pg_depend d
                    where d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjid = s.seqrelid
                      and not (d.classid = 'pg_catalog.pg_type'::regclass and d.deptype = 'i'))
    -- named in the text of a function body (plpgsql, or SQL written as a string: no dependency is
    -- recorded for either), as a word: Lemmy's generate_unique_changeme() calls
    -- nextval('changeme_seq') and is the default of eleven columns, so the rename broke inserts
    and not exists (select from pg_catalog.pg_proc f
                    join pg_catalog.pg_language l on l.oid = f.prolang
                    where l.lanname not in ('internal', 'c')
                      and f.prosrc ~* ('\m' || regexp_replace(c.relname, '([^[:alnum:]_])', '\\\1', 'g') || '\M'))
)
select u.nspname as schema_name,
       u.relname as table_name,
       format('%I.%I', u.nspname, u.relname) as object,
       'sequence' as object_type,
       case when u.evident then 'low' else 'info' end as severity,
       format('sequence %I.%I is owned by no column and used by no default, identity or view; %s',
              u.nspname, u.relname,
              case when not u.was_read
                     then 'its last value could not be read (no SELECT on it): application code may call nextval() on it by name, which the catalog cannot show'
                   when u.last_value is null and u.evident
                     then 'it was never called since it was created or last restarted, while the tables took rows: nothing takes values from it'
                   when u.last_value is null and u.tables_written
                     then format('it was never called while the tables took rows, but the statistics began %s day(s) ago (under stats_min_age_days, %s): not enough evidence yet that nothing calls nextval(%L) by name',
                                 round(u.stats_days::numeric, 1), $2::int, format('%I.%I', u.nspname, u.relname))
                   when u.last_value is null
                     then 'it was never called, but no table took a row since the statistics began either (a schema without its application): not enough evidence yet that nothing calls nextval() on it by name'
                   else format('it was called (last value %s): application code may still call nextval(%L) by name, which the catalog cannot show; ask its owners before the rename',
                               u.last_value, format('%I.%I', u.nspname, u.relname)) end) as message,
       json_build_object('last_value', u.last_value, 'called', case when u.was_read then u.last_value is not null end,
                         'tables_written', u.tables_written,
                         'data_type', u.seqtypid::regtype::text) as evidence,
       case when u.evident then concat_ws(E'\n',
         regexp_replace(format('-- renamed, so that a caller of nextval(%L) left behind fails loudly while the sequence and its value stay',
                               format('%I.%I', u.nspname, u.relname)),
                        '[\r\n]+', E'\n-- ', 'g'),
         'set lock_timeout = ''5s'';',
         -- (if exists: run again once renamed, a NOTICE and nothing more)
         format('alter sequence if exists %I.%I rename to %I;', u.nspname, u.relname, u.new_name),
         regexp_replace(format('-- after the grace period without errors: drop sequence if exists %I.%I;', u.nspname, u.new_name),
                        '[\r\n]+', E'\n-- ', 'g'))
       -- advice: the application may call it by name, and the rename would break it at once
       else regexp_replace(format('-- nothing to paste yet: once the application''s owners confirm that no code calls nextval(%L) '
                                  '(a search of the code, or pg_stat_statements), rename it so a caller left behind fails loudly: '
                                  'alter sequence %I.%I rename to %I; and drop it after the grace period',
                                  format('%I.%I', u.nspname, u.relname), u.nspname, u.relname, u.new_name),
                           '[\r\n]+', E'\n-- ', 'g') end as remediation,
       case when u.evident then concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         format('alter sequence if exists %I.%I rename to %I;', u.nspname, u.new_name, u.relname),
         regexp_replace(format('-- once dropped, recreate it with: create sequence %I.%I as %s increment by %s minvalue %s maxvalue %s start with %s cache %s%s;',
                               u.nspname, u.relname, u.seqtypid::regtype, u.seqincrement, u.seqmin, u.seqmax,
                               coalesce(least(greatest(u.last_value::numeric + u.seqincrement, u.seqmin), u.seqmax), u.seqstart), u.seqcache,
                               case when u.seqcycle then ' cycle' else '' end),
                        '[\r\n]+', E'\n-- ', 'g'))
       else '-- nothing to undo: the advice runs nothing' end as undo,
       format('%I.%I', u.nspname, u.relname) as identity
from (select u.*, w.tables as tables_written, sw.days as stats_days,
             u.was_read and u.last_value is null and w.tables and sw.days >= $2::int as evident
      from unused u cross join written w cross join stats_window sw) u
order by u.nspname, u.relname
