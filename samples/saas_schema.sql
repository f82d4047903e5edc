-- Sample database for the schema-audit demo: a small multi-tenant SaaS (project tracking with
-- billing). It is realistic on purpose, including the kind of drift a quarterly audit finds:
-- a duplicated index, foreign keys without an index or missing altogether, a cross-tenant
-- foreign key, a table without a primary key, an int4 serial racing toward 2^31, VARCHAR(N),
-- MONEY and TIMESTAMP WITHOUT TIME ZONE columns. Loaded by scripts/demo.sh.
\set ON_ERROR_STOP on
set client_min_messages = warning;

create table plans (
  id serial primary key,
  code varchar(32) not null unique,
  name text not null,
  monthly_price money not null
);

create table accounts (
  id serial primary key,
  name text not null,
  plan_id int not null references plans(id),
  created_at timestamp not null default now()
);
create index accounts_plan_id_idx on accounts(plan_id);

create table users (
  id serial primary key,
  account_id int not null references accounts(id),
  email varchar(255) not null,
  full_name varchar(100),
  created_at timestamptz not null default now()
);
create index users_account_id_idx on users(account_id);
create index users_email_idx on users(email);
create index users_email_idx1 on users(email);          -- the same index twice

create table projects (
  id serial primary key,
  account_id int not null references accounts(id),
  owner_id int references users(id),                    -- no index on owner_id
  name text not null,
  archived boolean not null default false
);
create index projects_account_id_idx on projects(account_id);

create table tasks (
  id bigserial primary key,
  account_id int not null references accounts(id),
  project_id int not null references projects(id),      -- no index on project_id
  assignee_id int,                                      -- looks like a FK to users, has none
  title text not null,
  status varchar(20) not null default 'open',
  due_date date,
  created_at timestamptz not null default now()
);
create index tasks_account_id_idx on tasks(account_id);
create index tasks_account_id_status_idx on tasks(account_id, status);   -- makes the one above redundant
create index tasks_due_date_idx on tasks(due_date);

create table comments (
  id bigserial primary key,
  account_id int not null references accounts(id),
  task_id bigint not null references tasks(id),         -- crosses tenants: no account_id in the key
  author_id int not null references users(id),
  body text not null,
  created_at timestamptz not null default now()
);
create index comments_task_id_idx on comments(task_id);
create index comments_account_id_idx on comments(account_id);
create index comments_author_id_idx on comments(author_id);

create table invoices (
  id serial primary key,
  account_id int not null,                              -- no foreign key at all
  number varchar(40) not null,
  amount money not null,
  issued_at timestamp not null,
  paid_at timestamp
);
create index invoices_account_id_idx on invoices(account_id);

create table events (                                   -- append-only audit log: no primary key
  id serial,
  account_id int not null,
  kind text not null,
  payload jsonb,
  at timestamptz not null default now()
);
create index events_account_id_at_idx on events(account_id, at);

create table api_keys (
  id serial primary key,
  account_id int not null references accounts(id),
  token_hash char(64) not null,
  label text,
  last_used_at timestamptz
);
create index api_keys_account_id_idx on api_keys(account_id);

-- Data: 3 plans, 40 accounts, 800 users, 400 projects, 20,000 tasks, 30,000 comments,
-- 2,000 invoices, 20,000 events, 120 API keys.
insert into plans(code, name, monthly_price) values
  ('free', 'Free', 0), ('team', 'Team', 49), ('business', 'Business', 199);
insert into accounts(name, plan_id, created_at)
  select 'Account ' || g, 1 + g % 3, now() - (g || ' days')::interval from generate_series(1, 40) g;
insert into users(account_id, email, full_name)
  select 1 + g % 40, 'user' || g || '@example.com', 'User ' || g from generate_series(1, 800) g;
insert into projects(account_id, owner_id, name)
  select 1 + g % 40, 1 + g % 800, 'Project ' || g from generate_series(1, 400) g;
insert into tasks(account_id, project_id, assignee_id, title, status, due_date)
  select 1 + g % 40, 1 + g % 400, 1 + g % 800, 'Task ' || g,
         (array['open', 'doing', 'done'])[1 + g % 3], current_date + g % 90
  from generate_series(1, 20000) g;
insert into comments(account_id, task_id, author_id, body)
  select 1 + g % 40, 1 + g % 20000, 1 + g % 800, repeat('comment text ', 1 + g % 5)
  from generate_series(1, 30000) g;
insert into invoices(account_id, number, amount, issued_at, paid_at)
  select 1 + g % 40, 'INV-' || lpad(g::text, 6, '0'), (10 + g % 300)::numeric::money,
         now() - (g % 365 || ' days')::interval, case when g % 7 <> 0 then now() end
  from generate_series(1, 2000) g;
insert into events(account_id, kind, payload)
  select 1 + g % 40, (array['login', 'task.created', 'task.closed'])[1 + g % 3],
         jsonb_build_object('n', g)
  from generate_series(1, 20000) g;
insert into api_keys(account_id, token_hash, label)
  select 1 + g % 40, md5(g::text) || md5((g * 7)::text), 'key ' || g from generate_series(1, 120) g;

-- The events id sequence has been busy for years.
select setval('events_id_seq', 1288490188);   -- 60% of 2^31

analyze;
