  -- (lib/constant_default.sql) The default of the column `dc.relid`, `dc.attnum` (a subquery `dc`
  -- of the including query, this lateral after it), as `cdf`: expr, its text (null without one);
  -- constant, expr when it calls nothing ('...'::uuid, 0, false: no parenthesis, no $); literal,
  -- a literal's value as text, to compare with a sampled value ('add' of 'add'::mode, 0, false,
  -- {} of ARRAY[]::text[]); null_default, a default declared NULL (DEFAULT NULL on a type with a
  -- length is stored, as NULL::bpchar or NULL::character varying). not_null_candidate, missing_fk,
  -- type_json and unique_candidate read it.
  cross join lateral (
    select e.expr,
           -- (not a NULL default: it names no value a key or a type change must keep)
           case when e.expr !~ '[($]' and e.expr !~* '^NULL(::|$)' then e.expr end as constant,
           case when e.expr ~ '^''([^'']|'''')*''(::[[:alnum:]_ ."\[\]]+)?$'
                  then replace(substring(e.expr from '^''(([^'']|'''')*)'''), '''''', '''')
                when e.expr ~ '^(-?[0-9.]+|true|false)(::[[:alnum:]_ ."]+)?$'
                  then substring(e.expr from '^(-?[0-9.]+|true|false)')
                -- an array constructor of plain words (Prisma's String[] @default([]) is ARRAY[]::text[];
                -- ARRAY['NEW'::text]), as an array prints: {} and {NEW}
                when e.expr ~ '^ARRAY\[\]::[[:alnum:]_ ."]+\[\]$' then '{}'
                when e.expr ~ '^ARRAY\[''[[:alnum:]_]+''(::[[:alnum:]_ ."]+)?(, ''[[:alnum:]_]+''(::[[:alnum:]_ ."]+)?)*\]$'
                  then '{' || replace(regexp_replace(substr(e.expr, 7, length(e.expr) - 7), '''([[:alnum:]_]+)''(::[[:alnum:]_ ."]+)?', '\1', 'g'),
                                      ', ', ',') || '}' end as literal,
           e.expr ~* '^\(?NULL(::[[:alnum:]_ ."\[\]()]+)?$' as null_default
    from (select (select pg_catalog.pg_get_expr(d.adbin, d.adrelid) from pg_catalog.pg_attrdef d
                  where d.adrelid = dc.relid and d.adnum = dc.attnum) as expr) e) cdf
