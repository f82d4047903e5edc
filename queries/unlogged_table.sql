-- id: unlogged_table
-- category: unlogged_table
-- area: integrity
-- title: Unlogged tables
-- severity: info..medium, default info
-- effort: medium
-- params: large_bytes=1073741824, window_bytes=104857600
-- grading: info (a cache or a staging table is often unlogged on purpose); low when other tables
--   reference it by foreign key (rows that others point at vanish on a crash); medium from
--   large_bytes (1 GB) of data (a crash empties all of it).
-- rationale: An UNLOGGED table writes no WAL: it is faster to write, but after a crash or an
--   unclean shutdown PostgreSQL empties it, and it is not replicated to standbys or restored by
--   point-in-time recovery (a failover comes up with it empty). That suits a cache or a staging
--   table, not data anything else needs. ALTER TABLE ... SET LOGGED rewrites the table and writes
--   all of it to WAL under an ACCESS EXCLUSIVE lock: short for a small table, a maintenance window
--   for a large one.
--
-- Tables with relpersistence 'u' (partitions counted with their parent), outside the system
-- schemas and extensions, with their size and the foreign keys that reference them. The fix is
-- SET LOGGED under lock_timeout for a table below window_bytes (100 MB), else the statement
-- commented out with the reason. PostgreSQL refuses SET LOGGED on a table that references an
-- unlogged one, so the unlogged tables it reaches through foreign keys (transitively) are set
-- logged with it, in one transaction: the foreign keys among them are dropped, each table set
-- logged, and the keys added again (validated under the lock the rewrite holds anyway). That is
-- also the only way through a cycle (Synapse's two lock tables reference each other: each one's
-- SET LOGGED failed on the other). The undo does the same back to unlogged, then sets logged again
-- the sequences they own that were logged (from 15, SET UNLOGGED changes them too). Returns the
-- fixed finding aliases (queries/README.md).
with unlogged as (
  select t.oid, n.nspname, t.relname, pg_catalog.pg_total_relation_size(t.oid) as size_bytes,
         (select pg_catalog.array_agg(format('%I.%I.%I', cn.nspname, c.relname, k.conname) order by cn.nspname, c.relname, k.conname)
          from pg_catalog.pg_constraint k
          join pg_catalog.pg_class c on c.oid = k.conrelid
          join pg_catalog.pg_namespace cn on cn.oid = c.relnamespace
          where k.contype = 'f' and k.confrelid = t.oid and k.conrelid <> t.oid) as referenced_by,
         -- the unlogged tables it reaches through foreign keys: a logged table cannot point at an unlogged
         -- one, so they change with it
         (with recursive reach(oid) as (
            select t.oid
            union
            select k.confrelid from reach r
            join pg_catalog.pg_constraint k on k.conrelid = r.oid and k.contype = 'f'
            join pg_catalog.pg_class p on p.oid = k.confrelid and p.relpersistence = 'u')
          select pg_catalog.array_agg(format('%I.%I', pn.nspname, p.relname) order by pn.nspname, p.relname)
          from reach r
          join pg_catalog.pg_class p on p.oid = r.oid
          join pg_catalog.pg_namespace pn on pn.oid = p.relnamespace
          where r.oid <> t.oid) as unlogged_parents
  from pg_catalog.pg_class t
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  where t.relpersistence = 'u' and t.relkind in ('r', 'p') and not t.relispartition
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
)
select u.nspname as schema_name,
       u.relname as table_name,
       format('%I.%I', u.nspname, u.relname) as object,
       'table' as object_type,
       case when u.size_bytes >= $1::bigint then 'medium' when u.referenced_by is not null then 'low' else 'info' end as severity,
       format('table %I.%I is UNLOGGED (%s): a crash empties it, and standbys and point-in-time recovery never have its rows%s',
              u.nspname, u.relname, pg_catalog.pg_size_pretty(u.size_bytes),
              case when u.referenced_by is not null
                   then format('; %s point at its rows', pg_catalog.array_to_string(u.referenced_by, ', ')) else '' end) as message,
       json_build_object('size_bytes', u.size_bytes, 'referenced_by', u.referenced_by) as evidence,
       case when u.size_bytes < $2::bigint then concat_ws(E'\n',
         '-- if it is not a cache or staging table by design: rewrites it and writes it to WAL under an ACCESS EXCLUSIVE lock (short at this size)',
         'set lock_timeout = ''5s'';',
         case when u.unlogged_parents is null then format('alter table %I.%I set logged;', u.nspname, u.relname)
              else concat_ws(E'\n',
                regexp_replace(format('-- with the unlogged tables it reaches through foreign keys (a logged table cannot reference an unlogged one): %s',
                                      pg_catalog.array_to_string(u.unlogged_parents, ', ')), '[\r\n]+', E'\n-- ', 'g'),
                replace(sp.block, '@persistence@', 'logged')) end)
       else regexp_replace(format('-- if it is not a cache or staging table by design, in a maintenance window (it rewrites %s and writes all of it to WAL under an ACCESS EXCLUSIVE lock): alter table %I.%I set logged;',
                                  pg_catalog.pg_size_pretty(u.size_bytes), u.nspname, u.relname), '[\r\n]+', E'\n-- ', 'g')
       end as remediation,
       concat_ws(E'\n',
         case when u.unlogged_parents is null then concat_ws(E'\n',
           '-- back to unlogged; first set unlogged the tables that reference it, if they were made logged since (a logged table cannot reference an unlogged one)',
           'set lock_timeout = ''5s'';',
           format('alter table %I.%I set unlogged;', u.nspname, u.relname))
         else concat_ws(E'\n',
           '-- back to unlogged, with the tables the fix made logged with it',
           'set lock_timeout = ''5s'';',
           replace(sp.block, '@persistence@', 'unlogged')) end,
         case when sq.relog is not null then concat_ws(E'\n',
           '-- SET UNLOGGED made the sequences they own unlogged too; these were logged:',
           sq.relog) end) as undo
