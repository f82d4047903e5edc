-- Data for samples/rails_saas/schema.sql: 300 organizations, 15,000 users and about a million
-- rows, consistent with every constraint (every reference stays inside its tenant, counter
-- caches match their rows), then ANALYZE. Nothing is planted. Repeatable: the keys other rows
-- reference are md5-derived uuids (pg_temp.uid), the random values come from setseed, and only
-- the keys nothing references come from gen_random_uuid(), as in the application.
-- Load with `psql -X -q -f data.sql` after schema.sql.
\set ON_ERROR_STOP on
set client_min_messages = warning;
set synchronous_commit = off;
-- Foreign-key triggers are off during the bulk load (session_replication_role = replica), for
-- speed; the rows satisfy every constraint anyway (README.md says how that was checked).
set session_replication_role = replica;
select setseed(0.14) \g /dev/null

-- The key of the n-th row of a kind: a uuid that looks random and is the same on every load,
-- so a child computes its parent's key instead of looking it up.
create function pg_temp.uid(kind text, n bigint) returns uuid language sql immutable as
  $$ select md5(kind || ':' || n)::uuid $$;
create function pg_temp.pick(items text[]) returns text language sql volatile as
  $$ select items[1 + floor(random() * cardinality(items))::int] $$;
-- A time between `low` and `high`, at microsecond precision as Active Record writes it.
create function pg_temp.between(low timestamp, high timestamp) returns timestamp language sql volatile as
  $$ select date_trunc('microseconds', low + random() * (high - low)) $$;

-- Sizes: 300 organizations of 50 users, 8 projects each, 25 tasks a project.
-- user j (0..49) of organization k (1..300) is user k + 300 * j; project i (1..8) of
-- organization k is project (k - 1) * 8 + i; task i (1..25) of project p is (p - 1) * 25 + i.

------------------------------------------------------------------------------------------------
-- Rails and lookups
------------------------------------------------------------------------------------------------
insert into schema_migrations
select to_char(timestamp '2021-03-01 09:00' + g * interval '3 days 2 hours 17 minutes', 'YYYYMMDDHH24MISS')
from generate_series(1, 310) g;
insert into ar_internal_metadata values
  ('environment', 'production', '2021-03-01 09:12:44.120331', '2021-03-01 09:12:44.120331'),
  ('schema_sha1', '6f1ed002ab5595859014ebf0951522d9', '2021-03-01 09:12:44.120331', '2025-11-20 14:03:10.554120');

insert into countries (iso_code, name, calling_code, eu_member, created_at, updated_at)
select c.iso, c.name, c.calling, c.eu, '2021-03-01 09:15:00', '2021-03-01 09:15:00'
from (values ('US', 'United States', '+1', false), ('CA', 'Canada', '+1', false),
             ('GB', 'United Kingdom', '+44', false), ('DE', 'Germany', '+49', true),
             ('FR', 'France', '+33', true), ('NL', 'Netherlands', '+31', true),
             ('ES', 'Spain', '+34', true), ('SE', 'Sweden', '+46', true),
             ('AU', 'Australia', '+61', false), ('JP', 'Japan', '+81', false),
             ('BR', 'Brazil', '+55', false), ('IN', 'India', '+91', false)) c(iso, name, calling, eu);
insert into currencies (iso_code, name, symbol, subunit_to_unit, created_at, updated_at)
select c.iso, c.name, c.symbol, c.subunit, '2021-03-01 09:15:00', '2021-03-01 09:15:00'
from (values ('USD', 'United States Dollar', '$', 100), ('EUR', 'Euro', '€', 100),
             ('GBP', 'British Pound', '£', 100), ('CAD', 'Canadian Dollar', '$', 100),
             ('AUD', 'Australian Dollar', '$', 100), ('JPY', 'Japanese Yen', '¥', 1)) c(iso, name, symbol, subunit);
insert into time_zones (name, tzinfo_identifier, utc_offset_minutes, created_at, updated_at)
select z.name, z.tz, z.offset_minutes, '2021-03-01 09:15:00', '2021-03-01 09:15:00'
from (values ('Pacific Time (US & Canada)', 'America/Los_Angeles', -480), ('Eastern Time (US & Canada)', 'America/New_York', -300),
             ('Central Time (US & Canada)', 'America/Chicago', -360), ('UTC', 'Etc/UTC', 0),
             ('London', 'Europe/London', 0), ('Berlin', 'Europe/Berlin', 60), ('Paris', 'Europe/Paris', 60),
             ('Stockholm', 'Europe/Stockholm', 60), ('Sydney', 'Australia/Sydney', 600),
             ('Tokyo', 'Asia/Tokyo', 540)) z(name, tz, offset_minutes);

insert into plans (id, name, stripe_price_id, interval, amount_cents, currency_id, seats_included, features, position, created_at, updated_at)
select pg_temp.uid('plan', p.n), p.name, 'price_' || md5('plan' || p.n)::text, p.per, p.amount, 1, p.seats,
       jsonb_build_object('sso', p.n >= 3, 'audit_log', p.n >= 3, 'api', p.n >= 2), p.n,
       '2021-03-01 09:20:00', '2024-06-01 10:00:00'
from (values (1, 'Free', 'month', 0, 3), (2, 'Team', 'month', 1200, 10), (3, 'Business', 'month', 4900, 25),
             (4, 'Enterprise', 'year', 990000, 100)) p(n, name, per, amount, seats);

insert into permissions (key, description, resource, created_at, updated_at)
select r || '.' || a, initcap(a) || ' ' || r, r, '2021-03-01 09:20:00', '2021-03-01 09:20:00'
from unnest(array['projects', 'tasks', 'documents', 'conversations', 'billing']) r
cross join unnest(array['read', 'create', 'update', 'destroy']) a;

insert into coupons (id, code, percent_off, amount_off_cents, duration, max_redemptions, redemptions_count, expires_at, created_at, updated_at)
select pg_temp.uid('coupon', g), 'LAUNCH' || (2020 + g), case when g % 2 = 0 then 10 * g end,
       case when g % 2 = 1 then 500 * g end, case when g = 5 then 'forever' else 'once' end, 100, 8,
       timestamp '2022-01-01' + g * interval '200 days', timestamp '2021-06-01' + g * interval '90 days',
       timestamp '2021-06-01' + g * interval '90 days'
from generate_series(1, 5) g;

-- the built-in roles every tenant shares (organization_id NULL)
insert into roles (id, organization_id, name, key, description, built_in, created_at, updated_at)
select pg_temp.uid('role', r.n), null, r.name, r.key, r.name || ' of the organization', true,
       '2021-03-01 09:20:00', '2021-03-01 09:20:00'
