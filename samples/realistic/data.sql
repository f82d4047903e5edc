-- Data for samples/realistic/schema.sql (about 2.5 million rows), then the drift a quarterly
-- audit should find, then ANALYZE. Deterministic (setseed). Loaded by scripts/realistic-audit.sh.
-- Foreign-key triggers are off during the bulk load (session_replication_role = replica) for
-- speed; the generated rows satisfy every constraint anyway.
\set ON_ERROR_STOP on
set client_min_messages = warning;
set session_replication_role = replica;
set synchronous_commit = off;
select setseed(0.42);

create function pg_temp.pick(items text[]) returns text language sql volatile as
  $$ select items[1 + floor(random() * cardinality(items))::int] $$;
create function pg_temp.maybe(value text, null_pct int) returns text language sql volatile as
  $$ select case when random() * 100 < null_pct then null else value end $$;

------------------------------------------------------------------------------------------------
-- reference
------------------------------------------------------------------------------------------------
insert into reference.countries (code, alpha3, name, phone_prefix, eu_member) values
  ('US', 'USA', 'United States', '+1', false), ('CA', 'CAN', 'Canada', '+1', false),
  ('GB', 'GBR', 'United Kingdom', '+44', false), ('DE', 'DEU', 'Germany', '+49', true),
  ('FR', 'FRA', 'France', '+33', true), ('NL', 'NLD', 'Netherlands', '+31', true),
  ('ES', 'ESP', 'Spain', '+34', true), ('IT', 'ITA', 'Italy', '+39', true),
  ('SE', 'SWE', 'Sweden', '+46', true), ('DK', 'DNK', 'Denmark', '+45', true),
  ('IE', 'IRL', 'Ireland', '+353', true), ('PL', 'POL', 'Poland', '+48', true),
  ('CH', 'CHE', 'Switzerland', '+41', false), ('NO', 'NOR', 'Norway', '+47', false),
  ('AU', 'AUS', 'Australia', '+61', false), ('NZ', 'NZL', 'New Zealand', '+64', false),
  ('JP', 'JPN', 'Japan', '+81', false), ('SG', 'SGP', 'Singapore', '+65', false),
  ('IN', 'IND', 'India', '+91', false), ('BR', 'BRA', 'Brazil', '+55', false),
  ('MX', 'MEX', 'Mexico', '+52', false), ('ZA', 'ZAF', 'South Africa', '+27', false),
  ('AT', 'AUT', 'Austria', '+43', true), ('BE', 'BEL', 'Belgium', '+32', true),
  ('FI', 'FIN', 'Finland', '+358', true), ('PT', 'PRT', 'Portugal', '+351', true);
insert into reference.currencies (code, name, symbol, minor_units) values
  ('USD', 'US Dollar', '$', 2), ('EUR', 'Euro', '€', 2), ('GBP', 'Pound Sterling', '£', 2),
  ('CAD', 'Canadian Dollar', '$', 2), ('AUD', 'Australian Dollar', '$', 2), ('JPY', 'Yen', '¥', 0),
  ('CHF', 'Swiss Franc', 'Fr', 2), ('SEK', 'Swedish Krona', 'kr', 2), ('NOK', 'Norwegian Krone', 'kr', 2),
  ('DKK', 'Danish Krone', 'kr', 2), ('INR', 'Indian Rupee', '₹', 2), ('BRL', 'Brazilian Real', 'R$', 2);
insert into reference.timezones (name, utc_offset) values
  ('UTC', '0h'), ('America/New_York', '-5h'), ('America/Chicago', '-6h'), ('America/Denver', '-7h'),
  ('America/Los_Angeles', '-8h'), ('America/Toronto', '-5h'), ('America/Sao_Paulo', '-3h'),
  ('Europe/London', '0h'), ('Europe/Berlin', '1h'), ('Europe/Paris', '1h'), ('Europe/Amsterdam', '1h'),
  ('Europe/Madrid', '1h'), ('Europe/Stockholm', '1h'), ('Asia/Tokyo', '9h'), ('Asia/Singapore', '8h'),
  ('Asia/Kolkata', '5h30m'), ('Australia/Sydney', '10h'), ('Pacific/Auckland', '12h');
insert into reference.languages (code, name) values
  ('en', 'English'), ('de', 'German'), ('fr', 'French'), ('es', 'Spanish'), ('it', 'Italian'),
  ('nl', 'Dutch'), ('sv', 'Swedish'), ('pt', 'Portuguese'), ('ja', 'Japanese'), ('pl', 'Polish');
insert into reference.industries (name)
select unnest(array['Software', 'Manufacturing', 'Retail', 'Wholesale', 'Healthcare', 'Education',
                    'Financial Services', 'Logistics', 'Construction', 'Hospitality', 'Media',
                    'Energy', 'Agriculture', 'Automotive', 'Telecommunications', 'Real Estate',
                    'Legal Services', 'Nonprofit', 'Government', 'Consulting']);
insert into reference.units_of_measure (code, name, kind) values
  ('ea', 'Each', 'count'), ('box', 'Box', 'count'), ('kg', 'Kilogram', 'mass'), ('g', 'Gram', 'mass'),
  ('l', 'Litre', 'volume'), ('m', 'Metre', 'length'), ('h', 'Hour', 'time'), ('mo', 'Month', 'time');
insert into reference.tax_jurisdictions (country_code, region_code, name)
select c.code, r.region, c.name || coalesce(' - ' || r.region, '')
from reference.countries c
cross join lateral (select null::text as region
                    union all
                    select unnest(array['CA', 'NY', 'TX', 'WA', 'FL', 'IL', 'MA', 'CO']) where c.code = 'US'
                    union all
                    select unnest(array['ON', 'QC', 'BC', 'AB']) where c.code = 'CA') r;
insert into reference.exchange_rates (base_currency, quote_currency, rate_date, rate)
select 'USD', c.code, d::date, round((0.5 + random() * 2)::numeric, 8)
from reference.currencies c
cross join generate_series(date '2025-11-01', date '2026-11-24', interval '1 day') d
where c.code <> 'USD';
insert into reference.holidays (country_code, holiday_date, name)
select c.code, date '2026-01-01' + (k * 29 % 365), 'Public holiday ' || k
from reference.countries c cross join generate_series(1, 10) k;

------------------------------------------------------------------------------------------------
-- public
------------------------------------------------------------------------------------------------
insert into public.organizations (name, slug, billing_email, country_code, industry_id, default_currency, time_zone, created_at, deleted_at)
select initcap(w1 || ' ' || w2) || ' ' || suffix,
       lower(w1 || '-' || w2 || '-' || g),
       'billing@' || lower(w1 || w2) || g || '.example.com',
       (array['US', 'US', 'US', 'GB', 'DE', 'FR', 'NL', 'CA', 'AU', 'SE'])[1 + g % 10],
       1 + g % 20,
       (array['USD', 'USD', 'USD', 'GBP', 'EUR', 'EUR', 'EUR', 'CAD', 'AUD', 'SEK'])[1 + g % 10],
       (array['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Europe/London', 'Europe/Berlin',
              'Europe/Paris', 'Europe/Amsterdam', 'America/Toronto', 'Australia/Sydney', 'Europe/Stockholm'])[1 + g % 10],
       now() - (g * interval '2 days'),
       case when g % 97 = 0 then now() - interval '30 days' end
from generate_series(1, 400) g,
     -- "|| (g * 0)" ties each pick to its row (evaluated per row), and is stripped again
     lateral (select replace(pg_temp.pick(array['north', 'blue', 'bright', 'iron', 'summit', 'harbor', 'pioneer', 'cedar', 'atlas', 'vertex', 'quantum', 'silver']) || (g * 0)::text, '0', '') as w1,
                     replace(pg_temp.pick(array['logistics', 'systems', 'supply', 'labs', 'works', 'foods', 'health', 'partners', 'digital', 'industries']) || (g * 0)::text, '0', '') as w2,
                     replace(pg_temp.pick(array['Inc', 'LLC', 'GmbH', 'Ltd', 'BV', 'SAS', 'AB']) || (g * 0)::text, '0', '') as suffix) n;
insert into public.organization_settings (organization_id, locale, week_starts_on, require_mfa)
select id, (array['en', 'en', 'en', 'de', 'fr', 'nl', 'sv'])[1 + id % 7], case when id % 3 = 0 then 0 else 1 end, id % 5 = 0
from public.organizations;
insert into public.feature_flags (key, description, default_enabled)
select 'ff_' || f, 'Feature ' || replace(f, '_', ' '), g % 3 = 0
from unnest(array['new_invoice_editor', 'bulk_import_v2', 'ai_summaries', 'multi_currency', 'warehouse_bins',
                  'quote_approvals', 'sso_enforcement', 'scim_provisioning', 'usage_billing', 'dunning_emails',
                  'returns_portal', 'custom_roles', 'audit_export', 'webhooks_v2', 'shipping_labels',
                  'kb_public_site', 'sla_policies', 'deal_forecasting', 'email_sequences', 'dashboards_v2',
                  'lot_tracking', 'price_lists', 'tax_automation', 'stock_counts', 'mobile_push']) with ordinality f(f, g);
