-- Schema version 4 of the history in PostgreSQL: the same column as history/0004_skip_causes.sql
-- for SQLite (why each skipped check has no result, as an audit::SkipCause name), back-filled
-- from the reason texts of the snapshots stored before.

alter table skipped_checks add column cause text not null default 'unmet_need';

update skipped_checks set cause = case
  when reason like 'timed out waiting for a lock%' then 'lock_timeout'
  when reason like 'timed out%' then 'statement_timeout'
  when reason like '%(SQLSTATE 42501)%' then 'no_privilege'
  when reason like '%(SQLSTATE %' or reason like 'unexpected value in the query result%' then 'error'
  else 'unmet_need' end;