from (values (1, 'Owner', 'owner'), (2, 'Admin', 'admin'), (3, 'Member', 'member'), (4, 'Guest', 'guest')) r(n, name, key);

------------------------------------------------------------------------------------------------
-- organizations and users
------------------------------------------------------------------------------------------------
insert into organizations (id, name, slug, domain, billing_email, country_id, currency_id, time_zone_id, locale,
                           status, settings, stripe_customer_id, legacy_account_code, memberships_count, projects_count,
                           trial_ends_at, discarded_at,
                           created_at, updated_at)
select pg_temp.uid('org', k), 'Company ' || k, 'company-' || k, 'company' || k || '.example.com',
       'billing@company' || k || '.example.com', 1 + k % 12, 1 + k % 6, 1 + k % 10,
       pg_temp.pick(array['en', 'en', 'en', 'de', 'fr', 'es']),
       case when k % 37 = 0 then 'suspended' else 'active' end,
       jsonb_build_object('week_start', 1 + k % 2, 'two_factor_required', k % 5 = 0, 'theme', pg_temp.pick(array['light', 'dark'])),
       'cus_' || left(md5('cus' || k), 14), case when k <= 60 then 'ACCT-' || lpad(k::text, 6, '0') end, 55, 8,
       timestamp '2021-04-01' + k * interval '3 days' + interval '14 days',
       case when k % 53 = 0 then timestamp '2025-09-01' + k * interval '1 hour' end,
       timestamp '2021-04-01' + k * interval '3 days', timestamp '2025-10-01' + k * interval '2 hours'
from generate_series(1, 300) k;

insert into users (id, email, encrypted_password, sign_in_count, current_sign_in_at, last_sign_in_at,
                   current_sign_in_ip, last_sign_in_ip, confirmed_at, confirmation_sent_at, confirmation_token,
                   failed_attempts, locked_at, unlock_token, reset_password_token, reset_password_sent_at, remember_created_at,
                   unconfirmed_email, first_name, last_name, time_zone_id, locale, otp_required_for_login, otp_secret,
                   preferences, admin, discarded_at, created_at, updated_at)
select pg_temp.uid('user', u), 'user' || u || '@company' || (1 + (u - 1) % 300) || '.example.com',
       '$2a$12$' || md5('pw' || u) || left(md5('salt' || u), 21), (random() * 400)::int,
       s.signed_in, s.signed_in - interval '3 days', '10.' || (u % 250) || '.' || (u % 199) || '.7', '10.' || (u % 250) || '.3.9',
       s.created + interval '10 minutes', s.created, 'conf_' || md5('c' || u),
       case when u % 503 = 0 then 5 else 0 end, case when u % 503 = 0 then s.signed_in end,
       case when u % 503 = 0 then 'unlock_' || md5('u' || u) end, case when u % 211 = 0 then 'reset_' || md5('r' || u) end,
       case when u % 211 = 0 then s.signed_in - interval '1 hour' end, case when u % 3 = 0 then s.signed_in end,
       case when u % 307 = 0 then 'new' || u || '@example.org' end,
       pg_temp.pick(array['Ada', 'Grace', 'Alan', 'Linus', 'Barbara', 'Ken', 'Margaret', 'Edsger', 'Frances', 'Donald']),
       pg_temp.pick(array['Lovelace', 'Hopper', 'Turing', 'Torvalds', 'Liskov', 'Thompson', 'Hamilton', 'Dijkstra', 'Allen', 'Knuth']),
       1 + u % 10, 'en', u % 7 = 0, case when u % 7 = 0 then left(md5('otp' || u), 32) end, jsonb_build_object('digest', u % 3 <> 0), u <= 3,
       case when u % 97 = 0 then s.signed_in + interval '1 day' end, s.created, s.signed_in
from generate_series(1, 15000) u,
     lateral (select timestamp '2021-04-01' + ((u - 1) % 300) * interval '3 days' + (u / 300) * interval '5 days' as created) c,
     lateral (select c.created as created, pg_temp.between(c.created + interval '1 day', timestamp '2025-11-30') as signed_in) s;

-- custom roles: every third organization has one
insert into roles (id, organization_id, name, key, description, built_in, created_at, updated_at)
select pg_temp.uid('custom_role', k), pg_temp.uid('org', k), 'Contractor', 'contractor', 'Project-only access',
       false, timestamp '2022-01-01' + k * interval '1 day', timestamp '2022-01-01' + k * interval '1 day'
from generate_series(3, 300, 3) k;

insert into role_permissions (role_id, permission_id, created_at, updated_at)
select pg_temp.uid('role', r), p.id, '2021-03-01 09:20:00', '2021-03-01 09:20:00'
from generate_series(1, 4) r
join permissions p on r <= 2 or (r = 3 and p.resource <> 'billing') or (r = 4 and p.key like '%.read');
insert into role_permissions (role_id, permission_id, created_at, updated_at)
select ro.id, p.id, ro.created_at, ro.created_at
from roles ro join permissions p on p.resource in ('projects', 'tasks')
where not ro.built_in;

-- every user in its organization; every tenth also in the next one
insert into memberships (organization_id, user_id, role_id, title, last_active_at, discarded_at, created_at, updated_at)
select pg_temp.uid('org', k), pg_temp.uid('user', k + 300 * j),
       case when j = 0 then pg_temp.uid('role', 1) when j < 3 then pg_temp.uid('role', 2)
            when j = 49 and k % 3 = 0 then pg_temp.uid('custom_role', k) else pg_temp.uid('role', 3) end,
       pg_temp.pick(array['Engineer', 'Designer', 'Manager', 'Support', null]),
       pg_temp.between(timestamp '2025-06-01', timestamp '2025-11-30'),
       case when j > 40 and (k + j) % 9 = 0 then timestamp '2025-07-01' + k * interval '1 hour' end,
       timestamp '2021-04-01' + (k - 1) * interval '3 days' + j * interval '5 days',
       timestamp '2021-04-01' + (k - 1) * interval '3 days' + j * interval '5 days'
from generate_series(1, 300) k, generate_series(0, 49) j;
insert into memberships (organization_id, user_id, role_id, created_at, updated_at)
select pg_temp.uid('org', k % 300 + 1), pg_temp.uid('user', k + 300 * j), pg_temp.uid('role', 4),
       timestamp '2024-01-01' + k * interval '1 hour', timestamp '2024-01-01' + k * interval '1 hour'
from generate_series(1, 300) k, generate_series(5, 49, 10) j;

insert into invitations (organization_id, email, token, role_id, invited_by_id, accepted_at, expires_at, created_at, updated_at)
select pg_temp.uid('org', k), 'invitee' || i || '@company' || k || '.example.com', md5('invite' || k || ':' || i),
       pg_temp.uid('role', 3), pg_temp.uid('user', k), case when i <= 3 then c + interval '2 days' end,
       c + interval '7 days', c, c