insert into public.organization_feature_flags (organization_id, feature_flag_id, enabled)
select o.id, f.id, random() < 0.7 from public.organizations o join public.feature_flags f on (o.id + f.id) % 3 = 0;
insert into public.schema_migrations (version, applied_at)
select to_char(timestamp '2021-03-01' + g * interval '3 days', 'YYYYMMDDHH24MISS'), now() - (400 - g) * interval '3 days'
from generate_series(1, 380) g;
insert into public.tags (organization_id, name, color)
select o.id, t, (array['#e11d48', '#f97316', '#eab308', '#22c55e', '#06b6d4', '#3b82f6', '#8b5cf6', '#64748b'])[1 + (o.id + length(t)) % 8]
from public.organizations o
cross join unnest(array['vip', 'churn-risk', 'enterprise', 'smb', 'partner', 'renewal-q1', 'renewal-q2',
                        'needs-follow-up', 'priority', 'beta']) t;
insert into public.custom_fields (organization_id, entity_type, key, label, field_type, position)
select o.id, e, 'cf_' || k, initcap(e) || ' field ' || k, (array['text', 'number', 'date', 'select'])[1 + k % 4], k
from public.organizations o
cross join unnest(array['account', 'contact', 'deal', 'ticket', 'order']) e
cross join generate_series(1, 3) k
where o.id % 2 = 0;

------------------------------------------------------------------------------------------------
-- auth
------------------------------------------------------------------------------------------------
insert into auth.roles (key, name, description) values
  ('owner', 'Owner', 'Full access including billing'), ('admin', 'Administrator', 'Full access'),
  ('manager', 'Manager', 'Manage team records'), ('member', 'Member', 'Standard access'),
  ('viewer', 'Viewer', 'Read-only access'), ('billing', 'Billing', 'Invoices and payments only');
insert into auth.permissions (key, description)
select r || '.' || a, initcap(a) || ' ' || replace(r, '_', ' ')
from unnest(array['accounts', 'contacts', 'deals', 'orders', 'invoices', 'products', 'inventory', 'tickets']) r
cross join unnest(array['read', 'create', 'update', 'delete', 'export']) a;
insert into auth.role_permissions (role_id, permission_id)
select r.id, p.id from auth.roles r join auth.permissions p
  on r.key in ('owner', 'admin') or (r.key = 'manager' and p.key !~ 'delete$') or (p.key ~ 'read$')
     or (r.key = 'billing' and p.key ~ '^invoices');

insert into auth.users (email, email_verified_at, password_hash, full_name, avatar_url, locale, time_zone, last_sign_in_at,
                        sign_in_count, created_at, updated_at, deleted_at)
select lower(fn || '.' || ln) || g || '@' || pg_temp.pick(array['gmail.com', 'outlook.com', 'acme.io', 'example.com', 'corp.example.net']),
       case when g % 9 <> 0 then now() - g * interval '41 minutes' end,
       case when g % 11 <> 0 then '$2b$12$' || md5(g::text) || md5((g * 7)::text) end,
       fn || ' ' || ln,
       pg_temp.maybe('https://cdn.example.com/avatars/' || md5(g::text) || '.png', 60),
       pg_temp.maybe((array['en', 'de', 'fr', 'es', 'nl'])[1 + g % 5], 30),
       pg_temp.maybe((array['America/New_York', 'Europe/London', 'Europe/Berlin', 'America/Los_Angeles'])[1 + g % 4], 40),
       case when g % 13 <> 0 then now() - (g % 500) * interval '1 hour' end,
       (g * 37) % 900,
       now() - g * interval '41 minutes', now() - g * interval '13 minutes',
       case when g % 151 = 0 then now() - interval '12 days' end
from generate_series(1, 20000) g,
     lateral (select pg_temp.pick(array['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda',
                                        'David', 'Elizabeth', 'Anna', 'Lukas', 'Sophie', 'Lars', 'Emma', 'Noah', 'Mia',
                                        'Hiroshi', 'Priya', 'Carlos', 'Fatima', 'Olivia', 'Liam', 'Chloe']) || (g * 0)::text as fn0,
                     pg_temp.pick(array['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis',
                                        'Müller', 'Schmidt', 'Dubois', 'Jansen', 'Andersson', 'Rossi', 'Tanaka', 'Patel',
                                        'Silva', 'Kowalski', 'Nguyen', 'O''Brien']) || (g * 0)::text as ln0) n,
     lateral (select replace(n.fn0, '0', '') as fn, replace(n.ln0, '0', '') as ln) m;
insert into auth.memberships (organization_id, user_id, role_id, invited_by_user_id, status, created_at)
select 1 + (u.id % 400), u.id, (array[4, 4, 4, 3, 5, 2, 6])[1 + u.id % 7],
       case when u.id > 400 then 1 + (u.id % 400) end, 'active', u.created_at
from auth.users u
union all
select 1 + ((u.id * 7 + 13) % 400), u.id, 5, null, 'active', u.created_at + interval '5 days'
from auth.users u where u.id % 5 = 0 and (u.id * 7 + 13) % 400 <> u.id % 400;
update auth.memberships set role_id = 1 where user_id <= 400 and organization_id = 1 + (user_id % 400);
insert into auth.invitations (organization_id, email, role_id, invited_by_user_id, token_hash, accepted_at, expires_at, created_at)
select 1 + g % 400, 'invitee' || (g % 1700) || '@example.org', 4, 1 + g % 400, encode(sha256(('inv' || g)::bytea), 'hex'),
       case when g % 3 <> 0 then now() - g * interval '1 hour' end, now() + interval '7 days' - g * interval '1 hour',
       now() - g * interval '1 hour'
from generate_series(1, 2000) g;
insert into auth.sessions (id, user_id, organization_id, ip_address, user_agent, created_at, last_seen_at, expires_at, revoked_at)
select gen_random_uuid(), u, 1 + u % 400, ('10.' || (g % 250) || '.' || (g % 199) || '.' || (g % 97))::inet,
       pg_temp.pick(array['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Safari/605.1.15',
                          'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0 Safari/537.36',
                          'Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0',
                          'AcmeMobile/4.2 (iPhone; iOS 17.4)', 'AcmeMobile/4.2 (Android 14)']),
       now() - g * interval '3 minutes', now() - g * interval '2 minutes', now() + interval '14 days' - g * interval '3 minutes',
       case when g % 6 = 0 then now() - g * interval '1 minute' end
from generate_series(1, 40000) g, lateral (select 1 + (g * 7919) % 20000 as u) x;
insert into auth.api_tokens (organization_id, created_by_user_id, name, token_prefix, token_hash, scopes, last_used_at, expires_at, revoked_at, created_at)
select 1 + g % 400, 1 + g % 400, pg_temp.pick(array['CI deploy', 'Zapier', 'Data warehouse sync', 'Reporting', 'Backoffice script']),
       'sk_live_' || left(md5(g::text), 6), encode(sha256(('tok' || g)::bytea), 'hex'), array['read', 'write'],
       now() - g * interval '2 hours', case when g % 4 = 0 then now() + interval '90 days' end,
       case when g % 10 = 0 then now() - interval '3 days' end, now() - g * interval '5 hours'
from generate_series(1, 800) g;
insert into auth.mfa_devices (user_id, kind, label, secret_encrypted, last_used_at, created_at)
select 1 + (g * 13) % 20000, (array['totp', 'totp', 'webauthn'])[1 + g % 3], pg_temp.maybe('Phone', 50),
       decode(md5(g::text), 'hex'), now() - g * interval '1 hour', now() - g * interval '3 hours'
from generate_series(1, 3000) g;
insert into auth.password_reset_tokens (user_id, token_hash, expires_at, used_at, created_at)
select 1 + (g * 31) % 20000, encode(sha256(('pwr' || g)::bytea), 'hex'), now() - g * interval '1 hour' + interval '1 hour',
       case when g % 2 = 0 then now() - g * interval '1 hour' + interval '10 minutes' end, now() - g * interval '1 hour'
from generate_series(1, 2000) g;
insert into auth.email_verification_tokens (user_id, email, token_hash, expires_at, verified_at, created_at)
select u.id, u.email, encode(sha256(('ev' || u.id)::bytea), 'hex'), u.created_at + interval '2 days', u.email_verified_at, u.created_at
from auth.users u where u.id % 4 = 0
union all -- "resend the verification email"
select u.id, u.email, encode(sha256(('ev-resend-' || u.id)::bytea), 'hex'), u.created_at + interval '3 days', null, u.created_at + interval '1 day'
from auth.users u where u.id % 20 = 0;
insert into auth.login_attempts (email, ip_address, succeeded, failure_reason, attempted_at)
select case when g % 17 = 0 then 'unknown' || g || '@example.com' else u.email end,
       ('192.168.' || (g % 250) || '.' || (g % 251))::inet, g % 8 <> 0,
       case when g % 8 = 0 then (array['bad_password', 'locked', 'mfa_failed'])[1 + g % 3] end,
       now() - g * interval '30 seconds'
from generate_series(1, 60000) g join auth.users u on u.id = 1 + (g * 7) % 20000;
insert into auth.sso_connections (organization_id, protocol, idp_entity_id, metadata_url, enforced)
select id, (array['saml', 'oidc'])[1 + id % 2], 'https://idp' || id || '.okta.example.com', 'https://idp' || id || '.okta.example.com/metadata', id % 3 = 0
from public.organizations where id % 10 = 0;
insert into auth.sso_domains (organization_id, sso_connection_id, domain, verified_at)
select organization_id, id, 'org' || organization_id || '.example.com', now() - interval '20 days' from auth.sso_connections;
insert into auth.oauth_applications (organization_id, name, client_id, client_secret_hash, redirect_uris)
select 1 + g % 400, 'Integration ' || g, 'app_' || md5(g::text), encode(sha256(('cs' || g)::bytea), 'hex'),
       array['https://app' || g || '.example.com/callback']
