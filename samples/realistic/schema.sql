-- A realistic, large application schema for tuning the audit's false positives: a mature B2B
-- SaaS (CRM, quoting and orders, invoicing, inventory, shipping, support, integrations and
-- analytics) with about 280 tables in a dozen schemas. Every tenant-owned table carries
-- organization_id, and tenant-scoped references are composite foreign keys
-- (organization_id, x_id) -> parent (organization_id, id) backed by an index, as a careful team
-- builds them. It is mostly HEALTHY on purpose: the patterns a careful DBA builds deliberately
-- (soft deletes with partial unique indexes, tenant-scoped uniques, lower(email) uniques, free
-- text, uuid request ids, CRM "account_id" next to the tenant key, lookup tables) must not be
-- flagged. The real problems (drift) are planted at the end of samples/realistic/data.sql and
-- listed there. Loaded by scripts/realistic-audit.sh; schema only, data.sql fills it.
\set ON_ERROR_STOP on
set client_min_messages = warning;

create schema reference;
create schema auth;
create schema crm;
create schema catalog;
create schema sales;
create schema billing;
create schema inventory;
create schema shipping;
create schema support;
create schema notifications;
create schema integrations;
create schema analytics;
create schema audit;

-- Helpers for the repetitive parts; temporary, so they leave nothing behind.
-- A tenant-scoped reference: column <col> of <child> to <parent>(organization_id, id), with
-- its index (organization_id, <col>).
create function pg_temp.tenant_ref(child text, col text, parent text, on_delete text default 'restrict')
returns void language plpgsql as $$
declare
  tbl text := split_part(child, '.', 2);
begin
  -- "set null" empties the reference only: organization_id is not null (PostgreSQL 15+)
  execute format('alter table %s add constraint %I foreign key (organization_id, %I) references %s (organization_id, id) on delete %s',
                 child, tbl || '_' || col || '_fkey', col, parent,
                 case when on_delete = 'set null' then format('set null (%I)', col) else on_delete end);
  execute format('create index %I on %s (organization_id, %I)', tbl || '_' || col || '_idx', child, col);
end $$;
-- A global reference (to auth.users, reference data): FK plus index on the column.
create function pg_temp.global_ref(child text, col text, parent text, on_delete text default 'restrict')
returns void language plpgsql as $$
declare
  tbl text := split_part(child, '.', 2);
begin
  execute format('alter table %s add constraint %I foreign key (%I) references %s on delete %s',
                 child, tbl || '_' || col || '_fkey', col, parent, on_delete);
  execute format('create index %I on %s (%I)', tbl || '_' || col || '_idx', child, col);
end $$;

------------------------------------------------------------------------------------------------
-- reference data (global, small, rarely changed)
------------------------------------------------------------------------------------------------
create table reference.countries (
  code text primary key check (code ~ '^[A-Z]{2}$'),
  alpha3 text not null unique,
  name text not null,
  phone_prefix text,
  eu_member boolean not null default false
);
create table reference.currencies (
  code text primary key check (code ~ '^[A-Z]{3}$'),
  name text not null,
  symbol text,
  minor_units smallint not null default 2
);
create table reference.timezones (
  name text primary key,
  utc_offset interval not null
);
create table reference.languages (
  code text primary key,
  name text not null
);
create table reference.industries (
  id smallint generated always as identity primary key,
  name text not null unique
);
create table reference.units_of_measure (
  code text primary key,
  name text not null,
  kind text not null
);
create table reference.tax_jurisdictions (
  id integer generated always as identity primary key,
  country_code text not null references reference.countries,
  region_code text,
  name text not null,
  unique (country_code, region_code)
);
create table reference.exchange_rates (
  base_currency text not null references reference.currencies,
  quote_currency text not null references reference.currencies,
  rate_date date not null,
  rate numeric(18, 8) not null,
  primary key (base_currency, quote_currency, rate_date)
);
create index exchange_rates_quote_currency_idx on reference.exchange_rates (quote_currency);
create table reference.holidays (
  id integer generated always as identity primary key,
  country_code text not null references reference.countries,
  holiday_date date not null,
  name text not null,
  unique (country_code, holiday_date, name)
);

------------------------------------------------------------------------------------------------
-- public: tenants and platform-wide tables
------------------------------------------------------------------------------------------------
create table public.organizations (
  id bigint generated always as identity primary key,
  public_id uuid not null default gen_random_uuid() unique,
  name text not null,
  slug text not null unique,
  billing_email text,
  country_code text references reference.countries,
  industry_id smallint references reference.industries,
  default_currency text not null default 'USD' references reference.currencies,
  time_zone text not null default 'UTC' references reference.timezones,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz
);
create index organizations_country_code_idx on public.organizations (country_code);
create index organizations_industry_id_idx on public.organizations (industry_id);
create index organizations_default_currency_idx on public.organizations (default_currency);
create index organizations_time_zone_idx on public.organizations (time_zone);

create table public.organization_settings (
  organization_id bigint primary key references public.organizations on delete cascade,
  locale text not null default 'en' references reference.languages,
  week_starts_on smallint not null default 1,
  fiscal_year_start_month smallint not null default 1,
  invoice_prefix text not null default 'INV-',
  order_prefix text not null default 'SO-',
  require_mfa boolean not null default false,
  settings jsonb not null default '{}'
);
create index organization_settings_locale_idx on public.organization_settings (locale);

create table public.feature_flags (
  id integer generated always as identity primary key,
  key text not null unique,
  description text,
  default_enabled boolean not null default false,
  created_at timestamptz not null default now()
);
create table public.organization_feature_flags (
  organization_id bigint not null references public.organizations on delete cascade,
  feature_flag_id integer not null references public.feature_flags on delete cascade,
  enabled boolean not null,
  updated_at timestamptz not null default now(),
  primary key (organization_id, feature_flag_id)
);
create index organization_feature_flags_feature_flag_id_idx on public.organization_feature_flags (feature_flag_id);

create table public.schema_migrations (
  version text primary key,
  applied_at timestamptz not null default now()
);

create table public.tags (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  name text not null,
  color text not null default '#888888',
  created_at timestamptz not null default now(),
  unique (organization_id, id),
  unique (organization_id, name)
);
create table public.custom_fields (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  entity_type text not null,
  key text not null,
  label text not null,
  field_type text not null,
  options jsonb,
  position integer not null default 0,
  unique (organization_id, id),
  unique (organization_id, entity_type, key)
);
create table public.saved_views (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  entity_type text not null,
  name text not null,
  filters jsonb not null default '{}',
  created_by_user_id bigint,
  is_shared boolean not null default false,
  created_at timestamptz not null default now(),
  unique (organization_id, id)
);
create table public.imports (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  entity_type text not null,
  file_name text not null,
  status text not null,
  rows_total integer,
  rows_imported integer,
  created_by_user_id bigint,
  started_at timestamptz,
  finished_at timestamptz,
  created_at timestamptz not null default now(),
  unique (organization_id, id)
);
create table public.exports (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  entity_type text not null,
  format text not null,
  status text not null,
  storage_key text,
  created_by_user_id bigint,
  created_at timestamptz not null default now(),
  unique (organization_id, id)
);