from generate_series(1, 300) k, generate_series(1, 4) i,
     lateral (select timestamp '2025-01-01' + k * interval '13 hours' + i * interval '11 days' as c) t;

insert into identities (user_id, provider, uid, raw_info, created_at, updated_at)
select pg_temp.uid('user', u), case when u % 2 = 0 then 'google_oauth2' else 'github' end, (100000000 + u)::text,
       jsonb_build_object('email_verified', true), timestamp '2022-01-01' + u * interval '1 hour', timestamp '2022-01-01' + u * interval '1 hour'
from generate_series(1, 15000, 5) u;

insert into api_keys (organization_id, created_by_id, name, token_digest, token_prefix, scopes, last_used_at, revoked_at, created_at, updated_at)
select pg_temp.uid('org', k), pg_temp.uid('user', k), 'CI key ' || i, encode(sha256(convert_to('key' || k || ':' || i, 'UTF8')), 'hex'),
       left(md5('key' || k || ':' || i), 8), array['read', 'write']::character varying[],
       timestamp '2025-11-01' + k * interval '1 hour', case when i = 2 and k % 4 = 0 then timestamp '2025-05-01' end,
       timestamp '2024-01-01' + k * interval '1 day', timestamp '2024-01-01' + k * interval '1 day'
from generate_series(1, 300) k, generate_series(1, 2) i
where i = 1 or k % 2 = 0;

------------------------------------------------------------------------------------------------
-- billing
------------------------------------------------------------------------------------------------
insert into subscriptions (id, organization_id, plan_id, status, stripe_subscription_id, quantity,
                           current_period_start, current_period_end, cancel_at_period_end, canceled_at, created_at, updated_at)
select pg_temp.uid('sub', k), pg_temp.uid('org', k), pg_temp.uid('plan', 1 + k % 4),
       case when k % 53 = 0 then 'canceled' when k % 37 = 0 then 'past_due' else 'active' end,
       'sub_' || left(md5('sub' || k), 14), 10 + k % 40, '2025-11-01', '2025-12-01', k % 53 = 0,
       case when k % 53 = 0 then timestamp '2025-09-01' end,
       timestamp '2021-04-15' + k * interval '3 days', timestamp '2025-11-01' + k * interval '1 minute'
from generate_series(1, 300) k;

insert into payment_methods (id, organization_id, kind, brand, last4, exp_month, exp_year, stripe_payment_method_id,
                             default_method, created_at, updated_at)
select pg_temp.uid('pm', k), pg_temp.uid('org', k), 'card', pg_temp.pick(array['visa', 'mastercard', 'amex']),
       lpad((k * 37 % 10000)::text, 4, '0'), 1 + k % 12, 2026 + k % 4, 'pm_' || left(md5('pm' || k), 20), true,
       timestamp '2021-04-15' + k * interval '3 days', timestamp '2021-04-15' + k * interval '3 days'
from generate_series(1, 300) k;

insert into coupon_redemptions (organization_id, coupon_id, subscription_id, redeemed_at, created_at, updated_at)
select pg_temp.uid('org', k), pg_temp.uid('coupon', 1 + k % 5), pg_temp.uid('sub', k),
       timestamp '2022-01-01' + k * interval '2 days', timestamp '2022-01-01' + k * interval '2 days', timestamp '2022-01-01' + k * interval '2 days'
from generate_series(7, 300, 7) k;
update coupons c set redemptions_count = x.n
from (select coupon_id, count(*) n from coupon_redemptions group by 1) x where x.coupon_id = c.id;

-- twelve monthly invoices per paying organization
insert into invoices (id, organization_id, subscription_id, number, status, currency_id, subtotal_cents, tax_cents,
                      total_cents, stripe_invoice_id, issued_on, due_on, paid_at, line_items_count, metadata, created_at, updated_at)
select pg_temp.uid('inv', k * 100 + m), pg_temp.uid('org', k), pg_temp.uid('sub', k), 'INV-' || lpad((k * 100 + m)::text, 6, '0'),
       case when m = 12 and k % 37 = 0 then 'open' else 'paid' end, 1 + k % 6, 1200 * (10 + k % 40), 0, 1200 * (10 + k % 40),
       'in_' || left(md5('inv' || k || ':' || m), 20), d, d + 30,
       case when m = 12 and k % 37 = 0 then null else d + interval '2 days 3 hours' end, 2, '{}',
       d + interval '1 hour', d + interval '2 days 3 hours'
from generate_series(1, 300) k, generate_series(1, 12) m,
     lateral (select (date '2024-12-01' + m * interval '1 month')::date as d) t
where k % 4 <> 1;

insert into invoice_line_items (organization_id, invoice_id, plan_id, description, quantity, unit_amount_cents, amount_cents,
                                period_start, period_end, created_at, updated_at)
select i.organization_id, i.id, case when l = 1 then s.plan_id end, case when l = 1 then 'Seats' else 'Usage' end,
       case when l = 1 then s.quantity else 1 end, case when l = 1 then 1200 else 0 end,
       case when l = 1 then i.subtotal_cents else 0 end, i.issued_on, (i.issued_on + interval '1 month')::date, i.created_at, i.created_at
from invoices i join subscriptions s on s.id = i.subscription_id, generate_series(1, 2) l;

insert into payments (organization_id, invoice_id, payment_method_id, amount_cents, currency_id, status, stripe_charge_id,
                      paid_at, created_at, updated_at)
select i.organization_id, i.id, pm.id, i.total_cents, i.currency_id, 'succeeded', 'ch_' || left(md5('ch' || i.id::text), 20),
       i.paid_at, i.paid_at, i.paid_at
from invoices i join payment_methods pm on pm.organization_id = i.organization_id
where i.paid_at is not null;

insert into usage_records (organization_id, subscription_id, metric, quantity, recorded_on, created_at, updated_at)
select pg_temp.uid('org', k), pg_temp.uid('sub', k), metric, (random() * 5000)::bigint, d::date,
       d + interval '23 hours 55 minutes', d + interval '23 hours 55 minutes'
from generate_series(1, 300) k, unnest(array['api_calls', 'storage_mb']) metric,
     generate_series(timestamp '2025-10-01', timestamp '2025-11-30', interval '1 day') d;

------------------------------------------------------------------------------------------------
-- teams, projects and work
------------------------------------------------------------------------------------------------
insert into teams (id, organization_id, name, description, color, team_memberships_count, created_at, updated_at)
select pg_temp.uid('team', (k - 1) * 3 + t), pg_temp.uid('org', k), (array['Engineering', 'Design', 'Support'])[t],
       null, (array['#2563eb', '#db2777', '#16a34a'])[t], case when t = 1 then 14 else 13 end,
       timestamp '2021-04-02' + k * interval '3 days', timestamp '2021-04-02' + k * interval '3 days'