from generate_series(1, 100) g;
insert into auth.oauth_access_tokens (organization_id, oauth_application_id, user_id, token_hash, refresh_token_hash, expires_at, created_at)
select a.organization_id, a.id, a.organization_id + 400 * k, encode(sha256(('oat' || a.id || '-' || k)::bytea), 'hex'),
       encode(sha256(('ort' || a.id || '-' || k)::bytea), 'hex'), now() + interval '1 hour' - k * interval '1 day', now() - k * interval '1 day'
from auth.oauth_applications a cross join generate_series(1, 10) k;
insert into auth.scim_tokens (organization_id, token_hash)
select id, encode(sha256(('scim' || id)::bytea), 'hex') from public.organizations where id % 13 = 0;

------------------------------------------------------------------------------------------------
-- crm
------------------------------------------------------------------------------------------------
insert into crm.accounts (organization_id, name, domain, industry_id, employee_count, annual_revenue, country_code,
                          owner_user_id, lifecycle_stage, created_at, updated_at, deleted_at)
select 1 + g % 400, initcap(w1) || ' ' || initcap(w2) || ' ' || g,
       pg_temp.maybe(lower(w1 || w2) || g || '.com', 15),
       case when random() < 0.8 then 1 + g % 20 end,
       case when random() < 0.7 then (10 + random() * 5000)::int end,
       case when random() < 0.5 then round((random() * 5e7)::numeric, 2) end,
       case when random() < 0.9 then (array['US', 'GB', 'DE', 'FR', 'CA', 'NL', 'AU'])[1 + g % 7] end,
       case when random() < 0.85 then (1 + g % 400) + 400 * (g % 10) end,
       (array['prospect', 'customer', 'customer', 'churned', 'partner'])[1 + g % 5],
       now() - g * interval '17 minutes', now() - g * interval '5 minutes',
       case when g % 211 = 0 then now() - interval '40 days' end
from generate_series(1, 20000) g,
     lateral (select pg_temp.pick(array['acme', 'globex', 'initech', 'umbrella', 'stark', 'wayne', 'wonka', 'hooli',
                                        'vandelay', 'soylent', 'tyrell', 'cyberdyne', 'aperture', 'oscorp']) || (g * 0)::text as w1x,
                     pg_temp.pick(array['trading', 'holdings', 'group', 'foods', 'motors', 'analytics', 'retail',
                                        'biotech', 'freight', 'energy']) || (g * 0)::text as w2x) n,
     lateral (select replace(w1x, '0', '') as w1, replace(w2x, '0', '') as w2) m;
update crm.accounts c set parent_account_id = c.id - 400 where c.id % 50 = 0 and c.id > 400;
insert into crm.contacts (organization_id, account_id, first_name, last_name, email, phone, job_title, owner_user_id,
                          lifecycle_stage, source, do_not_contact, created_at, updated_at, deleted_at)
select a.organization_id, case when k < 3 or random() < 0.5 then a.id end,
       pg_temp.maybe(fn, 5), ln,
       pg_temp.maybe(lower(fn || '.' || ln) || '.' || a.id || '.' || k || '@' || coalesce(a.domain, 'mail.example.com'), 8),
       pg_temp.maybe('+1 555 ' || lpad(((a.id * 10 + k) % 10000000)::text, 7, '0'), 35),
       pg_temp.maybe(pg_temp.pick(array['CEO', 'CTO', 'VP Sales', 'Head of Operations', 'Buyer', 'Procurement Manager',
                                        'Office Manager', 'Engineer', 'Finance Director', 'Warehouse Lead']), 25),
       a.owner_user_id, (array['lead', 'lead', 'customer', 'opportunity'])[1 + (a.id + k) % 4],
       pg_temp.maybe(pg_temp.pick(array['website', 'referral', 'trade_show', 'import', 'linkedin', 'cold_call']), 10),
       (a.id + k) % 40 = 0, a.created_at + k * interval '1 day', a.updated_at + k * interval '1 hour',
       case when (a.id + k) % 173 = 0 then now() - interval '9 days' end
from crm.accounts a cross join generate_series(1, 3) k,
     lateral (select replace(pg_temp.pick(array['James', 'Mary', 'Robert', 'Anna', 'Lukas', 'Sophie', 'Emma', 'Noah',
                                                'Priya', 'Carlos', 'Olivia', 'Liam', 'Yuki', 'Ingrid']) || (k * 0)::text, '0', '') as fn,
                     replace(pg_temp.pick(array['Smith', 'Brown', 'Garcia', 'Müller', 'Dubois', 'Jansen', 'Rossi',
                                                'Tanaka', 'Patel', 'Silva', 'Kowalski', 'Nguyen']) || (k * 0)::text, '0', '') as ln) n;
insert into crm.pipelines (organization_id, name, is_default)
select o.id, p, p = 'Sales' from public.organizations o cross join unnest(array['Sales', 'Renewals']) p;
insert into crm.pipeline_stages (organization_id, pipeline_id, name, position, win_probability)
select p.organization_id, p.id, s.name, s.pos, s.prob
from crm.pipelines p
cross join (values ('Qualification', 1, 10), ('Discovery', 2, 25), ('Proposal', 3, 50), ('Negotiation', 4, 75),
                   ('Closed Won', 5, 100), ('Closed Lost', 6, 0)) s(name, pos, prob);
insert into crm.deals (organization_id, account_id, primary_contact_id, pipeline_id, stage_id, owner_user_id, name, amount,
                       currency_code, expected_close_on, closed_at, status, lost_reason, created_at, updated_at)
select a.organization_id, a.id, c.id, p.id, st.id, a.owner_user_id,
       a.name || ' - ' || pg_temp.pick(array['Annual renewal', 'Expansion', 'New business', 'Pilot', 'Upsell']) || (k * 0)::text,
       round((500 + random() * 150000)::numeric, 2), o.default_currency,
       current_date + (a.id % 120)::int - 30,
       case when st.position >= 5 then now() - (a.id % 300) * interval '1 day' end,
       case st.position when 5 then 'won' when 6 then 'lost' else 'open' end,
       case when st.position = 6 then pg_temp.pick(array['price', 'competitor', 'no budget', 'timing']) end,
       a.created_at + interval '3 days', a.updated_at + interval '2 hours'
from crm.accounts a
cross join generate_series(1, 1) k
join public.organizations o on o.id = a.organization_id
join crm.pipelines p on p.organization_id = a.organization_id and p.name = case when a.id % 4 = 0 then 'Renewals' else 'Sales' end
join crm.pipeline_stages st on st.pipeline_id = p.id and st.position = 1 + a.id % 6
left join crm.contacts c on c.organization_id = a.organization_id and c.account_id = a.id and c.created_at = a.created_at + interval '1 day'
where a.id % 4 <> 3;
insert into crm.leads (organization_id, email, company_name, full_name, source, score, converted_contact_id, created_at)
select 1 + g % 400, pg_temp.maybe('lead' || g || '@' || pg_temp.pick(array['gmail.com', 'company.example', 'biz.example']), 10),
       pg_temp.maybe('Prospect Co ' || (g % 3000), 20), 'Lead Person ' || g,
       pg_temp.pick(array['website', 'webinar', 'ads', 'referral', 'event']), (g * 7) % 100,
       null, now() - g * interval '33 minutes'
from generate_series(1, 15000) g;
update crm.leads l set converted_contact_id = c.id
from crm.contacts c where c.id = l.id * 3 and c.organization_id = l.organization_id and l.id % 5 = 0;
insert into crm.activities (organization_id, account_id, contact_id, deal_id, user_id, kind, subject, body, occurred_at, created_at)
select c.organization_id, c.account_id, c.id, null, c.owner_user_id,
       kind, initcap(kind) || ' with ' || c.last_name,
       case when random() < 0.7 then pg_temp.pick(array['Discussed pricing for the next renewal and sent the updated quote.',
                                                         'Left a voicemail, will try again on Thursday.',
                                                         'Demo of the warehouse module went well; they want a trial.',
                                                         'Asked about SSO and SCIM support for their IT team.',
                                                         'Follow-up on the overdue invoice, promised payment next week.',
                                                         'Intro call, qualified budget and timeline.'])
                                  || ' Ref ' || c.id || '/' || k end,
       now() - ((c.id * 5 + k * 11) % 2000) * interval '1 hour', now() - ((c.id * 5 + k * 11) % 2000) * interval '1 hour'
from crm.contacts c cross join generate_series(1, 3) k,
     lateral (select pg_temp.pick(array['call', 'email', 'meeting', 'note', 'task']) || (k * 0)::text as kind0) x,
     lateral (select replace(x.kind0, '0', '') as kind) y
where c.id % 6 <> 0;
insert into crm.campaigns (organization_id, name, channel, budget, starts_on, ends_on)
select 1 + g % 400, pg_temp.pick(array['Spring promo', 'Webinar series', 'Trade show follow-up', 'Newsletter', 'Win-back']) || ' ' || (2024 + g % 3),
       (array['email', 'ads', 'event', 'social'])[1 + g % 4], round((random() * 20000)::numeric, 2),
       date '2024-01-01' + (g % 900), date '2024-02-01' + (g % 900)
from generate_series(1, 1500) g;
insert into crm.campaign_members (organization_id, campaign_id, contact_id, status, responded_at)
select distinct on (cp.organization_id, cp.id, c.id) cp.organization_id, cp.id, c.id, (array['sent', 'opened', 'clicked', 'responded'])[1 + c.id % 4],
       case when c.id % 4 = 3 then now() - interval '10 days' end
