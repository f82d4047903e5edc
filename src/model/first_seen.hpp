#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace model {

// When each finding of a target's history was first seen (epoch seconds), by fingerprint, as
// the history-aware checks look it up: a sorted list of a 64-bit digest of the fingerprint and
// the time, 16 bytes a fingerprint. As a map of texts it took over 100 bytes a fingerprint, 19 MB
// of a repeated audit's memory at 3,000 schemas, while the checks ran (#19). Two fingerprints
// with one digest are one in 2^64.
class FirstSeen
{
public:
  // Adds many: add() each, then sort() once before the lookups (of two times of one fingerprint,
  // the earlier is kept).
  void add(std::string_view fingerprint, std::int64_t when);
  void sort();

  // Adds or replaces one.
  void set(std::string_view fingerprint, std::int64_t when);
  void erase(std::string_view fingerprint);

  std::optional<std::int64_t> find(std::string_view fingerprint) const;
  std::size_t size() const { return m_seen.size(); }

private:
  struct Seen
  {
    std::uint64_t digest = 0;
    std::int64_t when = 0;
  };
  std::vector<Seen> m_seen;
};

} // namespace model
