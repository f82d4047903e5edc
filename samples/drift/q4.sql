-- Fourth quarter: the invalid index is rebuilt after de-duplicating, the task project index
-- finally lands, and the events sequence is at 88%: time to move it to bigint.
\set ON_ERROR_STOP on
set client_min_messages = warning;
delete from api_keys where label = 'dup';
drop index concurrently if exists api_keys_token_hash_key;
create unique index concurrently api_keys_token_hash_key on api_keys(token_hash);
create index concurrently if not exists tasks_project_id_idx on tasks(project_id);
select setval('events_id_seq', 1889785610);   -- 88%
analyze;