from crm.campaigns cp join crm.contacts c on c.organization_id = cp.organization_id and c.id % 7 = cp.id % 7
where c.id % 3 = 0;
insert into crm.email_sequences (organization_id, name) select id, 'Onboarding nurture' from public.organizations where id % 2 = 0;
insert into crm.email_sequence_steps (organization_id, email_sequence_id, position, delay, subject, body)
select s.organization_id, s.id, k, k * interval '2 days', 'Step ' || k || ': getting started', 'Hi {{first_name}}, step ' || k || ' of our guide.'
from crm.email_sequences s cross join generate_series(1, 4) k;
insert into crm.email_sequence_enrollments (organization_id, email_sequence_id, contact_id, current_step, enrolled_at, finished_at)
select c.organization_id, s.id, c.id, c.id % 4, now() - (c.id % 60) * interval '1 day',
       case when c.id % 4 = 3 then now() - interval '1 day' end
from crm.contacts c join crm.email_sequences s on s.organization_id = c.organization_id where c.id % 5 = 0;

------------------------------------------------------------------------------------------------
-- catalog and inventory
------------------------------------------------------------------------------------------------
insert into catalog.product_categories (organization_id, name)
select o.id, c from public.organizations o
cross join unnest(array['Hardware', 'Consumables', 'Services', 'Spare parts', 'Packaging', 'Software licenses']) c;
insert into catalog.product_categories (organization_id, parent_id, name)
select pc.organization_id, pc.id, pc.name || ' - ' || s from catalog.product_categories pc
cross join unnest(array['Standard', 'Premium']) s where pc.parent_id is null and pc.id % 2 = 0;
insert into catalog.products (organization_id, category_id, sku, name, description, unit_code, list_price, currency_code,
                              weight_grams, is_active, created_at, updated_at)
select pc.organization_id, pc.id, upper(left(pc.name, 3)) || '-' || lpad((pc.id * 10 + k)::text, 6, '0'),
       pg_temp.pick(array['Industrial', 'Compact', 'Heavy-duty', 'Eco', 'Pro', 'Standard']) || ' '
         || pg_temp.pick(array['bracket', 'valve', 'sensor', 'cable kit', 'filter', 'pallet wrap', 'label roll',
                               'support plan', 'gasket', 'controller', 'license seat', 'toner'])
         || ' ' || (pc.id * 10 + k),
       case when random() < 0.6 then 'Durable ' || lower(pc.name) || ' item, model ' || (pc.id * 10 + k) || '. Ships in 2-3 business days.' end,
       (array['ea', 'ea', 'ea', 'box', 'kg', 'h', 'mo'])[1 + (pc.id + k) % 7], round((2 + random() * 2000)::numeric, 2),
       o.default_currency,
       case when pc.name not in ('Services', 'Software licenses') then (50 + random() * 20000)::int end,
       (pc.id + k) % 11 <> 0, now() - (pc.id + k) * interval '1 hour', now() - (pc.id + k) * interval '7 minutes'
from catalog.product_categories pc
join public.organizations o on o.id = pc.organization_id
cross join generate_series(1, 3) k;
insert into catalog.product_variants (organization_id, product_id, sku, option_values, price_delta)
select p.organization_id, p.id, p.sku || '-' || v, jsonb_build_object('size', v), (array[0, 5, 10])[1 + p.id % 3]
from catalog.products p cross join unnest(array['S', 'M', 'L']) v where p.id % 2 = 0;
insert into catalog.product_images (organization_id, product_id, storage_key, position, alt_text)
select p.organization_id, p.id, 'products/' || p.organization_id || '/' || md5(p.id || '-' || k) || '.jpg', k,
       pg_temp.maybe(p.name, 40)
from catalog.products p cross join generate_series(0, 1) k;
insert into catalog.price_lists (organization_id, name, currency_code, valid_from)
select o.id, l, o.default_currency, date '2025-01-01'
from public.organizations o cross join unnest(array['Wholesale', 'Partner']) l where o.id % 3 <> 0;
insert into catalog.price_list_items (organization_id, price_list_id, product_id, unit_price, min_quantity)
select pl.organization_id, pl.id, p.id, round(p.list_price * 0.85, 2), 1
from catalog.price_lists pl join catalog.products p on p.organization_id = pl.organization_id;
insert into catalog.product_bundles (organization_id, bundle_product_id, component_product_id, quantity)
select p.organization_id, p.id, p.id + 1, 2 from catalog.products p
join catalog.products q on q.id = p.id + 1 and q.organization_id = p.organization_id where p.id % 20 = 0;

insert into inventory.warehouses (organization_id, code, name, address_line1, city, postal_code, country_code)
select o.id, w.code, w.name, (100 + o.id) || ' Industrial Way', w.city, lpad((o.id * 37 % 99999)::text, 5, '0'), o.country_code
from public.organizations o
cross join (values ('MAIN', 'Main warehouse', 'Springfield'), ('EAST', 'East DC', 'Newark'), ('WEST', 'West DC', 'Reno')) w(code, name, city)
where o.id % 4 <> 0 or w.code = 'MAIN';
insert into inventory.bins (organization_id, warehouse_id, code)
select w.organization_id, w.id, 'A' || lpad(k::text, 2, '0') from inventory.warehouses w cross join generate_series(1, 10) k;
insert into inventory.stock_levels (organization_id, product_id, warehouse_id, on_hand, reserved, reorder_point, updated_at)
select p.organization_id, p.id, w.id, (random() * 500)::int, (random() * 20)::int,
       case when random() < 0.4 then 25 end, now() - random() * interval '30 days'
from catalog.products p join inventory.warehouses w on w.organization_id = p.organization_id
where p.weight_grams is not null;
insert into inventory.suppliers (organization_id, name, email, phone, country_code, payment_terms_days)
select 1 + g % 400, pg_temp.pick(array['Global', 'Prime', 'United', 'Allied', 'Pacific']) || ' ' ||
       pg_temp.pick(array['Components', 'Packaging', 'Metals', 'Plastics', 'Electronics']) || ' ' || g,
       pg_temp.maybe('orders@supplier' || g || '.example.com', 20), pg_temp.maybe('+44 20 7946 ' || lpad((g % 10000)::text, 4, '0'), 30),
       (array['US', 'CN', 'DE', 'MX', 'PL'])[1 + g % 5], (array[30, 30, 45, 60])[1 + g % 4]
from generate_series(1, 3000) g;
update inventory.suppliers set country_code = 'US' where country_code = 'CN';
insert into inventory.purchase_orders (organization_id, supplier_id, warehouse_id, number, status, ordered_on, expected_on,
                                       currency_code, created_by_user_id)
select s.organization_id, s.id, w.id, 'PO-' || lpad((s.id * 10 + k)::text, 7, '0'),
       (array['draft', 'sent', 'partially_received', 'received', 'cancelled'])[1 + (s.id + k) % 5],
       current_date - ((s.id + k * 40) % 400)::int, current_date - ((s.id + k * 40) % 400)::int + 14, o.default_currency,
       s.organization_id + 400 * k
from inventory.suppliers s
join public.organizations o on o.id = s.organization_id
join inventory.warehouses w on w.organization_id = s.organization_id and w.code = 'MAIN'
cross join generate_series(1, 3) k;
insert into inventory.purchase_order_lines (organization_id, purchase_order_id, product_id, quantity, unit_cost, received_quantity)
select po.organization_id, po.id, p.id, 10 + (po.id * p.id) % 200, round(p.list_price * 0.55, 4),
       case when po.status = 'received' then 10 + (po.id * p.id) % 200 else 0 end
from inventory.purchase_orders po
join catalog.products p on p.organization_id = po.organization_id and p.id % 9 = po.id % 9;
insert into inventory.stock_movements (organization_id, product_id, warehouse_id, quantity, reason, source_type, source_id,
                                       created_by_user_id, created_at)
select sl.organization_id, sl.product_id, sl.warehouse_id, (array[-5, -2, -1, 10, 25, -3])[1 + k % 6],
       (array['sale', 'sale', 'sale', 'receipt', 'receipt', 'adjustment'])[1 + k % 6],
       (array['order', 'order', 'order', 'purchase_order', 'purchase_order', null])[1 + k % 6],
       case when k % 6 <> 5 then sl.product_id * 3 + k end,
       case when k % 6 = 5 then sl.organization_id + 400 end,
       now() - (sl.product_id % 300 + k * 7) * interval '1 day'
from inventory.stock_levels sl cross join generate_series(1, 5) k;
insert into inventory.stock_counts (organization_id, warehouse_id, status, counted_by_user_id, started_at, finished_at)
select w.organization_id, w.id, 'completed', w.organization_id + 400, now() - k * interval '30 days', now() - k * interval '30 days' + interval '4 hours'
from inventory.warehouses w cross join generate_series(1, 2) k where w.id % 3 = 0;
insert into inventory.stock_count_lines (organization_id, stock_count_id, product_id, expected_quantity, counted_quantity)
select sc.organization_id, sc.id, sl.product_id, sl.on_hand, sl.on_hand - (sl.product_id % 3)
from inventory.stock_counts sc join inventory.stock_levels sl on sl.warehouse_id = sc.warehouse_id;
insert into inventory.lots (organization_id, product_id, lot_number, expires_on)
select p.organization_id, p.id, 'L' || to_char(current_date - k * 30, 'YYMM') || '-' || p.id, current_date + 365 - k * 30
from catalog.products p cross join generate_series(1, 2) k where p.unit_code in ('kg', 'box');

