-- Second quarter: the team fixes the duplicated index, ships a feature with a new table that
-- lacks an index on its foreign key, retires the old billing column by renaming it, and the
-- events sequence keeps climbing.
\set ON_ERROR_STOP on
set client_min_messages = warning;
drop index concurrently if exists users_email_idx1;
create table task_watchers (
  task_id bigint not null references tasks(id),
  user_id int not null references users(id),
  primary key (task_id, user_id)
);
insert into task_watchers select g, 1 + g % 800 from generate_series(1, 5000) g;
create index concurrently if not exists task_watchers_user_id_idx on task_watchers(user_id);
alter table accounts add column legacy_billing_code varchar(20);
alter table accounts rename column legacy_billing_code to deprecated_legacy_billing_code;
alter table invoices add constraint invoices_amount_positive check (amount >= 0::money) not valid;
select setval('events_id_seq', 1503238553);   -- 70%
analyze;