------------------------------------------------------------------------------------------------
-- auth: users belong to many organizations through memberships
------------------------------------------------------------------------------------------------
create table auth.users (
  id bigint generated always as identity primary key,
  public_id uuid not null default gen_random_uuid() unique,
  email text not null,
  email_verified_at timestamptz,
  password_hash text,
  full_name text not null,
  avatar_url text,
  locale text references reference.languages,
  time_zone text references reference.timezones,
  last_sign_in_at timestamptz,
  sign_in_count integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz
);
-- one live account per address, case-insensitively; soft-deleted users free their address
create unique index users_lower_email_key on auth.users (lower(email)) where deleted_at is null;
create index users_locale_idx on auth.users (locale);
create index users_time_zone_idx on auth.users (time_zone);

create table auth.roles (
  id smallint generated always as identity primary key,
  key text not null unique,
  name text not null,
  description text
);
create table auth.permissions (
  id smallint generated always as identity primary key,
  key text not null unique,
  description text
);
create table auth.role_permissions (
  role_id smallint not null references auth.roles on delete cascade,
  permission_id smallint not null references auth.permissions on delete cascade,
  primary key (role_id, permission_id)
);
create index role_permissions_permission_id_idx on auth.role_permissions (permission_id);

create table auth.memberships (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  user_id bigint not null,
  role_id smallint not null,
  invited_by_user_id bigint,
  status text not null default 'active',
  created_at timestamptz not null default now(),
  unique (organization_id, user_id)
);
select pg_temp.global_ref('auth.memberships', 'user_id', 'auth.users', 'cascade');
select pg_temp.global_ref('auth.memberships', 'role_id', 'auth.roles');
select pg_temp.global_ref('auth.memberships', 'invited_by_user_id', 'auth.users', 'set null');

