-- A multi-tenant Rails SaaS (project management, a shared support inbox and subscription billing)
-- as its db/structure.sql would define it after a few years of migrations: the noise fixture of
-- issue #14. It is a HEALTHY application: nothing is planted. What a DBA would still notice here
-- is what real Rails applications have by default (timestamp without time zone, bigserial keys,
-- single-column foreign keys next to organization_id, the index Rails adds on a reference beside
-- a composite unique one that starts with it, polymorphic and gem columns without a foreign key,
-- a few foreign keys nobody indexed). See README.md beside this file for the shapes' sources.
--
-- Rails conventions kept: uuid keys (gen_random_uuid()) on the domain tables and bigserial on
-- the framework, gem and high-volume ones; `character varying` without a length (t.string) and a
-- few `character varying(255)` columns from the Rails 3 era; created_at/updated_at
-- timestamp(6) without time zone, not null, no default (Active Record fills them); enums as
-- strings; jsonb settings; discarded_at soft deletes; counter caches; indexes named
-- index_<table>_on_<columns>; foreign keys named fk_rails_<10 hex digits> (pg_temp.fk below).
-- Run on an empty database with `psql -X -q -f schema.sql`; data.sql fills it.
\set ON_ERROR_STOP on
set client_min_messages = warning;

create extension if not exists pgcrypto;
create extension if not exists pg_trgm;
create schema partman;

-- A foreign key as `add_foreign_key` writes it: fk_rails_ and 10 hex digits of a hash of
-- "<table>_<column>_fk". Temporary, so it leaves nothing behind.
create function pg_temp.fk(child text, col text, parent text, on_delete text default null)
returns void language plpgsql as $$
begin
  execute format('alter table %I add constraint %I foreign key (%I) references %I(id)%s',
                 child, 'fk_rails_' || left(encode(sha256(convert_to(child || '_' || col || '_fk', 'UTF8')), 'hex'), 10),
                 col, parent, coalesce(' on delete ' || on_delete, ''));
end $$;

------------------------------------------------------------------------------------------------
-- Rails itself
------------------------------------------------------------------------------------------------
create table schema_migrations (
  version character varying not null primary key
);
create table ar_internal_metadata (
  key character varying not null primary key,
  value character varying,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);

-- Active Storage (bigint keys; record_id is uuid since every attached model has uuid keys)
create table active_storage_blobs (
  id bigserial primary key,
  key character varying not null,
  filename character varying not null,
  content_type character varying,
  metadata text,
  service_name character varying not null,
  byte_size bigint not null,
  checksum character varying,
  created_at timestamp(6) without time zone not null
);
create unique index index_active_storage_blobs_on_key on active_storage_blobs using btree (key);

create table active_storage_attachments (
  id bigserial primary key,
  name character varying not null,
  record_type character varying not null,
  record_id uuid not null,
  blob_id bigint not null,
  created_at timestamp(6) without time zone not null
);
create index index_active_storage_attachments_on_blob_id on active_storage_attachments using btree (blob_id);
create unique index index_active_storage_attachments_uniqueness on active_storage_attachments using btree (record_type, record_id, name, blob_id);

create table active_storage_variant_records (
  id bigserial primary key,
  blob_id bigint not null,
  variation_digest character varying not null
);
create unique index index_active_storage_variant_records_uniqueness on active_storage_variant_records using btree (blob_id, variation_digest);

------------------------------------------------------------------------------------------------
-- gems: good_job (background jobs), flipper (feature flags), friendly_id, paper_trail, ahoy
------------------------------------------------------------------------------------------------
create table good_job_batches (
  id uuid default gen_random_uuid() not null primary key,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null,
  description text,
  serialized_properties jsonb,
  on_finish text,
  on_success text,
  on_discard text,
  callback_queue_name text,
  callback_priority integer,
  enqueued_at timestamp(6) without time zone,
  discarded_at timestamp(6) without time zone,
  finished_at timestamp(6) without time zone
);

create table good_job_processes (
  id uuid default gen_random_uuid() not null primary key,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null,
  state jsonb,
  lock_type smallint
);

create table good_job_settings (
  id uuid default gen_random_uuid() not null primary key,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null,
  key text,
  value jsonb
);
create unique index index_good_job_settings_on_key on good_job_settings using btree (key);

create table good_jobs (
  id uuid default gen_random_uuid() not null primary key,
  queue_name text,
  priority integer,
  serialized_params jsonb,
  scheduled_at timestamp(6) without time zone,
  performed_at timestamp(6) without time zone,
  finished_at timestamp(6) without time zone,
  error text,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null,
  active_job_id uuid,
  concurrency_key text,
  cron_key text,
  retried_good_job_id uuid,
  cron_at timestamp(6) without time zone,
  batch_id uuid,
  batch_callback_id uuid,
  is_discrete boolean,
  executions_count integer,
  job_class text,
  error_event smallint,
  labels text[],
  locked_by_id uuid,
  locked_at timestamp(6) without time zone
);
create index index_good_jobs_on_active_job_id_and_created_at on good_jobs using btree (active_job_id, created_at);
create index index_good_jobs_on_batch_callback_id on good_jobs using btree (batch_callback_id) where (batch_callback_id is not null);
create index index_good_jobs_on_batch_id on good_jobs using btree (batch_id) where (batch_id is not null);
create index index_good_jobs_on_concurrency_key_when_unfinished on good_jobs using btree (concurrency_key) where (finished_at is null);
create unique index index_good_jobs_on_cron_key_and_cron_at_cond on good_jobs using btree (cron_key, cron_at) where (cron_key is not null);
create index index_good_jobs_on_labels on good_jobs using gin (labels) where (labels is not null);
create index index_good_jobs_on_locked_by_id on good_jobs using btree (locked_by_id) where (locked_by_id is not null);
create index index_good_jobs_on_priority_scheduled_at_unfinished_unlocked on good_jobs using btree (priority, scheduled_at) where ((finished_at is null) and (locked_by_id is null));
create index index_good_jobs_on_queue_name_and_scheduled_at on good_jobs using btree (queue_name, scheduled_at) where (finished_at is null);
create index index_good_jobs_on_scheduled_at on good_jobs using btree (scheduled_at) where (finished_at is null);

