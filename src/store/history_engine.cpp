#include "store/history_engine.hpp"

#include "model/finding_fields.hpp"
#include "store/schema_marked.hpp"
#include "util/digest.hpp"
#include "util/label.hpp"
#include "util/text.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <numeric>
#include <span>

namespace store {

namespace {

using Type = RowBatch::Type;
using Fields = std::vector<const model::FindingField*>;
using OnRow = std::function<void(const SqlRows&)>;

constexpr const char* k_snapshot_columns =
  "s.id, t.name, t.host, t.port, t.dbname, s.taken_at, s.server_version, s.stats_reset";

model::SnapshotInfo
snapshot_info(const SqlRows& row)
{
  model::SnapshotInfo info;
  info.id = row.int64(0);
  info.target_name = row.text(1);
  info.host = row.text(2);
  info.port = row.text(3);
  info.dbname = row.text(4);
  info.taken_at = row.int64(5);
  info.server_version = row.text(6);
  info.stats_reset = row.optional_text(7);
  return info;
}

// `texts` as one parameter: a JSON array.
SqlValue
json_list(const std::vector<std::string>& texts)
{
  return nlohmann::json(texts).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Every row of `rows`, as `make` makes it.
template<typename Make>
auto
collect(const std::unique_ptr<SqlRows>& rows, Make make)
{
  std::vector<decltype(make(*rows))> out;
  while (rows->next()) {
    out.push_back(make(*rows));
  }
  return out;
}

// The findings a snapshot stores: without repeated fingerprints (the first one wins), and their
// positions in fingerprint order, to find a fingerprint's finding by binary search (4 bytes a
// finding, where a hash map took 50: 15 MB at 10,000 schemas, at the audit's peak). Sorted once
// for the whole save.
class SnapshotFindings
{
public:
  explicit SnapshotFindings(const std::vector<model::FindingHead>& all)
  {
    std::vector<std::uint32_t> order(all.size());
    std::iota(order.begin(), order.end(), 0U);
    std::stable_sort(order.begin(), order.end(),
                     [&](auto a, auto b) { return all[a].fingerprint < all[b].fingerprint; });
    std::vector<bool> repeated(all.size(), false); // the later findings of one fingerprint
    for (std::size_t k = 1; k < order.size(); ++k) {
      repeated[order[k]] = all[order[k]].fingerprint == all[order[k - 1]].fingerprint;
    }
    std::vector<std::uint32_t> kept_at(all.size()); // each kept finding's place in m_findings
    m_findings.reserve(all.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (!repeated[i]) {
        kept_at[i] = static_cast<std::uint32_t>(m_findings.size());
        m_findings.push_back(&all[i]);
      }
    }
    m_by_fingerprint.reserve(m_findings.size());
    for (const auto i : order) {
      if (!repeated[i]) {
        m_by_fingerprint.push_back(kept_at[i]);
      }
    }
  }

  const std::vector<const model::FindingHead*>& findings() const { return m_findings; }

  // The places in findings(), in fingerprint order.
  const std::vector<std::uint32_t>& by_fingerprint() const { return m_by_fingerprint; }

  // The place in findings() of the finding with `fingerprint`, if there is one.
  std::optional<std::size_t> find(std::string_view fingerprint) const
  {
    const auto at = [this](std::uint32_t i) -> std::string_view { return m_findings[i]->fingerprint; };
    const auto it = std::lower_bound(m_by_fingerprint.begin(), m_by_fingerprint.end(), fingerprint,
                                     [&](std::uint32_t i, std::string_view value) { return at(i) < value; });
    if (it == m_by_fingerprint.end() || at(*it) != fingerprint) {
      return std::nullopt;
    }
    return *it;
  }

  // The same, for a fingerprint the snapshot must have.
  std::size_t index_of(std::string_view fingerprint) const
  {
    const auto at = find(fingerprint);
    if (!at) {
      throw util::Error(fmt::format("the history returned a fingerprint the snapshot does not have: {}", fingerprint));
    }
    return *at;
  }

private:
  std::vector<const model::FindingHead*> m_findings;
  std::vector<std::uint32_t> m_by_fingerprint;
};

template<typename Keep>
Fields
fields_where(Keep keep)
{
  Fields out;
  for (const auto& field : model::k_finding_fields) {
    if (keep(field)) {
      out.push_back(&field);
    }
  }
  return out;
}

// A RowBatch of `findings` with one text column per field of `fields` (its stored value), and
// `extra` for each after them. The findings' spilled fields are read back from `spill`, row by
// row.
RowBatch
finding_rows(std::vector<const model::FindingHead*> findings,
             const Fields& fields,
             const model::FindingSpill& spill,
             const std::function<void(std::size_t, std::vector<SqlValue>&)>& extra = {})
{
  std::vector<RowBatch::Column> columns;
  bool reads_spilled = false;
  for (const auto* field : fields) {
    columns.push_back({std::string(field->name), Type::text});
    reads_spilled = reads_spilled || model::is_spilled(*field);
  }
  // The head's fields are read through the field table, which names Finding's members: each row's
  // head is copied into one Finding kept for the batch (the backends make the rows one at a time),
  // whose strings are reused, rather than into a new one per row.
  auto scratch = std::make_shared<model::Finding>();
  const auto size = findings.size();
  return RowBatch{std::move(columns), size, [findings = std::move(findings), &fields, &spill, reads_spilled, extra, scratch](std::size_t i) {
    auto& f = *scratch;
    static_cast<model::FindingHead&>(f) = *findings[i];
    // f's spilled fields as stored: stored as the spill holds them
    std::vector<std::string> spilled;
    if (reads_spilled) {
      spilled = spill.stored_values(f);
    }
    std::vector<SqlValue> values;
    for (const auto* field : fields) {
      const auto position = spilled.empty() ? std::nullopt : model::spilled_position(*field);
      values.emplace_back(position ? std::move(spilled.at(*position)) : model::stored_value(f, *field));
    }
    if (extra) {
      extra(i, values);
    }
    return values;
  }};
}

// Inserts `rows` into `table`: `fixed` columns set to $1..$n, then the batch's columns; `tail`
// ends the statement (on conflict ..., returning ...) and `on_row` takes what it returns.
void
insert_rows(SqlBackend& db,
            std::string_view table,
            const std::vector<std::pair<std::string_view, SqlValue>>& fixed,
            const RowBatch& rows,
            std::string_view tail = "",
            const OnRow& on_row = {})
{
  std::vector<std::string> columns;
  std::vector<std::string> values;
  std::vector<SqlValue> params;
  for (const auto& [column, value] : fixed) {
    columns.emplace_back(column);
    params.push_back(value);
    values.push_back(fmt::format("${}", params.size()));
  }
  for (const auto& column : rows.columns) {
    columns.push_back(column.name);
    values.push_back("u." + column.name);
  }
  db.for_rows(fmt::format("insert into {}({}) select {} from {{rows}} where true {}", table, fmt::join(columns, ", "),
                          fmt::join(values, ", "), tail),
              params, rows, on_row);
}

std::int64_t
save_target(SqlBackend& db, const model::Target& target, const std::string& name)
{
  const auto row = db.query("insert into targets(name, host, port, dbname) values ($1, $2, $3, $4) "
                            "on conflict (name) do update set host = excluded.host, port = excluded.port, "
                            "dbname = excluded.dbname returning id",
                            {name, target.host, target.port, target.dbname});
  row->next();
  return row->int64(0);
}

std::int64_t
save_snapshot(SqlBackend& db, const model::AuditResult& result, std::int64_t target_id)
{
  const auto& caps = result.capabilities;
  const auto row = db.query(
    "insert into snapshots(target_id, taken_at, server_version, server_version_num, stats_reset, tool_version, "
    "checks_run, wall_ms, query_ms) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
    {target_id, result.taken_at, caps.server_version, std::int64_t{caps.server_version_num},
     caps.stats_reset ? SqlValue(*caps.stats_reset) : SqlValue(), std::string(SCHEMA_AUDIT_VERSION),
     static_cast<std::int64_t>(result.timings.size()), result.wall_ms, result.query_ms});
  row->next();
  return row->int64(0);
}

// The id of the row of `table` equal to each of `count` rows, found by looking up its first
// column (indexed) and comparing every column (the first `compared` when not 0; the others are
// only written), or of a row added for it when there is none: what stores a row once for every
// place that repeats it. `rows(positions)` makes the rows at those positions (0 to count - 1),
// the same columns each time; `position_of(key)` is the position whose first column is `key`
// (the lookup and the insert return the key with the id); `fixed` columns are set on the rows
// added. `found`, when given, gets the positions whose row was there already.
std::vector<std::int64_t>
find_or_add_rows(SqlBackend& db,
                 std::string_view table,
                 std::size_t count,
                 const std::function<RowBatch(std::vector<std::uint32_t>)>& rows,
                 const std::function<std::size_t(std::string_view)>& position_of,
                 const std::vector<std::pair<std::string_view, SqlValue>>& fixed = {},
                 std::size_t compared = 0,
                 std::vector<std::uint32_t>* found = nullptr)
{
  std::vector<std::uint32_t> all(count);
  std::iota(all.begin(), all.end(), 0U);
  const auto every_row = rows(all);
  const auto& key = every_row.columns.front().name;
  std::vector<std::string> same;
  for (const auto& column : every_row.columns) {
    if (compared == 0 || same.size() < compared) {
      same.push_back(fmt::format("r.{0} = u.{0}", column.name));
    }
  }
  std::vector<std::int64_t> ids(count); // 0: none yet
  const auto take_id = [&](const SqlRows& row) { ids.at(position_of(row.text(0))) = row.int64(1); };
  db.for_rows(fmt::format("select u.{}, (select min(r.id) from {} r where {}) from {{rows}} where true", key, table,
                          fmt::join(same, " and ")),
              {}, every_row, take_id);
  std::vector<std::uint32_t> missing;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (ids[i] == 0) {
      missing.push_back(i);
    } else if (found) {
      found->push_back(i);
    }
  }
  insert_rows(db, table, fixed, rows(std::move(missing)), fmt::format("returning {}, id", key), take_id);
  return ids;
}

// The id of the finding_states row (history/0009) of each of `findings`: its `fields`
// (fingerprint first) and the text's id in `text_ids`, found by comparing them or added with
// its key, `key_of(position)` (history/0012). `position_of(fingerprint)` is a finding's place in
// `findings`; the spilled fields are in `spill`. A state found by its fields whose key is not
// (or no longer) the one given gets it, so that the next save takes it by its key (the states
// added have it already: a first snapshot adds them all).
std::vector<std::int64_t>
save_states(SqlBackend& db,
            const std::vector<const model::FindingHead*>& findings,
            const std::function<std::size_t(std::string_view)>& position_of,
            const model::FindingSpill& spill,
            const std::vector<std::int64_t>& text_ids,
            const std::function<util::Digest(std::size_t)>& key_of)
{
  const auto fields = fields_where([](const model::FindingField& f) { return f.home == model::FieldHome::state; });
  std::vector<std::uint32_t> found;
  const auto ids = find_or_add_rows(
    db, "finding_states", findings.size(),
    [&](std::vector<std::uint32_t> positions) {
      std::vector<const model::FindingHead*> these;
      these.reserve(positions.size());
      for (const auto p : positions) {
        these.push_back(findings[p]);
      }
      auto rows = finding_rows(std::move(these), fields, spill,
                               [&, positions = std::move(positions)](std::size_t i, std::vector<SqlValue>& values) {
                                 values.emplace_back(text_ids[positions[i]]);
                                 values.emplace_back(util::to_hex(key_of(positions[i])));
                               });
      rows.columns.push_back({"text_id", Type::integer});
      rows.columns.push_back({"state_key", Type::text});
      return rows;
    },
    position_of, {}, fields.size() + 1, &found);
  db.for_rows("update finding_states set state_key = u.state_key from {rows} "
              "where finding_states.id = u.id and finding_states.state_key <> u.state_key",
              {},
              RowBatch{{{"id", Type::integer}, {"state_key", Type::text}}, found.size(),
                       [&](std::size_t k) {
                         const auto i = found[k];
                         return std::vector<SqlValue>{ids[i], util::to_hex(key_of(i))};
                       }},
              {});
  return ids;
}

// Each finding's state_key (history/0012): a digest of what its state and text rows hold, the
// stored value of every field, each after its length.
std::vector<util::Digest>
state_keys(const std::vector<const model::FindingHead*>& findings, const model::FindingSpill& spill)
{
  const auto fields = fields_where([](const model::FindingField&) { return true; });
  const auto rows = finding_rows(findings, fields, spill);
  std::vector<util::Digest> keys;
  keys.reserve(rows.size);
  std::string all;
  for (std::size_t i = 0; i < rows.size; ++i) {
    all.clear();
    for (const auto& value : rows.row(i)) {
      const auto& text = std::get<std::string>(value);
      fmt::format_to(std::back_inserter(all), "{}:", text.size());
      all += text;
    }
    keys.push_back(util::digest(all));
  }
  return keys;
}

// The state of each finding that the target's latest snapshot before `snapshot_id` holds with
// the same fingerprint and key (0 where there is none), read in one pass over that snapshot.
std::vector<std::int64_t>
reused_states(SqlBackend& db,
              const SnapshotFindings& snapshot,
              const std::vector<util::Digest>& keys,
              std::int64_t target_id,
              std::int64_t snapshot_id)
{
  std::vector<std::int64_t> ids(keys.size(), 0);
  const auto rows = db.query("select s.fingerprint, s.state_key, s.id from snapshot_findings f "
                             "join finding_states s on s.id = f.state_id where f.snapshot_id = "
                             "(select max(id) from snapshots where target_id = $1 and id <> $2) and s.state_key <> ''",
                             {target_id, snapshot_id});
  while (rows->next()) {
    if (const auto at = snapshot.find(rows->text(0)); at && rows->text(1) == util::to_hex(keys[*at])) {
      ids[*at] = rows->int64(2);
    }
  }
  return ids;
}

// Texts of one schema: a finding's words, a catalog object's label, name and attributes.
struct SchemaTexts
{
  std::string schema; // as the texts write it
  std::vector<std::string> texts;
};

// The ids of rows of `table` holding, marked with their schema (store/schema_marked.hpp), the
// texts `item` gives for each of `count` items (one per column of `columns`), found by
// `key_column`, a hash of them, or added when missing: what stores the same words once for every
// schema they repeat in (finding_texts: history/0010; catalog_bodies: 0011).
//
// Only an 8-byte key per item is held for all of them. The items are taken in key order, and
// those of one key are compared text for text with the first of it (two texts of one hash, made
// by chance or by crafted names, get one row each: key:1, key:2, ...). Each distinct text is then
// looked up, and added when missing.
std::vector<std::int64_t>
shared_marked_ids(SqlBackend& db,
                  std::string_view table,
                  std::string_view key_column,
                  const std::vector<std::string>& columns,
                  std::size_t count,
                  const std::function<SchemaTexts(std::size_t)>& item,
                  const std::vector<std::pair<std::string_view, SqlValue>>& fixed = {})
{
  const auto marked = [&](std::size_t i) {
    auto [schema, texts] = item(i);
    for (auto& text : texts) {
      text = mark_schema(text, schema);
    }
    return texts;
  };
  const auto hash = [](const std::vector<std::string>& texts) {
    std::string all;
    for (const auto& text : texts) {
      all += text;
      all += '\0';
    }
    return std::stoull(util::stable_hash(all), nullptr, 16);
  };
  std::vector<std::uint64_t> keys(count);
  for (std::size_t i = 0; i < count; ++i) {
    keys[i] = hash(marked(i));
  }
  std::vector<std::uint32_t> order(count);
  std::iota(order.begin(), order.end(), 0U);
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return keys[a] < keys[b]; });