create table auth.invitations (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  email text not null,
  role_id smallint not null,
  invited_by_user_id bigint not null,
  token_hash text not null unique,
  accepted_at timestamptz,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
create index invitations_organization_id_idx on auth.invitations (organization_id);
select pg_temp.global_ref('auth.invitations', 'role_id', 'auth.roles');
select pg_temp.global_ref('auth.invitations', 'invited_by_user_id', 'auth.users', 'cascade');

create table auth.sessions (
  id uuid primary key default gen_random_uuid(),
  user_id bigint not null,
  organization_id bigint,
  ip_address inet,
  user_agent text,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz
);
select pg_temp.global_ref('auth.sessions', 'user_id', 'auth.users', 'cascade');
select pg_temp.global_ref('auth.sessions', 'organization_id', 'public.organizations', 'cascade');
create index sessions_expires_at_idx on auth.sessions (expires_at) where revoked_at is null;

create table auth.api_tokens (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  created_by_user_id bigint not null,
  name text not null,
  token_prefix text not null,
  token_hash text not null unique,
  scopes text[] not null default '{}',
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz not null default now()
);
create index api_tokens_organization_id_idx on auth.api_tokens (organization_id);
select pg_temp.global_ref('auth.api_tokens', 'created_by_user_id', 'auth.users', 'cascade');

create table auth.mfa_devices (
  id bigint generated always as identity primary key,
  user_id bigint not null,
  kind text not null,
  label text,
  secret_encrypted bytea not null,
  last_used_at timestamptz,
  created_at timestamptz not null default now()
);
select pg_temp.global_ref('auth.mfa_devices', 'user_id', 'auth.users', 'cascade');

create table auth.password_reset_tokens (
  id bigint generated always as identity primary key,
  user_id bigint not null,
  token_hash text not null unique,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
select pg_temp.global_ref('auth.password_reset_tokens', 'user_id', 'auth.users', 'cascade');

create table auth.email_verification_tokens (
  id bigint generated always as identity primary key,
  user_id bigint not null,
  email text not null,
  token_hash text not null unique,
  expires_at timestamptz not null,
  verified_at timestamptz,
  created_at timestamptz not null default now()
);
select pg_temp.global_ref('auth.email_verification_tokens', 'user_id', 'auth.users', 'cascade');

-- append-only security log: no foreign keys on purpose (attempts for unknown addresses too)
create table auth.login_attempts (
  id bigint generated always as identity primary key,
  email text not null,
  ip_address inet not null,
  succeeded boolean not null,
  failure_reason text,
  attempted_at timestamptz not null default now()
);
create index login_attempts_email_attempted_at_idx on auth.login_attempts (email, attempted_at);
create index login_attempts_ip_address_attempted_at_idx on auth.login_attempts (ip_address, attempted_at);

create table auth.sso_connections (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  protocol text not null,
  idp_entity_id text not null,
  metadata_url text,
  certificate text,
  enforced boolean not null default false,
  created_at timestamptz not null default now(),
  unique (organization_id, id)
);
create table auth.sso_domains (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  sso_connection_id bigint not null,
  domain text not null unique,
  verified_at timestamptz
);
select pg_temp.tenant_ref('auth.sso_domains', 'sso_connection_id', 'auth.sso_connections', 'cascade');

create table auth.oauth_applications (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  name text not null,
  client_id text not null unique,
  client_secret_hash text not null,
  redirect_uris text[] not null,
  scopes text[] not null default '{}',
  created_at timestamptz not null default now(),
  unique (organization_id, id)
);
create table auth.oauth_access_tokens (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  oauth_application_id bigint not null,
  user_id bigint not null,
  token_hash text not null unique,
  refresh_token_hash text unique,
  scopes text[] not null default '{}',
  expires_at timestamptz not null,
  revoked_at timestamptz,
  created_at timestamptz not null default now()
);
select pg_temp.tenant_ref('auth.oauth_access_tokens', 'oauth_application_id', 'auth.oauth_applications', 'cascade');
select pg_temp.global_ref('auth.oauth_access_tokens', 'user_id', 'auth.users', 'cascade');

create table auth.scim_tokens (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
create index scim_tokens_organization_id_idx on auth.scim_tokens (organization_id);

alter table public.saved_views add foreign key (created_by_user_id) references auth.users on delete set null;
create index saved_views_created_by_user_id_idx on public.saved_views (created_by_user_id);
alter table public.imports add foreign key (created_by_user_id) references auth.users on delete set null;
create index imports_created_by_user_id_idx on public.imports (created_by_user_id);
alter table public.exports add foreign key (created_by_user_id) references auth.users on delete set null;
create index exports_created_by_user_id_idx on public.exports (created_by_user_id);

------------------------------------------------------------------------------------------------
-- crm: the tenants' customers. crm.accounts are customer companies: account_id here is NOT a
-- tenant key, organization_id is.
------------------------------------------------------------------------------------------------
create table crm.accounts (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  name text not null,
  domain text,
  industry_id smallint references reference.industries,
  employee_count integer,
  annual_revenue numeric(16, 2),
  country_code text references reference.countries,
  owner_user_id bigint references auth.users on delete set null,
  parent_account_id bigint,
  lifecycle_stage text not null default 'prospect',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz,
  unique (organization_id, id)
);
create index accounts_organization_id_name_idx on crm.accounts (organization_id, name);
create index accounts_industry_id_idx on crm.accounts (industry_id);
create index accounts_country_code_idx on crm.accounts (country_code);
create index accounts_owner_user_id_idx on crm.accounts (owner_user_id);
select pg_temp.tenant_ref('crm.accounts', 'parent_account_id', 'crm.accounts', 'set null');

create table crm.contacts (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  account_id bigint,
  first_name text,
  last_name text not null,
  email text,
  phone text,
  job_title text,
  owner_user_id bigint references auth.users on delete set null,
  lifecycle_stage text not null default 'lead',
  source text,
  do_not_contact boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz,
  unique (organization_id, id)
);
select pg_temp.tenant_ref('crm.contacts', 'account_id', 'crm.accounts', 'set null');
create unique index contacts_organization_id_lower_email_key on crm.contacts (organization_id, lower(email)) where deleted_at is null;
create index contacts_owner_user_id_idx on crm.contacts (owner_user_id);

create table crm.pipelines (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  name text not null,
  is_default boolean not null default false,
  unique (organization_id, id),
  unique (organization_id, name)
);
create table crm.pipeline_stages (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  pipeline_id bigint not null,
  name text not null,
  position smallint not null,
  win_probability smallint not null default 0,
  unique (organization_id, id)
);
select pg_temp.tenant_ref('crm.pipeline_stages', 'pipeline_id', 'crm.pipelines', 'cascade');

create table crm.deals (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  account_id bigint not null,
  primary_contact_id bigint,
  pipeline_id bigint not null,
  stage_id bigint not null,
  owner_user_id bigint references auth.users on delete set null,
  name text not null,
  amount numeric(14, 2),
  currency_code text not null references reference.currencies,
  expected_close_on date,
  closed_at timestamptz,
  status text not null default 'open',
  lost_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, id)
);
select pg_temp.tenant_ref('crm.deals', 'account_id', 'crm.accounts');
select pg_temp.tenant_ref('crm.deals', 'primary_contact_id', 'crm.contacts', 'set null');
select pg_temp.tenant_ref('crm.deals', 'pipeline_id', 'crm.pipelines');
select pg_temp.tenant_ref('crm.deals', 'stage_id', 'crm.pipeline_stages');
create index deals_owner_user_id_idx on crm.deals (owner_user_id);
create index deals_currency_code_idx on crm.deals (currency_code);

create table crm.leads (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  email text,
  company_name text,
  full_name text,
  source text,
  score smallint not null default 0,
  converted_contact_id bigint,
  created_at timestamptz not null default now(),
  unique (organization_id, id)
);
select pg_temp.tenant_ref('crm.leads', 'converted_contact_id', 'crm.contacts', 'set null');

create table crm.activities (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  account_id bigint,
  contact_id bigint,
  deal_id bigint,
  user_id bigint references auth.users on delete set null,
  kind text not null,
  subject text not null,
  body text,
  occurred_at timestamptz not null,
  created_at timestamptz not null default now(),
  unique (organization_id, id)
);
select pg_temp.tenant_ref('crm.activities', 'account_id', 'crm.accounts', 'cascade');
select pg_temp.tenant_ref('crm.activities', 'contact_id', 'crm.contacts', 'cascade');
select pg_temp.tenant_ref('crm.activities', 'deal_id', 'crm.deals', 'cascade');
create index activities_user_id_idx on crm.activities (user_id);
create index activities_organization_id_occurred_at_idx on crm.activities (organization_id, occurred_at);

create table crm.campaigns (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  name text not null,
  channel text not null,
  budget numeric(14, 2),
  starts_on date,
  ends_on date,
  unique (organization_id, id)
);
create table crm.campaign_members (
  organization_id bigint not null,
  campaign_id bigint not null,
  contact_id bigint not null,
  status text not null,
  responded_at timestamptz,
  primary key (organization_id, campaign_id, contact_id)
);
alter table crm.campaign_members add foreign key (organization_id, campaign_id) references crm.campaigns (organization_id, id) on delete cascade;
select pg_temp.tenant_ref('crm.campaign_members', 'contact_id', 'crm.contacts', 'cascade');

create table crm.email_sequences (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  name text not null,
  active boolean not null default true,
  unique (organization_id, id)
);
create table crm.email_sequence_steps (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  email_sequence_id bigint not null,
  position smallint not null,
  delay interval not null,
  subject text not null,
  body text not null,
  unique (organization_id, id)
);
select pg_temp.tenant_ref('crm.email_sequence_steps', 'email_sequence_id', 'crm.email_sequences', 'cascade');
create table crm.email_sequence_enrollments (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  email_sequence_id bigint not null,
  contact_id bigint not null,
  current_step smallint not null default 0,
  enrolled_at timestamptz not null default now(),
  finished_at timestamptz
);
select pg_temp.tenant_ref('crm.email_sequence_enrollments', 'email_sequence_id', 'crm.email_sequences', 'cascade');
select pg_temp.tenant_ref('crm.email_sequence_enrollments', 'contact_id', 'crm.contacts', 'cascade');

------------------------------------------------------------------------------------------------
-- catalog
------------------------------------------------------------------------------------------------
create table catalog.product_categories (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  parent_id bigint,
  name text not null,
  unique (organization_id, id)
);
select pg_temp.tenant_ref('catalog.product_categories', 'parent_id', 'catalog.product_categories', 'cascade');

create table catalog.products (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  category_id bigint,
  sku text not null,
  name text not null,
  description text,
  unit_code text not null default 'ea' references reference.units_of_measure,
  list_price numeric(14, 2) not null,
  currency_code text not null references reference.currencies,
  weight_grams integer,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, id),
  unique (organization_id, sku)
);
select pg_temp.tenant_ref('catalog.products', 'category_id', 'catalog.product_categories', 'set null');
create index products_unit_code_idx on catalog.products (unit_code);
create index products_currency_code_idx on catalog.products (currency_code);

create table catalog.product_variants (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  product_id bigint not null,
  sku text not null,
  option_values jsonb not null default '{}',
  price_delta numeric(14, 2) not null default 0,
  unique (organization_id, id),
  unique (organization_id, sku)
);
select pg_temp.tenant_ref('catalog.product_variants', 'product_id', 'catalog.products', 'cascade');

create table catalog.product_images (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  product_id bigint not null,
  storage_key text not null,
  position smallint not null default 0,
  alt_text text
);
select pg_temp.tenant_ref('catalog.product_images', 'product_id', 'catalog.products', 'cascade');

create table catalog.price_lists (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  name text not null,
  currency_code text not null references reference.currencies,
  valid_from date,
  valid_until date,
  unique (organization_id, id)
);
create index price_lists_currency_code_idx on catalog.price_lists (currency_code);
create table catalog.price_list_items (
  organization_id bigint not null,
  price_list_id bigint not null,
  product_id bigint not null,
  unit_price numeric(14, 2) not null,
  min_quantity integer not null default 1,
  primary key (organization_id, price_list_id, product_id, min_quantity)
);
alter table catalog.price_list_items add foreign key (organization_id, price_list_id) references catalog.price_lists (organization_id, id) on delete cascade;
select pg_temp.tenant_ref('catalog.price_list_items', 'product_id', 'catalog.products', 'cascade');

create table catalog.product_bundles (
  organization_id bigint not null,
  bundle_product_id bigint not null,
  component_product_id bigint not null,
  quantity integer not null,
  primary key (organization_id, bundle_product_id, component_product_id)
);
alter table catalog.product_bundles add foreign key (organization_id, bundle_product_id) references catalog.products (organization_id, id) on delete cascade;
select pg_temp.tenant_ref('catalog.product_bundles', 'component_product_id', 'catalog.products', 'cascade');

------------------------------------------------------------------------------------------------
-- inventory
------------------------------------------------------------------------------------------------
create table inventory.warehouses (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  code text not null,
  name text not null,
  address_line1 text,
  city text,
  postal_code text,
  country_code text references reference.countries,
  is_active boolean not null default true,
  unique (organization_id, id),
  unique (organization_id, code)
);
create index warehouses_country_code_idx on inventory.warehouses (country_code);
create table inventory.bins (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  warehouse_id bigint not null,
  code text not null,
  unique (organization_id, id),
  unique (organization_id, warehouse_id, code)
);
alter table inventory.bins add foreign key (organization_id, warehouse_id) references inventory.warehouses (organization_id, id) on delete cascade;

create table inventory.stock_levels (
  organization_id bigint not null,
  product_id bigint not null,
  warehouse_id bigint not null,
  on_hand integer not null default 0,
  reserved integer not null default 0,
  reorder_point integer,
  updated_at timestamptz not null default now(),
  primary key (organization_id, product_id, warehouse_id)
);
alter table inventory.stock_levels add foreign key (organization_id, product_id) references catalog.products (organization_id, id) on delete cascade;
select pg_temp.tenant_ref('inventory.stock_levels', 'warehouse_id', 'inventory.warehouses', 'cascade');

create table inventory.suppliers (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  name text not null,
  email text,
  phone text,
  country_code text references reference.countries,
  payment_terms_days smallint not null default 30,
  unique (organization_id, id)
);
create index suppliers_country_code_idx on inventory.suppliers (country_code);

create table inventory.purchase_orders (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  supplier_id bigint not null,
  warehouse_id bigint not null,
  number text not null,
  status text not null,
  ordered_on date,
  expected_on date,
  currency_code text not null references reference.currencies,
  created_by_user_id bigint references auth.users on delete set null,
  unique (organization_id, id),
  unique (organization_id, number)
);
select pg_temp.tenant_ref('inventory.purchase_orders', 'supplier_id', 'inventory.suppliers');
select pg_temp.tenant_ref('inventory.purchase_orders', 'warehouse_id', 'inventory.warehouses');
create index purchase_orders_currency_code_idx on inventory.purchase_orders (currency_code);
create index purchase_orders_created_by_user_id_idx on inventory.purchase_orders (created_by_user_id);

create table inventory.purchase_order_lines (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  purchase_order_id bigint not null,
  product_id bigint not null,
  quantity integer not null,
  unit_cost numeric(14, 4) not null,
  received_quantity integer not null default 0
);
select pg_temp.tenant_ref('inventory.purchase_order_lines', 'purchase_order_id', 'inventory.purchase_orders', 'cascade');
select pg_temp.tenant_ref('inventory.purchase_order_lines', 'product_id', 'catalog.products');

create table inventory.stock_movements (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  product_id bigint not null,
  warehouse_id bigint not null,
  quantity integer not null,
  reason text not null,
  source_type text,
  source_id bigint,
  created_by_user_id bigint references auth.users on delete set null,
  created_at timestamptz not null default now()
);
select pg_temp.tenant_ref('inventory.stock_movements', 'product_id', 'catalog.products');
select pg_temp.tenant_ref('inventory.stock_movements', 'warehouse_id', 'inventory.warehouses');
create index stock_movements_created_by_user_id_idx on inventory.stock_movements (created_by_user_id);
create index stock_movements_source_idx on inventory.stock_movements (source_type, source_id);

create table inventory.stock_counts (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  warehouse_id bigint not null,
  status text not null,
  counted_by_user_id bigint references auth.users on delete set null,
  started_at timestamptz not null,
  finished_at timestamptz,
  unique (organization_id, id)
);
select pg_temp.tenant_ref('inventory.stock_counts', 'warehouse_id', 'inventory.warehouses', 'cascade');
create index stock_counts_counted_by_user_id_idx on inventory.stock_counts (counted_by_user_id);
create table inventory.stock_count_lines (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  stock_count_id bigint not null,
  product_id bigint not null,
  expected_quantity integer not null,
  counted_quantity integer
);
select pg_temp.tenant_ref('inventory.stock_count_lines', 'stock_count_id', 'inventory.stock_counts', 'cascade');
select pg_temp.tenant_ref('inventory.stock_count_lines', 'product_id', 'catalog.products');

create table inventory.lots (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  product_id bigint not null,
  lot_number text not null,
  expires_on date,
  unique (organization_id, id),
  unique (organization_id, product_id, lot_number)
);
alter table inventory.lots add foreign key (organization_id, product_id) references catalog.products (organization_id, id) on delete cascade;

------------------------------------------------------------------------------------------------
-- sales
------------------------------------------------------------------------------------------------
create table sales.addresses (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  account_id bigint not null,
  kind text not null,
  line1 text not null,
  line2 text,
  city text not null,
  region text,
  postal_code text,
  country_code text not null references reference.countries,
  unique (organization_id, id)
);
select pg_temp.tenant_ref('sales.addresses', 'account_id', 'crm.accounts', 'cascade');
create index addresses_country_code_idx on sales.addresses (country_code);

create table sales.quotes (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  account_id bigint not null,
  deal_id bigint,
  number text not null,
  status text not null,
  currency_code text not null references reference.currencies,
  valid_until date,
  total numeric(14, 2) not null default 0,
  created_by_user_id bigint references auth.users on delete set null,
  created_at timestamptz not null default now(),
  unique (organization_id, id),
  unique (organization_id, number)
);
select pg_temp.tenant_ref('sales.quotes', 'account_id', 'crm.accounts');
select pg_temp.tenant_ref('sales.quotes', 'deal_id', 'crm.deals', 'set null');
create index quotes_currency_code_idx on sales.quotes (currency_code);
create index quotes_created_by_user_id_idx on sales.quotes (created_by_user_id);
create table sales.quote_lines (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  quote_id bigint not null,
  product_id bigint,
  description text not null,
  quantity numeric(12, 3) not null,
  unit_price numeric(14, 2) not null,
  discount_pct numeric(5, 2) not null default 0
);
select pg_temp.tenant_ref('sales.quote_lines', 'quote_id', 'sales.quotes', 'cascade');
select pg_temp.tenant_ref('sales.quote_lines', 'product_id', 'catalog.products');

create table sales.orders (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  account_id bigint not null,
  contact_id bigint,
  quote_id bigint,
  shipping_address_id bigint,
  number text not null,
  status text not null,
  currency_code text not null references reference.currencies,
  subtotal numeric(14, 2) not null default 0,
  tax_total numeric(14, 2) not null default 0,
  total numeric(14, 2) not null default 0,
  notes text,
  ordered_at timestamptz not null,
  cancelled_at timestamptz,
  created_by_user_id bigint references auth.users on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, id),
  unique (organization_id, number)
);
select pg_temp.tenant_ref('sales.orders', 'account_id', 'crm.accounts');
select pg_temp.tenant_ref('sales.orders', 'contact_id', 'crm.contacts', 'set null');
select pg_temp.tenant_ref('sales.orders', 'quote_id', 'sales.quotes', 'set null');
select pg_temp.tenant_ref('sales.orders', 'shipping_address_id', 'sales.addresses', 'set null');
create index orders_currency_code_idx on sales.orders (currency_code);
create index orders_created_by_user_id_idx on sales.orders (created_by_user_id);
create index orders_organization_id_ordered_at_idx on sales.orders (organization_id, ordered_at);

