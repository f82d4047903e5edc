-- Schema version 4: why each skipped check has no result, as a name (audit::SkipCause):
-- 'unmet_need' (a documented need the target lacks: an extension, pg_monitor, a previous
-- snapshot, an --opt-in) or a run that failed: 'lock_timeout', 'statement_timeout', 'cancelled',
-- 'no_privilege', 'error'. Reports never count the findings of a check without a result as
-- fixed or new, and `audit --fail-on` fails (exit 8) when a check failed to run.
--
-- Snapshots stored before get the cause their reason text names.

alter table skipped_checks add column cause text not null default 'unmet_need';

update skipped_checks set cause = case
  when reason like 'timed out waiting for a lock%' then 'lock_timeout'
  when reason like 'timed out%' then 'statement_timeout'
  when reason like '%(SQLSTATE 42501)%' then 'no_privilege'
  when reason like '%(SQLSTATE %' or reason like 'unexpected value in the query result%' then 'error'
  else 'unmet_need' end;