  // Each distinct text, in (key, sub) order, and the one of each item.
  struct Distinct
  {
    std::uint64_t key;
    std::uint32_t sub;
    std::uint32_t first; // the item whose texts it stores
  };
  std::vector<Distinct> distinct;
  std::vector<std::uint32_t> distinct_of(count);
  for (std::size_t k = 0; k < order.size();) {
    std::size_t end = k;
    while (end < order.size() && keys[order[end]] == keys[order[k]]) {
      ++end;
    }
    std::vector<std::vector<std::string>> seen; // this key's texts (almost always one)
    const auto first_of_key = distinct.size();
    for (; k < end; ++k) {
      const auto i = order[k];
      auto texts = end - k == 1 && seen.empty() ? std::vector<std::string>{} : marked(i);
      std::size_t d = 0;
      while (d < seen.size() && seen[d] != texts) {
        ++d;
      }
      if (d == seen.size()) {
        seen.push_back(std::move(texts));
        distinct.push_back(Distinct{keys[i], static_cast<std::uint32_t>(d), i});
      }
      distinct_of[i] = static_cast<std::uint32_t>(first_of_key + d);
    }
  }

  const auto key_text = [](const Distinct& d) {
    return d.sub == 0 ? fmt::format("{:016x}", d.key) : fmt::format("{:016x}:{}", d.key, d.sub);
  };
  const auto distinct_at = [&](std::string_view key) {
    const auto sub = key.size() > 17 ? std::stoul(std::string(key.substr(17))) : 0UL;
    const Distinct probe{std::stoull(std::string(key.substr(0, 16)), nullptr, 16), static_cast<std::uint32_t>(sub), 0};
    const auto it = std::lower_bound(distinct.begin(), distinct.end(), probe, [](const Distinct& a, const Distinct& b) {
      return std::tie(a.key, a.sub) < std::tie(b.key, b.sub);
    });
    if (it == distinct.end() || it->key != probe.key || it->sub != probe.sub) {
      throw util::Error(fmt::format("the history returned a {} key the save does not have: {}", table, key));
    }
    return static_cast<std::size_t>(it - distinct.begin());
  };
  const auto ids = find_or_add_rows(
    db, table, distinct.size(),
    [&](std::vector<std::uint32_t> these) {
      std::vector<RowBatch::Column> row_columns{{std::string(key_column), Type::text}};
      for (const auto& column : columns) {
        row_columns.push_back({column, Type::text});
      }
      return RowBatch{std::move(row_columns), these.size(), [&, these = std::move(these)](std::size_t n) {
                        const auto& d = distinct[these[n]];
                        std::vector<SqlValue> row{key_text(d)};
                        for (auto& text : marked(d.first)) {
                          row.emplace_back(std::move(text));
                        }
                        return row;
                      }};
    },
    distinct_at, fixed);