create table sales.order_lines (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  order_id bigint not null,
  product_id bigint not null,
  variant_id bigint,
  quantity integer not null,
  unit_price numeric(14, 2) not null,
  discount_amount numeric(14, 2) not null default 0,
  tax_amount numeric(14, 2) not null default 0
);
select pg_temp.tenant_ref('sales.order_lines', 'order_id', 'sales.orders', 'cascade');
select pg_temp.tenant_ref('sales.order_lines', 'variant_id', 'catalog.product_variants');

create table sales.discounts (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  code text not null,
  kind text not null,
  value numeric(14, 2) not null,
  starts_at timestamptz,
  ends_at timestamptz,
  max_redemptions integer,
  unique (organization_id, id),
  unique (organization_id, code)
);
create table sales.order_discounts (
  organization_id bigint not null,
  order_id bigint not null,
  discount_id bigint not null,
  amount numeric(14, 2) not null,
  primary key (organization_id, order_id, discount_id)
);
alter table sales.order_discounts add foreign key (organization_id, order_id) references sales.orders (organization_id, id) on delete cascade;
select pg_temp.tenant_ref('sales.order_discounts', 'discount_id', 'sales.discounts');

create table sales.returns (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  order_id bigint not null,
  number text not null,
  reason text,
  status text not null,
  received_at timestamptz,
  created_at timestamptz not null default now(),
  unique (organization_id, id),
  unique (organization_id, number)
);
select pg_temp.tenant_ref('sales.returns', 'order_id', 'sales.orders');
create table sales.return_lines (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  return_id bigint not null,
  order_line_id bigint not null,
  quantity integer not null,
  condition text
);
select pg_temp.tenant_ref('sales.return_lines', 'return_id', 'sales.returns', 'cascade');
alter table sales.order_lines add unique (organization_id, id);
select pg_temp.tenant_ref('sales.return_lines', 'order_line_id', 'sales.order_lines');

