  -- The triggers of the table `rt` (rt.relid, rt.nspname, rt.relname: set before the include)
  -- that fire for each row on any UPDATE (no column list): a backfill that updates every row fires
  -- them on every row (an updated_at rewritten, audit rows written for rows nobody changed).
  -- `ut.names` ("trigger x, trigger y") and `ut.count`: those enabled as usual, which a session
  -- with session_replication_role = replica keeps from firing, and `ut.backfill_note`, the comment
  -- a backfill prints before it does so; `ut.always`: those ENABLE ALWAYS or REPLICA, which fire
  -- whatever the session, each with why it matters. Nulls (and 0) when there are none. A lateral
  -- join (lib/expand_contract_column.sql, fk_type_mismatch).
  cross join lateral (
    select u.names, u.count, u.always,
           case when u.names is not null then regexp_replace(format(
             '-- its UPDATEs would fire %s (for each row, on UPDATE) on every row of %I.%I, changing other columns (a '
             'last-updated time) or writing audit rows for rows nobody changed: this session keeps %s from firing '
             '(session_replication_role = replica, which needs a superuser; without it the backfill stops, and the swap with it)',
             u.names, rt.nspname, rt.relname, case when u.count = 1 then 'it' else 'them' end), '[\r\n]+', E'\n-- ', 'g')
           end as backfill_note
    from (
      select string_agg(format('trigger %I', tg.tgname), ', ' order by tg.tgname) filter (where tg.tgenabled = 'O') as names,
             count(*) filter (where tg.tgenabled = 'O') as count,
             string_agg(format('trigger %I (ENABLE %s, for each row on UPDATE: the backfill would fire it on every row)', tg.tgname,
                               case tg.tgenabled when 'A' then 'ALWAYS' else 'REPLICA' end), ', ' order by tg.tgname)
               filter (where tg.tgenabled in ('A', 'R')) as always
      from pg_catalog.pg_trigger tg
      where tg.tgrelid = rt.relid and not tg.tgisinternal and tg.tgenabled <> 'D'
        and tg.tgtype::int & 17 = 17 -- TRIGGER_TYPE_ROW | TRIGGER_TYPE_UPDATE
        and coalesce(array_length(tg.tgattr::int2[], 1), 0) = 0
    ) u
  ) ut