------------------------------------------------------------------------------------------------
-- sales
------------------------------------------------------------------------------------------------
insert into sales.addresses (organization_id, account_id, kind, line1, line2, city, region, postal_code, country_code)
select a.organization_id, a.id, k, (a.id % 900 + 1) || ' ' || pg_temp.pick(array['Main St', 'Market St', 'High Street', 'Hauptstraße', 'Rue de la Paix', 'Oak Avenue']),
       pg_temp.maybe('Suite ' || (a.id % 400), 70),
       pg_temp.pick(array['Boston', 'Austin', 'London', 'Berlin', 'Paris', 'Amsterdam', 'Toronto', 'Sydney']),
       pg_temp.maybe((array['MA', 'TX', 'CA', 'NY'])[1 + a.id % 4], 50), lpad((a.id % 99999)::text, 5, '0'),
       coalesce(a.country_code, 'US')
from crm.accounts a cross join unnest(array['billing', 'shipping']) k where a.id % 5 <> 0;
insert into sales.quotes (organization_id, account_id, deal_id, number, status, currency_code, valid_until, total,
                          created_by_user_id, created_at)
select d.organization_id, d.account_id, d.id, 'Q-' || lpad(d.id::text, 7, '0'),
       (array['draft', 'sent', 'accepted', 'declined', 'expired'])[1 + d.id % 5], d.currency_code,
       current_date + (d.id % 60)::int - 20, d.amount, d.owner_user_id, d.created_at + interval '2 days'
from crm.deals d where d.id % 5 <> 4;
insert into sales.quote_lines (organization_id, quote_id, product_id, description, quantity, unit_price, discount_pct)
select q.organization_id, q.id, p.id, p.name, 1 + (q.id + p.id) % 20, p.list_price, (array[0, 0, 5, 10])[1 + q.id % 4]
from sales.quotes q
join lateral (select p.id, p.name, p.list_price from catalog.products p
              where p.organization_id = q.organization_id and p.id % 7 = q.id % 7 limit 3) p on true;
insert into sales.discounts (organization_id, code, kind, value, starts_at, ends_at, max_redemptions)
select 1 + g % 400, upper(pg_temp.pick(array['spring', 'welcome', 'loyal', 'bulk', 'partner'])) || (10 + g % 30) || '-' || g,
       (array['percent', 'amount'])[1 + g % 2], (array[5, 10, 15, 50, 100])[1 + g % 5],
       now() - interval '200 days', case when g % 3 <> 0 then now() + interval '30 days' end,
       case when g % 2 = 0 then 500 end
from generate_series(1, 1000) g;
insert into sales.orders (organization_id, account_id, contact_id, quote_id, shipping_address_id, number, status,
                          currency_code, subtotal, tax_total, total, notes, ordered_at, cancelled_at, created_by_user_id, created_at, updated_at)
select a.organization_id, a.id,
       (select c.id from crm.contacts c where c.organization_id = a.organization_id and c.account_id = a.id order by c.id limit 1),
       null, ad.id, o.order_prefix || lpad((a.id * 10 + k)::text, 8, '0'),
       (array['pending', 'confirmed', 'shipped', 'shipped', 'delivered', 'delivered', 'delivered', 'cancelled'])[1 + (a.id + k) % 8],
       org.default_currency, 0, 0, 0,
       case when random() < 0.15 then pg_temp.pick(array['Deliver to loading dock B', 'Call before delivery', 'Gift wrap',
                                                          'Partial shipment OK', 'Invoice to head office']) end,
       now() - ((a.id * 3 + k * 17) % 700) * interval '1 day' - (k * interval '37 minutes'),
       case when (a.id + k) % 8 = 7 then now() - ((a.id * 3 + k * 17) % 700) * interval '1 day' + interval '2 hours' end,
       a.owner_user_id, now() - ((a.id * 3 + k * 17) % 700) * interval '1 day',
       now() - ((a.id * 3 + k * 17) % 700) * interval '1 day' + (a.id % 90) * interval '1 hour'
from crm.accounts a
join public.organizations org on org.id = a.organization_id
join public.organization_settings o on o.organization_id = a.organization_id
left join sales.addresses ad on ad.account_id = a.id and ad.kind = 'shipping'
cross join generate_series(1, 3) k
where a.id % 7 <> 0 and a.lifecycle_stage <> 'prospect';
update sales.orders o set quote_id = q.id
from sales.quotes q where q.account_id = o.account_id and q.status = 'accepted' and o.number like '%1';
insert into sales.order_lines (organization_id, order_id, product_id, variant_id, quantity, unit_price, discount_amount, tax_amount)
select o.organization_id, o.id, p.id, null, 1 + (o.id + p.id) % 12, p.list_price, 0, round(p.list_price * 0.2, 2)
from sales.orders o
join lateral (select p.id, p.list_price from catalog.products p
              where p.organization_id = o.organization_id and p.id % 5 = o.id % 5 limit 3) p on true;
update sales.orders o set subtotal = l.subtotal, tax_total = l.tax, total = l.subtotal + l.tax
from (select order_id, sum(quantity * unit_price) as subtotal, sum(tax_amount) as tax from sales.order_lines group by order_id) l
where l.order_id = o.id;
insert into sales.order_discounts (organization_id, order_id, discount_id, amount)
select o.organization_id, o.id, d.id, round(o.subtotal * 0.05, 2)
from sales.orders o join sales.discounts d on d.organization_id = o.organization_id and d.id % 3 = 0
where o.id % 13 = 0;
insert into sales.returns (organization_id, order_id, number, reason, status, received_at, created_at)
select o.organization_id, o.id, 'RMA-' || lpad(o.id::text, 7, '0'), pg_temp.pick(array['damaged', 'wrong item', 'not needed', 'defective']),
       (array['requested', 'received', 'refunded'])[1 + o.id % 3], case when o.id % 3 > 0 then o.ordered_at + interval '12 days' end,
       o.ordered_at + interval '9 days'
from sales.orders o where o.id % 25 = 0 and o.status = 'delivered';
insert into sales.return_lines (organization_id, return_id, order_line_id, quantity, condition)
select r.organization_id, r.id, l.id, 1, pg_temp.maybe('opened', 50)
from sales.returns r join sales.order_lines l on l.order_id = r.order_id;

------------------------------------------------------------------------------------------------
-- billing
------------------------------------------------------------------------------------------------
insert into billing.plans (code, name, billing_interval, amount, currency_code, is_public) values
  ('starter_monthly', 'Starter', 'month', 49, 'USD', true), ('starter_yearly', 'Starter', 'year', 490, 'USD', true),
  ('growth_monthly', 'Growth', 'month', 199, 'USD', true), ('growth_yearly', 'Growth', 'year', 1990, 'USD', true),
  ('scale_monthly', 'Scale', 'month', 699, 'USD', true), ('scale_yearly', 'Scale', 'year', 6990, 'USD', true),
  ('enterprise', 'Enterprise', 'year', 24000, 'USD', false), ('legacy_pro', 'Pro (legacy)', 'month', 99, 'USD', false);
insert into billing.plan_features (plan_id, feature_flag_id, limit_value)
select p.id, f.id, case when f.id % 3 = 0 then 10 * p.id end from billing.plans p join public.feature_flags f on f.id <= 3 * p.id;
insert into billing.platform_subscriptions (organization_id, plan_id, status, seats, current_period_start, current_period_end,
                                            cancel_at, external_subscription_id)
select o.id, 1 + o.id % 8, (array['active', 'active', 'active', 'trialing', 'past_due', 'canceled'])[1 + o.id % 6],
       5 + o.id % 200, date_trunc('month', now()), date_trunc('month', now()) + interval '1 month',
       case when o.id % 6 = 5 then date_trunc('month', now()) + interval '1 month' end, 'sub_' || md5(o.id::text)
from public.organizations o;
insert into billing.tax_rates (organization_id, jurisdiction_id, name, rate)
select o.id, j.id, 'VAT ' || j.name, (array[0.19, 0.20, 0.21, 0.0825, 0.13])[1 + j.id % 5]
from public.organizations o join reference.tax_jurisdictions j on j.country_code = o.country_code and j.region_code is null;
insert into billing.invoices (organization_id, account_id, order_id, billing_address_id, number, status, currency_code,
                              issued_on, due_on, subtotal, tax_total, total, amount_paid, notes, created_by_user_id, sent_at,
                              voided_at, created_at, updated_at)
select o.organization_id, o.account_id, o.id, ad.id, s.invoice_prefix || lpad(o.id::text, 8, '0'),
       st.status, o.currency_code, o.ordered_at::date + 1, o.ordered_at::date + 31, o.subtotal, o.tax_total, o.total,
       case when st.status = 'paid' then o.total else 0 end,
       case when random() < 0.1 then 'Payment terms: net 30. Thank you for your business.' end,
       o.created_by_user_id, o.ordered_at + interval '1 day',
       case when st.status = 'void' then o.ordered_at + interval '3 days' end, o.ordered_at + interval '1 day',
       o.ordered_at + interval '1 day' + (o.id % 30) * interval '1 day'
from sales.orders o
join public.organization_settings s on s.organization_id = o.organization_id
left join sales.addresses ad on ad.account_id = o.account_id and ad.kind = 'billing'
cross join lateral (select case when o.status = 'cancelled' then 'void'
                                when o.ordered_at > now() - interval '30 days' then 'open'
                                when o.id % 17 = 0 then 'overdue' else 'paid' end as status) st