  std::vector<std::int64_t> out(count);
  for (std::size_t i = 0; i < count; ++i) {
    out[i] = ids[distinct_of[i]];
  }
  return out;
}

// The id of each finding's words (message, remediation, undo) in finding_texts, stored once for
// every schema they repeat in (history/0010).
std::vector<std::int64_t>
save_texts(SqlBackend& db, const std::vector<const model::FindingHead*>& findings, const model::FindingSpill& spill)
{
  const auto fields = fields_where([](const model::FindingField& f) { return f.home == model::FieldHome::text; });
  const auto words = finding_rows(findings, fields, spill);
  std::vector<std::string> columns;
  for (const auto* field : fields) {
    columns.emplace_back(field->name);
  }
  return shared_marked_ids(
    db, "finding_texts", "words_key", columns, findings.size(),
    [&](std::size_t i) {
      SchemaTexts out{findings[i]->schema_name, {}};
      for (auto& value : words.row(i)) {
        out.texts.push_back(std::get<std::string>(std::move(value)));
      }
      return out;
    },
    {{"fingerprint", std::string()}});
}

// A snapshot holds each finding as a state (its own fields and its text's id) that every snapshot
// repeating it unchanged shares: a finding seen again costs a snapshot_findings row of two
// integers. The states of the target's latest snapshot are taken by their keys; only the findings
// new or changed since are compared with the stored states and texts.
void
save_findings(SqlBackend& db, const SnapshotFindings& snapshot, const model::FindingSpill& spill,
              std::int64_t target_id, std::int64_t snapshot_id)
{
  const auto& findings = snapshot.findings();
  const auto keys = state_keys(findings, spill);
  auto state_ids = reused_states(db, snapshot, keys, target_id, snapshot_id);

  std::vector<const model::FindingHead*> changed;
  std::vector<std::uint32_t> changed_from;              // each changed finding's place in `findings`
  std::vector<std::uint32_t> changed_at(findings.size()); // and in `changed`
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (state_ids[i] == 0) {
      changed_at[i] = static_cast<std::uint32_t>(changed.size());
      changed.push_back(findings[i]);
      changed_from.push_back(static_cast<std::uint32_t>(i));
    }
  }
  if (!changed.empty()) {
    const auto text_ids = save_texts(db, changed, spill);
    const auto ids = save_states(
      db, changed, [&](std::string_view fingerprint) { return changed_at[snapshot.index_of(fingerprint)]; }, spill,
      text_ids, [&](std::size_t k) { return keys[changed_from[k]]; });
    for (std::size_t k = 0; k < ids.size(); ++k) {
      state_ids[changed_from[k]] = ids[k];
    }
  }
  // In the order of the table's key: the B-tree is written from one end to the other.
  std::sort(state_ids.begin(), state_ids.end());
  insert_rows(db, "snapshot_findings", {{"snapshot_id", snapshot_id}},
              RowBatch{{{"state_id", Type::integer}}, state_ids.size(),
                       [&](std::size_t i) { return std::vector<SqlValue>{state_ids[i]}; }});
}

