-- Third quarter: the missing foreign key on invoices is added (NOT VALID, then validated), a
-- unique index build fails halfway and is left invalid, and the sequence reaches 80%.
\set ON_ERROR_STOP on
set client_min_messages = warning;
alter table invoices add constraint invoices_account_id_fkey foreign key (account_id) references accounts(id) not valid;
alter table invoices validate constraint invoices_account_id_fkey;
insert into api_keys(account_id, token_hash, label) values (1, repeat('a', 64), 'dup'), (2, repeat('a', 64), 'dup');
\set ON_ERROR_STOP off
create unique index concurrently api_keys_token_hash_key on api_keys(token_hash);
\set ON_ERROR_STOP on
select setval('events_id_seq', 1717986918);   -- 80%
analyze;