from generate_series(1, 300) k, generate_series(1, 3) t;

insert into team_memberships (organization_id, team_id, user_id, lead, created_at, updated_at)
select pg_temp.uid('org', k), pg_temp.uid('team', (k - 1) * 3 + 1 + j % 3), pg_temp.uid('user', k + 300 * j), j < 3,
       timestamp '2021-04-02' + k * interval '3 days' + j * interval '5 days', timestamp '2021-04-02' + k * interval '3 days' + j * interval '5 days'
from generate_series(1, 300) k, generate_series(0, 39) j;

insert into projects (id, organization_id, team_id, owner_id, name, key, description, status, visibility, settings, tasks_count,
                      starts_on, due_on, archived_at, discarded_at, created_at, updated_at)
select pg_temp.uid('project', p), pg_temp.uid('org', k), pg_temp.uid('team', (k - 1) * 3 + 1 + i % 3),
       pg_temp.uid('user', k + 300 * (i % 3)), 'Project ' || i, 'P' || i, 'Work stream ' || i,
       case when i = 8 then 'archived' else 'active' end, 'organization', jsonb_build_object('default_view', 'board'), 25,
       c::date, (c + interval '180 days')::date, case when i = 8 then c + interval '200 days' end,
       null, c, c + interval '30 days'
from generate_series(1, 300) k, generate_series(1, 8) i,
     lateral (select (k - 1) * 8 + i as p, timestamp '2023-01-01' + k * interval '2 days' + i * interval '9 days' as c) t;

insert into project_memberships (organization_id, project_id, user_id, access_level, created_at, updated_at)
select pg_temp.uid('org', k), pg_temp.uid('project', (k - 1) * 8 + i), pg_temp.uid('user', k + 300 * ((i * 5 + j) % 50)),
       case when j = 0 then 'admin' else 'editor' end, c, c
from generate_series(1, 300) k, generate_series(1, 8) i, generate_series(0, 4) j,
     lateral (select timestamp '2023-01-01' + k * interval '2 days' + i * interval '9 days' as c) t;

insert into boards (id, organization_id, project_id, name, position, created_at, updated_at)
select pg_temp.uid('board', p), pg_temp.uid('org', (p - 1) / 8 + 1), pg_temp.uid('project', p), 'Board', 0,
       timestamp '2023-01-01' + p * interval '1 hour', timestamp '2023-01-01' + p * interval '1 hour'
from generate_series(1, 2400) p;

insert into board_columns (id, organization_id, board_id, name, position, wip_limit, done, created_at, updated_at)
select pg_temp.uid('column', (p - 1) * 4 + c), pg_temp.uid('org', (p - 1) / 8 + 1), pg_temp.uid('board', p),
       (array['To do', 'In progress', 'Review', 'Done'])[c], c, case when c = 2 then 5 end, c = 4,
       timestamp '2023-01-01' + p * interval '1 hour', timestamp '2023-01-01' + p * interval '1 hour'
from generate_series(1, 2400) p, generate_series(1, 4) c;

insert into milestones (id, organization_id, project_id, title, description, due_on, state, created_at, updated_at)
select pg_temp.uid('milestone', (p - 1) * 2 + m), pg_temp.uid('org', (p - 1) / 8 + 1), pg_temp.uid('project', p),
       'Release ' || m, null, (date '2025-03-01' + p % 200 + m * 60), case when m = 1 then 'closed' else 'open' end,
       timestamp '2023-02-01' + p * interval '1 hour', timestamp '2023-02-01' + p * interval '1 hour'
from generate_series(1, 2400) p, generate_series(1, 2) m;

insert into labels (id, organization_id, name, color, created_at, updated_at)
select pg_temp.uid('label', (k - 1) * 6 + l), pg_temp.uid('org', k),
       (array['bug', 'feature', 'chore', 'urgent', 'customer', 'blocked'])[l], '#6b7280',
       timestamp '2021-05-01' + k * interval '3 days', timestamp '2021-05-01' + k * interval '3 days'
from generate_series(1, 300) k, generate_series(1, 6) l;

-- 25 tasks a project; every fifth a subtask of the task before it
insert into tasks (id, organization_id, project_id, board_column_id, milestone_id, parent_id, creator_id, assignee_id,
                   number, title, description, status, priority, position, estimate_minutes, due_on, completed_at,
                   custom_fields, comments_count, discarded_at, created_at, updated_at)
select pg_temp.uid('task', t), pg_temp.uid('org', k), pg_temp.uid('project', p), pg_temp.uid('column', (p - 1) * 4 + col),
       case when i % 3 <> 0 then pg_temp.uid('milestone', (p - 1) * 2 + 1 + i % 2) end,
       case when i % 5 = 0 then pg_temp.uid('task', t - 1) end,
       pg_temp.uid('user', k + 300 * (i % 50)), case when i % 4 <> 0 then pg_temp.uid('user', k + 300 * ((i * 7) % 50)) end,
       i, (array['Fix', 'Add', 'Refactor', 'Document', 'Investigate'])[1 + t % 5] || ' ' ||
          (array['login flow', 'billing page', 'export', 'search', 'notifications', 'API pagination', 'onboarding'])[1 + t % 7] || ' #' || i,
       case when i % 2 = 0 then 'Steps to reproduce and acceptance criteria for task ' || i end,
       (array['todo', 'in_progress', 'review', 'done'])[col], (array['low', 'normal', 'normal', 'high'])[1 + t % 4],
       i * 1024.0, case when i % 3 = 0 then 30 * (1 + i % 8) end, (c + interval '20 days')::date,
       case when col = 4 then c + interval '12 days' end, '{}', 1 + t % 2,
       case when i = 25 and k % 11 = 0 then c + interval '3 days' end, c, c + interval '12 days'
from generate_series(1, 2400) p, generate_series(1, 25) i,
     lateral (select (p - 1) / 8 + 1 as k, (p - 1) * 25 + i as t, 1 + (i * 3 + p) % 4 as col,
                     pg_temp.between(timestamp '2023-02-01', timestamp '2025-11-15') as c) x;

insert into task_labels (organization_id, task_id, label_id, created_at, updated_at)
select pg_temp.uid('org', (t - 1) / 200 + 1), pg_temp.uid('task', t), pg_temp.uid('label', ((t - 1) / 200) * 6 + 1 + (t + l) % 6),
       timestamp '2023-03-01' + t * interval '20 minutes', timestamp '2023-03-01' + t * interval '20 minutes'
from generate_series(1, 60000) t, generate_series(0, 1) l
where t % 3 = 0 or l = 0;