------------------------------------------------------------------------------------------------
-- billing: tenants invoice their customers; the platform bills the tenants
------------------------------------------------------------------------------------------------
create table billing.plans (
  id integer generated always as identity primary key,
  code text not null unique,
  name text not null,
  billing_interval text not null,
  amount numeric(12, 2) not null,
  currency_code text not null references reference.currencies,
  is_public boolean not null default true,
  created_at timestamptz not null default now()
);
create index plans_currency_code_idx on billing.plans (currency_code);
create table billing.plan_features (
  plan_id integer not null references billing.plans on delete cascade,
  feature_flag_id integer not null references public.feature_flags on delete cascade,
  limit_value integer,
  primary key (plan_id, feature_flag_id)
);
create index plan_features_feature_flag_id_idx on billing.plan_features (feature_flag_id);
create table billing.platform_subscriptions (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  plan_id integer not null references billing.plans,
  status text not null,
  seats integer not null default 1,
  current_period_start timestamptz not null,
  current_period_end timestamptz not null,
  cancel_at timestamptz,
  external_subscription_id text unique,
  created_at timestamptz not null default now()
);
create index platform_subscriptions_organization_id_idx on billing.platform_subscriptions (organization_id);
create index platform_subscriptions_plan_id_idx on billing.platform_subscriptions (plan_id);

create table billing.tax_rates (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  jurisdiction_id integer references reference.tax_jurisdictions,
  name text not null,
  rate numeric(6, 4) not null,
  is_inclusive boolean not null default false,
  unique (organization_id, id)
);
create index tax_rates_jurisdiction_id_idx on billing.tax_rates (jurisdiction_id);

create table billing.invoices (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  account_id bigint not null,
  order_id bigint,
  billing_address_id bigint,
  number text not null,
  status text not null,
  currency_code text not null references reference.currencies,
  issued_on date not null,
  due_on date not null,
  subtotal numeric(14, 2) not null,
  tax_total numeric(14, 2) not null,
  total numeric(14, 2) not null,
  amount_paid numeric(14, 2) not null default 0,
  notes text,
  created_by_user_id bigint references auth.users on delete set null,
  sent_at timestamptz,
  voided_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, id),
  unique (organization_id, number)
);
select pg_temp.tenant_ref('billing.invoices', 'account_id', 'crm.accounts');
select pg_temp.tenant_ref('billing.invoices', 'order_id', 'sales.orders', 'set null');
select pg_temp.tenant_ref('billing.invoices', 'billing_address_id', 'sales.addresses', 'set null');
create index invoices_currency_code_idx on billing.invoices (currency_code);
create index invoices_created_by_user_id_idx on billing.invoices (created_by_user_id);
create index invoices_organization_id_due_on_idx on billing.invoices (organization_id, due_on) where status in ('open', 'overdue');

create table billing.invoice_line_items (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  invoice_id bigint not null,
  product_id bigint,
  tax_rate_id bigint,
  description text not null,
  quantity numeric(12, 3) not null,
  unit_price numeric(14, 2) not null,
  amount numeric(14, 2) not null,
  position smallint not null
);
select pg_temp.tenant_ref('billing.invoice_line_items', 'invoice_id', 'billing.invoices', 'cascade');
select pg_temp.tenant_ref('billing.invoice_line_items', 'product_id', 'catalog.products');
select pg_temp.tenant_ref('billing.invoice_line_items', 'tax_rate_id', 'billing.tax_rates');

