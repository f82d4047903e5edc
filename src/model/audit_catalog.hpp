#pragma once

#include "model/catalog.hpp"
#include "util/spill_file.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace model {

// The catalog one audit read, for the history (#19). Memory holds each object's key (kind, oid,
// sub), where the rest of it is and a digest of it, 24 bytes an object; its label, name and
// attributes wait in a temporary file (util::SpillFile) until the history compares and stores
// them. 870,000 objects of the 10,000-schema benchmark took ~260 MB as a Catalog. When no file can
// be made or written, the objects stay in memory and everything works the same.
//
// Objects are added, then finish() makes them readable and findable; an object is replaced in
// place (an index's definition written once all columns are read), then finish() again.
class AuditCatalog
{
public:
  AuditCatalog() = default;
  explicit AuditCatalog(const Catalog& objects); // finished
  AuditCatalog(const AuditCatalog&) = delete;
  AuditCatalog& operator=(const AuditCatalog&) = delete;

  void add(const CatalogObject& object);
  void replace(std::size_t position, const CatalogObject& object);
  // Writes what add() and replace() left in the buffer and orders the keys for find().
  void finish();

  std::size_t size() const { return m_entries.size(); }
  std::string_view kind(std::size_t position) const { return m_kinds.at(m_entries.at(position).kind); }
  std::int64_t oid(std::size_t position) const { return m_entries.at(position).oid; }
  std::int64_t sub(std::size_t position) const { return m_entries.at(position).sub; }

  // The object at `position` (the order added), read back.
  CatalogObject object(std::size_t position) const;
  // Every object, in the order added.
  Catalog whole() const;

  // The position of the object (kind, oid, sub), if there is one.
  std::optional<std::size_t> find(std::string_view kind, std::int64_t oid, std::int64_t sub) const;
  // The positions ordered by kind, oid, sub.
  const std::vector<std::uint32_t>& ordered() const { return m_ordered; }
  // Whether the object at `position` has this label, name and attrs (compared by a 64-bit digest:
  // a change that keeps the digest is one in 2^64).
  bool same(std::size_t position, std::string_view label, std::string_view name, std::string_view attrs) const;

  // The number of objects of each kind (every kind of k_catalog_kinds, 0 included).
  std::map<std::string, std::int64_t> counts() const;

private:
  // 24 bytes (870,000 of them at 10,000 schemas): an oid is 32 bits, a sub an attnum (16).
  struct Entry
  {
    std::uint32_t oid = 0;
    std::int16_t sub = 0;
    std::uint8_t kind = 0; // in m_kinds
    bool pending = false;
    // >= 0: where its record starts in the file; < 0: -1 - its place in m_memory; pending: where
    // it starts in m_buffer, until the next flush.
    std::int64_t at = 0;
    std::uint64_t digest = 0;
  };
  static_assert(sizeof(Entry) == 24);

  void put(Entry& entry, const CatalogObject& object);
  void flush();

  std::vector<std::string> m_kinds;
  std::vector<Entry> m_entries;
  std::vector<std::uint32_t> m_ordered;
  std::vector<std::size_t> m_pending; // positions whose record is in m_buffer
  std::string m_buffer;
  Catalog m_memory; // objects the file could not take
  util::SpillFile m_file{"catalog", "the schema's catalog"};
};

} // namespace model