where o.status <> 'pending';
insert into billing.invoice_line_items (organization_id, invoice_id, product_id, tax_rate_id, description, quantity, unit_price, amount, position)
select i.organization_id, i.id, l.product_id, null, p.name, l.quantity, l.unit_price, l.quantity * l.unit_price,
       row_number() over (partition by i.id order by l.id)
from billing.invoices i
join sales.order_lines l on l.order_id = i.order_id
join catalog.products p on p.id = l.product_id;
update billing.invoice_line_items li set tax_rate_id = t.id
from billing.tax_rates t where t.organization_id = li.organization_id and li.id % 3 <> 0;
insert into billing.payment_methods (organization_id, account_id, kind, brand, last4, expires_on, external_id, is_default)
select a.organization_id, a.id, (array['card', 'card', 'sepa_debit', 'ach_debit'])[1 + a.id % 4],
       case when a.id % 4 < 2 then (array['visa', 'mastercard', 'amex'])[1 + a.id % 3] end,
       lpad((a.id % 10000)::text, 4, '0'), case when a.id % 4 < 2 then date '2027-01-01' + (a.id % 900)::int end,
       'pm_' || md5(a.id::text), true
from crm.accounts a where a.id % 2 = 0;
insert into billing.payments (organization_id, invoice_id, payment_method_id, amount, currency_code, method, status, reference,
                              external_id, received_at, created_at)
select i.organization_id, i.id, pm.id, i.total, i.currency_code, coalesce(pm.kind, 'bank_transfer'), 'succeeded',
       case when pm.id is null then 'Wire ' || i.number end,
       case when pm.id is not null then 'pi_' || md5(i.id::text) end,
       i.issued_on + ((i.id % 25) || ' days')::interval + interval '10 hours',
       i.issued_on + ((i.id % 25) || ' days')::interval + interval '10 hours 2 minutes'
from billing.invoices i
left join billing.payment_methods pm on pm.account_id = i.account_id
where i.status = 'paid';
insert into billing.refunds (organization_id, payment_id, amount, reason, refunded_at)
select p.organization_id, p.id, round(p.amount * 0.5, 2), pg_temp.maybe('customer request', 30), p.received_at + interval '20 days'
from billing.payments p where p.id % 30 = 0;
insert into billing.credit_notes (organization_id, invoice_id, number, total, issued_on)
select i.organization_id, i.id, 'CN-' || lpad(i.id::text, 8, '0'), round(i.total * 0.1, 2), i.issued_on + 15
from billing.invoices i where i.id % 45 = 0;
insert into billing.credit_note_lines (organization_id, credit_note_id, description, amount)
select c.organization_id, c.id, 'Goodwill credit', c.total from billing.credit_notes c;
insert into billing.subscriptions (organization_id, account_id, status, billing_interval, currency_code,
                                   current_period_start, current_period_end, cancelled_at, created_at)
select a.organization_id, a.id, (array['active', 'active', 'active', 'past_due', 'cancelled'])[1 + a.id % 5],
       (array['month', 'year'])[1 + a.id % 2], org.default_currency,
       date_trunc('month', now())::date, (date_trunc('month', now()) + interval '1 month')::date,
       case when a.id % 5 = 4 then now() - interval '20 days' end, a.created_at + interval '5 days'
from crm.accounts a join public.organizations org on org.id = a.organization_id
where a.lifecycle_stage = 'customer' and a.id % 3 = 0;
insert into billing.subscription_items (organization_id, subscription_id, product_id, quantity, unit_price)
select s.organization_id, s.id, p.id, 1 + s.id % 25, p.list_price
from billing.subscriptions s
join lateral (select p.id, p.list_price from catalog.products p
              where p.organization_id = s.organization_id and p.unit_code in ('mo', 'h') limit 2) p on true;
insert into billing.usage_records (organization_id, subscription_item_id, quantity, recorded_at, idempotency_key)
select si.organization_id, si.id, (si.id * k) % 1000, now() - k * interval '1 day', 'usage-' || si.id || '-' || k
from billing.subscription_items si cross join generate_series(1, 12) k;
insert into billing.dunning_attempts (organization_id, invoice_id, attempt, channel, sent_at)
select i.organization_id, i.id, k, (array['email', 'email', 'sms'])[k], i.due_on + k * 7
from billing.invoices i cross join generate_series(1, 3) k where i.status = 'overdue';

------------------------------------------------------------------------------------------------
-- shipping
------------------------------------------------------------------------------------------------
insert into shipping.carriers (code, name, tracking_url_template) values
  ('ups', 'UPS', 'https://www.ups.com/track?tracknum={n}'), ('fedex', 'FedEx', 'https://www.fedex.com/fedextrack/?trknbr={n}'),
  ('usps', 'USPS', 'https://tools.usps.com/go/TrackConfirmAction?tLabels={n}'), ('dhl', 'DHL Express', 'https://www.dhl.com/track?id={n}'),
  ('dpd', 'DPD', 'https://tracking.dpd.de/status/{n}'), ('royalmail', 'Royal Mail', 'https://www.royalmail.com/track/{n}'),
  ('postnl', 'PostNL', 'https://postnl.nl/tracktrace/{n}'), ('freight', 'Own freight', null);
insert into shipping.carrier_services (carrier_id, code, name)
select c.id, s, c.name || ' ' || initcap(replace(s, '_', ' '))
from shipping.carriers c cross join unnest(array['ground', 'express', 'overnight', 'economy']) s;
insert into shipping.shipments (organization_id, order_id, warehouse_id, carrier_id, carrier_service_id, tracking_number, status,
                                weight_grams, shipped_at, delivered_at, created_at)
select o.organization_id, o.id, w.id, cs.carrier_id, cs.id, upper(left(md5(o.id::text), 16)),
       case o.status when 'delivered' then 'delivered' else 'in_transit' end, 500 + (o.id * 37) % 30000,
       o.ordered_at + interval '1 day', case when o.status = 'delivered' then o.ordered_at + interval '4 days' end,
       o.ordered_at + interval '20 hours'
from sales.orders o
join inventory.warehouses w on w.organization_id = o.organization_id and w.code = 'MAIN'
join shipping.carrier_services cs on cs.id = 1 + o.id % 32
where o.status in ('shipped', 'delivered');
insert into shipping.shipment_items (organization_id, shipment_id, order_line_id, quantity)
select s.organization_id, s.id, l.id, l.quantity from shipping.shipments s join sales.order_lines l on l.order_id = s.order_id;
insert into shipping.tracking_events (organization_id, shipment_id, status, location, occurred_at, raw_payload)
select s.organization_id, s.id, st, pg_temp.maybe(pg_temp.pick(array['Memphis, TN', 'Louisville, KY', 'Leipzig, DE', 'Reno, NV', 'Newark, NJ']), 10),
       s.shipped_at + k * interval '20 hours', case when k = 1 then jsonb_build_object('code', 'PU', 'carrier_ref', s.tracking_number) end
from shipping.shipments s
cross join lateral unnest(array['picked_up', 'in_transit', 'out_for_delivery']) with ordinality e(st, k)
where s.id % 2 = 0 or k < 3;
insert into shipping.shipping_rates (organization_id, carrier_service_id, destination_country_code, max_weight_grams, price, currency_code)
select o.id, cs.id, o.country_code, m, round((5 + m / 1000.0 * cs.id)::numeric, 2), o.default_currency
from public.organizations o join shipping.carrier_services cs on cs.id % 8 = o.id % 8
cross join unnest(array[1000, 5000, 20000]) m;

------------------------------------------------------------------------------------------------
-- support, notifications, audit
------------------------------------------------------------------------------------------------
insert into support.sla_policies (organization_id, name, first_response_minutes, resolution_minutes)
select o.id, n, r, r * 8 from public.organizations o
cross join (values ('Standard', 480), ('Priority', 60)) s(n, r);
insert into support.tickets (organization_id, account_id, contact_id, assignee_user_id, sla_policy_id, number, subject, status,
                             priority, channel, first_responded_at, resolved_at, created_at, updated_at)
select c.organization_id, c.account_id, c.id,
       case when c.id % 5 <> 0 then c.organization_id + 400 * (1 + c.id % 8) end,
       case when c.id % 3 = 0 then sp.id end,
       row_number() over (partition by c.organization_id order by c.id),
       pg_temp.pick(array['Cannot log in', 'Invoice shows wrong tax', 'Shipment delayed', 'How do I export contacts?',
                          'API rate limit exceeded', 'Feature request: bulk edit', 'Payment failed', 'Missing items in order',
                          'SSO configuration help', 'Warehouse stock mismatch']) || ' (#' || c.id || ')',
       (array['open', 'pending', 'solved', 'closed', 'closed', 'closed'])[1 + c.id % 6],
       (array['low', 'normal', 'normal', 'high', 'urgent'])[1 + c.id % 5],
       (array['email', 'web', 'chat', 'phone'])[1 + c.id % 4],
       case when c.id % 6 > 0 then c.created_at + interval '2 hours' end,
       case when c.id % 6 >= 2 then c.created_at + interval '2 days' end,
       c.created_at + interval '30 days', c.created_at + interval '30 days' + (c.id % 72) * interval '1 hour'