create table billing.payment_methods (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  account_id bigint not null,
  kind text not null,
  brand text,
  last4 text,
  expires_on date,
  external_id text not null,
  is_default boolean not null default false,
  unique (organization_id, id)
);
select pg_temp.tenant_ref('billing.payment_methods', 'account_id', 'crm.accounts', 'cascade');

create table billing.payments (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  invoice_id bigint not null,
  payment_method_id bigint,
  amount numeric(14, 2) not null,
  currency_code text not null references reference.currencies,
  method text not null,
  status text not null,
  reference text,
  external_id text,
  received_at timestamptz not null,
  created_at timestamptz not null default now(),
  unique (organization_id, id)
);
select pg_temp.tenant_ref('billing.payments', 'invoice_id', 'billing.invoices');
select pg_temp.tenant_ref('billing.payments', 'payment_method_id', 'billing.payment_methods', 'set null');
create index payments_currency_code_idx on billing.payments (currency_code);

create table billing.refunds (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  payment_id bigint not null,
  amount numeric(14, 2) not null,
  reason text,
  refunded_at timestamptz not null
);
select pg_temp.tenant_ref('billing.refunds', 'payment_id', 'billing.payments');

create table billing.credit_notes (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  invoice_id bigint not null,
  number text not null,
  total numeric(14, 2) not null,
  issued_on date not null,
  unique (organization_id, id),
  unique (organization_id, number)
);
select pg_temp.tenant_ref('billing.credit_notes', 'invoice_id', 'billing.invoices');
create table billing.credit_note_lines (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  credit_note_id bigint not null,
  description text not null,
  amount numeric(14, 2) not null
);
select pg_temp.tenant_ref('billing.credit_note_lines', 'credit_note_id', 'billing.credit_notes', 'cascade');

create table billing.subscriptions (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  account_id bigint not null,
  status text not null,
  billing_interval text not null,
  currency_code text not null references reference.currencies,
  current_period_start date not null,
  current_period_end date not null,
  cancelled_at timestamptz,
  created_at timestamptz not null default now(),
  unique (organization_id, id)
);
select pg_temp.tenant_ref('billing.subscriptions', 'account_id', 'crm.accounts');
create index subscriptions_currency_code_idx on billing.subscriptions (currency_code);
create table billing.subscription_items (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  subscription_id bigint not null,
  product_id bigint not null,
  quantity integer not null default 1,
  unit_price numeric(14, 2) not null,
  unique (organization_id, id)
);
select pg_temp.tenant_ref('billing.subscription_items', 'subscription_id', 'billing.subscriptions', 'cascade');
select pg_temp.tenant_ref('billing.subscription_items', 'product_id', 'catalog.products');
create table billing.usage_records (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  subscription_item_id bigint not null,
  quantity bigint not null,
  recorded_at timestamptz not null,
  idempotency_key text not null,
  unique (organization_id, idempotency_key)
);
select pg_temp.tenant_ref('billing.usage_records', 'subscription_item_id', 'billing.subscription_items', 'cascade');

create table billing.dunning_attempts (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  invoice_id bigint not null,
  attempt smallint not null,
  channel text not null,
  sent_at timestamptz not null
);
select pg_temp.tenant_ref('billing.dunning_attempts', 'invoice_id', 'billing.invoices', 'cascade');

------------------------------------------------------------------------------------------------
-- shipping
------------------------------------------------------------------------------------------------
create table shipping.carriers (
  id smallint generated always as identity primary key,
  code text not null unique,
  name text not null,
  tracking_url_template text
);
create table shipping.carrier_services (
  id integer generated always as identity primary key,
  carrier_id smallint not null references shipping.carriers,
  code text not null,
  name text not null,
  unique (carrier_id, code)
);
create table shipping.shipments (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  order_id bigint not null,
  warehouse_id bigint not null,
  carrier_id smallint references shipping.carriers,
  carrier_service_id integer references shipping.carrier_services,
  tracking_number text,
  status text not null,
  weight_grams integer,
  shipped_at timestamptz,
  delivered_at timestamptz,
  created_at timestamptz not null default now(),
  unique (organization_id, id)
);
select pg_temp.tenant_ref('shipping.shipments', 'order_id', 'sales.orders');
select pg_temp.tenant_ref('shipping.shipments', 'warehouse_id', 'inventory.warehouses');
create index shipments_carrier_id_tracking_number_idx on shipping.shipments (carrier_id, tracking_number);
create index shipments_carrier_service_id_idx on shipping.shipments (carrier_service_id);
create table shipping.shipment_items (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  shipment_id bigint not null,
  order_line_id bigint not null,
  quantity integer not null
);
select pg_temp.tenant_ref('shipping.shipment_items', 'shipment_id', 'shipping.shipments', 'cascade');
select pg_temp.tenant_ref('shipping.shipment_items', 'order_line_id', 'sales.order_lines');
create table shipping.tracking_events (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  shipment_id bigint not null,
  status text not null,
  location text,
  occurred_at timestamptz not null,
  raw_payload jsonb
);
select pg_temp.tenant_ref('shipping.tracking_events', 'shipment_id', 'shipping.shipments', 'cascade');
create table shipping.shipping_rates (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  carrier_service_id integer not null references shipping.carrier_services,
  destination_country_code text not null references reference.countries,
  max_weight_grams integer not null,
  price numeric(12, 2) not null,
  currency_code text not null references reference.currencies
);
create index shipping_rates_organization_id_idx on shipping.shipping_rates (organization_id, carrier_service_id);
create index shipping_rates_carrier_service_id_idx on shipping.shipping_rates (carrier_service_id);
create index shipping_rates_destination_country_code_idx on shipping.shipping_rates (destination_country_code);
create index shipping_rates_currency_code_idx on shipping.shipping_rates (currency_code);

