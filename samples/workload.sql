-- Traffic between audits: the application's usual queries, so the index usage statistics look
-- like a live system's (some indexes used, others never).
set client_min_messages = warning;
select count(*) from users where email = 'user42@example.com';
select count(*) from users where account_id = 7;
select count(*) from projects where account_id = 3;
select count(*) from tasks where account_id = 5 and status = 'open';
select count(*) from comments where task_id = 1234;
select count(*) from comments where account_id = 9;
select count(*) from invoices where account_id = 11;
select count(*) from events where account_id = 2 and at > now() - interval '1 day';
select count(*) from api_keys where account_id = 4;
select * from tasks where title = 'Task 77';
select * from tasks where title = 'Task 78';
select * from tasks where title = 'Task 79';
-- Flush this session's statistics before psql exits, so the next audit sees them.
select pg_stat_force_next_flush();
select 1;