from crm.contacts c
join support.sla_policies sp on sp.organization_id = c.organization_id and sp.name = 'Standard'
where c.id % 2 = 0 and c.id % 3 <> 2;
insert into support.ticket_messages (organization_id, ticket_id, author_user_id, author_contact_id, body, is_internal, created_at)
select t.organization_id, t.id, case when k % 2 = 0 then t.assignee_user_id end, case when k % 2 = 1 then t.contact_id end,
       case k when 1 then 'Hello, ' || lower(t.subject) || '. Can you help? Our account ref is ' || t.id || '.'
              when 2 then 'Thanks for reaching out! I am looking into this now (ticket ' || t.number || ').'
              else 'Following up on ticket ' || t.number || ': the issue should be resolved, please confirm.' end,
       k = 4, t.created_at + k * interval '3 hours'
from support.tickets t cross join generate_series(1, 4) k where k <= 2 + t.id % 3;
insert into support.satisfaction_ratings (organization_id, ticket_id, score, comment, created_at)
select t.organization_id, t.id, 1 + t.id % 5, case when t.id % 3 = 0 then 'Quick and helpful, thanks ' || t.id end, t.resolved_at + interval '1 day'
from support.tickets t where t.resolved_at is not null and t.id % 2 = 0;
insert into support.macros (organization_id, name, body)
select o.id, m, 'Hi {{requester}}, ' || m || '.' from public.organizations o
cross join unnest(array['Password reset steps', 'Refund policy', 'Escalated to engineering', 'Closing due to inactivity']) m;
insert into support.knowledge_base_articles (organization_id, slug, title, body, author_user_id, published_at)
select o.id, 'article-' || k, 'How to ' || pg_temp.pick(array['connect Stripe', 'import contacts', 'set up SSO', 'create an invoice', 'count stock']) || ' (' || k || ')',
       'Step-by-step guide number ' || k || ' for organization ' || o.id || '. ' || repeat('Lorem ipsum dolor sit amet. ', 10),
       o.id + 400, case when k % 4 <> 0 then now() - k * interval '5 days' end
from public.organizations o cross join generate_series(1, 8) k;

insert into notifications.notifications (organization_id, user_id, kind, payload, read_at, created_at)
select m.organization_id, m.user_id, kind, jsonb_build_object('ref', m.id * 10 + k, 'title', initcap(replace(kind, '_', ' '))),
       case when k % 3 <> 0 then now() - k * interval '1 hour' end, now() - (m.id % 500 + k) * interval '1 hour'
from auth.memberships m cross join generate_series(1, 3) k,
     lateral (select (array['mention', 'ticket_assigned', 'invoice_overdue', 'deal_won', 'export_ready'])[1 + (m.id + k) % 5] as kind) x;
insert into notifications.notification_preferences (user_id, kind, channel, enabled)
select u.id, k, c, (u.id / 4 + length(k) + length(c)) % 5 <> 0 from auth.users u
cross join unnest(array['mention', 'ticket_assigned']) k cross join unnest(array['email', 'push']) c where u.id % 4 = 0;
insert into notifications.email_templates (organization_id, key, subject, body_html, body_text)
select o.id, k, initcap(replace(k, '_', ' ')) || ' from {{org_name}}', '<p>' || k || '</p>', pg_temp.maybe(k, 50)
from public.organizations o cross join unnest(array['invoice_sent', 'payment_receipt', 'order_confirmation', 'shipment_notice', 'password_reset']) k;
insert into notifications.email_deliveries (organization_id, to_address, template_key, provider_message_id, status, opened_at, bounced_at, created_at)
select i.organization_id, coalesce(c.email, 'ap@example.com'), case when i.id % 4 = 0 then 'payment_receipt' else 'invoice_sent' end, '<' || md5(i.id::text) || '@mail.sendgrid.net>',
       case when i.id % 50 = 0 then 'bounced' else 'delivered' end,
       case when i.id % 3 = 0 then i.sent_at + interval '2 hours' end, case when i.id % 50 = 0 then i.sent_at + interval '1 minute' end,
       i.sent_at
from billing.invoices i left join crm.contacts c on c.id = i.account_id * 3 - 2;
insert into notifications.webhook_endpoints (organization_id, url, secret_hash, event_types)
select o.id, 'https://hooks.customer' || o.id || '.example.com/' || k, encode(sha256(('whs' || o.id || k)::bytea), 'hex'),
       array['invoice.paid', 'order.created']
from public.organizations o cross join generate_series(1, 2) k where o.id % 3 = 0;
insert into notifications.webhook_deliveries (organization_id, webhook_endpoint_id, event_type, payload, request_id, response_status, attempt, attempted_at)
select e.organization_id, e.id, (array['invoice.paid', 'order.created'])[1 + k % 2], jsonb_build_object('id', k), gen_random_uuid(),
       (array[200, 200, 200, 200, 500, 404])[1 + k % 6], 1 + (k % 9 = 0)::int, now() - k * interval '7 minutes'
from notifications.webhook_endpoints e cross join generate_series(1, 150) k;
insert into notifications.push_devices (user_id, platform, device_token, last_seen_at)
select u.id, (array['ios', 'android'])[1 + u.id % 2], encode(sha256(('dev' || u.id)::bytea), 'hex'), now() - (u.id % 90) * interval '1 day'
from auth.users u where u.id % 3 = 0;

insert into audit.audit_log_entries (organization_id, actor_user_id, action, target_type, target_id, changes, ip_address, request_id,
                                     user_agent, created_at)
select 1 + g % 400, case when g % 10 <> 0 then (1 + g % 400) + 400 * (g % 9) end,
       (array['created', 'updated', 'updated', 'deleted', 'exported', 'signed_in'])[1 + g % 6],
       (array['invoice', 'order', 'contact', 'deal', 'product', 'user'])[1 + g % 6], g * 3,
       case when g % 6 in (1, 2) then jsonb_build_object('status', jsonb_build_array('draft', 'sent')) end,
       ('172.16.' || (g % 250) || '.' || (g % 199))::inet, gen_random_uuid(),
       (array['Mozilla/5.0 (Macintosh) Safari/605.1.15', 'Mozilla/5.0 (Windows NT 10.0) Chrome/124.0', 'acme-api-client/2.3'])[1 + g % 3],
       now() - g * interval '90 seconds'
from generate_series(1, 100000) g;
insert into audit.data_access_log (organization_id, user_id, resource, record_count, accessed_at)
select 1 + g % 400, (1 + g % 400) + 400 * (g % 5), (array['contacts.export', 'invoices.export', 'report.revenue'])[1 + g % 3],
       (g * 13) % 5000, now() - g * interval '20 minutes'
from generate_series(1, 20000) g;

------------------------------------------------------------------------------------------------
-- analytics
------------------------------------------------------------------------------------------------
insert into analytics.events (organization_id, user_id, session_id, request_id, name, properties, occurred_at)
select 1 + g % 400, case when g % 8 <> 0 then 1 + (g * 7) % 20000 end,
       case when g % 8 <> 0 then md5((g / 20)::text)::uuid end, gen_random_uuid(),
       (array['page_viewed', 'page_viewed', 'page_viewed', 'invoice_sent', 'order_created', 'contact_created',
              'search_performed', 'report_exported', 'api_request'])[1 + g % 9],
       jsonb_build_object('path', '/app/' || (array['invoices', 'orders', 'contacts', 'deals', 'inventory'])[1 + g % 5]),
       timestamptz '2026-01-01' + (g * interval '2 minutes')
from generate_series(1, 200000) g
where timestamptz '2026-01-01' + (g * interval '2 minutes') < timestamptz '2026-11-25';
do $$
declare
  t text;
begin
  for t in select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = 'analytics' and c.relname ~ '^(daily|monthly)_' and c.relkind = 'r' loop
    if t ~ '^daily_' then
      execute format($f$insert into analytics.%I (organization_id, period_start, value, computed_at)
                        select o.id, d::date, round((random() * 1000)::numeric, 2), d + interval '1 day 2 hours'
                        from public.organizations o cross join generate_series(current_date - 29, current_date - 1, interval '1 day') d
                        where o.deleted_at is null$f$, t);
    else
      execute format($f$insert into analytics.%I (organization_id, period_start, value, computed_at)
                        select o.id, d::date, round((random() * 30000)::numeric, 2), d + interval '1 month 3 hours'
                        from public.organizations o cross join generate_series(date '2025-11-01', date '2026-10-01', interval '1 month') d
                        where o.deleted_at is null$f$, t);
    end if;
  end loop;
end $$;
insert into analytics.dashboards (organization_id, name) select id, 'Overview' from public.organizations;
insert into analytics.dashboard_widgets (organization_id, dashboard_id, kind, config, position)
select d.organization_id, d.id, w, jsonb_build_object('metric', w), k
from analytics.dashboards d cross join unnest(array['revenue', 'orders_placed', 'tickets_opened', 'active_users']) with ordinality x(w, k);
insert into analytics.funnels (organization_id, name, steps, created_by_user_id)
select id, 'Signup to first invoice', '["signed_up", "invoice_sent"]', id + 400 from public.organizations where id % 4 = 0;

------------------------------------------------------------------------------------------------
-- collaboration tables and integrations (partly used features: some stay empty)
------------------------------------------------------------------------------------------------
insert into crm.account_comments (organization_id, account_id, author_user_id, body, created_at)
select a.organization_id, a.id, a.owner_user_id, 'Account review ' || k || ' for ' || a.name || ': ' ||
       pg_temp.pick(array['renewal looks safe.', 'champion left the company.', 'asked for volume discount.', 'expanding to EU.']),
       a.created_at + k * interval '20 days'