void
save_finding_totals(SqlBackend& db, const SnapshotFindings& findings, const model::FindingSpill& spill,
                    std::int64_t snapshot_id)
{
  const auto totals = model::finding_totals(findings.findings(), spill);
  const auto optional = [](const std::optional<double>& v) { return v ? SqlValue(*v) : SqlValue(); };
  insert_rows(db, "finding_totals", {{"snapshot_id", snapshot_id}},
              RowBatch{{{"category", Type::text}, {"severity", Type::text}, {"object_type", Type::text},
                        {"findings", Type::integer}, {"size_bytes", Type::real}, {"bloat_bytes", Type::real}},
                       totals.size(), [&](std::size_t i) {
                         const auto& t = totals[i];
                         return std::vector<SqlValue>{t.category, std::string(model::to_string(t.severity)),
                                                      t.object_type, t.findings, optional(t.size_bytes),
                                                      optional(t.bloat_bytes)};
                       }});
}

void
save_fingerprint_ages(SqlBackend& db, const SnapshotFindings& snapshot, std::int64_t target_id,
                      std::int64_t taken_at)
{
  const auto& findings = snapshot.findings();
  const auto& order = snapshot.by_fingerprint(); // the table's key order: each page is read and written once
  // The earlier time as a case: SQLite spells it min(a, b), PostgreSQL least(a, b).
  insert_rows(db, "fingerprint_ages", {{"target_id", target_id}, {"first_seen", taken_at}, {"snapshots", std::int64_t{1}}},
              RowBatch{{{"fingerprint", Type::text}}, findings.size(),
                       [&](std::size_t i) { return std::vector<SqlValue>{findings[order[i]]->fingerprint}; }},
              "on conflict (target_id, fingerprint) do update set first_seen = case when excluded.first_seen "
              "< fingerprint_ages.first_seen then excluded.first_seen else fingerprint_ages.first_seen end, "
              "snapshots = fingerprint_ages.snapshots + 1");
}

void
save_skipped_checks(SqlBackend& db, const std::vector<model::SkippedCheck>& skipped, std::int64_t snapshot_id)
{
  insert_rows(db, "skipped_checks", {{"snapshot_id", snapshot_id}},
              RowBatch{{{"check_id", Type::text}, {"reason", Type::text}, {"cause", Type::text}}, skipped.size(),
                       [&](std::size_t i) {
                         const auto& s = skipped[i];
                         return std::vector<SqlValue>{s.check_id, s.reason, std::string(model::to_string(s.cause))};
                       }},
              "on conflict do nothing");
}

// Objects are named once (history/0001): the new ones are added, then each metric points at its
// object's id. The metrics' objects, each once, are found by sorting: a run of metrics on one
// object (as a check lists them) is one place in the sort, and each object is known by the first
// metric that names it. A map of the texts took 80 bytes an object (16 MB at 3,000 schemas).
void
save_metrics(SqlBackend& db, const model::MetricList& metrics, std::int64_t snapshot_id)
{
  using Key = std::pair<std::string_view, std::string_view>;
  const auto key = [&metrics](std::size_t i) { return Key(metrics.object_type(i), metrics.object(i)); };
  std::vector<std::uint32_t> run_starts; // the first metric of each run on one object
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    if (i == 0 || key(i) != key(i - 1)) {
      run_starts.push_back(static_cast<std::uint32_t>(i));
    }
  }
  std::vector<std::uint32_t> by_key(run_starts.size()); // places in run_starts, ordered by object
  std::iota(by_key.begin(), by_key.end(), std::uint32_t{0});
  std::sort(by_key.begin(), by_key.end(), [&](std::uint32_t a, std::uint32_t b) {
    return key(run_starts[a]) < key(run_starts[b]);
  });
  std::vector<std::uint32_t> objects;      // a metric naming each object, ordered by object
  std::vector<std::uint32_t> run_object(run_starts.size()); // each run's place in objects
  for (const auto run : by_key) {
    if (objects.empty() || key(objects.back()) != key(run_starts[run])) {
      objects.push_back(run_starts[run]);
    }
    run_object[run] = static_cast<std::uint32_t>(objects.size() - 1);
  }
  by_key = {};
  std::vector<std::uint32_t> object_of; // per metric
  object_of.reserve(metrics.size());
  for (std::size_t run = 0; run < run_starts.size(); ++run) {
    const auto end = run + 1 < run_starts.size() ? run_starts[run + 1] : metrics.size();
    object_of.insert(object_of.end(), end - run_starts[run], run_object[run]);
  }
  run_starts = {};
  run_object = {};
  const auto find_object = [&](const Key& k) -> std::optional<std::size_t> {
    const auto it = std::lower_bound(objects.begin(), objects.end(), k,
                                     [&](std::uint32_t m, const Key& wanted) { return key(m) < wanted; });
    if (it == objects.end() || key(*it) != k) {
      return std::nullopt;
    }
    return static_cast<std::size_t>(it - objects.begin());
  };
  const auto index_of = [&](const Key& k) {
    const auto at = find_object(k);
    if (!at) {
      throw util::Error(fmt::format("the history returned object {} {} that was not asked for", k.first, k.second));
    }
    return *at;
  };
  // Each object's id: looked up, and only the objects not stored yet inserted and looked up again
  // (a repeated audit finds them all at once; another save may add one in between, hence the
  // insert that ignores a conflict and the second lookup).
  std::vector<std::int64_t> ids(objects.size()); // 0: not stored yet
  const auto rows_of = [&](const std::vector<std::size_t>& which) {
    return RowBatch{{{"object_type", Type::text}, {"name", Type::text}}, which.size(), [&](std::size_t i) {
      const auto m = objects[which[i]];
      return std::vector<SqlValue>{std::string(metrics.object_type(m)), std::string(metrics.object(m))};
    }};
  };
  const auto look_up = [&](const std::vector<std::size_t>& which) {
    db.for_rows("select u.object_type, u.name, o.id from {rows} join objects o "
                "on o.object_type = u.object_type and o.name = u.name",
                {}, rows_of(which),
                [&](const SqlRows& row) {
                  const auto type = row.text(0);
                  const auto name = row.text(1);
                  ids.at(index_of(Key(type, name))) = row.int64(2);
                });
  };
  std::vector<std::size_t> missing(objects.size());
  std::iota(missing.begin(), missing.end(), std::size_t{0});
  // When the table holds not many more objects than these (its ids are never reused: the largest
  // counts them), as in the history of one database audited again, one pass over it is cheaper
  // than a lookup per object: 1.3 s of a 10,000-schema save.
  const auto largest = db.query("select coalesce(max(id), 0) from objects", {});
  largest->next();
  if (static_cast<std::size_t>(largest->int64(0)) <= 2 * objects.size()) {
    const auto rows = db.query("select object_type, name, id from objects", {});
    while (rows->next()) {
      const auto type = rows->text(0);
      const auto name = rows->text(1);
      if (const auto at = find_object(Key(type, name))) {
        ids[*at] = rows->int64(2);
      }
    }
  } else {
    look_up(missing);
  }
  std::erase_if(missing, [&](std::size_t i) { return ids[i] != 0; });
  if (!missing.empty()) {
    insert_rows(db, "objects", {}, rows_of(missing), "on conflict do nothing");
    look_up(missing);
  }
  // In the order of the table's key: the B-tree is written from one end to the other.
  std::vector<std::uint32_t> in_key_order(metrics.size());
  std::iota(in_key_order.begin(), in_key_order.end(), std::uint32_t{0});
  std::sort(in_key_order.begin(), in_key_order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return std::pair(ids[object_of[a]], metrics.metric(a)) < std::pair(ids[object_of[b]], metrics.metric(b));
  });
  insert_rows(db, "metrics", {{"snapshot_id", snapshot_id}},
              RowBatch{{{"object_id", Type::integer}, {"metric", Type::text}, {"value", Type::real}}, metrics.size(),
                       [&](std::size_t k) {
                         const auto i = in_key_order[k];
                         return std::vector<SqlValue>{ids[object_of[i]], std::string(metrics.metric(i)),
                                                      metrics.value(i)};
                       }},
              "on conflict do nothing");
}