------------------------------------------------------------------------------------------------
-- support
------------------------------------------------------------------------------------------------
create table support.sla_policies (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  name text not null,
  first_response_minutes integer not null,
  resolution_minutes integer not null,
  unique (organization_id, id)
);
create table support.tickets (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  account_id bigint,
  contact_id bigint,
  assignee_user_id bigint,
  sla_policy_id bigint,
  number integer not null,
  subject text not null,
  status text not null,
  priority text not null,
  channel text not null,
  first_responded_at timestamptz,
  resolved_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, id),
  unique (organization_id, number)
);
select pg_temp.tenant_ref('support.tickets', 'account_id', 'crm.accounts', 'set null');
select pg_temp.tenant_ref('support.tickets', 'contact_id', 'crm.contacts', 'set null');
select pg_temp.tenant_ref('support.tickets', 'sla_policy_id', 'support.sla_policies', 'set null');
create index tickets_organization_id_status_idx on support.tickets (organization_id, status) where status <> 'closed';
create table support.ticket_messages (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  ticket_id bigint not null,
  author_user_id bigint references auth.users on delete set null,
  author_contact_id bigint,
  body text not null,
  is_internal boolean not null default false,
  created_at timestamptz not null default now()
);
select pg_temp.tenant_ref('support.ticket_messages', 'ticket_id', 'support.tickets', 'cascade');
select pg_temp.tenant_ref('support.ticket_messages', 'author_contact_id', 'crm.contacts', 'set null');
create index ticket_messages_author_user_id_idx on support.ticket_messages (author_user_id);
create table support.satisfaction_ratings (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  ticket_id bigint not null,
  score smallint not null check (score between 1 and 5),
  comment text,
  created_at timestamptz not null default now()
);
select pg_temp.tenant_ref('support.satisfaction_ratings', 'ticket_id', 'support.tickets', 'cascade');
create table support.macros (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  name text not null,
  body text not null,
  actions jsonb not null default '[]',
  unique (organization_id, name)
);
create table support.knowledge_base_articles (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  slug text not null,
  title text not null,
  body text not null,
  author_user_id bigint references auth.users on delete set null,
  published_at timestamptz,
  unique (organization_id, slug)
);
create index knowledge_base_articles_author_user_id_idx on support.knowledge_base_articles (author_user_id);

------------------------------------------------------------------------------------------------
-- notifications
------------------------------------------------------------------------------------------------
create table notifications.notifications (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  user_id bigint not null references auth.users on delete cascade,
  kind text not null,
  payload jsonb not null,
  read_at timestamptz,
  created_at timestamptz not null default now()
);
create index notifications_user_id_created_at_idx on notifications.notifications (user_id, created_at);
create index notifications_organization_id_idx on notifications.notifications (organization_id);
create table notifications.notification_preferences (
  user_id bigint not null references auth.users on delete cascade,
  kind text not null,
  channel text not null,
  enabled boolean not null,
  primary key (user_id, kind, channel)
);
create table notifications.email_templates (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  key text not null,
  subject text not null,
  body_html text not null,
  body_text text,
  updated_at timestamptz not null default now(),
  unique (organization_id, key)
);
create table notifications.email_deliveries (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  to_address text not null,
  template_key text,
  provider_message_id text,
  status text not null,
  opened_at timestamptz,
  bounced_at timestamptz,
  created_at timestamptz not null default now()
);
create index email_deliveries_organization_id_created_at_idx on notifications.email_deliveries (organization_id, created_at);
create index email_deliveries_provider_message_id_idx on notifications.email_deliveries (provider_message_id);
create table notifications.webhook_endpoints (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  url text not null,
  secret_hash text not null,
  event_types text[] not null,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  unique (organization_id, id)
);
create table notifications.webhook_deliveries (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  webhook_endpoint_id bigint not null,
  event_type text not null,
  payload jsonb not null,
  request_id uuid not null,
  response_status smallint,
  attempt smallint not null default 1,
  attempted_at timestamptz not null default now()
);
select pg_temp.tenant_ref('notifications.webhook_deliveries', 'webhook_endpoint_id', 'notifications.webhook_endpoints', 'cascade');
create table notifications.push_devices (
  id bigint generated always as identity primary key,
  user_id bigint not null references auth.users on delete cascade,
  platform text not null,
  device_token text not null unique,
  last_seen_at timestamptz
);
create index push_devices_user_id_idx on notifications.push_devices (user_id);

------------------------------------------------------------------------------------------------
-- audit: the tenant-visible audit trail (append-only)
------------------------------------------------------------------------------------------------
create table audit.audit_log_entries (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  actor_user_id bigint references auth.users on delete set null,
  action text not null,
  target_type text not null,
  target_id bigint,
  changes jsonb,
  ip_address inet,
  request_id uuid not null,
  user_agent text,
  created_at timestamptz not null default now()
);
create index audit_log_entries_organization_id_created_at_idx on audit.audit_log_entries (organization_id, created_at);
create index audit_log_entries_actor_user_id_idx on audit.audit_log_entries (actor_user_id);
create index audit_log_entries_target_idx on audit.audit_log_entries (target_type, target_id);
create table audit.data_access_log (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  user_id bigint references auth.users on delete set null,
  resource text not null,
  record_count integer not null,
  accessed_at timestamptz not null default now()
);
create index data_access_log_organization_id_accessed_at_idx on audit.data_access_log (organization_id, accessed_at);
create index data_access_log_user_id_idx on audit.data_access_log (user_id);

------------------------------------------------------------------------------------------------
-- analytics: product events, partitioned by month
------------------------------------------------------------------------------------------------
create table analytics.events (
  id bigint generated always as identity,
  organization_id bigint not null references public.organizations on delete cascade,
  user_id bigint references auth.users on delete set null,
  session_id uuid,
  request_id uuid,
  name text not null,
  properties jsonb not null default '{}',
  occurred_at timestamptz not null,
  primary key (occurred_at, id)
) partition by range (occurred_at);
create index events_organization_id_occurred_at_idx on analytics.events (organization_id, occurred_at);
create index events_user_id_idx on analytics.events (user_id);
do $$
begin
  for m in 0..11 loop
    execute format('create table analytics.%I partition of analytics.events for values from (%L) to (%L)',
                   'events_' || to_char(date '2026-01-01' + make_interval(months => m), 'YYYY_MM'),
                   date '2026-01-01' + make_interval(months => m), date '2026-01-01' + make_interval(months => m + 1));
  end loop;
end $$;

-- Daily and monthly rollups per tenant, one table per metric (written by the nightly job).
do $$
declare
  metric text;
  grain text;
begin
  foreach metric in array array['signups', 'active_users', 'sessions', 'page_views', 'api_requests',
                                'invoices_issued', 'revenue', 'payments_received', 'refunds_issued',
                                'orders_placed', 'shipments_sent', 'tickets_opened', 'tickets_resolved',
                                'deals_won', 'deals_lost', 'emails_sent', 'webhooks_delivered',
                                'storage_usage'] loop
    foreach grain in array array['daily', 'monthly'] loop
      execute format($f$create table analytics.%I (
                         organization_id bigint not null references public.organizations on delete cascade,
                         period_start date not null,
                         value numeric(18, 2) not null default 0,
                         computed_at timestamptz not null default now(),
                         primary key (organization_id, period_start))$f$, grain || '_' || metric);
    end loop;
  end loop;
end $$;

create table analytics.funnels (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  name text not null,
  steps jsonb not null,
  created_by_user_id bigint references auth.users on delete set null,
  unique (organization_id, id)
);
create index funnels_created_by_user_id_idx on analytics.funnels (created_by_user_id);
create table analytics.dashboards (
  id bigint generated always as identity primary key,
  organization_id bigint not null references public.organizations on delete cascade,
  name text not null,
  layout jsonb not null default '[]',
  unique (organization_id, id)
);
create table analytics.dashboard_widgets (
  id bigint generated always as identity primary key,
  organization_id bigint not null,
  dashboard_id bigint not null,
  kind text not null,
  config jsonb not null,
  position smallint not null
);
select pg_temp.tenant_ref('analytics.dashboard_widgets', 'dashboard_id', 'analytics.dashboards', 'cascade');

