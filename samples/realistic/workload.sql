-- About a month of application traffic for samples/realistic, compressed: new orders with their
-- lines, invoices, payments and shipments, CRM activity, support tickets, sign-ins, events, the
-- nightly rollups and the daily exchange rates, plus the application's usual reads. Foreign-key
-- checks run as in production (they scan the parent tables' keys). A reconciliation job looks
-- payments up by the provider's id, which has no index: a sequential scan each time.
-- Features nobody used this month (some collaboration tables, some integrations) get no
-- traffic. Run by scripts/realistic-audit.sh before each audit; it can run any number of times.
set client_min_messages = warning;
select setseed(0.7);

do $$
declare
  tag text := to_char(clock_timestamp(), 'YYMMDDHH24MISSMS');
  provider text;
begin
  -- sign-ins, sessions, API use
  insert into auth.login_attempts (email, ip_address, succeeded, attempted_at)
  select u.email, '10.1.2.3', true, now() - g * interval '10 minutes'
  from generate_series(1, 2000) g join auth.users u on u.id = 1 + (g * 97) % 20000;
  insert into auth.sessions (user_id, organization_id, ip_address, user_agent, expires_at)
  select m.user_id, m.organization_id, '10.1.2.3', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0', now() + interval '14 days'
  from auth.memberships m where m.id % 12 = 0;
  update auth.users u set last_sign_in_at = now(), sign_in_count = sign_in_count + 1
  where u.id in (select s.user_id from auth.sessions s where s.created_at > now() - interval '1 minute');
  update auth.api_tokens set last_used_at = now() where id % 3 = 0 and revoked_at is null;
  perform count(*) from auth.oauth_access_tokens where token_hash = encode(sha256(('oat' || 7 || '-' || 1)::bytea), 'hex');
  perform count(*) from auth.sso_domains where domain = 'org10.example.com';
  perform count(*) from auth.sso_connections where organization_id = 10;
  perform count(*) from auth.role_permissions rp join auth.permissions p on p.id = rp.permission_id where rp.role_id = 4;
  perform count(*) from auth.roles where key = 'admin';
  perform count(*) from auth.mfa_devices where user_id = 26;
  perform count(*) from auth.scim_tokens where organization_id = 13;
  insert into auth.password_reset_tokens (user_id, token_hash, expires_at)
  select 1 + g * 53, encode(sha256(('pwr' || tag || g)::bytea), 'hex'), now() + interval '1 hour' from generate_series(1, 50) g;
  insert into auth.email_verification_tokens (user_id, email, token_hash, expires_at)
  select u.id, u.email, encode(sha256(('ev' || tag || u.id)::bytea), 'hex'), now() + interval '2 days'
  from auth.users u where u.id % 400 = 0;
  insert into auth.invitations (organization_id, email, role_id, invited_by_user_id, token_hash, expires_at)
  select 1 + g % 400, 'new' || tag || g || '@example.org', 4, 1 + g % 400, encode(sha256(('inv' || tag || g)::bytea), 'hex'), now() + interval '7 days'
  from generate_series(1, 40) g;

  -- settings and feature checks the application does on each request
  perform count(*) from public.organization_settings where organization_id = 42;
  perform count(*) from public.organization_feature_flags f join public.feature_flags ff on ff.id = f.feature_flag_id where f.organization_id = 42;
  perform count(*) from public.custom_fields where organization_id = 42 and entity_type = 'contact';
  perform count(*) from public.saved_views where organization_id = 42;
  perform count(*) from public.schema_migrations where version = '20210304000000';
  insert into public.saved_views (organization_id, entity_type, name, created_by_user_id)
  select 1 + g % 400, 'deal', 'My open deals ' || tag, 1 + g % 400 from generate_series(1, 20) g;
  insert into public.imports (organization_id, entity_type, file_name, status, created_by_user_id)
  select 1 + g % 400, 'contact', 'contacts.csv', 'done', 1 + g % 400 from generate_series(1, 10) g;
  insert into public.exports (organization_id, entity_type, format, status, created_by_user_id)
  select 1 + g % 400, 'invoice', 'csv', 'done', 1 + g % 400 from generate_series(1, 10) g;

  -- CRM
  insert into crm.contacts (organization_id, account_id, last_name, email, owner_user_id, source)
  select a.organization_id, a.id, 'Newcomer', 'new.' || tag || '.' || a.id || '@' || coalesce(a.domain, 'mail.example.com'), a.owner_user_id, 'website'
  from crm.accounts a where a.id % 67 = 0;
  insert into crm.activities (organization_id, account_id, contact_id, user_id, kind, subject, occurred_at)
  select c.organization_id, c.account_id, c.id, c.owner_user_id, 'call', 'Check-in call', now() - (c.id % 30) * interval '1 day'
  from crm.contacts c where c.id % 31 = 0;
  update crm.deals set stage_id = stage_id, updated_at = now() where id % 97 = 0;
  perform count(*) from crm.pipeline_stages where pipeline_id = 5;
  perform count(*) from crm.pipelines where organization_id = 5;
  insert into crm.leads (organization_id, email, full_name, source, campaign_id)
  select c.organization_id, 'lead.' || tag || '.' || c.id || '@example.com', 'Lead ' || c.id, 'webinar', c.id
  from crm.campaigns c where c.id % 10 = 0;
  insert into crm.campaign_members (organization_id, campaign_id, contact_id, status)
  select c.organization_id, cp.id, c.id, 'sent' from crm.contacts c
  join crm.campaigns cp on cp.organization_id = c.organization_id and cp.id % 50 = c.id % 50
  where c.last_name = 'Newcomer' and c.email like 'new.' || tag || '%'
  on conflict do nothing;
  insert into crm.email_sequence_enrollments (organization_id, email_sequence_id, contact_id)
  select c.organization_id, s.id, c.id from crm.contacts c join crm.email_sequences s on s.organization_id = c.organization_id
  where c.email like 'new.' || tag || '%';
  perform count(*) from crm.email_sequence_steps where email_sequence_id = 2;
  insert into crm.account_comments (organization_id, account_id, author_user_id, body)
  select a.organization_id, a.id, a.owner_user_id, 'Quarterly review done' from crm.accounts a where a.id % 101 = 0;
  insert into crm.deal_comments (organization_id, deal_id, author_user_id, body)
  select d.organization_id, d.id, d.owner_user_id, 'Sent the revised proposal' from crm.deals d where d.id % 83 = 0;
  insert into crm.contact_tags (organization_id, contact_id, tag_id)
  select c.organization_id, c.id, t.id from crm.contacts c join public.tags t on t.organization_id = c.organization_id and t.name = 'vip'
  where c.email like 'new.' || tag || '%';
  insert into crm.account_custom_field_values (organization_id, account_id, custom_field_id, value)
  select a.organization_id, a.id, f.id, 'tier-1' from crm.accounts a
  join public.custom_fields f on f.organization_id = a.organization_id and f.entity_type = 'account' and f.key = 'cf_1'
  where a.id % 151 = 0
  on conflict (organization_id, account_id, custom_field_id) do update set value = excluded.value, updated_at = now();

  -- quotes, orders, invoices, payments, shipments
  insert into sales.quotes (organization_id, account_id, deal_id, number, status, currency_code, total, created_by_user_id)
  select d.organization_id, d.account_id, d.id, 'Q-' || tag || '-' || d.id, 'sent', d.currency_code, d.amount, d.owner_user_id
  from crm.deals d where d.id % 53 = 0;
  insert into sales.quote_lines (organization_id, quote_id, product_id, description, quantity, unit_price)
  select q.organization_id, q.id, p.id, p.name, 2, p.list_price from sales.quotes q
  join lateral (select p.id, p.name, p.list_price from catalog.products p where p.organization_id = q.organization_id limit 2) p on true
  where q.number like 'Q-' || tag || '%';
  insert into sales.orders (organization_id, account_id, shipping_address_id, number, status, currency_code, ordered_at, created_by_user_id)
  select a.organization_id, a.id, ad.id, 'SO-' || tag || '-' || a.id, 'confirmed', o.default_currency, now() - (a.id % 28) * interval '1 day', a.owner_user_id
  from crm.accounts a join public.organizations o on o.id = a.organization_id
  left join sales.addresses ad on ad.account_id = a.id and ad.kind = 'shipping'
  where a.id % 23 = 0 and a.lifecycle_stage = 'customer';
  insert into sales.order_lines (organization_id, order_id, product_id, quantity, unit_price, tax_amount)
  select o.organization_id, o.id, p.id, 1 + o.id % 5, p.list_price, round(p.list_price * 0.2, 2) from sales.orders o
  join lateral (select p.id, p.list_price from catalog.products p where p.organization_id = o.organization_id and p.is_active limit 3) p on true
  where o.number like 'SO-' || tag || '%';
  update sales.orders o set subtotal = l.s, tax_total = l.t, total = l.s + l.t
  from (select order_id, sum(quantity * unit_price) s, sum(tax_amount) t from sales.order_lines group by order_id) l
  where l.order_id = o.id and o.number like 'SO-' || tag || '%';
  perform count(*) from sales.discounts where organization_id = 3 and code = 'SPRING10-1';
  insert into sales.order_discounts (organization_id, order_id, discount_id, amount)
  select o.organization_id, o.id, d.id, 5 from sales.orders o
  join lateral (select d.id from sales.discounts d where d.organization_id = o.organization_id limit 1) d on true
  where o.number like 'SO-' || tag || '%' and o.id % 5 = 0;
  insert into inventory.stock_movements (organization_id, product_id, warehouse_id, quantity, reason, source_type, source_id)
  select l.organization_id, l.product_id, w.id, -l.quantity, 'sale', 'order', l.order_id
  from sales.order_lines l join sales.orders o on o.id = l.order_id
  join inventory.warehouses w on w.organization_id = l.organization_id and w.code = 'MAIN'
  where o.number like 'SO-' || tag || '%';
  update inventory.stock_levels sl set reserved = reserved + 1, updated_at = now()
  where (organization_id, product_id) in (select l.organization_id, l.product_id from sales.order_lines l
                                          join sales.orders o on o.id = l.order_id where o.number like 'SO-' || tag || '%');
  insert into billing.invoices (organization_id, account_id, order_id, billing_address_id, number, status, currency_code, issued_on, due_on,
                                subtotal, tax_total, total, created_by_user_id, sent_at)
  select o.organization_id, o.account_id, o.id, o.shipping_address_id, 'INV-' || tag || '-' || o.id, 'open', o.currency_code, current_date,
         current_date + 30, o.subtotal, o.tax_total, o.total, o.created_by_user_id, now()
  from sales.orders o where o.number like 'SO-' || tag || '%';
  insert into billing.invoice_line_items (organization_id, invoice_id, product_id, tax_rate_id, description, quantity, unit_price, amount, position)
  select i.organization_id, i.id, l.product_id, t.id, 'Order line ' || l.id, l.quantity, l.unit_price, l.quantity * l.unit_price, 1
  from billing.invoices i join sales.order_lines l on l.order_id = i.order_id
  left join lateral (select t.id from billing.tax_rates t where t.organization_id = i.organization_id limit 1) t on true
  where i.number like 'INV-' || tag || '%';
  insert into billing.invoice_status_history (invoice_id, organization_id, status, changed_at)
  select id, organization_id, 'open', now() from billing.invoices where number like 'INV-' || tag || '%';
  insert into billing.invoice_attachments (organization_id, invoice_id, file_name, content_type, byte_size, storage_key)
  select organization_id, id, number || '.pdf', 'application/pdf', 48000, 'invoices/' || md5(tag || id) from billing.invoices
  where number like 'INV-' || tag || '%';
  insert into notifications.email_deliveries (organization_id, to_address, template_key, provider_message_id, status)
  select organization_id, 'ap@example.com', 'invoice_sent', '<' || md5(tag || id) || '@mail.sendgrid.net>', 'delivered'
  from billing.invoices where number like 'INV-' || tag || '%';
  perform count(*) from notifications.email_templates where organization_id = 3 and key = 'invoice_sent';
  insert into billing.payments (organization_id, invoice_id, payment_method_id, amount, currency_code, method, status, external_id, received_at)
  select i.organization_id, i.id, pm.id, i.total, i.currency_code, 'card', 'succeeded', 'pi_' || md5(tag || i.id), now()
  from billing.invoices i left join billing.payment_methods pm on pm.account_id = i.account_id
  where i.number like 'INV-' || tag || '%' and i.id % 2 = 0;
  insert into billing.refunds (organization_id, payment_id, amount, refunded_at)
  select organization_id, id, 10, now() from billing.payments where external_id like 'pi_%' and id % 500 = 0 and received_at > now() - interval '1 minute';
  insert into billing.credit_notes (organization_id, invoice_id, number, total, issued_on)
  select organization_id, id, 'CN-' || tag || '-' || id, 10, current_date from billing.invoices where number like 'INV-' || tag || '%' and id % 40 = 0;
  insert into billing.credit_note_lines (organization_id, credit_note_id, description, amount)
  select organization_id, id, 'Goodwill', 10 from billing.credit_notes where number like 'CN-' || tag || '%';
  insert into billing.dunning_attempts (organization_id, invoice_id, attempt, channel, sent_at)
  select organization_id, id, 1, 'email', now() from billing.invoices where status = 'overdue' and id % 7 = 0;
  insert into billing.usage_records (organization_id, subscription_item_id, quantity, recorded_at, idempotency_key)
  select organization_id, id, 10, now(), 'usage-' || tag || '-' || id from billing.subscription_items;
  perform count(*) from billing.subscriptions where organization_id = 9 and status = 'active';
  perform count(*) from billing.platform_subscriptions ps join billing.plans p on p.id = ps.plan_id
    join billing.plan_features f on f.plan_id = p.id where ps.organization_id = 9;
  perform count(*) from billing.tax_exemptions where organization_id = 9 and account_id = 18;
  insert into shipping.shipments (organization_id, order_id, warehouse_id, carrier_id, carrier_service_id, tracking_number, status, shipped_at)
  select o.organization_id, o.id, w.id, 1, 1, upper(left(md5(tag || o.id), 16)), 'in_transit', now()
  from sales.orders o join inventory.warehouses w on w.organization_id = o.organization_id and w.code = 'MAIN'
  where o.number like 'SO-' || tag || '%';
  insert into shipping.shipment_items (organization_id, shipment_id, order_line_id, quantity)
  select s.organization_id, s.id, l.id, l.quantity from shipping.shipments s join sales.order_lines l on l.order_id = s.order_id
  where s.tracking_number = upper(left(md5(tag || s.order_id), 16));
  insert into shipping.tracking_events (organization_id, shipment_id, status, occurred_at)
  select organization_id, id, 'picked_up', now() from shipping.shipments where shipped_at > now() - interval '1 minute';
  perform count(*) from shipping.shipping_rates where organization_id = 8 and carrier_service_id = 8;
  perform count(*) from shipping.carrier_services cs join shipping.carriers c on c.id = cs.carrier_id where c.code = 'ups';
  insert into sales.returns (organization_id, order_id, number, status)
  select organization_id, id, 'RMA-' || tag || '-' || id, 'requested' from sales.orders where number like 'SO-' || tag || '%' and id % 9 = 0;
  insert into sales.return_lines (organization_id, return_id, order_line_id, quantity)
  select r.organization_id, r.id, l.id, 1 from sales.returns r join sales.order_lines l on l.order_id = r.order_id
  where r.number like 'RMA-' || tag || '%';

  -- catalog and purchasing
  perform count(*) from catalog.products where organization_id = 4 and sku = 'HAR-000041';
  perform count(*) from catalog.product_variants where product_id = 40;
  perform count(*) from catalog.product_images where product_id = 40;
  perform count(*) from catalog.price_list_items where price_list_id = 3;
  perform count(*) from catalog.product_bundles where bundle_product_id = 40;
  perform count(*) from catalog.product_categories where organization_id = 4;
  perform count(*) from inventory.lots where product_id = 44;
  perform count(*) from inventory.bins where warehouse_id = 2;
  insert into inventory.purchase_orders (organization_id, supplier_id, warehouse_id, number, status, currency_code)
  select s.organization_id, s.id, w.id, 'PO-' || tag || '-' || s.id, 'sent', 'USD' from inventory.suppliers s
  join inventory.warehouses w on w.organization_id = s.organization_id and w.code = 'MAIN' where s.id % 37 = 0;
  insert into inventory.purchase_order_lines (organization_id, purchase_order_id, product_id, quantity, unit_cost)
  select po.organization_id, po.id, p.id, 50, p.list_price / 2 from inventory.purchase_orders po
  join lateral (select p.id, p.list_price from catalog.products p where p.organization_id = po.organization_id limit 2) p on true
  where po.number like 'PO-' || tag || '%';
  insert into inventory.stock_counts (organization_id, warehouse_id, status, started_at)
  select organization_id, id, 'in_progress', now() from inventory.warehouses where id % 50 = 0;
  insert into inventory.stock_count_lines (organization_id, stock_count_id, product_id, expected_quantity)
  select sc.organization_id, sc.id, sl.product_id, sl.on_hand from inventory.stock_counts sc
  join inventory.stock_levels sl on sl.warehouse_id = sc.warehouse_id where sc.status = 'in_progress' and sc.started_at > now() - interval '1 minute';

  -- support
  insert into support.tickets (organization_id, account_id, contact_id, sla_policy_id, number, subject, status, priority, channel)
  select c.organization_id, c.account_id, c.id, sp.id, 100000 + c.id, 'Question about my invoice', 'open', 'normal', 'email'
  from crm.contacts c join support.sla_policies sp on sp.organization_id = c.organization_id and sp.name = 'Standard'
  where c.email like 'new.' || tag || '%';
  insert into support.ticket_messages (organization_id, ticket_id, author_contact_id, body)
  select organization_id, id, contact_id, 'Hello, I have a question about invoice ' || id from support.tickets where created_at > now() - interval '1 minute';
  insert into support.satisfaction_ratings (organization_id, ticket_id, score)
  select organization_id, id, 5 from support.tickets where resolved_at > now() - interval '30 days' and id % 11 = 0;
  insert into support.ticket_attachments (organization_id, ticket_id, file_name, content_type, byte_size, storage_key)
  select organization_id, id, 'screenshot.png', 'image/png', 81234, 'attachments/tickets/' || md5(tag || id)
  from support.tickets where created_at > now() - interval '1 minute' and id % 4 = 0;
  insert into support.ticket_watchers (organization_id, ticket_id, user_id)
  select organization_id, id, assignee_user_id from support.tickets where assignee_user_id is not null and id % 200 = 1
  on conflict do nothing;
  perform count(*) from support.macros where organization_id = 5;
  perform count(*) from support.knowledge_base_articles where organization_id = 5 and slug = 'article-3';

  -- notifications, webhooks, integrations, audit trail, product events
  insert into notifications.notifications (organization_id, user_id, kind, payload)
  select organization_id, user_id, 'mention', '{}' from auth.memberships where id % 20 = 0;
  perform count(*) from notifications.notification_preferences where user_id = 4;
  perform count(*) from notifications.push_devices where user_id = 3;
  insert into notifications.webhook_deliveries (organization_id, webhook_endpoint_id, event_type, payload, request_id, response_status)
  select organization_id, id, 'invoice.paid', '{}', gen_random_uuid(), 200 from notifications.webhook_endpoints cross join generate_series(1, 3);
  insert into audit.audit_log_entries (organization_id, actor_user_id, action, target_type, target_id, request_id, created_at)
  select 1 + g % 400, 1 + g % 400, 'updated', 'invoice', g, gen_random_uuid(), now() - g * interval '1 minute'
  from generate_series(1, 3000) g;
  insert into audit.data_access_log (organization_id, user_id, resource, record_count)
  select 1 + g % 400, 1 + g % 400, 'contacts.export', 120 from generate_series(1, 200) g;
  insert into analytics.events (organization_id, user_id, session_id, request_id, name, occurred_at)
  select 1 + g % 400, 1 + (g * 7) % 20000, md5((g / 20)::text)::uuid, gen_random_uuid(), 'page_viewed',
         timestamptz '2026-11-01' + (g % 30000) * interval '1 minute'
  from generate_series(1, 5000) g;
  perform count(*) from analytics.dashboards d join analytics.dashboard_widgets w on w.dashboard_id = d.id where d.organization_id = 6;
  perform count(*) from analytics.funnels where organization_id = 8;
  -- the integrations tenants actually use this month sync; the others stay idle
  foreach provider in array array['salesforce', 'hubspot', 'stripe', 'quickbooks', 'shopify', 'slack'] loop
    execute format($f$insert into integrations.%I (organization_id, connection_id, direction, status, started_at, finished_at)
                      select organization_id, id, 'import', 'succeeded', now(), now() from integrations.%I$f$,
                   provider || '_sync_runs', provider || '_connections');
    execute format('update integrations.%I set last_synced_at = now()', provider || '_connections');
  end loop;
  insert into integrations.salesforce_object_mappings (organization_id, connection_id, local_type, local_id, external_id)
  select c.organization_id, c.id, 'contact', ct.id, 'sf_' || md5(tag || ct.id) from integrations.salesforce_connections c
  join crm.contacts ct on ct.organization_id = c.organization_id and ct.email like 'new.' || tag || '%';
  perform count(*) from integrations.hubspot_object_mappings where connection_id = 2 and local_type = 'account' and local_id = 4;
  perform count(*) from integrations.stripe_object_mappings where connection_id = 2 and local_type = 'account' and local_id = 4;
  perform count(*) from integrations.quickbooks_object_mappings where connection_id = 4 and local_type = 'account' and local_id = 4;

  -- nightly jobs: rollups and exchange rates
  insert into reference.exchange_rates (base_currency, quote_currency, rate_date, rate)
  select 'USD', code, current_date, 1 from reference.currencies where code <> 'USD'
  on conflict (base_currency, quote_currency, rate_date) do update set rate = excluded.rate;
  perform count(*) from reference.holidays where country_code = 'US' and holiday_date = current_date;
end $$;

do $$
declare
  t text;
begin
  for t in select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = 'analytics' and c.relname ~ '^(daily|monthly)_' and c.relkind = 'r' loop
    execute format($f$insert into analytics.%I (organization_id, period_start, value)
                      select o.id, %s, round((random() * 1000)::numeric, 2) from public.organizations o where o.deleted_at is null
                      on conflict (organization_id, period_start) do update set value = excluded.value, computed_at = now()$f$,
                   t, case when t ~ '^daily_' then 'current_date' else 'date_trunc(''month'', current_date)::date' end);
  end loop;
end $$;

-- The application's usual reads.
select count(*) from crm.contacts where organization_id = 7 and lower(email) = 'anna.smith.7.1@mail.example.com' and deleted_at is null;
select count(*) from crm.deals where organization_id = 3 and status = 'open';
select count(*) from sales.orders where organization_id = 11 and ordered_at > now() - interval '30 days';
select count(*) from billing.invoices where organization_id = 11 and due_on < current_date and status in ('open', 'overdue');
select count(*) from support.tickets where organization_id = 5 and status <> 'closed';
select count(*) from support.ticket_messages where organization_id = 5 and ticket_id = 42;
select count(*) from analytics.events where organization_id = 2 and occurred_at > timestamptz '2026-11-01';
select count(*) from auth.users where lower(email) = 'anna.smith1@gmail.com' and deleted_at is null;
select count(*) from auth.sessions where user_id = 123;
select count(*) from audit.audit_log_entries where organization_id = 9 and created_at > now() - interval '1 day';
select count(*) from audit.audit_log_entries where target_type = 'invoice' and target_id = 3003;
-- sign-in rate limiting, and the hourly sweep of expired sessions
select count(*) from auth.login_attempts where email = 'anna.smith1@gmail.com' and attempted_at > now() - interval '15 minutes';
select count(*) from auth.login_attempts where ip_address = '10.1.2.3' and attempted_at > now() - interval '15 minutes';
update auth.sessions set revoked_at = now() where expires_at < now() - interval '30 days' and revoked_at is null;
-- The reconciliation job: payments by the provider's id, unindexed.
do $$
begin
  for g in 1..60 loop
    perform p.id from billing.payments p where p.external_id = 'pi_' || md5(g::text);
  end loop;
end $$;
-- Flush this session's statistics before psql exits, so the next audit sees them.
select pg_stat_force_next_flush();
select 1;