from unlogged u
-- the sequences the tables own (serial, identity) that were logged: from PostgreSQL 15 a table's
-- SET UNLOGGED changes its sequences too (Danbooru's rate_limits_id_seq), so the undo sets them
-- logged again; before 15 every sequence is logged and stays so
cross join lateral (
  select string_agg(format('alter sequence %I.%I set logged;', sn.nspname, q.relname), E'\n' order by sn.nspname, q.relname) as relog
  from pg_catalog.pg_depend d
  join pg_catalog.pg_class q on q.oid = d.objid and q.relkind = 'S' and q.relpersistence = 'p'
  join pg_catalog.pg_namespace sn on sn.oid = q.relnamespace
  where pg_catalog.current_setting('server_version_num')::int >= 150000
    and d.classid = 'pg_catalog.pg_class'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
    and d.deptype in ('a', 'i')
    and d.refobjid = any (array_prepend(u.oid, (select pg_catalog.array_agg(m::regclass::oid) from unnest(u.unlogged_parents) m)))
) sq
-- the change of persistence of the table and the unlogged tables it reaches, in one transaction: the
-- foreign keys among them dropped, each table changed, the keys added again (@persistence@: logged or unlogged)
cross join lateral (
  select format(E'do $$\ndeclare\n  members regclass[] := %L::regclass[];\n  adds text[] := ''{}'';\n  statement text;\n  member regclass;\n  k record;\nbegin\n'
                        '  perform pg_catalog.set_config(''search_path'', ''pg_catalog'', true);\n'
                        '  for k in select c.conrelid::regclass as rel, c.conname, pg_catalog.pg_get_constraintdef(c.oid) as def\n'
                        '             from pg_catalog.pg_constraint c\n'
                        '            where c.contype = ''f'' and c.conrelid = any (members) and c.confrelid = any (members)\n'
                        '              and c.conrelid <> c.confrelid loop\n'
                        '    adds := adds || format(''alter table %%s add constraint %%I %%s'', k.rel, k.conname, k.def);\n'
                        '    execute format(''alter table %%s drop constraint %%I'', k.rel, k.conname);\n'
                        '  end loop;\n'
                        '  foreach member in array members loop\n'
                        '    execute format(''alter table %%s set @persistence@'', member);\n'
                        '  end loop;\n'
                        '  foreach statement in array adds loop\n'
                        '    execute statement;\n'
                        '  end loop;\nend $$;',
                        array_prepend(format('%I.%I', u.nspname, u.relname), u.unlogged_parents)::text) as block
) sp
order by u.nspname, u.relname