------------------------------------------------------------------------------------------------
-- Per-record collaboration tables for the main entities: attachments, comments, tags, watchers
-- and custom field values, all tenant-scoped.
------------------------------------------------------------------------------------------------
do $$
declare
  e record;
begin
  for e in select * from (values ('crm', 'accounts', 'account'), ('crm', 'contacts', 'contact'),
                                 ('crm', 'deals', 'deal'), ('crm', 'leads', 'lead'),
                                 ('sales', 'quotes', 'quote'), ('sales', 'orders', 'order'),
                                 ('billing', 'invoices', 'invoice'), ('support', 'tickets', 'ticket'),
                                 ('catalog', 'products', 'product'), ('inventory', 'suppliers', 'supplier'),
                                 ('inventory', 'purchase_orders', 'purchase_order'),
                                 ('shipping', 'shipments', 'shipment')) v(nsp, tbl, singular) loop
    execute format($f$create table %I.%I (
        id bigint generated always as identity primary key,
        organization_id bigint not null,
        %I bigint not null,
        file_name text not null,
        content_type text not null,
        byte_size bigint not null,
        storage_key text not null unique,
        uploaded_by_user_id bigint,
        created_at timestamptz not null default now())$f$, e.nsp, e.singular || '_attachments', e.singular || '_id');
    perform pg_temp.tenant_ref(format('%I.%I', e.nsp, e.singular || '_attachments'), e.singular || '_id', format('%I.%I', e.nsp, e.tbl), 'cascade');
    perform pg_temp.global_ref(format('%I.%I', e.nsp, e.singular || '_attachments'), 'uploaded_by_user_id', 'auth.users', 'set null');

    execute format($f$create table %I.%I (
        id bigint generated always as identity primary key,
        organization_id bigint not null,
        %I bigint not null,
        author_user_id bigint,
        body text not null,
        edited_at timestamptz,
        created_at timestamptz not null default now())$f$, e.nsp, e.singular || '_comments', e.singular || '_id');
    perform pg_temp.tenant_ref(format('%I.%I', e.nsp, e.singular || '_comments'), e.singular || '_id', format('%I.%I', e.nsp, e.tbl), 'cascade');
    perform pg_temp.global_ref(format('%I.%I', e.nsp, e.singular || '_comments'), 'author_user_id', 'auth.users', 'set null');

    execute format($f$create table %I.%I (
        organization_id bigint not null,
        %I bigint not null,
        tag_id bigint not null,
        created_at timestamptz not null default now(),
        primary key (organization_id, %I, tag_id))$f$, e.nsp, e.singular || '_tags', e.singular || '_id', e.singular || '_id');
    execute format('alter table %I.%I add foreign key (organization_id, %I) references %I.%I (organization_id, id) on delete cascade',
                   e.nsp, e.singular || '_tags', e.singular || '_id', e.nsp, e.tbl);
    perform pg_temp.tenant_ref(format('%I.%I', e.nsp, e.singular || '_tags'), 'tag_id', 'public.tags', 'cascade');

    execute format($f$create table %I.%I (
        organization_id bigint not null,
        %I bigint not null,
        user_id bigint not null,
        created_at timestamptz not null default now(),
        primary key (organization_id, %I, user_id))$f$, e.nsp, e.singular || '_watchers', e.singular || '_id', e.singular || '_id');
    execute format('alter table %I.%I add foreign key (organization_id, %I) references %I.%I (organization_id, id) on delete cascade',
                   e.nsp, e.singular || '_watchers', e.singular || '_id', e.nsp, e.tbl);
    perform pg_temp.global_ref(format('%I.%I', e.nsp, e.singular || '_watchers'), 'user_id', 'auth.users', 'cascade');

    execute format($f$create table %I.%I (
        organization_id bigint not null,
        %I bigint not null,
        custom_field_id bigint not null,
        value text,
        updated_at timestamptz not null default now(),
        primary key (organization_id, %I, custom_field_id))$f$, e.nsp, e.singular || '_custom_field_values', e.singular || '_id', e.singular || '_id');
    execute format('alter table %I.%I add foreign key (organization_id, %I) references %I.%I (organization_id, id) on delete cascade',
                   e.nsp, e.singular || '_custom_field_values', e.singular || '_id', e.nsp, e.tbl);
    perform pg_temp.tenant_ref(format('%I.%I', e.nsp, e.singular || '_custom_field_values'), 'custom_field_id', 'public.custom_fields', 'cascade');
  end loop;
end $$;

------------------------------------------------------------------------------------------------
-- integrations: one connection, sync-run and id-mapping table per provider
------------------------------------------------------------------------------------------------
do $$
declare
  p text;
begin
  foreach p in array array['salesforce', 'hubspot', 'stripe', 'quickbooks', 'xero', 'netsuite',
                           'shopify', 'zendesk', 'slack', 'intercom', 'mailchimp', 'docusign'] loop
    execute format($f$create table integrations.%I (
        id bigint generated always as identity primary key,
        organization_id bigint not null references public.organizations on delete cascade,
        external_account_id text not null,
        status text not null,
        access_token_encrypted bytea,
        refresh_token_encrypted bytea,
        connected_by_user_id bigint references auth.users on delete set null,
        connected_at timestamptz not null default now(),
        last_synced_at timestamptz,
        settings jsonb not null default '{}',
        unique (organization_id, id),
        unique (organization_id, external_account_id))$f$, p || '_connections');
    execute format('create index %I on integrations.%I (connected_by_user_id)', p || '_connections_connected_by_user_id_idx', p || '_connections');

    execute format($f$create table integrations.%I (
        id bigint generated always as identity primary key,
        organization_id bigint not null,
        connection_id bigint not null,
        direction text not null,
        status text not null,
        records_read integer not null default 0,
        records_written integer not null default 0,
        error_message text,
        started_at timestamptz not null,
        finished_at timestamptz)$f$, p || '_sync_runs');
    perform pg_temp.tenant_ref('integrations.' || p || '_sync_runs', 'connection_id', 'integrations.' || p || '_connections', 'cascade');

    execute format($f$create table integrations.%I (
        id bigint generated always as identity primary key,
        organization_id bigint not null,
        connection_id bigint not null,
        local_type text not null,
        local_id bigint not null,
        external_id text not null,
        synced_at timestamptz not null default now(),
        unique (connection_id, local_type, local_id),
        unique (connection_id, local_type, external_id))$f$, p || '_object_mappings');
    execute format('alter table integrations.%I add foreign key (organization_id, connection_id) references integrations.%I (organization_id, id) on delete cascade',
                   p || '_object_mappings', p || '_connections');
    execute format('create index %I on integrations.%I (organization_id, connection_id)', p || '_object_mappings_connection_id_idx', p || '_object_mappings');
  end loop;
end $$;