// A catalog object as catalog_objects and catalog_bodies keep it (history/0011), read back with
// catalog_object(): from the row's body, the schema part of its label put back, or from the row
// itself when it was stored before bodies.
constexpr const char* k_catalog_object_columns =
  "c.kind, c.oid, c.sub, coalesce(b.label, c.label), coalesce(b.name, c.name), coalesce(b.attrs, c.attrs), "
  "c.schema_part, case when b.id is null then 0 else 1 end";
constexpr const char* k_catalog_object_from = "catalog_objects c left join catalog_bodies b on b.id = c.body_id";

model::CatalogObject
catalog_object(const SqlRows& row)
{
  if (row.int64(7) == 0) {
    return model::CatalogObject{row.text(0), row.int64(1), row.int64(2), row.text(3), row.text(4), row.text(5)};
  }
  const auto schema = row.text(6);
  return model::CatalogObject{row.text(0), row.int64(1), row.int64(2), unmark_schema(row.text(3), schema),
                              unmark_schema(row.text(4), schema), unmark_schema(row.text(5), schema)};
}

// The schema an object's label starts with, as the label writes it (quoted when it must be);
// empty for an object of no schema (an extension).
std::string_view
schema_part(const model::CatalogObject& o)
{
  const auto parts = util::label_parts(o.label);
  return parts.size() > 1 ? parts.front() : std::string_view();
}

const std::vector<RowBatch::Column> k_catalog_key_columns{{"kind", Type::text}, {"oid", Type::integer}, {"sub", Type::integer}};

// The snapshot's catalog, as what changed since the target's previous snapshot with one (none
// at the first: the baseline), and its object counts; catalog_objects then holds `catalog`,
// written as the rows that differ. The stored catalog is read row by row and compared with the
// audit's keys and digests (model::AuditCatalog): only the objects that differ are read back and
// compared, so a repeated audit of 87,000 unchanged objects holds neither copy of the catalog.
void
save_catalog(SqlBackend& db, const model::AuditCatalog& catalog, std::int64_t target_id, std::int64_t snapshot_id)
{
  const auto recorded = db.query("select count(*) from catalog_counts c join snapshots s on s.id = c.snapshot_id "
                                 "where s.target_id = $1 and s.id <> $2",
                                 {target_id, snapshot_id});
  recorded->next();
  const bool baseline = recorded->int64(0) == 0;

  std::vector<bool> unchanged(catalog.size(), false);
  model::Catalog before; // the stored objects that differ from `catalog` or are gone
  {
    const auto rows = db.query(fmt::format("select {} from {} where c.target_id = $1", k_catalog_object_columns,
                                           k_catalog_object_from),
                               {target_id});
    while (rows->next()) {
      auto o = catalog_object(*rows);
      const auto position = catalog.find(o.kind, o.oid, o.sub);
      if (position && !unchanged[*position] && catalog.same(*position, o.label, o.name, o.attrs)) {
        unchanged[*position] = true;
        continue;
      }
      before.push_back(std::move(o));
    }
  }
  std::vector<std::size_t> fresh; // new or changed, by kind, oid, sub
  for (const auto position : catalog.ordered()) {
    if (!unchanged[position]) {
      fresh.push_back(position);
    }
  }
  std::vector<model::CatalogChange> changes;
  if (!baseline) {
    model::Catalog after;
    after.reserve(fresh.size());
    for (const auto position : fresh) {
      after.push_back(catalog.object(position));
    }
    changes = model::catalog_changes(before, after);
  }

  const auto counts = catalog.counts();
  const std::vector<std::pair<std::string, std::int64_t>> count_rows(counts.begin(), counts.end());
  insert_rows(db, "catalog_counts", {{"snapshot_id", snapshot_id}},
              RowBatch{{{"kind", Type::text}, {"objects", Type::integer}}, count_rows.size(), [&](std::size_t i) {
                         return std::vector<SqlValue>{count_rows[i].first, count_rows[i].second};
                       }});
  insert_rows(db, "catalog_changes", {{"snapshot_id", snapshot_id}},
              RowBatch{{{"seq", Type::integer}, {"change", Type::text}, {"kind", Type::text}, {"oid", Type::integer},
                        {"sub", Type::integer}, {"object", Type::text}, {"name", Type::text}, {"attribute", Type::text},
                        {"value_before", Type::text}, {"value_after", Type::text}, {"note", Type::text}},
                       changes.size(), [&](std::size_t i) {
                         const auto& c = changes[i];
                         return std::vector<SqlValue>{static_cast<std::int64_t>(i), std::string(model::to_string(c.change)),
                                                      c.kind, c.oid, c.sub, c.object, c.name, c.attribute, c.before,
                                                      c.after, c.note};
                       }});

  // The rows of catalog_objects that differ: the gone and changed ones deleted, the new and
  // changed ones inserted (read back one at a time).
  db.for_rows("delete from catalog_objects where target_id = $1 and (kind, oid, sub) in "
              "(select u.kind, u.oid, u.sub from {rows})",
              {target_id}, RowBatch{k_catalog_key_columns, before.size(), [&](std::size_t i) {
                                      const auto& o = before[i];
                                      return std::vector<SqlValue>{o.kind, o.oid, o.sub};
                                    }});
  // Each new or changed object's texts once for every schema they repeat in (history/0011).
  const auto body_ids = shared_marked_ids(
    db, "catalog_bodies", "body_key", {"label", "name", "attrs"}, fresh.size(),
    [&](std::size_t i) {
      auto o = catalog.object(fresh[i]);
      return SchemaTexts{std::string(schema_part(o)), {std::move(o.label), std::move(o.name), std::move(o.attrs)}};
    });
  // Another save of the same target in between (two audits at once into a PostgreSQL history)
  // may have written the same rows: the later one wins, as for its snapshot.
  auto columns = k_catalog_key_columns;
  columns.push_back({"schema_part", Type::text});
  columns.push_back({"body_id", Type::integer});
  insert_rows(db, "catalog_objects", {{"target_id", target_id}, {"label", std::string()}, {"name", std::string()}, {"attrs", std::string()}},
              RowBatch{columns, fresh.size(),
                       [&](std::size_t i) {
                         const auto o = catalog.object(fresh[i]);
                         return std::vector<SqlValue>{o.kind, o.oid, o.sub, std::string(schema_part(o)), body_ids[i]};
                       }},
              "on conflict (target_id, kind, oid, sub) do update set label = excluded.label, name = excluded.name, "
              "attrs = excluded.attrs, schema_part = excluded.schema_part, body_id = excluded.body_id");
}