insert into checklist_items (organization_id, task_id, body, position, checked_at, created_at, updated_at)
select pg_temp.uid('org', (t - 1) / 200 + 1), pg_temp.uid('task', t), 'Step ' || s, s,
       case when s < 2 then timestamp '2023-03-02' + t * interval '20 minutes' end,
       timestamp '2023-03-01' + t * interval '20 minutes', timestamp '2023-03-01' + t * interval '20 minutes'
from generate_series(1, 60000, 2) t, generate_series(1, 2) s;

insert into comments (organization_id, commentable_type, commentable_id, author_id, body, edited_at, discarded_at, created_at, updated_at)
select pg_temp.uid('org', k), 'Task', pg_temp.uid('task', t), pg_temp.uid('user', k + 300 * ((t + n) % 50)),
       pg_temp.pick(array['Looks good to me.', 'Can we split this?', 'Deployed to staging.', 'Blocked on review.', 'Done, please check.']),
       case when n = 2 then c + interval '5 minutes' end, case when (t + n) % 41 = 0 then c + interval '1 hour' end, c, c
from generate_series(1, 60000) t, generate_series(1, 1 + t % 2) n,
     lateral (select (t - 1) / 200 + 1 as k, timestamp '2023-03-01' + t * interval '20 minutes' + n * interval '3 hours' as c) x;

insert into time_entries (organization_id, task_id, user_id, started_at, minutes, billable, note, created_at, updated_at)
select pg_temp.uid('org', k), pg_temp.uid('task', t), pg_temp.uid('user', k + 300 * (t % 50)), c, 15 + (t * 7) % 240, t % 5 <> 0,
       case when (t + e) % 4 = 0 then 'Pairing session' end, c + interval '4 hours', c + interval '4 hours'
from generate_series(1, 60000, 3) t, generate_series(1, 1 + t % 3) e,
     lateral (select (t - 1) / 200 + 1 as k, timestamp '2023-03-01' + t * interval '20 minutes' + e * interval '1 day' as c) x;

insert into custom_fields (id, organization_id, project_id, name, field_type, options, required, position, created_at, updated_at)
select pg_temp.uid('field', (k - 1) * 2 + f), pg_temp.uid('org', k), null, (array['Customer', 'Severity'])[f],
       (array['text', 'select'])[f], case when f = 2 then '["S1", "S2", "S3"]'::jsonb else '[]' end, false, f,
       timestamp '2022-01-01' + k * interval '1 day', timestamp '2022-01-01' + k * interval '1 day'
from generate_series(1, 300) k, generate_series(1, 2) f;

insert into custom_field_values (organization_id, custom_field_id, task_id, value, created_at, updated_at)
select pg_temp.uid('org', k), pg_temp.uid('field', (k - 1) * 2 + 2), pg_temp.uid('task', t), to_jsonb('S' || (1 + t % 3)),
       timestamp '2023-03-01' + t * interval '20 minutes', timestamp '2023-03-01' + t * interval '20 minutes'
from generate_series(1, 60000, 2) t, lateral (select (t - 1) / 200 + 1 as k) x;

insert into tags (name, taggings_count, created_at, updated_at)
select 'topic-' || g, 0, timestamp '2022-01-01' + g * interval '1 day', timestamp '2022-01-01' + g * interval '1 day'
from generate_series(1, 60) g;
insert into taggings (tag_id, taggable_type, taggable_id, tagger_type, tagger_id, context, tenant, organization_id, created_at)
select 1 + (d * 7 + n) % 60, 'Document', pg_temp.uid('document', d), null, null, 'topics', null,
       pg_temp.uid('org', (d - 1) / 20 + 1), timestamp '2023-06-01' + d * interval '1 hour'
from generate_series(1, 6000) d, generate_series(1, 1 + d % 3) n;
update tags g set taggings_count = t.n from (select tag_id, count(*) n from taggings group by 1) t where t.tag_id = g.id;

------------------------------------------------------------------------------------------------
-- documents
------------------------------------------------------------------------------------------------
insert into folders (id, organization_id, project_id, parent_id, name, documents_count, created_at, updated_at)
select pg_temp.uid('folder', (k - 1) * 4 + f), pg_temp.uid('org', k), case when f > 1 then pg_temp.uid('project', (k - 1) * 8 + f) end,
       case when f > 1 then pg_temp.uid('folder', (k - 1) * 4 + 1) end, (array['Handbook', 'Specs', 'Meeting notes', 'Runbooks'])[f], 5,
       timestamp '2022-01-01' + k * interval '1 day', timestamp '2022-01-01' + k * interval '1 day'
from generate_series(1, 300) k, generate_series(1, 4) f;

-- 20 documents an organization
insert into documents (id, organization_id, folder_id, author_id, title, slug, body, status, published_at, lock_version,
                       discarded_at, created_at, updated_at)
select pg_temp.uid('document', d), pg_temp.uid('org', k), pg_temp.uid('folder', (k - 1) * 4 + 1 + d % 4),
       pg_temp.uid('user', k + 300 * (d % 7)), 'Document ' || d, 'document-' || d, repeat('Lorem ipsum dolor sit amet. ', 1 + d % 20),
       case when d % 4 = 0 then 'draft' else 'published' end, case when d % 4 <> 0 then c + interval '1 day' end, d % 5,
       null, c, c + interval '3 days'
from generate_series(1, 6000) d,
     lateral (select (d - 1) / 20 + 1 as k, timestamp '2023-06-01' + d * interval '1 hour' as c) x;

insert into saved_views (organization_id, user_id, resource_type, name, filters, shared, created_at, updated_at)
select pg_temp.uid('org', k), pg_temp.uid('user', k + 300 * j), 'Task', (array['My open tasks', 'Due this week'])[v],
       jsonb_build_object('status', jsonb_build_array('todo', 'in_progress'), 'assignee', 'me'), j = 0,
       timestamp '2024-01-01' + k * interval '1 day', timestamp '2024-01-01' + k * interval '1 day'
from generate_series(1, 300) k, generate_series(0, 9) j, generate_series(1, 1 + j % 2) v;

------------------------------------------------------------------------------------------------
-- support inbox
------------------------------------------------------------------------------------------------
insert into companies (id, organization_id, name, domain, country_id, custom_attributes, contacts_count, created_at, updated_at)
select pg_temp.uid('company', (k - 1) * 20 + c), pg_temp.uid('org', k), 'Customer ' || c || ' of ' || k,
       'customer' || c || '-' || k || '.example.net', 1 + (k + c) % 12, '{}', case when (c - 1) % 4 = 0 then 0 else 3 end,
       timestamp '2022-06-01' + k * interval '1 day' + c * interval '1 hour', timestamp '2022-06-01' + k * interval '1 day' + c * interval '1 hour'
