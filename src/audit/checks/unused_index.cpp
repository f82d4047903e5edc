// unused_index: judges each candidate index of queries/unused_index.sql by its scans since the
// previous snapshot when there is one (else by its lifetime idx_scan), or on PostgreSQL 16+ by
// the date of its last scan, detects statistics resets, and says when the statistics are too
// young to trust.
#include "audit/finding_rows.hpp"
#include "audit/checks/usage_history.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace audit::checks {

namespace {

// `definition` (pg_get_indexdef) as a statement that builds the index without blocking writes
// and does nothing if it exists.
std::string
concurrent_create(const std::string& definition)
{
  for (const std::string prefix : {"CREATE INDEX ", "CREATE UNIQUE INDEX "}) {
    if (definition.rfind(prefix, 0) == 0) {
      return util::to_lower(prefix.substr(0, prefix.size() - 1)) + " concurrently if not exists " +
             definition.substr(prefix.size());
    }
  }
  return definition;
}

// What the index's counters say about the window being judged.
struct Usage
{
  std::int64_t scans = 0;                  // lifetime idx_scan, now
  std::optional<std::int64_t> delta;       // scans in the window, with history
  std::optional<double> window_days;       // length of the window, when known
  bool reset = false;                      // counters restarted since the previous snapshot
  bool unknown_reset = false;              // idx_scan went down but stats_reset did not move
  // Not in the previous audit's index counters although that audit counted its table's scans:
  // made (or renamed) since, at an unknown point of the window, so its lifetime counters may
  // cover a day of it (Sourcegraph: an index a migration had just added was proposed for a drop).
  bool new_since_previous = false;
  // 16+: when this server last scanned it, if last_scan_days ago or longer (the window is then
  // the days since, with no scan in it)
  std::optional<std::int64_t> dormant_since;
};

Usage
usage_of(const CheckContext& ctx,
         const StatsWindow& stats,
         const std::string& object,
         const std::string& table,
         std::int64_t scans,
         std::optional<std::int64_t> dormant_since)
{
  Usage u;
  u.scans = scans;
  if (dormant_since) {
    u.dormant_since = dormant_since;
    u.delta = 0;
    u.window_days = static_cast<double>(ctx.options.taken_at - *dormant_since) / k_seconds_per_day;
    return u;
  }
  const auto growth = counter_growth(ctx, "index", object, "idx_scan", scans);
  if (!growth) {
    u.new_since_previous = previous_metric(ctx, "table", table, "seq_scan").has_value();
    return u;
  }
  u.unknown_reset = growth->went_down && !stats.reset_since_previous;
  u.reset = stats.reset_since_previous || growth->went_down;
  u.delta = u.reset ? scans : growth->growth;
  if (!u.reset) {
    u.window_days = days_since_previous(ctx);
  } else if (!u.unknown_reset && stats.since) {
    u.window_days = stats.age_days;
  }
  return u;
}

// Scans of the index's table (sequential and index) in the window `u` judges: since the
// previous audit when its counters are comparable, else since statistics began; nullopt when the
// previous audit has no counters for the table.
std::optional<std::int64_t>
table_reads_in_window(const CheckContext& ctx, const Usage& u, const std::string& table, std::int64_t reads_now)
{
  if (!u.delta || u.reset || u.dormant_since) {
    return reads_now;
  }
  const auto seq = previous_metric(ctx, "table", table, "seq_scan");
  const auto idx = previous_metric(ctx, "table", table, "idx_scan");
  if (!seq || !idx) {
    return std::nullopt;
  }
  // Less the previous audit's own reads of the table, as counter_growth takes them out
  const auto own = previous_audit_reads(ctx, "table", table, "seq_scan") + previous_audit_reads(ctx, "table", table, "idx_scan");
  return std::max<std::int64_t>(0, reads_now - static_cast<std::int64_t>(*seq + *idx) - own);
}

std::string
usage_text(const CheckContext& ctx, const Usage& u, const StatsWindow& stats, bool rare)
{
  const auto since = stats.since ? iso_date(*stats.since) : std::string("an unknown date");
  if (u.new_since_previous) {
    return fmt::format("has not been scanned since it was made or renamed, after the previous audit ({})",
                       iso_date(ctx.previous->taken_at));
  }
  if (!u.delta) {
    return fmt::format("has not been scanned since statistics began ({})", since);
  }
  if (u.unknown_reset) {
    return fmt::format("was scanned {} time(s) since its counter went down after the previous audit "
                       "(its statistics were reset)",
                       *u.delta);
  }
  if (u.dormant_since) {
    return fmt::format("was last scanned on {}, {} day(s) ago ({} scan(s) in all)", iso_date(*u.dormant_since),
                       whole_days(u.window_days.value_or(0)), u.scans);
  }
  const auto window = u.reset ? fmt::format("since statistics were reset ({})", since)
                              : fmt::format("in the {} day(s) since the previous audit",
                                            whole_days(u.window_days.value_or(0)));
  if (rare) {
    return fmt::format("was scanned only {} time(s) {}: rare use, check before dropping", *u.delta, window);
  }
  return fmt::format("was not scanned {} ({} scan(s) in all)", window, u.scans);
}

} // namespace