// The findings read before their words and evidence go to a spill together (a write each).
constexpr std::size_t k_spill_batch = 1000;

// Whether the snapshot_findings row f's state is also held by snapshot $2: a finding that
// snapshot holds unchanged (history/0009: one state per distinct finding).
constexpr const char* k_same_state_in_2 =
  "exists (select 1 from snapshot_findings o where o.snapshot_id = $2 and o.state_id = f.state_id)";

// The findings of snapshot `snapshot_id` with the fields `wanted` keeps (`expected` of them at
// most), less those snapshot `unless_in` holds in the same state, when given; their words and
// evidence moved to `spill` as they are read, when given.
std::vector<model::Finding>
findings_of(SqlBackend& db,
            std::int64_t snapshot_id,
            std::size_t expected,
            bool (*wanted)(const model::FindingField&),
            std::optional<std::int64_t> unless_in = std::nullopt,
            model::FindingSpill* spill = nullptr)
{
  const auto fields = fields_where(wanted);
  std::vector<std::string> columns;
  bool texts = false;
  for (const auto* field : fields) {
    texts = texts || field->home == model::FieldHome::text;
    columns.push_back(fmt::format("{}.{}", field->home == model::FieldHome::text ? "t" : "s", field->name));
  }
  // A text stored with its schema's name marked (history/0010: words_key set) gets the state's back.
  const auto marked_at = static_cast<int>(columns.size());
  if (texts) {
    columns.emplace_back("case when t.words_key <> '' then 1 else 0 end");
    columns.emplace_back("s.schema_name");
  }
  std::vector<SqlValue> params{snapshot_id};
  if (unless_in) {
    params.emplace_back(*unless_in);
  }
  const auto rows = db.query(fmt::format("select {} from snapshot_findings f join finding_states s on s.id = f.state_id{} "
                                         "where f.snapshot_id = $1{} order by s.fingerprint",
                                         fmt::join(columns, ", "), texts ? " join finding_texts t on t.id = s.text_id" : "",
                                         unless_in ? fmt::format(" and not {}", k_same_state_in_2) : ""),
                             params);
  std::vector<model::Finding> out;
  out.reserve(expected);
  std::size_t unspilled = 0; // the first finding not yet in `spill`
  const auto spill_read = [&] {
    if (spill) {
      spill->spill(std::span<model::Finding>(out).subspan(unspilled));
      unspilled = out.size();
    }
  };
  while (rows->next()) {
    auto& finding = out.emplace_back();
    const bool marked = texts && rows->int64(marked_at) != 0;
    const auto schema = marked ? rows->text(marked_at + 1) : std::string();
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const auto value = rows->text(static_cast<int>(i));
      model::set_stored_value(finding, *fields[i],
                              marked && fields[i]->home == model::FieldHome::text ? unmark_schema(value, schema) : value);
    }
    if (out.size() - unspilled == k_spill_batch) {
      spill_read();
    }
  }
  spill_read();
  return out;
}

// The checks without a result in snapshot `snapshot_id`.
std::vector<model::SkippedCheck>
skipped_checks(SqlBackend& db, std::int64_t snapshot_id)
{
  return collect(db.query("select check_id, reason, cause from skipped_checks where snapshot_id = $1 order by check_id",
                          {snapshot_id}),
                 [](const SqlRows& row) {
                   return model::SkippedCheck{row.text(0), row.text(1),
                                              model::parse_skip_cause(row.text(2)).value_or(model::SkipCause::error)};
                 });
}

// Each metric of snapshot `snapshot_id`, given to `take` (a large database has 100,000 and more).
void
each_metric(SqlBackend& db, std::int64_t snapshot_id, const std::function<void(model::Metric&&)>& take)
{
  const auto rows = db.query("select o.object_type, o.name, m.metric, m.value from metrics m "
                             "join objects o on o.id = m.object_id where m.snapshot_id = $1",
                             {snapshot_id});
  while (rows->next()) {
    take(model::Metric{rows->text(0), rows->text(1), rows->text(2), rows->real(3)});
  }
}

// Each fingerprint of target `name`'s history with its age, given to `take` (one a finding ever
// seen: a large database has 100,000 and more).
void
each_fingerprint_age(SqlBackend& db,
                     const std::string& name,
                     const std::function<void(std::string&&, const model::FingerprintAge&)>& take)
{
  const auto rows = db.query("select a.fingerprint, a.first_seen, a.snapshots from fingerprint_ages a "
                             "join targets t on t.id = a.target_id where t.name = $1",
                             {name});
  while (rows->next()) {
    take(rows->text(0), model::FingerprintAge{rows->int64(1), static_cast<int>(rows->int64(2))});
  }
}