create table good_job_executions (
  id uuid default gen_random_uuid() not null primary key,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null,
  active_job_id uuid not null,
  job_class text,
  queue_name text,
  serialized_params jsonb,
  scheduled_at timestamp(6) without time zone,
  finished_at timestamp(6) without time zone,
  error text,
  error_event smallint,
  error_backtrace text[],
  process_id uuid,
  duration interval
);
create index index_good_job_executions_on_active_job_id_and_created_at on good_job_executions using btree (active_job_id, created_at);
create index index_good_job_executions_on_process_id_and_created_at on good_job_executions using btree (process_id, created_at);

create table flipper_features (
  id bigserial primary key,
  key character varying not null,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create unique index index_flipper_features_on_key on flipper_features using btree (key);

create table flipper_gates (
  id bigserial primary key,
  feature_key character varying not null,
  key character varying not null,
  value text,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create unique index index_flipper_gates_on_feature_key_and_key_and_value on flipper_gates using btree (feature_key, key, value);

create table friendly_id_slugs (
  id bigserial primary key,
  slug character varying not null,
  sluggable_id uuid not null,
  sluggable_type character varying(50),
  scope character varying,
  created_at timestamp(6) without time zone
);
create index index_friendly_id_slugs_on_slug_and_sluggable_type on friendly_id_slugs using btree (slug, sluggable_type);
create unique index index_friendly_id_slugs_on_slug_and_sluggable_type_and_scope on friendly_id_slugs using btree (slug, sluggable_type, scope);
create index index_friendly_id_slugs_on_sluggable_type_and_sluggable_id on friendly_id_slugs using btree (sluggable_type, sluggable_id);

------------------------------------------------------------------------------------------------
-- lookups and global rows (shared by every tenant)
------------------------------------------------------------------------------------------------
create table countries (
  id bigserial primary key,
  iso_code character varying not null,
  name character varying not null,
  calling_code character varying,
  eu_member boolean default false not null,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create unique index index_countries_on_iso_code on countries using btree (iso_code);

create table currencies (
  id bigserial primary key,
  iso_code character varying not null,
  name character varying not null,
  symbol character varying,
  subunit_to_unit integer default 100 not null,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create unique index index_currencies_on_iso_code on currencies using btree (iso_code);

create table time_zones (
  id bigserial primary key,
  name character varying not null,
  tzinfo_identifier character varying not null,
  utc_offset_minutes integer not null,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create unique index index_time_zones_on_name on time_zones using btree (name);

create table plans (
  id uuid default gen_random_uuid() not null primary key,
  name character varying not null,
  stripe_price_id character varying,
  interval character varying default 'month' not null,
  amount_cents integer default 0 not null,
  currency_id bigint not null,
  seats_included integer default 1 not null,
  features jsonb default '{}' not null,
  public boolean default true not null,
  position integer default 0 not null,
  discarded_at timestamp(6) without time zone,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_plans_on_currency_id on plans using btree (currency_id);
create unique index index_plans_on_stripe_price_id on plans using btree (stripe_price_id);
create index index_plans_on_discarded_at on plans using btree (discarded_at);

create table permissions (
  id bigserial primary key,
  key character varying not null,
  description character varying,
  resource character varying not null,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create unique index index_permissions_on_key on permissions using btree (key);

create table coupons (
  id uuid default gen_random_uuid() not null primary key,
  code character varying not null,
  percent_off integer,
  amount_off_cents integer,
  duration character varying default 'once' not null,
  max_redemptions integer,
  redemptions_count integer default 0 not null,
  expires_at timestamp(6) without time zone,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create unique index index_coupons_on_code on coupons using btree (code);

------------------------------------------------------------------------------------------------
-- tenants, people and access
------------------------------------------------------------------------------------------------
create table organizations (
  id uuid default gen_random_uuid() not null primary key,
  name character varying not null,
  slug character varying not null,
  domain character varying,
  billing_email character varying,
  country_id bigint,
  currency_id bigint,
  time_zone_id bigint,
  locale character varying default 'en' not null,
  status character varying default 'active' not null,
  settings jsonb default '{}' not null,
  stripe_customer_id character varying,
  legacy_account_code character varying(255),
  memberships_count integer default 0 not null,
  projects_count integer default 0 not null,
  trial_ends_at timestamp(6) without time zone,
  discarded_at timestamp(6) without time zone,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create unique index index_organizations_on_slug on organizations using btree (slug);
create unique index index_organizations_on_stripe_customer_id on organizations using btree (stripe_customer_id);
create index index_organizations_on_country_id on organizations using btree (country_id);
create index index_organizations_on_currency_id on organizations using btree (currency_id);
create index index_organizations_on_time_zone_id on organizations using btree (time_zone_id);
create index index_organizations_on_discarded_at on organizations using btree (discarded_at);
create index index_organizations_on_status on organizations using btree (status);

create table users (
  id uuid default gen_random_uuid() not null primary key,
  email character varying default '' not null,
  encrypted_password character varying default '' not null,
  reset_password_token character varying,
  reset_password_sent_at timestamp(6) without time zone,
  remember_created_at timestamp(6) without time zone,
  sign_in_count integer default 0 not null,
  current_sign_in_at timestamp(6) without time zone,
  last_sign_in_at timestamp(6) without time zone,
  current_sign_in_ip character varying,
  last_sign_in_ip character varying,
  confirmation_token character varying,
  confirmed_at timestamp(6) without time zone,
  confirmation_sent_at timestamp(6) without time zone,
  unconfirmed_email character varying,
  failed_attempts integer default 0 not null,
  unlock_token character varying,
  locked_at timestamp(6) without time zone,
  first_name character varying(255),
  last_name character varying(255),
  time_zone_id bigint,
  locale character varying default 'en' not null,
  otp_required_for_login boolean default false not null,
  otp_secret character varying,
  preferences jsonb default '{}' not null,
  admin boolean default false not null,
  discarded_at timestamp(6) without time zone,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create unique index index_users_on_email on users using btree (email);
create unique index index_users_on_reset_password_token on users using btree (reset_password_token);
create unique index index_users_on_confirmation_token on users using btree (confirmation_token);
create unique index index_users_on_unlock_token on users using btree (unlock_token);
create index index_users_on_time_zone_id on users using btree (time_zone_id);
create index index_users_on_discarded_at on users using btree (discarded_at);

-- Roles: organization_id is NULL for the built-in roles every tenant shares (owner, admin,
-- member, guest); a tenant adds its own custom roles.
create table roles (
  id uuid default gen_random_uuid() not null primary key,
  organization_id uuid,
  name character varying not null,
  key character varying not null,
  description text,
  built_in boolean default false not null,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_roles_on_organization_id on roles using btree (organization_id);
create unique index index_roles_on_organization_id_and_key on roles using btree (organization_id, key);

create table role_permissions (
  id bigserial primary key,
  role_id uuid not null,
  permission_id bigint not null,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_role_permissions_on_permission_id on role_permissions using btree (permission_id);
create unique index index_role_permissions_on_role_id_and_permission_id on role_permissions using btree (role_id, permission_id);

create table memberships (
  id bigserial primary key,
  organization_id uuid not null,
  user_id uuid not null,
  role_id uuid not null,
  title character varying,
  last_active_at timestamp(6) without time zone,
  discarded_at timestamp(6) without time zone,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_memberships_on_organization_id on memberships using btree (organization_id);
create index index_memberships_on_user_id on memberships using btree (user_id);
create index index_memberships_on_role_id on memberships using btree (role_id);
create unique index index_memberships_on_organization_id_and_user_id on memberships using btree (organization_id, user_id);

create table invitations (
  id uuid default gen_random_uuid() not null primary key,
  organization_id uuid not null,
  email character varying not null,
  token character varying not null,
  role_id uuid not null,
  invited_by_id uuid not null,
  accepted_at timestamp(6) without time zone,
  expires_at timestamp(6) without time zone not null,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_invitations_on_organization_id on invitations using btree (organization_id);
create index index_invitations_on_role_id on invitations using btree (role_id);
create unique index index_invitations_on_token on invitations using btree (token);
create index index_invitations_on_email on invitations using btree (email);

create table identities (
  id bigserial primary key,
  user_id uuid not null,
  provider character varying not null,
  uid character varying not null,
  access_token character varying,
  refresh_token character varying,
  expires_at timestamp(6) without time zone,
  raw_info jsonb default '{}' not null,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_identities_on_user_id on identities using btree (user_id);
create unique index index_identities_on_provider_and_uid on identities using btree (provider, uid);

create table api_keys (
  id uuid default gen_random_uuid() not null primary key,
  organization_id uuid not null,
  created_by_id uuid not null,
  name character varying not null,
  token_digest character varying not null,
  token_prefix character varying not null,
  scopes character varying[] default '{}' not null,
  last_used_at timestamp(6) without time zone,
  revoked_at timestamp(6) without time zone,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_api_keys_on_organization_id on api_keys using btree (organization_id);
create index index_api_keys_on_created_by_id on api_keys using btree (created_by_id);
create unique index index_api_keys_on_token_digest on api_keys using btree (token_digest);

-- authtrail: every sign-in attempt, user polymorphic (no foreign key, by the gem's design)
create table login_activities (
  id bigserial primary key,
  scope character varying,
  strategy character varying,
  identity character varying,
  success boolean,
  failure_reason character varying,
  user_type character varying,
  user_id uuid,
  context character varying,
  ip character varying,
  user_agent text,
  referrer text,
  city character varying,
  region character varying,
  country character varying,
  latitude double precision,
  longitude double precision,
  created_at timestamp(6) without time zone
);
create index index_login_activities_on_identity on login_activities using btree (identity);
create index index_login_activities_on_ip on login_activities using btree (ip);
create index index_login_activities_on_user on login_activities using btree (user_type, user_id);

-- ahoy: visits and product analytics events, written by the app, no foreign keys by design
create table ahoy_visits (
  id bigserial primary key,
  visit_token character varying,
  visitor_token character varying,
  user_id uuid,
  organization_id uuid,
  ip character varying,
  user_agent text,
  referrer text,
  referring_domain character varying,
  landing_page text,
  browser character varying,
  os character varying,
  device_type character varying,
  country character varying,
  utm_source character varying,
  utm_medium character varying,
  utm_campaign character varying,
  started_at timestamp(6) without time zone
);
create index index_ahoy_visits_on_user_id on ahoy_visits using btree (user_id);
create unique index index_ahoy_visits_on_visit_token on ahoy_visits using btree (visit_token);
create index index_ahoy_visits_on_visitor_token_and_started_at on ahoy_visits using btree (visitor_token, started_at);

create table ahoy_events (
  id bigserial primary key,
  visit_id bigint,
  user_id uuid,
  name character varying,
  properties jsonb,
  time timestamp(6) without time zone
);
create index index_ahoy_events_on_name_and_time on ahoy_events using btree (name, time);
create index index_ahoy_events_on_properties on ahoy_events using gin (properties jsonb_path_ops);
create index index_ahoy_events_on_user_id on ahoy_events using btree (user_id);
create index index_ahoy_events_on_visit_id on ahoy_events using btree (visit_id);

-- paper_trail: versions of the audited models (item polymorphic, whodunnit a string)
create table versions (
  id bigserial primary key,
  item_type character varying not null,
  item_id uuid not null,
  organization_id uuid,
  event character varying not null,
  whodunnit character varying,
  object jsonb,
  object_changes jsonb,
  created_at timestamp(6) without time zone
);
create index index_versions_on_item_type_and_item_id on versions using btree (item_type, item_id);
create index index_versions_on_organization_id on versions using btree (organization_id);

------------------------------------------------------------------------------------------------
-- billing
------------------------------------------------------------------------------------------------
create table subscriptions (
  id uuid default gen_random_uuid() not null primary key,
  organization_id uuid not null,
  plan_id uuid not null,
  status character varying default 'trialing' not null,
  stripe_subscription_id character varying,
  quantity integer default 1 not null,
  current_period_start timestamp(6) without time zone,
  current_period_end timestamp(6) without time zone,
  cancel_at_period_end boolean default false not null,
  canceled_at timestamp(6) without time zone,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_subscriptions_on_organization_id on subscriptions using btree (organization_id);
create index index_subscriptions_on_plan_id on subscriptions using btree (plan_id);
create unique index index_subscriptions_on_stripe_subscription_id on subscriptions using btree (stripe_subscription_id);
create index index_subscriptions_on_status on subscriptions using btree (status);

create table coupon_redemptions (
  id bigserial primary key,
  organization_id uuid not null,
  coupon_id uuid not null,
  subscription_id uuid not null,
  redeemed_at timestamp(6) without time zone not null,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_coupon_redemptions_on_organization_id on coupon_redemptions using btree (organization_id);
create index index_coupon_redemptions_on_coupon_id on coupon_redemptions using btree (coupon_id);
create index index_coupon_redemptions_on_subscription_id on coupon_redemptions using btree (subscription_id);

create table invoices (
  id uuid default gen_random_uuid() not null primary key,
  organization_id uuid not null,
  subscription_id uuid,
  number character varying not null,
  status character varying default 'draft' not null,
  currency_id bigint not null,
  subtotal_cents bigint default 0 not null,
  tax_cents bigint default 0 not null,
  total_cents bigint default 0 not null,
  stripe_invoice_id character varying,
  issued_on date,
  due_on date,
  paid_at timestamp(6) without time zone,
  line_items_count integer default 0 not null,
  metadata jsonb default '{}' not null,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_invoices_on_organization_id on invoices using btree (organization_id);
create index index_invoices_on_subscription_id on invoices using btree (subscription_id);
create index index_invoices_on_currency_id on invoices using btree (currency_id);
create unique index index_invoices_on_organization_id_and_number on invoices using btree (organization_id, number);
create unique index index_invoices_on_stripe_invoice_id on invoices using btree (stripe_invoice_id);
create index index_invoices_on_status on invoices using btree (status);

create table invoice_line_items (
  id bigserial primary key,
  organization_id uuid not null,
  invoice_id uuid not null,
  plan_id uuid,
  description character varying not null,
  quantity integer default 1 not null,
  unit_amount_cents bigint default 0 not null,
  amount_cents bigint default 0 not null,
  period_start date,
  period_end date,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_invoice_line_items_on_organization_id on invoice_line_items using btree (organization_id);
create index index_invoice_line_items_on_invoice_id on invoice_line_items using btree (invoice_id);

create table payment_methods (
  id uuid default gen_random_uuid() not null primary key,
  organization_id uuid not null,
  kind character varying default 'card' not null,
  brand character varying,
  last4 character varying,
  exp_month integer,
  exp_year integer,
  stripe_payment_method_id character varying,
  default_method boolean default false not null,
  discarded_at timestamp(6) without time zone,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_payment_methods_on_organization_id on payment_methods using btree (organization_id);
create unique index index_payment_methods_on_stripe_payment_method_id on payment_methods using btree (stripe_payment_method_id);

create table payments (
  id bigserial primary key,
  organization_id uuid not null,
  invoice_id uuid not null,
  payment_method_id uuid,
  amount_cents bigint not null,
  currency_id bigint not null,
  status character varying default 'pending' not null,
  stripe_charge_id character varying,
  failure_message character varying,
  paid_at timestamp(6) without time zone,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_payments_on_organization_id on payments using btree (organization_id);
create index index_payments_on_invoice_id on payments using btree (invoice_id);
create index index_payments_on_payment_method_id on payments using btree (payment_method_id);
create unique index index_payments_on_stripe_charge_id on payments using btree (stripe_charge_id);

create table usage_records (
  id bigserial primary key,
  organization_id uuid not null,
  subscription_id uuid not null,
  metric character varying not null,
  quantity bigint default 0 not null,
  recorded_on date not null,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_usage_records_on_organization_id on usage_records using btree (organization_id);
create index index_usage_records_on_subscription_id on usage_records using btree (subscription_id);
create unique index index_usage_records_on_subscription_id_and_metric_and_recorded_on on usage_records using btree (subscription_id, metric, recorded_on);

------------------------------------------------------------------------------------------------
-- teams, projects and work
------------------------------------------------------------------------------------------------
create table teams (
  id uuid default gen_random_uuid() not null primary key,
  organization_id uuid not null,
  name character varying not null,
  description text,
  color character varying,
  team_memberships_count integer default 0 not null,
  discarded_at timestamp(6) without time zone,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create unique index index_teams_on_organization_id_and_name on teams using btree (organization_id, name);

create table team_memberships (
  id bigserial primary key,
  organization_id uuid not null,
  team_id uuid not null,
  user_id uuid not null,
  lead boolean default false not null,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_team_memberships_on_organization_id on team_memberships using btree (organization_id);
create index index_team_memberships_on_user_id on team_memberships using btree (user_id);
create unique index index_team_memberships_on_team_id_and_user_id on team_memberships using btree (team_id, user_id);

create table projects (
  id uuid default gen_random_uuid() not null primary key,
  organization_id uuid not null,
  team_id uuid,
  owner_id uuid not null,
  name character varying not null,
  key character varying not null,
  description text,
  status character varying default 'active' not null,
  visibility character varying default 'organization' not null,
  settings jsonb default '{}' not null,
  tasks_count integer default 0 not null,
  starts_on date,
  due_on date,
  archived_at timestamp(6) without time zone,
  discarded_at timestamp(6) without time zone,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_projects_on_organization_id on projects using btree (organization_id);
create index index_projects_on_team_id on projects using btree (team_id);
create index index_projects_on_owner_id on projects using btree (owner_id);
create unique index index_projects_on_organization_id_and_key on projects using btree (organization_id, key);
create index index_projects_on_discarded_at on projects using btree (discarded_at);

create table project_memberships (
  id bigserial primary key,
  organization_id uuid not null,
  project_id uuid not null,
  user_id uuid not null,
  access_level character varying default 'editor' not null,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_project_memberships_on_organization_id on project_memberships using btree (organization_id);
create index index_project_memberships_on_user_id on project_memberships using btree (user_id);
create unique index index_project_memberships_on_project_id_and_user_id on project_memberships using btree (project_id, user_id);

create table boards (
  id uuid default gen_random_uuid() not null primary key,
  organization_id uuid not null,
  project_id uuid not null,
  name character varying not null,
  position integer default 0 not null,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_boards_on_organization_id on boards using btree (organization_id);
create index index_boards_on_project_id on boards using btree (project_id);

create table board_columns (
  id uuid default gen_random_uuid() not null primary key,
  organization_id uuid not null,
  board_id uuid not null,
  name character varying not null,
  position integer default 0 not null,
  wip_limit integer,
  done boolean default false not null,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_board_columns_on_organization_id on board_columns using btree (organization_id);
create index index_board_columns_on_board_id on board_columns using btree (board_id);

create table milestones (
  id uuid default gen_random_uuid() not null primary key,
  organization_id uuid not null,
  project_id uuid not null,
  title character varying not null,
  description text,
  due_on date,
  state character varying default 'open' not null,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_milestones_on_organization_id on milestones using btree (organization_id);
create index index_milestones_on_project_id on milestones using btree (project_id);

create table labels (
  id uuid default gen_random_uuid() not null primary key,
  organization_id uuid not null,
  name character varying not null,
  color character varying default '#6b7280' not null,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create unique index index_labels_on_organization_id_and_name on labels using btree (organization_id, name);

-- tasks.milestone_id and tasks.parent_id: foreign keys added in a later migration without an
-- index (add_foreign_key does not add one), as many apps have
create table tasks (
  id uuid default gen_random_uuid() not null primary key,
  organization_id uuid not null,
  project_id uuid not null,
  board_column_id uuid,
  milestone_id uuid,
  parent_id uuid,
  creator_id uuid not null,
  assignee_id uuid,
  number integer not null,
  title character varying not null,
  description text,
  status character varying default 'todo' not null,
  priority character varying default 'normal' not null,
  position double precision default 0.0 not null,
  estimate_minutes integer,
  due_on date,
  completed_at timestamp(6) without time zone,
  custom_fields jsonb default '{}' not null,
  comments_count integer default 0 not null,
  discarded_at timestamp(6) without time zone,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_tasks_on_organization_id on tasks using btree (organization_id);
create index index_tasks_on_project_id on tasks using btree (project_id);
create index index_tasks_on_board_column_id on tasks using btree (board_column_id);
create index index_tasks_on_creator_id on tasks using btree (creator_id);
create index index_tasks_on_assignee_id on tasks using btree (assignee_id);
create unique index index_tasks_on_project_id_and_number on tasks using btree (project_id, number);
create index index_tasks_on_organization_id_and_status on tasks using btree (organization_id, status);
create index index_tasks_on_discarded_at on tasks using btree (discarded_at);
create index index_tasks_on_title_trgm on tasks using gin (title gin_trgm_ops);

create table task_labels (
  id bigserial primary key,
  organization_id uuid not null,
  task_id uuid not null,
  label_id uuid not null,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_task_labels_on_organization_id on task_labels using btree (organization_id);
create index index_task_labels_on_label_id on task_labels using btree (label_id);
create unique index index_task_labels_on_task_id_and_label_id on task_labels using btree (task_id, label_id);

create table checklist_items (
  id bigserial primary key,
  organization_id uuid not null,
  task_id uuid not null,
  body character varying not null,
  position integer default 0 not null,
  checked_at timestamp(6) without time zone,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_checklist_items_on_organization_id on checklist_items using btree (organization_id);
create index index_checklist_items_on_task_id on checklist_items using btree (task_id);

-- comments on tasks, documents and conversations (commentable polymorphic)
create table comments (
  id bigserial primary key,
  organization_id uuid not null,
  commentable_type character varying not null,
  commentable_id uuid not null,
  author_id uuid not null,
  body text not null,
  edited_at timestamp(6) without time zone,
  discarded_at timestamp(6) without time zone,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_comments_on_organization_id on comments using btree (organization_id);
create index index_comments_on_commentable on comments using btree (commentable_type, commentable_id);
create index index_comments_on_author_id on comments using btree (author_id);

create table time_entries (
  id bigserial primary key,
  organization_id uuid not null,
  task_id uuid not null,
  user_id uuid not null,
  started_at timestamp(6) without time zone not null,
  minutes integer not null,
  billable boolean default true not null,
  note character varying,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_time_entries_on_organization_id on time_entries using btree (organization_id);
create index index_time_entries_on_task_id on time_entries using btree (task_id);
create index index_time_entries_on_user_id on time_entries using btree (user_id);

create table custom_fields (
  id uuid default gen_random_uuid() not null primary key,
  organization_id uuid not null,
  project_id uuid,
  name character varying not null,
  field_type character varying default 'text' not null,
  options jsonb default '[]' not null,
  required boolean default false not null,
  position integer default 0 not null,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_custom_fields_on_organization_id on custom_fields using btree (organization_id);
create index index_custom_fields_on_project_id on custom_fields using btree (project_id);

create table custom_field_values (
  id bigserial primary key,
  organization_id uuid not null,
  custom_field_id uuid not null,
  task_id uuid not null,
  value jsonb,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_custom_field_values_on_organization_id on custom_field_values using btree (organization_id);
create index index_custom_field_values_on_custom_field_id on custom_field_values using btree (custom_field_id);
create unique index index_custom_field_values_on_task_id_and_custom_field_id on custom_field_values using btree (task_id, custom_field_id);

-- acts-as-taggable-on: tags are global, taggings are per tenant (taggable polymorphic)
create table tags (
  id bigserial primary key,
  name character varying,
  taggings_count integer default 0,
  created_at timestamp(6) without time zone,
  updated_at timestamp(6) without time zone
);
create unique index index_tags_on_name on tags using btree (name);

create table taggings (
  id bigserial primary key,
  tag_id bigint,
  taggable_type character varying,
  taggable_id uuid,
  tagger_type character varying,
  tagger_id uuid,
  context character varying(128),
  tenant character varying(128),
  organization_id uuid,
  created_at timestamp(6) without time zone
);
create index index_taggings_on_tag_id on taggings using btree (tag_id);
create index index_taggings_on_taggable_type_and_taggable_id on taggings using btree (taggable_type, taggable_id);
create index index_taggings_on_tagger_type_and_tagger_id on taggings using btree (tagger_type, tagger_id);
create index index_taggings_on_context on taggings using btree (context);
create index index_taggings_on_tenant on taggings using btree (tenant);
create unique index taggings_idx on taggings using btree (tag_id, taggable_id, taggable_type, context, tagger_id, tagger_type);
create index taggings_idy on taggings using btree (taggable_id, taggable_type, tagger_id, context);
create index index_taggings_on_organization_id on taggings using btree (organization_id);

------------------------------------------------------------------------------------------------
-- documents
------------------------------------------------------------------------------------------------
create table folders (
  id uuid default gen_random_uuid() not null primary key,
  organization_id uuid not null,
  project_id uuid,
  parent_id uuid,
  name character varying not null,
  documents_count integer default 0 not null,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_folders_on_organization_id on folders using btree (organization_id);
create index index_folders_on_project_id on folders using btree (project_id);
create index index_folders_on_parent_id on folders using btree (parent_id);

create table documents (
  id uuid default gen_random_uuid() not null primary key,
  organization_id uuid not null,
  folder_id uuid,
  author_id uuid not null,
  title character varying not null,
  slug character varying not null,
  body text,
  status character varying default 'draft' not null,
  published_at timestamp(6) without time zone,
  lock_version integer default 0 not null,
  discarded_at timestamp(6) without time zone,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_documents_on_folder_id on documents using btree (folder_id);
create index index_documents_on_author_id on documents using btree (author_id);
create unique index index_documents_on_organization_id_and_slug on documents using btree (organization_id, slug);

create table saved_views (
  id uuid default gen_random_uuid() not null primary key,
  organization_id uuid not null,
  user_id uuid not null,
  resource_type character varying not null,
  name character varying not null,
  filters jsonb default '{}' not null,
  shared boolean default false not null,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_saved_views_on_organization_id on saved_views using btree (organization_id);
create index index_saved_views_on_user_id on saved_views using btree (user_id);

------------------------------------------------------------------------------------------------
-- support inbox
------------------------------------------------------------------------------------------------
create table companies (
  id uuid default gen_random_uuid() not null primary key,
  organization_id uuid not null,
  name character varying not null,
  domain character varying,
  country_id bigint,
  custom_attributes jsonb default '{}' not null,
  contacts_count integer default 0 not null,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_companies_on_organization_id on companies using btree (organization_id);
create index index_companies_on_country_id on companies using btree (country_id);
create index index_companies_on_domain_and_organization_id on companies using btree (domain, organization_id);

create table contacts (
  id uuid default gen_random_uuid() not null primary key,
  organization_id uuid not null,
  company_id uuid,
  name character varying,
  email character varying,
  phone_number character varying,
  identifier character varying,
  custom_attributes jsonb default '{}' not null,
  last_activity_at timestamp(6) without time zone,
  blocked boolean default false not null,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_contacts_on_organization_id on contacts using btree (organization_id);
create index index_contacts_on_company_id on contacts using btree (company_id);
create unique index index_contacts_on_organization_id_and_email on contacts using btree (organization_id, email) where (email is not null);
create unique index index_contacts_on_organization_id_and_identifier on contacts using btree (organization_id, identifier);
create index index_contacts_on_name_email_trgm on contacts using gin (((coalesce(name, '') || ' ' || coalesce(email, ''))) gin_trgm_ops);

create table inboxes (
  id uuid default gen_random_uuid() not null primary key,
  organization_id uuid not null,
  team_id uuid,
  name character varying not null,
  channel_type character varying default 'email' not null,
  email_address character varying,
  settings jsonb default '{}' not null,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_inboxes_on_organization_id on inboxes using btree (organization_id);
create index index_inboxes_on_team_id on inboxes using btree (team_id);

create table conversations (
  id uuid default gen_random_uuid() not null primary key,
  organization_id uuid not null,
  inbox_id uuid not null,
  contact_id uuid not null,
  assignee_id uuid,
  display_id integer not null,
  status character varying default 'open' not null,
  priority character varying,
  subject character varying,
  additional_attributes jsonb default '{}' not null,
  messages_count integer default 0 not null,
  first_reply_at timestamp(6) without time zone,
  last_activity_at timestamp(6) without time zone not null,
  snoozed_until timestamp(6) without time zone,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_conversations_on_organization_id on conversations using btree (organization_id);
create index index_conversations_on_inbox_id on conversations using btree (inbox_id);
create index index_conversations_on_contact_id on conversations using btree (contact_id);
create index index_conversations_on_assignee_id on conversations using btree (assignee_id);
create unique index index_conversations_on_organization_id_and_display_id on conversations using btree (organization_id, display_id);
create index index_conversations_on_status_and_organization_id on conversations using btree (status, organization_id);

create table messages (
  id bigserial primary key,
  organization_id uuid not null,
  conversation_id uuid not null,
  sender_type character varying,
  sender_id uuid,
  message_type character varying default 'incoming' not null,
  content text,
  content_attributes jsonb default '{}' not null,
  private boolean default false not null,
  status character varying default 'sent' not null,
  source_id character varying,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_messages_on_organization_id on messages using btree (organization_id);
create index index_messages_on_conversation_id on messages using btree (conversation_id);
create index index_messages_on_sender_type_and_sender_id on messages using btree (sender_type, sender_id);
create index index_messages_on_source_id on messages using btree (source_id);
create index index_messages_on_created_at on messages using btree (created_at);

create table canned_responses (
  id uuid default gen_random_uuid() not null primary key,
  organization_id uuid not null,
  short_code character varying not null,
  content text not null,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_canned_responses_on_organization_id on canned_responses using btree (organization_id);

------------------------------------------------------------------------------------------------
-- notifications, integrations and data transfers
------------------------------------------------------------------------------------------------
create table notifications (
  id bigserial primary key,
  organization_id uuid not null,
  recipient_id uuid not null,
  actor_id uuid,
  notifiable_type character varying not null,
  notifiable_id uuid not null,
  notification_type character varying not null,
  params jsonb default '{}' not null,
  read_at timestamp(6) without time zone,
  emailed_at timestamp(6) without time zone,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_notifications_on_organization_id on notifications using btree (organization_id);
create index index_notifications_on_recipient_id_and_read_at on notifications using btree (recipient_id, read_at);
create index index_notifications_on_notifiable on notifications using btree (notifiable_type, notifiable_id);
create index index_notifications_on_actor_id on notifications using btree (actor_id);

create table notification_preferences (
  id bigserial primary key,
  organization_id uuid not null,
  user_id uuid not null,
  notification_type character varying not null,
  email boolean default true not null,
  in_app boolean default true not null,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_notification_preferences_on_organization_id on notification_preferences using btree (organization_id);
create unique index index_notification_preferences_on_user_org_and_type on notification_preferences using btree (user_id, organization_id, notification_type);

create table webhook_endpoints (
  id uuid default gen_random_uuid() not null primary key,
  organization_id uuid not null,
  url character varying not null,
  secret character varying not null,
  subscribed_events character varying[] default '{}' not null,
  enabled boolean default true not null,
  failures_count integer default 0 not null,
  disabled_at timestamp(6) without time zone,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_webhook_endpoints_on_organization_id on webhook_endpoints using btree (organization_id);

create table webhook_deliveries (
  id bigserial primary key,
  organization_id uuid not null,
  webhook_endpoint_id uuid not null,
  event_name character varying not null,
  payload jsonb not null,
  response_status integer,
  response_body text,
  duration_ms integer,
  attempt integer default 1 not null,
  delivered_at timestamp(6) without time zone,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_webhook_deliveries_on_organization_id on webhook_deliveries using btree (organization_id);
create index index_webhook_deliveries_on_webhook_endpoint_id_and_created_at on webhook_deliveries using btree (webhook_endpoint_id, created_at);

create table integrations (
  id uuid default gen_random_uuid() not null primary key,
  organization_id uuid not null,
  installed_by_id uuid,
  provider character varying not null,
  external_account_id character varying,
  settings jsonb default '{}' not null,
  encrypted_credentials text,
  status character varying default 'connected' not null,
  last_synced_at timestamp(6) without time zone,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create unique index index_integrations_on_organization_id_and_provider on integrations using btree (organization_id, provider);

-- doorkeeper: OAuth applications of a tenant (owner polymorphic), grants and tokens
create table oauth_applications (
  id bigserial primary key,
  name character varying not null,
  uid character varying not null,
  secret character varying not null,
  redirect_uri text not null,
  scopes character varying default '' not null,
  confidential boolean default true not null,
  owner_type character varying,
  owner_id uuid,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create unique index index_oauth_applications_on_uid on oauth_applications using btree (uid);
create index index_oauth_applications_on_owner_id_and_owner_type on oauth_applications using btree (owner_id, owner_type);

create table oauth_access_grants (
  id bigserial primary key,
  resource_owner_id uuid not null,
  application_id bigint not null,
  token character varying not null,
  expires_in integer not null,
  redirect_uri text not null,
  scopes character varying default '' not null,
  created_at timestamp(6) without time zone not null,
  revoked_at timestamp(6) without time zone
);
create index index_oauth_access_grants_on_application_id on oauth_access_grants using btree (application_id);
create index index_oauth_access_grants_on_resource_owner_id on oauth_access_grants using btree (resource_owner_id);
create unique index index_oauth_access_grants_on_token on oauth_access_grants using btree (token);

create table oauth_access_tokens (
  id bigserial primary key,
  resource_owner_id uuid,
  application_id bigint not null,
  token character varying not null,
  refresh_token character varying,
  expires_in integer,
  scopes character varying,
  created_at timestamp(6) without time zone not null,
  revoked_at timestamp(6) without time zone,
  previous_refresh_token character varying default '' not null
);
create index index_oauth_access_tokens_on_application_id on oauth_access_tokens using btree (application_id);
create unique index index_oauth_access_tokens_on_refresh_token on oauth_access_tokens using btree (refresh_token);
create index index_oauth_access_tokens_on_resource_owner_id on oauth_access_tokens using btree (resource_owner_id);
create unique index index_oauth_access_tokens_on_token on oauth_access_tokens using btree (token);

create table data_exports (
  id uuid default gen_random_uuid() not null primary key,
  organization_id uuid not null,
  requested_by_id uuid not null,
  resource_type character varying not null,
  format character varying default 'csv' not null,
  status character varying default 'pending' not null,
  filters jsonb default '{}' not null,
  rows_count integer,
  completed_at timestamp(6) without time zone,
  expires_at timestamp(6) without time zone,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_data_exports_on_organization_id on data_exports using btree (organization_id);
create index index_data_exports_on_requested_by_id on data_exports using btree (requested_by_id);

create table data_imports (
  id uuid default gen_random_uuid() not null primary key,
  organization_id uuid not null,
  requested_by_id uuid not null,
  resource_type character varying not null,
  status character varying default 'pending' not null,
  total_rows integer,
  processed_rows integer default 0 not null,
  failed_rows integer default 0 not null,
  error_report jsonb,
  completed_at timestamp(6) without time zone,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);
create index index_data_imports_on_organization_id on data_imports using btree (organization_id);
create index index_data_imports_on_requested_by_id on data_imports using btree (requested_by_id);

------------------------------------------------------------------------------------------------
-- events: the tenant activity log, partitioned by month and kept by pg_partman (its
-- partitions are named <parent>_pYYYY_MM; its template table lives in schema partman and
-- carries what partitions must get but a partitioned parent cannot hold)
------------------------------------------------------------------------------------------------
create table events (
  id uuid default gen_random_uuid() not null,
  organization_id uuid not null,
  actor_id uuid,
  subject_type character varying not null,
  subject_id uuid not null,
  action character varying not null,
  data jsonb default '{}' not null,
  ip_address inet,
  request_id character varying,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null,
  primary key (id, created_at)
) partition by range (created_at);
create index index_events_on_organization_id_and_created_at on events using btree (organization_id, created_at);
create index index_events_on_subject_type_and_subject_id on events using btree (subject_type, subject_id);
create index index_events_on_actor_id on events using btree (actor_id);

create table partman.template_public_events (
  id uuid default gen_random_uuid() not null,
  organization_id uuid not null,
  actor_id uuid,
  subject_type character varying not null,
  subject_id uuid not null,
  action character varying not null,
  data jsonb default '{}' not null,
  ip_address inet,
  request_id character varying,
  created_at timestamp(6) without time zone not null,
  updated_at timestamp(6) without time zone not null
);

-- twelve months, the next two premade (pg_partman's premake), and the default partition
do $$
declare
  month date;
  partition text;
begin
  for month in select generate_series(date '2025-01-01', date '2026-02-01', interval '1 month')::date loop
    partition := 'events_p' || to_char(month, 'YYYY_MM');
    execute format('create table %I partition of events for values from (%L) to (%L)',
                   partition, month, month + interval '1 month');
  end loop;
end $$;
create table events_default partition of events default;

------------------------------------------------------------------------------------------------
-- foreign keys (add_foreign_key / t.references foreign_key: true), as structure.sql lists them
-- at the end; gems that do not add foreign keys (good_job, ahoy, authtrail, paper_trail,
-- friendly_id, polymorphic columns) have none
------------------------------------------------------------------------------------------------
do $$ begin
  perform pg_temp.fk('active_storage_attachments', 'blob_id', 'active_storage_blobs');
  perform pg_temp.fk('active_storage_variant_records', 'blob_id', 'active_storage_blobs');
  perform pg_temp.fk('plans', 'currency_id', 'currencies');
  perform pg_temp.fk('organizations', 'country_id', 'countries');
  perform pg_temp.fk('organizations', 'currency_id', 'currencies');
  perform pg_temp.fk('organizations', 'time_zone_id', 'time_zones');
  perform pg_temp.fk('users', 'time_zone_id', 'time_zones');
  perform pg_temp.fk('roles', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('role_permissions', 'role_id', 'roles', 'cascade');
  perform pg_temp.fk('role_permissions', 'permission_id', 'permissions', 'cascade');
  perform pg_temp.fk('memberships', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('memberships', 'user_id', 'users', 'cascade');
  perform pg_temp.fk('memberships', 'role_id', 'roles');
  perform pg_temp.fk('invitations', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('invitations', 'role_id', 'roles');
  perform pg_temp.fk('invitations', 'invited_by_id', 'users');
  perform pg_temp.fk('identities', 'user_id', 'users', 'cascade');
  perform pg_temp.fk('api_keys', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('api_keys', 'created_by_id', 'users');
  perform pg_temp.fk('subscriptions', 'organization_id', 'organizations');
  perform pg_temp.fk('subscriptions', 'plan_id', 'plans');
  perform pg_temp.fk('coupon_redemptions', 'organization_id', 'organizations');
  perform pg_temp.fk('coupon_redemptions', 'coupon_id', 'coupons');
  perform pg_temp.fk('coupon_redemptions', 'subscription_id', 'subscriptions');
  perform pg_temp.fk('invoices', 'organization_id', 'organizations');
  perform pg_temp.fk('invoices', 'subscription_id', 'subscriptions');
  perform pg_temp.fk('invoices', 'currency_id', 'currencies');
  perform pg_temp.fk('invoice_line_items', 'organization_id', 'organizations');
  perform pg_temp.fk('invoice_line_items', 'invoice_id', 'invoices', 'cascade');
  perform pg_temp.fk('invoice_line_items', 'plan_id', 'plans');
  perform pg_temp.fk('payment_methods', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('payments', 'organization_id', 'organizations');
  perform pg_temp.fk('payments', 'invoice_id', 'invoices');
  perform pg_temp.fk('payments', 'payment_method_id', 'payment_methods');
  perform pg_temp.fk('payments', 'currency_id', 'currencies');
  perform pg_temp.fk('usage_records', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('usage_records', 'subscription_id', 'subscriptions', 'cascade');
  perform pg_temp.fk('teams', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('team_memberships', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('team_memberships', 'team_id', 'teams', 'cascade');
  perform pg_temp.fk('team_memberships', 'user_id', 'users', 'cascade');
  perform pg_temp.fk('projects', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('projects', 'team_id', 'teams', 'set null');
  perform pg_temp.fk('projects', 'owner_id', 'users');
  perform pg_temp.fk('project_memberships', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('project_memberships', 'project_id', 'projects', 'cascade');
  perform pg_temp.fk('project_memberships', 'user_id', 'users', 'cascade');
  perform pg_temp.fk('boards', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('boards', 'project_id', 'projects', 'cascade');
  perform pg_temp.fk('board_columns', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('board_columns', 'board_id', 'boards', 'cascade');
  perform pg_temp.fk('milestones', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('milestones', 'project_id', 'projects', 'cascade');
  perform pg_temp.fk('labels', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('tasks', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('tasks', 'project_id', 'projects', 'cascade');
  perform pg_temp.fk('tasks', 'board_column_id', 'board_columns', 'set null');
  perform pg_temp.fk('tasks', 'milestone_id', 'milestones', 'set null');
  perform pg_temp.fk('tasks', 'parent_id', 'tasks');
  perform pg_temp.fk('tasks', 'creator_id', 'users');
  perform pg_temp.fk('tasks', 'assignee_id', 'users', 'set null');
  perform pg_temp.fk('task_labels', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('task_labels', 'task_id', 'tasks', 'cascade');
  perform pg_temp.fk('task_labels', 'label_id', 'labels', 'cascade');
  perform pg_temp.fk('checklist_items', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('checklist_items', 'task_id', 'tasks', 'cascade');
  perform pg_temp.fk('comments', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('comments', 'author_id', 'users');
  perform pg_temp.fk('time_entries', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('time_entries', 'task_id', 'tasks', 'cascade');
  perform pg_temp.fk('time_entries', 'user_id', 'users');
  perform pg_temp.fk('custom_fields', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('custom_fields', 'project_id', 'projects', 'cascade');
  perform pg_temp.fk('custom_field_values', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('custom_field_values', 'custom_field_id', 'custom_fields', 'cascade');
  perform pg_temp.fk('custom_field_values', 'task_id', 'tasks', 'cascade');
  perform pg_temp.fk('taggings', 'tag_id', 'tags');
  perform pg_temp.fk('folders', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('folders', 'project_id', 'projects', 'cascade');
  perform pg_temp.fk('folders', 'parent_id', 'folders', 'cascade');
  perform pg_temp.fk('documents', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('documents', 'folder_id', 'folders', 'set null');
  perform pg_temp.fk('documents', 'author_id', 'users');
  perform pg_temp.fk('saved_views', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('saved_views', 'user_id', 'users', 'cascade');
  perform pg_temp.fk('companies', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('companies', 'country_id', 'countries');
  perform pg_temp.fk('contacts', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('contacts', 'company_id', 'companies', 'set null');
  perform pg_temp.fk('inboxes', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('inboxes', 'team_id', 'teams', 'set null');
  perform pg_temp.fk('conversations', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('conversations', 'inbox_id', 'inboxes', 'cascade');
  perform pg_temp.fk('conversations', 'contact_id', 'contacts', 'cascade');
  perform pg_temp.fk('conversations', 'assignee_id', 'users', 'set null');
  perform pg_temp.fk('messages', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('messages', 'conversation_id', 'conversations', 'cascade');
  perform pg_temp.fk('canned_responses', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('notifications', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('notifications', 'recipient_id', 'users', 'cascade');
  perform pg_temp.fk('notifications', 'actor_id', 'users', 'set null');
  perform pg_temp.fk('notification_preferences', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('notification_preferences', 'user_id', 'users', 'cascade');
  perform pg_temp.fk('webhook_endpoints', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('webhook_deliveries', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('webhook_deliveries', 'webhook_endpoint_id', 'webhook_endpoints', 'cascade');
  perform pg_temp.fk('integrations', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('integrations', 'installed_by_id', 'users', 'set null');
  perform pg_temp.fk('oauth_access_grants', 'application_id', 'oauth_applications');
  perform pg_temp.fk('oauth_access_tokens', 'application_id', 'oauth_applications');
  perform pg_temp.fk('data_exports', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('data_exports', 'requested_by_id', 'users');
  perform pg_temp.fk('data_imports', 'organization_id', 'organizations', 'cascade');
  perform pg_temp.fk('data_imports', 'requested_by_id', 'users');
  perform pg_temp.fk('events', 'organization_id', 'organizations', 'cascade');
end $$;