from generate_series(1, 300) k, generate_series(1, 20) c;

insert into contacts (id, organization_id, company_id, name, email, phone_number, identifier, custom_attributes,
                      last_activity_at, blocked, created_at, updated_at)
select pg_temp.uid('contact', n), pg_temp.uid('org', k), case when n % 4 <> 0 then pg_temp.uid('company', (k - 1) * 20 + 1 + n % 20) end,
       'Contact ' || n, case when n % 10 <> 0 then 'contact' || n || '@customer.example.net' end,
       case when n % 3 = 0 then '+1555' || lpad(n::text, 7, '0') end, case when n % 2 = 0 then 'crm-' || n end,
       '{}', c + interval '30 days', n % 199 = 0, c, c + interval '30 days'
from generate_series(1, 18000) n,
     lateral (select (n - 1) / 60 + 1 as k, timestamp '2022-06-01' + n * interval '90 minutes' as c) x;

insert into inboxes (id, organization_id, team_id, name, channel_type, email_address, settings, created_at, updated_at)
select pg_temp.uid('inbox', (k - 1) * 2 + b), pg_temp.uid('org', k), pg_temp.uid('team', (k - 1) * 3 + 3),
       (array['Support', 'Sales'])[b], (array['email', 'web_widget'])[b],
       case when b = 1 then 'support@company' || k || '.example.com' end, '{}',
       timestamp '2022-06-01' + k * interval '1 day', timestamp '2022-06-01' + k * interval '1 day'
from generate_series(1, 300) k, generate_series(1, 2) b;

-- 120 conversations an organization, display_id counting per organization
insert into conversations (id, organization_id, inbox_id, contact_id, assignee_id, display_id, status, priority, subject,
                           additional_attributes, messages_count, first_reply_at, last_activity_at, snoozed_until, created_at, updated_at)
select pg_temp.uid('conversation', n), pg_temp.uid('org', k), pg_temp.uid('inbox', (k - 1) * 2 + 1 + n % 2),
       pg_temp.uid('contact', (k - 1) * 60 + 1 + n % 60), case when n % 5 <> 0 then pg_temp.uid('user', k + 300 * (n % 50)) end,
       (n - 1) % 120 + 1, case when n % 120 > 100 then 'open' when n % 120 > 95 then 'snoozed' else 'resolved' end,
       case when n % 9 = 0 then 'high' end, 'Question about order ' || n, '{}', 1 + n % 4,
       c + interval '40 minutes', c + interval '2 days', case when n % 120 between 96 and 100 then timestamp '2025-12-05' end,
       c, c + interval '2 days'
from generate_series(1, 36000) n,
     lateral (select (n - 1) / 120 + 1 as k, pg_temp.between(timestamp '2023-01-01', timestamp '2025-11-28') as c) x;

insert into messages (organization_id, conversation_id, sender_type, sender_id, message_type, content, content_attributes,
                      private, status, source_id, created_at, updated_at)
select pg_temp.uid('org', k), pg_temp.uid('conversation', n),
       case when m % 2 = 1 then 'Contact' else 'User' end,
       case when m % 2 = 1 then pg_temp.uid('contact', (k - 1) * 60 + 1 + n % 60) else pg_temp.uid('user', k + 300 * (n % 50)) end,
       case when m % 2 = 1 then 'incoming' else 'outgoing' end,
       pg_temp.pick(array['Hello, I have a question about my invoice.', 'Thanks, that solved it.', 'Could you send me the export?',
                          'We are looking into it.', 'Here is the link you asked for.']),
       '{}', m = 4, 'delivered', case when m % 2 = 1 then '<' || md5('msg' || n || ':' || m) || '@mail.example.net>' end,
       c, c
from generate_series(1, 36000) n, generate_series(1, 1 + n % 4) m,
     lateral (select (n - 1) / 120 + 1 as k, timestamp '2023-01-01' + n * interval '40 minutes' + m * interval '25 minutes' as c) x;

insert into canned_responses (organization_id, short_code, content, created_at, updated_at)
select pg_temp.uid('org', k), 'reply' || r, 'Thanks for reaching out! ' || r, timestamp '2023-01-01' + k * interval '1 day',
       timestamp '2023-01-01' + k * interval '1 day'
from generate_series(1, 300) k, generate_series(1, 8) r;

------------------------------------------------------------------------------------------------
-- notifications, integrations, transfers
------------------------------------------------------------------------------------------------
insert into notifications (organization_id, recipient_id, actor_id, notifiable_type, notifiable_id, notification_type,
                           params, read_at, emailed_at, created_at, updated_at)
select pg_temp.uid('org', k), pg_temp.uid('user', k + 300 * ((t + r) % 50)), pg_temp.uid('user', k + 300 * (t % 50)),
       'Task', pg_temp.uid('task', t), (array['task_assigned', 'comment_added', 'task_due'])[1 + (t + r) % 3], '{}',
       case when t < 55000 then c + interval '2 hours' end, case when r = 1 then c + interval '10 minutes' end, c, c
from generate_series(1, 60000) t, generate_series(1, 1 + (t % 3) / 2) r,
     lateral (select (t - 1) / 200 + 1 as k, timestamp '2023-03-01' + t * interval '20 minutes' as c) x;

insert into notification_preferences (organization_id, user_id, notification_type, email, in_app, created_at, updated_at)
select pg_temp.uid('org', k), pg_temp.uid('user', k + 300 * j), nt, nt <> 'task_due', true,
       timestamp '2024-01-01' + k * interval '1 day', timestamp '2024-01-01' + k * interval '1 day'
from generate_series(1, 300) k, generate_series(0, 49) j, unnest(array['task_assigned', 'comment_added', 'task_due']) nt
where j % 2 = 0;

insert into webhook_endpoints (id, organization_id, url, secret, subscribed_events, enabled, failures_count, created_at, updated_at)
select pg_temp.uid('hook', k), pg_temp.uid('org', k), 'https://hooks.company' || k || '.example.com/saas', md5('whsec' || k),
       array['task.created', 'task.updated']::character varying[], k % 13 <> 0, case when k % 13 = 0 then 12 else 0 end,
       timestamp '2023-01-01' + k * interval '1 day', timestamp '2023-01-01' + k * interval '1 day'
from generate_series(1, 300) k where k % 2 = 0;

insert into webhook_deliveries (organization_id, webhook_endpoint_id, event_name, payload, response_status, response_body, duration_ms,
                                attempt, delivered_at, created_at, updated_at)
select pg_temp.uid('org', k), pg_temp.uid('hook', k), case when d % 3 = 0 then 'task.created' else 'task.updated' end,
       jsonb_build_object('task_number', d, 'project', 'P' || (1 + d % 8)),
       case when d % 50 = 0 then 502 else 200 end, case when d % 50 = 0 then '<html><body>Bad Gateway</body></html>' end,
       40 + d % 300, 1 + (d % 50 = 0)::int, c, c, c