// Snapshot `snapshot_id` with its findings (less those snapshot `unless_in` holds in the same
// state, when given; their words and evidence in its spill when `spilled`) and skipped checks;
// info.finding_count is its whole count.
model::Snapshot
snapshot_without_metrics(SqlBackend& db,
                         std::int64_t snapshot_id,
                         std::optional<std::int64_t> unless_in = std::nullopt,
                         bool spilled = false)
{
  model::Snapshot snap;
  {
    const auto row = db.query(
      fmt::format("select {} from snapshots s join targets t on t.id = s.target_id where s.id = $1", k_snapshot_columns),
      {snapshot_id});
    if (!row->next()) {
      throw history_error("{} has no snapshot {}; list them with \"schema-audit history\"", db.name(), snapshot_id);
    }
    snap.info = snapshot_info(*row);
  }
  const auto count = db.query("select count(*) from snapshot_findings where snapshot_id = $1", {snapshot_id});
  count->next();
  snap.info.finding_count = static_cast<std::size_t>(count->int64(0));
  auto spill = spilled ? std::make_shared<model::FindingSpill>() : nullptr;
  snap.findings = findings_of(db, snapshot_id, snap.info.finding_count, [](const model::FindingField&) { return true; },
                              unless_in, spill.get());
  snap.spill = std::move(spill);
  model::sort_by_priority(snap.findings);
  snap.skipped = skipped_checks(db, snapshot_id);
  snap.info.skipped_count = snap.skipped.size();
  return snap;
}

} // namespace

HistoryEngine::HistoryEngine(std::unique_ptr<SqlBackend> backend)
  : m_backend(std::move(backend))
{
}

std::int64_t
HistoryEngine::save(const model::AuditResult& result, const std::string& name)
{
  const SnapshotFindings findings(result.findings.heads());
  const auto& spill = result.findings.spill();
  std::int64_t snapshot_id = 0;
  auto& db = *m_backend;
  db.write_transaction([&] {
    const auto target_id = save_target(db, result.target, name);
    snapshot_id = save_snapshot(db, result, target_id);
    save_findings(db, findings, spill, target_id, snapshot_id);
    save_finding_totals(db, findings, spill, snapshot_id);
    save_fingerprint_ages(db, findings, target_id, result.taken_at);
    save_skipped_checks(db, result.skipped, snapshot_id);
    save_metrics(db, result.metrics, snapshot_id);
    if (result.catalog) {
      save_catalog(db, *result.catalog, target_id, snapshot_id);
    }
  });
  return snapshot_id;
}

std::vector<model::SnapshotInfo>
HistoryEngine::list(const std::optional<std::string>& name) const
{
  return collect(
    m_backend->query(
      fmt::format("select {}, (select coalesce(sum(f.findings), 0) from finding_totals f where f.snapshot_id = s.id), "
                  "(select count(*) from skipped_checks k where k.snapshot_id = s.id) "
                  "from snapshots s join targets t on t.id = s.target_id {}order by s.taken_at, s.id",
                  k_snapshot_columns, name ? "where t.name = $1 " : ""),
      name ? std::vector<SqlValue>{*name} : std::vector<SqlValue>{}),
    [](const SqlRows& row) {
      auto info = snapshot_info(row);
      info.finding_count = static_cast<std::size_t>(row.int64(8));
      info.skipped_count = static_cast<std::size_t>(row.int64(9));
      return info;
    });
}

std::vector<std::string>
HistoryEngine::target_names() const
{
  return collect(m_backend->query("select name from targets where id in (select target_id from snapshots) order by name"),
                 [](const SqlRows& row) { return row.text(0); });
}

model::Snapshot
HistoryEngine::load(std::int64_t snapshot_id) const
{
  auto snap = snapshot_without_metrics(*m_backend, snapshot_id);
  each_metric(*m_backend, snapshot_id, [&](model::Metric&& m) { snap.metrics.push_back(std::move(m)); });
  return snap;
}

model::Snapshot
HistoryEngine::load_with_metrics(std::int64_t snapshot_id, const std::vector<MetricKind>& kinds) const
{
  auto snap = snapshot_without_metrics(*m_backend, snapshot_id, std::nullopt, true);
  // The objects of the kind, then one primary-key lookup each (as metric_rows reads them).
  for (const auto& kind : kinds) {
    const auto rows = m_backend->query("select o.name, m.value from objects o cross join metrics m "
                                       "where o.object_type = $2 and m.snapshot_id = $1 and m.object_id = o.id "
                                       "and m.metric = $3",
                                       {snapshot_id, kind.object_type, kind.metric});
    while (rows->next()) {
      snap.metrics.push_back(model::Metric{kind.object_type, rows->text(0), kind.metric, rows->real(1)});
    }
  }
  return snap;
}

model::HistoryStore::ChangedPair
HistoryEngine::load_changed(std::int64_t from_id, std::int64_t to_id) const
{
  ChangedPair pair{snapshot_without_metrics(*m_backend, from_id, to_id, true),
                   snapshot_without_metrics(*m_backend, to_id, from_id, true)};
  pair.unchanged = pair.to.info.finding_count - pair.to.findings.size();
  return pair;
}

std::optional<model::PreviousSnapshot>
HistoryEngine::previous(const std::string& name) const
{
  const auto latest = m_backend->query("select s.id, s.taken_at, s.stats_reset from snapshots s join targets t on "
                                       "t.id = s.target_id where t.name = $1 order by s.taken_at desc, s.id desc limit 1",
                                       {name});
  if (!latest->next()) {
    return std::nullopt;
  }
  model::PreviousSnapshot prev;
  prev.taken_at = latest->int64(1);
  prev.stats_reset = latest->optional_text(2);
  each_metric(*m_backend, latest->int64(0),
              [&](model::Metric&& m) { prev.metrics.add(m.object_type, m.object, m.metric, m.value); });
  prev.metrics.sort();
  each_fingerprint_age(*m_backend, name, [&](std::string&& fingerprint, const model::FingerprintAge& age) {
    prev.first_seen.add(fingerprint, age);
  });
  prev.first_seen.sort();
  m_backend->release_memory();
  return prev;
}

model::Snapshot
HistoryEngine::load_light(const model::SnapshotInfo& info) const
{
  model::Snapshot snap;
  snap.info = info;
  snap.findings = findings_of(*m_backend, info.id, info.finding_count, [](const model::FindingField& f) { return f.light; });
  snap.skipped = skipped_checks(*m_backend, info.id);
  return snap;
}

