#include "model/audit_catalog.hpp"

#include "util/error.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <tuple>

namespace model {

namespace {

std::uint64_t
digest_of(std::string_view label, std::string_view name, std::string_view attrs)
{
  std::string text;
  text.reserve(label.size() + name.size() + attrs.size() + 2 * sizeof(std::size_t));
  for (const auto part : {label, name}) {
    const auto size = part.size();
    text.append(reinterpret_cast<const char*>(&size), sizeof size); // no two splits look alike
    text += part;
  }
  text += attrs;
  return std::hash<std::string_view>{}(text);
}

} // namespace

AuditCatalog::AuditCatalog(const Catalog& objects)
{
  for (const auto& o : objects) {
    add(o);
  }
  finish();
}

void
AuditCatalog::put(Entry& entry, const CatalogObject& object)
{
  entry.digest = digest_of(object.label, object.name, object.attrs);
  entry.pending = true;
  entry.at = static_cast<std::int64_t>(m_buffer.size());
  util::SpillFile::add_record(m_buffer, {object.label, object.name, object.attrs});
  m_pending.push_back(static_cast<std::size_t>(&entry - m_entries.data()));
  if (m_buffer.size() >= util::SpillFile::k_batch_bytes) {
    flush();
  }
}

void
AuditCatalog::add(const CatalogObject& object)
{
  if (m_entries.size() >= std::numeric_limits<std::uint32_t>::max()) {
    throw util::Error("the schema's catalog has more objects than an audit keeps");
  }
  if (object.oid < 0 || object.oid > std::numeric_limits<std::uint32_t>::max() ||
      object.sub < std::numeric_limits<std::int16_t>::min() || object.sub > std::numeric_limits<std::int16_t>::max()) {
    throw util::Error("a catalog object's oid or sub is out of range: an oid is 32 bits, a sub an attnum");
  }
  auto kind = std::find(m_kinds.begin(), m_kinds.end(), object.kind);
  if (kind == m_kinds.end()) {
    if (m_kinds.size() > std::numeric_limits<std::uint8_t>::max()) {
      throw util::Error("the schema's catalog has more than 256 kinds of object");
    }
    kind = m_kinds.insert(m_kinds.end(), object.kind);
  }
  auto& entry = m_entries.emplace_back();
  entry.kind = static_cast<std::uint8_t>(kind - m_kinds.begin());
  entry.oid = static_cast<std::uint32_t>(object.oid);
  entry.sub = static_cast<std::int16_t>(object.sub);
  put(entry, object);
}

void
AuditCatalog::replace(std::size_t position, const CatalogObject& object)
{
  auto& entry = m_entries.at(position);
  if (entry.pending) {
    flush(); // its earlier record is in the buffer: written first, then superseded
  }
  if (entry.at < 0) {
    m_memory.at(static_cast<std::size_t>(-1 - entry.at)) = object;
    entry.digest = digest_of(object.label, object.name, object.attrs);
    return;
  }
  put(entry, object);
}

void
AuditCatalog::flush()
{
  if (m_pending.empty()) {
    return;
  }
  const auto at = m_file.append(m_buffer);
  for (const auto position : m_pending) {
    auto& entry = m_entries[position];
    if (at >= 0) {
      entry.at += at;
    } else {
      // The file cannot take them: the objects stay in memory, read back from the buffer.
      auto values = util::SpillFile::record_in(m_buffer, static_cast<std::size_t>(entry.at));
      const auto& kind = m_kinds[entry.kind];
      m_memory.push_back(CatalogObject{kind, entry.oid, entry.sub, std::move(values.at(0)), std::move(values.at(1)),
                                       std::move(values.at(2))});
      entry.at = -static_cast<std::int64_t>(m_memory.size());
    }
    entry.pending = false;
  }
  m_pending.clear();
  m_buffer.clear();
}

void
AuditCatalog::finish()
{
  flush();
  if (m_ordered.size() == m_entries.size()) {
    return;
  }
  // Without the slack of its growth while the objects were added (up to half of it: 7 MB at
  // 10,000 schemas), since it is held until the history is saved.
  m_entries.shrink_to_fit();
  m_ordered.resize(m_entries.size());
  for (std::uint32_t i = 0; i < m_ordered.size(); ++i) {
    m_ordered[i] = i;
  }
  const auto key = [this](std::uint32_t i) { return std::tuple(kind(i), oid(i), sub(i)); };
  std::sort(m_ordered.begin(), m_ordered.end(), [&](auto x, auto y) { return key(x) < key(y); });
}

CatalogObject
AuditCatalog::object(std::size_t position) const
{
  const auto& entry = m_entries.at(position);
  if (entry.pending) {
    throw util::Error("the schema's catalog is read before it is finished");
  }
  if (entry.at < 0) {
    return m_memory.at(static_cast<std::size_t>(-1 - entry.at));
  }
  auto values = m_file.record_at(entry.at);
  return CatalogObject{m_kinds[entry.kind], entry.oid, entry.sub, std::move(values.at(0)), std::move(values.at(1)),
                       std::move(values.at(2))};
}

Catalog
AuditCatalog::whole() const
{
  Catalog out;
  out.reserve(size());
  for (std::size_t i = 0; i < size(); ++i) {
    out.push_back(object(i));
  }
  return out;
}

std::optional<std::size_t>
AuditCatalog::find(std::string_view kind_name, std::int64_t oid_value, std::int64_t sub_value) const
{
  const auto wanted = std::tuple(kind_name, oid_value, sub_value);
  const auto it = std::lower_bound(m_ordered.begin(), m_ordered.end(), wanted, [this](std::uint32_t i, const auto& w) {
    return std::tuple(kind(i), oid(i), sub(i)) < w;
  });
  if (it == m_ordered.end() || std::tuple(kind(*it), oid(*it), sub(*it)) != wanted) {
    return std::nullopt;
  }
  return *it;
}

bool
AuditCatalog::same(std::size_t position, std::string_view label, std::string_view name, std::string_view attrs) const
{
  return m_entries.at(position).digest == digest_of(label, name, attrs);
}

std::map<std::string, std::int64_t>
AuditCatalog::counts() const
{
  std::vector<std::int64_t> of_kind(m_kinds.size(), 0);
  for (const auto& entry : m_entries) {
    ++of_kind[entry.kind];
  }
  auto out = catalog_counts(Catalog{}); // every kind, at 0
  for (std::size_t k = 0; k < m_kinds.size(); ++k) {
    out[m_kinds[k]] += of_kind[k];
  }
  return out;
}

} // namespace model