from generate_series(2, 300, 2) k, generate_series(1, 200) d,
     lateral (select timestamp '2025-06-01' + k * interval '1 minute' + d * interval '16 hours' as c) x;

insert into integrations (organization_id, installed_by_id, provider, external_account_id, settings, encrypted_credentials,
                          status, last_synced_at, created_at, updated_at)
select pg_temp.uid('org', k), pg_temp.uid('user', k), p, p || '-' || k, '{}', md5('cred' || k || p),
       'connected', timestamp '2025-11-29' + k * interval '1 minute', timestamp '2023-01-01' + k * interval '1 day',
       timestamp '2025-11-29' + k * interval '1 minute'
from generate_series(1, 300) k, unnest(array['slack', 'github', 'google_drive']) with ordinality as pr(p, o)
where (k + o) % 2 = 0;

insert into oauth_applications (name, uid, secret, redirect_uri, scopes, confidential, owner_type, owner_id, created_at, updated_at)
select 'App ' || k, md5('uid' || k), md5('secret' || k), 'https://app' || k || '.example.org/callback', 'read write', true,
       'Organization', pg_temp.uid('org', k), timestamp '2023-01-01' + k * interval '1 day', timestamp '2023-01-01' + k * interval '1 day'
from generate_series(1, 300, 3) k;
insert into oauth_access_grants (resource_owner_id, application_id, token, expires_in, redirect_uri, scopes, created_at, revoked_at)
select pg_temp.uid('user', 3 * a + 300 * g), a, md5('grant' || a || ':' || g), 600, 'https://example.org/callback', 'read',
       timestamp '2025-01-01' + a * interval '1 day' + g * interval '1 hour', timestamp '2025-01-01' + a * interval '1 day' + g * interval '1 hour' + interval '1 minute'
from generate_series(1, 100) a, generate_series(0, 4) g;
insert into oauth_access_tokens (resource_owner_id, application_id, token, refresh_token, expires_in, scopes, created_at, revoked_at)
select pg_temp.uid('user', 3 * a + 300 * (g % 5)), a, md5('token' || a || ':' || g), md5('refresh' || a || ':' || g), 7200, 'read',
       timestamp '2025-01-01' + a * interval '1 day' + g * interval '1 hour', case when g < 3 then timestamp '2025-06-01' end
from generate_series(1, 100) a, generate_series(0, 19) g;

insert into data_exports (organization_id, requested_by_id, resource_type, format, status, filters, rows_count, completed_at,
                          expires_at, created_at, updated_at)
select pg_temp.uid('org', k), pg_temp.uid('user', k + 300 * (e % 2)), (array['Task', 'Contact', 'Invoice'])[1 + e % 3], 'csv',
       'completed', '{}', 100 * e, c + interval '3 minutes', c + interval '7 days', c, c + interval '3 minutes'
from generate_series(1, 300) k, generate_series(1, 4) e,
     lateral (select timestamp '2025-01-01' + k * interval '5 hours' + e * interval '40 days' as c) x;
insert into data_imports (organization_id, requested_by_id, resource_type, status, total_rows, processed_rows, failed_rows,
                          error_report, completed_at, created_at, updated_at)
select pg_temp.uid('org', k), pg_temp.uid('user', k), 'Contact', 'completed', 60, 60, 0, null, c + interval '1 minute', c, c + interval '1 minute'
from generate_series(1, 300) k, lateral (select timestamp '2022-06-01' + k * interval '1 day' as c) x;

------------------------------------------------------------------------------------------------
-- framework and gem tables
------------------------------------------------------------------------------------------------
insert into active_storage_blobs (key, filename, content_type, metadata, service_name, byte_size, checksum, created_at)
select md5('blob' || b), 'file' || b || '.pdf', 'application/pdf', '{"identified":true,"analyzed":true}', 'amazon',
       20000 + b * 37 % 900000, encode(sha256(convert_to('blob' || b, 'UTF8')), 'base64'), timestamp '2023-06-01' + b * interval '1 hour'
from generate_series(1, 6000) b;
insert into active_storage_attachments (name, record_type, record_id, blob_id, created_at)
select 'files', 'Document', pg_temp.uid('document', b), b, timestamp '2023-06-01' + b * interval '1 hour'
from generate_series(1, 6000) b;
insert into active_storage_variant_records (blob_id, variation_digest)
select b, md5('variant' || b) from generate_series(1, 6000, 4) b;

insert into good_job_processes (created_at, updated_at, state, lock_type)
select timestamp '2025-11-30 06:00' + g * interval '1 minute', timestamp '2025-11-30 06:00' + g * interval '1 minute',
       jsonb_build_object('hostname', 'worker-' || g, 'pid', 1000 + g), 1
from generate_series(1, 2) g;
insert into good_job_settings (created_at, updated_at, key, value)
values ('2024-02-01 10:00:00', '2024-02-01 10:00:00', 'cron_keys_disabled', '[]');
insert into good_job_batches (id, created_at, updated_at, description, serialized_properties, enqueued_at, finished_at)
select pg_temp.uid('batch', g), c, c + interval '5 minutes', 'Monthly invoicing', '{}', c, c + interval '5 minutes'
from generate_series(1, 12) g, lateral (select timestamp '2024-12-01' + g * interval '1 month' as c) x;
-- the last 20,000 jobs (finished ones are cleaned up after a few days, as good_job does)
insert into good_jobs (id, queue_name, priority, serialized_params, scheduled_at, performed_at, finished_at, created_at, updated_at,
                       active_job_id, cron_key, cron_at, batch_id, is_discrete, executions_count, job_class, labels, error, error_event)
select pg_temp.uid('job', j), pg_temp.pick(array['default', 'mailers', 'webhooks', 'low']), 0,
       jsonb_build_object('job_class', cls, 'arguments', jsonb_build_array(j)), c, c + interval '2 seconds',
       case when j < 19950 then c + interval '3 seconds' end, c, c + interval '3 seconds',
       pg_temp.uid('active_job', j), case when cls = 'UsageRollupJob' then 'usage_rollup' end,
       case when cls = 'UsageRollupJob' then c end, case when cls = 'WebhookDeliveryJob' and j % 100 = 0 then pg_temp.uid('batch', 12) end,
       true, 1 + (j % 97 = 0)::int, cls, case when cls = 'WebhookDeliveryJob' then array['webhooks'] end
       , case when j % 97 = 0 then 'Net::ReadTimeout: Net::ReadTimeout with #<TCPSocket:(closed)>' end,
       case when j % 97 = 0 then 1 end
