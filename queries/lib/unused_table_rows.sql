-- The final select of unused_table.sql and unused_table.pg16.sql, over read_at (tbl of
-- lib/unused_table_tables.sql with last_read); $1 is min_window_days.
select t.schemaname as schema_name,
       t.relname as table_name,
       format('%I.%I', t.schemaname, t.relname) as object,
       t.kind as object_type,
       '' as message,
       t.seq_scan,
       t.idx_scan,
       t.n_tup_ins,
       t.n_tup_upd,
       t.n_tup_del,
       to_char(t.last_read, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as last_read,
       t.size_bytes,
       -- if exists: run again once the table is renamed, PostgreSQL says it skips the step (no ERROR)
       format(E'set lock_timeout = ''5s'';\nalter %s if exists %I.%I rename to %I;', t.kind, t.schemaname, t.relname, t.new_name) as rename_sql,
       format('drop %s if exists %I.%I;', t.kind, t.schemaname, t.new_name) as drop_sql,
       concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         format('alter %s if exists %I.%I rename to %I;', t.kind, t.schemaname, t.new_name, t.relname),
         '-- once dropped, its rows cannot be brought back without a backup taken before the drop') as undo,
       $1::int as min_window_days,
       format('%I.%I', t.schemaname, t.relname) as identity
from read_at t
order by t.schemaname, t.relname