from crm.accounts a cross join generate_series(1, 2) k where a.id % 2 = 0;
insert into crm.deal_comments (organization_id, deal_id, author_user_id, body, created_at)
select d.organization_id, d.id, d.owner_user_id, 'Note on ' || d.name || ' #' || d.id, d.created_at + interval '4 days'
from crm.deals d;
insert into support.ticket_attachments (organization_id, ticket_id, file_name, content_type, byte_size, storage_key, uploaded_by_user_id, created_at)
select t.organization_id, t.id, (array['screenshot.png', 'image001.png', 'Screenshot 2026-03-02 at 10.14.22.png', 'error.log',
                                        'export.csv', 'invoice.pdf', 'IMG_' || (t.id % 9000) || '.jpg'])[1 + t.id % 7], 'image/png', 20000 + t.id % 500000,
       'attachments/tickets/' || md5('ta' || t.id), null, t.created_at
from support.tickets t where t.id % 3 = 0;
insert into billing.invoice_attachments (organization_id, invoice_id, file_name, content_type, byte_size, storage_key, uploaded_by_user_id, created_at)
select i.organization_id, i.id, i.number || '.pdf', 'application/pdf', 40000 + i.id % 90000, 'invoices/' || md5('ia' || i.id), i.created_by_user_id, i.created_at
from billing.invoices i;
insert into crm.contact_tags (organization_id, contact_id, tag_id, created_at)
select c.organization_id, c.id, t.id, c.created_at + interval '1 hour' from crm.contacts c join public.tags t on t.organization_id = c.organization_id and t.id % 10 = c.id % 10
where c.id % 4 = 0;
insert into crm.account_custom_field_values (organization_id, account_id, custom_field_id, value, updated_at)
select a.organization_id, a.id, f.id, 'value ' || (a.id % 50), a.updated_at
from crm.accounts a join public.custom_fields f on f.organization_id = a.organization_id and f.entity_type = 'account';
insert into support.ticket_watchers (organization_id, ticket_id, user_id)
select t.organization_id, t.id, t.assignee_user_id from support.tickets t where t.assignee_user_id is not null and t.id % 2 = 0;
do $$
declare
  p text;
  i int := 0;
begin
  foreach p in array array['salesforce', 'hubspot', 'stripe', 'quickbooks', 'xero', 'netsuite',
                           'shopify', 'zendesk', 'slack', 'intercom', 'mailchimp', 'docusign'] loop
    i := i + 1;
    execute format($f$insert into integrations.%I (organization_id, external_account_id, status, access_token_encrypted, connected_by_user_id, last_synced_at)
                      select o.id, %L || '_' || md5(o.id::text), case when o.id %% 9 = 0 then 'error' else 'active' end,
                             decode(md5(o.id::text || %L), 'hex'), o.id + 400, now() - (o.id %% 48) * interval '1 hour'
                      from public.organizations o where o.id %% (2 + %s) = 0$f$, p || '_connections', p, p, i);
    execute format($f$insert into integrations.%I (organization_id, connection_id, direction, status, records_read, records_written, error_message, started_at, finished_at)
                      select c.organization_id, c.id, case when k %% 2 = 0 then 'import' else 'export' end,
                             case when k %% 25 = 0 then 'failed' else 'succeeded' end, (c.id * k) %% 5000, (c.id * k) %% 300,
                             case when k %% 25 = 0 then 'rate limited by provider (HTTP 429)' end,
                             now() - k * interval '1 hour', now() - k * interval '1 hour' + interval '3 minutes'
                      from integrations.%I c cross join generate_series(1, 40) k$f$, p || '_sync_runs', p || '_connections');
    if p in ('salesforce', 'hubspot', 'quickbooks', 'stripe') then
      execute format($f$insert into integrations.%I (organization_id, connection_id, local_type, local_id, external_id)
                        select c.organization_id, c.id, 'account', a.id, %L || '_' || md5(a.id::text || c.id::text)
                        from integrations.%I c join crm.accounts a on a.organization_id = c.organization_id$f$,
                     p || '_object_mappings', left(p, 3), p || '_connections');
    end if;
  end loop;
end $$;

set session_replication_role = origin;

------------------------------------------------------------------------------------------------
-- Drift: what three years of migrations left behind. Each of these is a real problem a
-- quarterly review should report (expected findings in brackets).
------------------------------------------------------------------------------------------------
-- A legacy table from the first year: serial/integer keys, varchar(n), char(n), money,
-- timestamp without time zone, an integer FK to bigint keys, its sequence far along.
-- [type_serial, type_varchar_n, type_char_n, type_money, type_timestamp_no_tz, fk_type_mismatch,
--  int_overflow (sequence)]
create table billing.tax_exemptions (
  id serial primary key,
  organization_id integer not null references public.organizations on delete cascade,
  account_id integer not null,
  certificate_number varchar(64) not null,
  issuing_state char(2),
  max_amount money,
  valid_from timestamp not null,
  valid_until timestamp,
  created_at timestamp not null default now(),
  foreign key (organization_id, account_id) references crm.accounts (organization_id, id)
);
create index tax_exemptions_organization_id_account_id_idx on billing.tax_exemptions (organization_id, account_id);
select setval('billing.tax_exemptions_id_seq', 1800000000);
insert into billing.tax_exemptions (organization_id, account_id, certificate_number, issuing_state, max_amount, valid_from, valid_until)
select a.organization_id, a.id, 'EX-' || a.id, (array['CA', 'NY', 'TX', 'WA'])[1 + a.id % 4], (a.id % 50000)::numeric::money,
       now() - interval '200 days', case when a.id % 2 = 0 then now() + interval '165 days' end
from crm.accounts a where a.id % 9 = 0;

-- Two tables without a primary key: an ETL staging table and an old history table. [no_primary_key]
create table analytics.crm_import_staging (
  organization_id bigint not null,
  source_row integer not null,
  payload jsonb not null,
  imported_at timestamptz not null default now()
);
insert into analytics.crm_import_staging (organization_id, source_row, payload)
select 1 + g % 400, g, jsonb_build_object('name', 'Row ' || g) from generate_series(1, 5000) g;
create table billing.invoice_status_history (
  invoice_id bigint not null,
  organization_id bigint not null,
  status text not null,
  changed_at timestamptz not null
);
insert into billing.invoice_status_history (invoice_id, organization_id, status, changed_at)
select id, organization_id, status, created_at from billing.invoices;
create index invoice_status_history_invoice_id_idx on billing.invoice_status_history (invoice_id);

-- A duplicated index and redundant single-column indexes next to the tenant-leading keys.
-- [duplicate_index x2, redundant_index x2]
create index contacts_email_idx on crm.contacts (email);
create index contacts_email_idx1 on crm.contacts (email);
create index orders_organization_id_number_idx on sales.orders (organization_id, number);
create index invoices_organization_id_idx on billing.invoices (organization_id);
create index tickets_organization_id_idx on support.tickets (organization_id);

-- Foreign keys whose index was dropped or never built. [fk_without_index x3]
drop index billing.payments_invoice_id_idx;
drop index shipping.shipment_items_order_line_id_idx;
drop index crm.activities_deal_id_idx;

-- References without a foreign key. [missing_fk x2]
alter table sales.order_lines drop constraint if exists order_lines_product_id_fkey;
create index order_lines_product_id_idx on sales.order_lines (organization_id, product_id);
alter table crm.leads add column campaign_id bigint;
update crm.leads l set campaign_id = c.id from crm.campaigns c where c.organization_id = l.organization_id and c.id % 10 = l.id % 10;
create index leads_campaign_id_idx on crm.leads (campaign_id);

-- Single-column references between tenant tables: a row of one tenant can point at another
-- tenant's row. [cross_tenant_fk x2]
alter table billing.credit_notes add column refund_id bigint references billing.refunds;
create index credit_notes_refund_id_idx on billing.credit_notes (refund_id);
alter table shipping.shipments add column return_id bigint references sales.returns;
create index shipments_return_id_idx on shipping.shipments (return_id);

-- A check added NOT VALID by a migration that never validated it. [not_valid_constraint]
alter table sales.orders add constraint orders_total_nonnegative check (total >= 0) not valid;

-- An external id that should be unique but is not constrained. [unique_candidate]
-- (billing.payment_methods.external_id: one row per provider payment method)

-- Leftovers: a column nobody fills, a column and a table already renamed for deprecation.
-- [unused_column, deprecated_object x2]
alter table crm.contacts add column fax text;
alter table crm.accounts add column deprecated_sic_code text;
update crm.accounts set deprecated_sic_code = (1000 + id % 8000)::text where id % 3 = 0;
create table public.deprecated_user_preferences (
  user_id bigint primary key references auth.users on delete cascade,
  prefs jsonb not null
);

-- The database has been running for years: autovacuum has caught up with the bulk load above.
vacuum (analyze);

-- Autovacuum switched off during a backfill two quarters ago and never switched back on; most
-- of the table was deleted since. [table_bloat (vacuum_health)]
alter table notifications.notifications set (autovacuum_enabled = false);
delete from notifications.notifications where id % 10 < 6;

-- A unique index build that failed on duplicate tracking numbers (a carrier reused them).
-- [invalid_index]
update shipping.shipments set carrier_id = 1, tracking_number = 'DUPLICATE0000001' where id in (10, 20);
\set ON_ERROR_STOP off
create unique index concurrently shipments_carrier_id_tracking_number_key on shipping.shipments (carrier_id, tracking_number);
\set ON_ERROR_STOP on

analyze notifications.notifications;