from generate_series(1, 20000) j,
     lateral (select (array['WebhookDeliveryJob', 'NotificationMailerJob', 'SearchIndexJob', 'UsageRollupJob'])[1 + j % 4] as cls,
                     timestamp '2025-11-27' + j * interval '12 seconds' as c) x;
insert into good_job_executions (created_at, updated_at, active_job_id, job_class, queue_name, serialized_params, scheduled_at,
                                 finished_at, process_id, duration, error, error_event, error_backtrace)
select g.created_at, g.updated_at, g.active_job_id, g.job_class, g.queue_name, g.serialized_params, g.scheduled_at,
       g.finished_at, pg_temp.uid('process', 1 + abs(hashtext(g.id::text)) % 2), g.finished_at - g.performed_at, g.error, g.error_event,
       case when g.error is not null then array['net/protocol.rb:229:in `rbuf_fill''', 'app/jobs/webhook_delivery_job.rb:14:in `perform'''] end
from good_jobs g;

insert into flipper_features (key, created_at, updated_at)
select f, '2024-01-01 10:00:00', '2024-01-01 10:00:00'
from unnest(array['new_board', 'ai_summaries', 'bulk_export', 'sso_enforcement', 'dark_mode', 'webhooks_v2']) f;
insert into flipper_gates (feature_key, key, value, created_at, updated_at)
select f, 'actors', 'Organization;' || pg_temp.uid('org', k), '2024-02-01 10:00:00', '2024-02-01 10:00:00'
from unnest(array['new_board', 'ai_summaries', 'bulk_export']) f, generate_series(1, 300, 15) k
union all
select 'dark_mode', 'boolean', 'true', timestamp '2024-02-01 10:00:00', timestamp '2024-02-01 10:00:00';

insert into friendly_id_slugs (slug, sluggable_id, sluggable_type, scope, created_at)
select 'document-' || d || '-old', pg_temp.uid('document', d), 'Document', 'organization_id:' || pg_temp.uid('org', (d - 1) / 20 + 1),
       timestamp '2023-06-01' + d * interval '1 hour'
from generate_series(1, 6000, 2) d;

insert into versions (item_type, item_id, organization_id, event, whodunnit, object, object_changes, created_at)
select 'Task', pg_temp.uid('task', t), pg_temp.uid('org', (t - 1) / 200 + 1), case when v = 1 then 'create' else 'update' end,
       pg_temp.uid('user', (t - 1) / 200 + 1)::text, case when v > 1 then jsonb_build_object('status', 'todo') end,
       jsonb_build_object('status', jsonb_build_array(case when v = 1 then null else 'todo' end, (array['todo', 'in_progress', 'review', 'done'])[1 + (t + v) % 4])),
       timestamp '2023-03-01' + t * interval '20 minutes' + v * interval '1 day'
from generate_series(1, 60000) t, generate_series(1, 1 + (t % 3) / 2) v;

insert into login_activities (scope, strategy, identity, success, failure_reason, user_type, user_id, context, ip, user_agent,
                              country, created_at)
select 'user', 'database_authenticatable', 'user' || u || '@company' || (1 + (u - 1) % 300) || '.example.com', (u + l) % 17 <> 0,
       case when (u + l) % 17 = 0 then 'invalid' end, 'User', case when (u + l) % 17 <> 0 then pg_temp.uid('user', u) end,
       'sessions#create', '10.' || (u % 250) || '.' || (l % 199) || '.7',
       pg_temp.pick(array['Mozilla/5.0 (Macintosh)', 'Mozilla/5.0 (Windows NT 10.0)', 'Mozilla/5.0 (X11; Linux)']),
       (array['US', 'US', 'GB', 'DE', 'FR', 'CA', 'AU'])[1 + u % 7],
       timestamp '2025-06-01' + (u * 3 + l) * interval '7 minutes'
from generate_series(1, 15000) u, generate_series(1, 2) l;

insert into ahoy_visits (visit_token, visitor_token, user_id, organization_id, ip, user_agent, landing_page, browser, os,
                         device_type, country, started_at, referrer, referring_domain, utm_source, utm_medium, utm_campaign)
select md5('visit' || v), md5('visitor' || (v % 9000)), pg_temp.uid('user', 1 + v % 15000), pg_temp.uid('org', 1 + v % 300),
       '10.1.' || (v % 250) || '.9', pg_temp.pick(array['Mozilla/5.0 (Macintosh)', 'Mozilla/5.0 (Windows NT 10.0)', 'Mozilla/5.0 (iPhone)']),
       (array['/dashboard', '/projects', '/inbox', '/login'])[1 + v % 4], pg_temp.pick(array['Chrome', 'Firefox', 'Safari']),
       pg_temp.pick(array['Mac', 'Windows', 'Linux', 'iOS']), (array['Desktop', 'Desktop', 'Mobile', 'Tablet'])[1 + v % 4],
       (array['US', 'US', 'GB', 'DE', 'FR', 'CA', 'AU'])[1 + v % 7], timestamp '2025-09-01' + v * interval '4 minutes'
       , case when v % 6 = 0 then 'https://www.google.com/' end, case when v % 6 = 0 then 'www.google.com' end,
       case when v % 10 = 0 then 'newsletter' end, case when v % 10 = 0 then 'email' end,
       case when v % 10 = 0 then 'launch-' || (v % 3) end
from generate_series(1, 30000) v;
insert into ahoy_events (visit_id, user_id, name, properties, time)
select v, pg_temp.uid('user', 1 + v % 15000), pg_temp.pick(array['$view', '$click', 'Created task', 'Opened board']),
       jsonb_build_object('page', '/dashboard'), timestamp '2025-09-01' + v * interval '4 minutes' + e * interval '30 seconds'
from generate_series(1, 30000) v, generate_series(1, 2) e;

------------------------------------------------------------------------------------------------
-- events: 72,000 rows over 2025, across the monthly partitions
------------------------------------------------------------------------------------------------
insert into events (organization_id, actor_id, subject_type, subject_id, action, data, ip_address, request_id, created_at, updated_at)
select pg_temp.uid('org', k), pg_temp.uid('user', k + 300 * (e % 50)), 'Task', pg_temp.uid('task', (k - 1) * 200 + 1 + e % 200),
       (array['task.created', 'task.updated', 'task.moved', 'comment.created'])[1 + e % 4],
       jsonb_build_object('source', 'web'), ('10.0.' || (e % 250) || '.' || (k % 250))::inet, md5('req' || e || ':' || k), c, c
from generate_series(1, 300) k, generate_series(1, 240) e,
     lateral (select timestamp '2025-01-01' + (e * 300 + k) * interval '430 seconds' as c) x;

set session_replication_role = origin;
analyze;