void
map_unused_index(const pg::QueryResult& result, const CheckContext& ctx, std::vector<model::Finding>& out)
{
  const ResultColumns cols(result, ctx.def);
  const auto stats = stats_window(ctx);
  const auto min_age = ctx.config.stats_min_age_days;
  for (const auto& row : result.rows) {
    if (!row_included(result, row, ctx.config)) {
      continue;
    }
    const auto object = cols.text(row, "object");
    // The last scan's date is this server's: a replica's scans (counted through --replica) have
    // no date, so an index a replica scanned is judged by its counters only.
    const auto replica_scans = cols.integer(row, "replica_idx_scan");
    const auto last_scan_text = cols.optional_text(row, "last_scan");
    const auto last_scan = last_scan_text ? util::parse_iso(*last_scan_text) : std::nullopt;
    const bool dormant = last_scan && replica_scans == 0
                         && ctx.options.taken_at - *last_scan
                              >= cols.integer(row, "last_scan_days") * static_cast<std::int64_t>(k_seconds_per_day);
    const auto table = cols.text(row, "table_label");
    const auto usage = usage_of(ctx, stats, object, table, cols.integer(row, "idx_scan"),
                                dormant ? last_scan : std::nullopt);
    const auto used = usage.delta.value_or(usage.scans);
    if (used > (usage.delta ? cols.integer(row, "rare_scans") : 0)) {
      continue;
    }
    const bool rare = used > 0;

    auto f = finding_from_row(result, row, ctx);
    const auto size = cols.integer(row, "size_bytes");
    // Index writes a day on its table, over the counters' lifetime (at least an hour of it). Under
    // a day of counters the rate is an hour's writes times 24, no evidence: busy only when the
    // writes counted already reach a day's threshold, and the message gives the count. A partial
    // index takes only the writes of rows its predicate holds: the table's writes times the share
    // of the table's rows it holds (OpenFGA: an empty partial index was medium on "every write").
    const auto writes = cols.integer(row, "index_writes");
    const auto share_pct = cols.optional_text(row, "partial_share_pct");
    const auto writes_per_day = static_cast<double>(writes) / std::max(stats.age_days, 1.0 / 24);
    const bool a_day_counted = stats.age_days >= 1;
    const auto busy_threshold = static_cast<double>(cols.integer(row, "busy_writes_per_day"));
    const bool busy = a_day_counted ? writes_per_day >= busy_threshold : static_cast<double>(writes) >= busy_threshold;
    auto severity = size >= cols.integer(row, "high_size_bytes")            ? model::Severity::high
                    : size >= cols.integer(row, "min_size_bytes") || busy ? model::Severity::medium
                                                                            : model::Severity::low;
    if (rare) {
      severity = std::min(severity, model::Severity::low);
    }
    std::string trust;
    if (usage.unknown_reset) {
      trust = "usage is not yet trustworthy: the counter was reset since the previous audit; audit again later";
    } else if (usage.new_since_previous) {
      // (the usage text names the previous audit's date already)
      trust = fmt::format("usage is not yet trustworthy: the index is not in the previous audit's index counters, "
                          "and its own may cover a day of the {} day(s) in between; the next audit judges it by "
                          "their growth",
                          whole_days(days_since_previous(ctx)));
    } else if (stats.age_days < min_age) {
      trust = fmt::format("usage is not yet trustworthy: statistics are only {} day(s) old, fewer than "
                          "stats_min_age_days ({}); audit again after {}",
                          whole_days(stats.age_days), min_age,
                          stats.since ? iso_date(*stats.since + static_cast<std::int64_t>(min_age * k_seconds_per_day))
                                      : std::string("a while"));
    }
    auto confidence = server_confidence(ctx);
    if (!trust.empty()) {
      confidence.cap(Confidence::Level::low, trust);
    }
    const auto reads = table_reads_in_window(ctx, usage, table, cols.integer(row, "table_reads"));
    if (trust.empty() && reads == 0) {
      trust = fmt::format("usage is not yet trustworthy: {} itself was not read in the window (no sequential or "
                          "index scans), so no query had the chance to use the index; audit again once it is read",
                          table);
      confidence.cap(Confidence::Level::low, trust);
    }
    if (trust.empty() && confidence.level() == Confidence::Level::low) {
      trust = fmt::format("usage is not yet trustworthy: {}; audit again once every replica can be read",
                          confidence.low_reasons());
    }
    if (!trust.empty()) {
      severity = model::Severity::info;
    }
    set_severity(f, severity, ctx);

    const auto hint = !trust.empty() ? trust
                      : rare        ? std::string("find the queries that use it before dropping it")
                                    : std::string("drop it (the remediation keeps its definition, and drops it only if it "
                                                  "was not scanned since the audit)");
    const auto where = ctx.replicas.counted.empty()
                         ? std::string()
                         : fmt::format(" (scans summed over this server and {} replica(s))", ctx.replicas.counted.size());
    const auto cost = !a_day_counted && writes > 0
                        ? fmt::format("{}, {} writes since its statistics started, under a day ago",
                                      util::human_bytes(static_cast<double>(size)), writes)
                      : writes_per_day >= 1 ? fmt::format("{}, about {:.0f} writes a day",
                                                          util::human_bytes(static_cast<double>(size)), writes_per_day)
                                            : util::human_bytes(static_cast<double>(size));
    // no write counted: what it costs is its size, and every write to come (Plausible, Lemmy: "every
    // write maintains it" read as writes that never happened)
    const auto upkeep =
      cols.optional_text(row, "predicate")
        ? (writes > 0 ? fmt::format("yet writes to the rows of {} it holds maintain it ({}{})", table, cost,
                                    share_pct ? fmt::format(", by the share of the table's rows it holds: {}%", *share_pct)
                                              : std::string(", all of the table's: it was not analyzed"))
                      : fmt::format("and takes {} (no write to the rows of {} it holds counted since its statistics "
                                    "started{})",
                                    cost, table, share_pct ? fmt::format(": it holds {}% of them", *share_pct) : ""))
      : writes > 0 ? fmt::format("yet every write on {} maintains it ({})", table, cost)
                   : fmt::format("and takes {} (no write on {} counted since its statistics started; "
                                 "each one would maintain it)",
                                 cost, table);
    const auto comment = cols.optional_text(row, "index_comment");
    f.message = fmt::format("index {} on {} {}{}, {}; {}{}", cols.text(row, "index_name"), table,
                            usage_text(ctx, usage, stats, rare), where, upkeep, hint,
                            comment ? fmt::format(" (its comment says: {})", *comment) : std::string());

    f.evidence = nlohmann::json{
      {"size_bytes", size},
      {"idx_scan", usage.scans},
      {"idx_scan_delta", usage.delta ? nlohmann::json(*usage.delta) : nlohmann::json(nullptr)},
      {"window_days", usage.window_days ? nlohmann::json(whole_days(*usage.window_days)) : nlohmann::json(nullptr)},
      {"stats_age_days", whole_days(stats.age_days)},
      {"stats_since", stats.since ? nlohmann::json(iso_date(*stats.since)) : nlohmann::json(nullptr)},
      {"stats_reset_detected", usage.reset},
      {"new_since_previous", usage.new_since_previous},
      {"trustworthy", trust.empty()},
      {"rare_use", rare},
      {"table_reads", reads ? nlohmann::json(*reads) : nlohmann::json(nullptr)},
      {"index_writes", writes},
      {"partial_share_pct", share_pct ? nlohmann::json(std::stod(*share_pct)) : nlohmann::json(nullptr)},
      // a rate only from a day of counters: under it, an hour's writes times 24 is no evidence
      {"index_writes_per_day",
       a_day_counted ? nlohmann::json(static_cast<std::int64_t>(writes_per_day + 0.5)) : nlohmann::json(nullptr)},
      {"last_scan", last_scan ? nlohmann::json(iso_date(*last_scan)) : nlohmann::json(nullptr)},
      {"comment", comment ? nlohmann::json(*comment) : nlohmann::json(nullptr)},
    };
    // idx_scan is summed over this server and the replicas counted; the part of the replicas:
    if (ctx.replicas.configured) {
      f.evidence["replica_idx_scan"] = replica_scans;
    }
    confidence.rests_on(counters_source(ctx, "index scans (pg_stat_user_indexes)", usage.window_days));
    confidence.apply_to(f);

    const auto identity = cols.text(row, "identity");
    if (confidence.level() == Confidence::Level::low) {
      // Not enough evidence yet: no DROP to paste (the reasons are in the message).
      f.remediation = util::sql_comment(fmt::format("not enough evidence yet: {}; no DROP is proposed until an "
                                                    "audit can judge its usage",
                                                    trust));
      out.push_back(std::move(f));
      continue;
    }
    std::string remediation;
    if (rare) {
      remediation += fmt::format("-- rare use ({} scan(s) in the window): check the queries that use it "
                                 "before dropping\n",
                                 used);
    }
    const auto definition = cols.optional_text(row, "definition");
    if (definition) {
      remediation += util::sql_comment(fmt::format("to recreate it: {};", *definition)) + "\n";
    } else {
      remediation += util::sql_comment(fmt::format("save its definition first: select pg_catalog.pg_get_indexdef({}::regclass);",
                                                   util::sql_literal(identity))) + "\n";
    }
    // DROP INDEX CONCURRENTLY cannot run inside the DO block that guards it: the plain drop takes a
    // brief exclusive lock on the table, bounded by lock_timeout. The guard reads the counter of
    // the server the fix runs on (the primary), so it compares with this server's own scans.
    remediation += fmt::format(
      "set lock_timeout = '5s';\n"
      "-- dropped only if it was not scanned since the audit (and not at all if another fix dropped it already)\n"
      "do $$\nbegin\n"
      "  if exists (select from pg_catalog.pg_stat_user_indexes s where s.indexrelid = pg_catalog.to_regclass({0}) and s.idx_scan > {1}) then\n"
      "    raise exception '% was scanned since the audit: it is in use, keep it', {2};\n"
      "  end if;\n"
      "  drop index if exists {3};\nend $$;",
      util::sql_literal(identity), usage.scans - replica_scans, util::sql_literal(f.object), identity);
    f.remediation = std::move(remediation);
    f.undo = definition ? fmt::format("set lock_timeout = '5s';\n{};", concurrent_create(*definition))
                        : util::sql_comment("recreate it from the definition saved before the drop (create index concurrently)");
    if (comment) {
      f.undo += fmt::format("\ncomment on index {} is {};", identity, util::sql_literal(*comment));
    }
    out.push_back(std::move(f));
  }
}

} // namespace audit::checks