model::HistoryStore::LightChanged
HistoryEngine::load_light_changed(const model::SnapshotInfo& info, std::int64_t other_id) const
{
  LightChanged out;
  out.snapshot.info = info;
  // the evidence of the findings that changed in a spill, as the latest snapshot's
  auto spill = std::make_shared<model::FindingSpill>();
  out.snapshot.findings =
    findings_of(*m_backend, info.id, 0, [](const model::FindingField& f) { return f.light; }, other_id, spill.get());
  out.snapshot.spill = std::move(spill);
  out.snapshot.skipped = skipped_checks(*m_backend, info.id);
  const auto rows = m_backend->query(fmt::format("select s.fingerprint from snapshot_findings f join finding_states s "
                                                 "on s.id = f.state_id where f.snapshot_id = $1 and {}",
                                                 k_same_state_in_2),
                                     {info.id, other_id});
  while (rows->next()) {
    out.unchanged.add(rows->text(0));
  }
  out.unchanged.sort();
  m_backend->release_memory();
  return out;
}

std::vector<model::HistoryStore::SnapshotTotal>
HistoryEngine::finding_totals(const std::string& name) const
{
  return collect(m_backend->query("select s.id, f.category, f.severity, f.object_type, f.findings, f.size_bytes, "
                                  "f.bloat_bytes from finding_totals f join snapshots s on s.id = f.snapshot_id "
                                  "join targets t on t.id = s.target_id where t.name = $1",
                                  {name}),
                 [](const SqlRows& row) {
                   return SnapshotTotal{row.int64(0),
                                        model::FindingTotal{row.text(1),
                                                            model::parse_severity(row.text(2)).value_or(model::Severity::medium),
                                                            row.text(3), row.int64(4), row.optional_real(5),
                                                            row.optional_real(6)}};
                 });
}

model::FingerprintAges
HistoryEngine::fingerprint_ages(const std::string& name) const
{
  model::FingerprintAges out;
  each_fingerprint_age(*m_backend, name, [&](std::string&& fingerprint, const model::FingerprintAge& age) {
    out.add(fingerprint, age);
  });
  out.sort();
  m_backend->release_memory();
  return out;
}

std::vector<model::HistoryStore::EvidenceRow>
HistoryEngine::evidence_values(const std::string& name,
                               const std::vector<std::string>& fingerprints,
                               const std::string& key) const
{
  if (fingerprints.empty()) {
    return {};
  }
  const auto rows = m_backend->query(
    fmt::format("select sf.snapshot_id, f.fingerprint, {} from finding_states f "
                "join snapshot_findings sf on sf.state_id = f.id join snapshots s on s.id = sf.snapshot_id "
                "join targets t on t.id = s.target_id where t.name = $1 and {} order by sf.snapshot_id, f.fingerprint",
                fmt::format(fmt::runtime(m_backend->spell().json_number), "f.evidence", "$3"),
                fmt::format(fmt::runtime(m_backend->spell().in_json_list), "f.fingerprint", "$2")),
    {name, json_list(fingerprints), key});
  std::vector<EvidenceRow> out;
  while (rows->next()) {
    if (!rows->is_null(2)) { // a number
      out.push_back(EvidenceRow{rows->int64(0), rows->text(1), rows->real(2)});
    }
  }
  return out;
}

std::vector<model::HistoryStore::MetricRow>
HistoryEngine::metric_rows(const std::string& name,
                           const std::string& object_type,
                           const std::string& metric,
                           const std::vector<std::string>& objects) const
{
  std::vector<SqlValue> params{name, object_type, metric};
  std::string only_objects;
  if (!objects.empty()) {
    params.push_back(json_list(objects));
    only_objects = " and " + fmt::format(fmt::runtime(m_backend->spell().in_json_list), "o.name", "$4");
  }
  // Snapshots, then the matching objects, then one primary-key lookup per pair: fast however
  // many other metrics a snapshot holds. SQLite joins in the order cross joins are written;
  // PostgreSQL plans them as any join.
  return collect(
    m_backend->query(
      fmt::format("select s.id, o.name, m.value from targets t join snapshots s on s.target_id = t.id "
                  "cross join objects o cross join metrics m where t.name = $1 and o.object_type = $2 "
                  "and m.snapshot_id = s.id and m.object_id = o.id and m.metric = $3{} order by s.taken_at, s.id",
                  only_objects),
      params),
    [](const SqlRows& row) { return MetricRow{row.int64(0), row.text(1), row.real(2)}; });
}

std::vector<model::SnapshotChanges>
HistoryEngine::catalog_changes(const std::string& name) const
{
  std::vector<model::SnapshotChanges> out;
  std::map<std::int64_t, std::size_t> index_of;
  const auto snapshots = m_backend->query("select distinct s.id, s.taken_at, s.server_version_num from snapshots s "
                                          "join targets t on t.id = s.target_id join catalog_counts c on "
                                          "c.snapshot_id = s.id where t.name = $1 order by s.taken_at, s.id",
                                          {name});
  while (snapshots->next()) {
    index_of.emplace(snapshots->int64(0), out.size());
    auto& snapshot = out.emplace_back(model::SnapshotChanges{snapshots->int64(0), snapshots->int64(1), {}});
    snapshot.server_major = static_cast<int>(snapshots->int64(2) / 10000);
  }
  const auto rows = m_backend->query(
    "select c.snapshot_id, c.change, c.kind, c.oid, c.sub, c.object, c.name, c.attribute, c.value_before, "
    "c.value_after, c.note from catalog_changes c join snapshots s on s.id = c.snapshot_id join targets t on "
    "t.id = s.target_id where t.name = $1 order by c.snapshot_id, c.seq",
    {name});
  while (rows->next()) {
    const auto it = index_of.find(rows->int64(0));
    if (it == index_of.end()) {
      continue;
    }
    out[it->second].changes.push_back(model::CatalogChange{
      model::parse_change_kind(rows->text(1)).value_or(model::ChangeKind::altered), rows->text(2), rows->int64(3),
      rows->int64(4), rows->text(5), rows->text(6), rows->text(7), rows->text(8), rows->text(9), rows->text(10)});
  }
  model::read_across_upgrades(out);
  return out;
}

std::map<std::int64_t, std::map<std::string, std::int64_t>>
HistoryEngine::catalog_counts(const std::string& name) const
{
  std::map<std::int64_t, std::map<std::string, std::int64_t>> out;
  const auto rows = m_backend->query("select c.snapshot_id, c.kind, c.objects from catalog_counts c join snapshots s "
                                     "on s.id = c.snapshot_id join targets t on t.id = s.target_id where t.name = $1",
                                     {name});
  while (rows->next()) {
    out[rows->int64(0)][rows->text(1)] = rows->int64(2);
  }
  return out;
}

model::Catalog
HistoryEngine::latest_catalog(const std::string& name) const
{
  return collect(m_backend->query(fmt::format("select {} from {} join targets t on t.id = c.target_id where t.name = $1",
                                              k_catalog_object_columns, k_catalog_object_from),
                                  {name}),
                 catalog_object);
}

} // namespace store
