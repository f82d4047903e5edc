#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace model {

// When a fingerprint was first seen in a target's history and in how many snapshots.
struct FingerprintAge
{
  std::int64_t first_seen = 0; // epoch seconds
  int snapshots = 0;
};

// The age of each finding of a target's history, by fingerprint, as the history-aware checks and
// the report look it up: a sorted list of a 64-bit digest of the fingerprint and its age, 24
// bytes a fingerprint. As a map of texts it took over 100 bytes a fingerprint: 19 MB of a
// repeated audit's memory at 3,000 schemas while the checks ran, 28 MB of a report's at 10,000
// (#19). Two fingerprints with one digest are one in 2^64.
class FingerprintAges
{
public:
  // Adds many: add() each, then sort() once before the lookups. Ages added for one fingerprint
  // are merged: the earliest first_seen, the sum of the snapshots.
  void add(std::string_view fingerprint, FingerprintAge age);
  void sort();

  // Sets one's first_seen (added with no snapshot when missing), or removes one.
  void set(std::string_view fingerprint, std::int64_t first_seen);
  void erase(std::string_view fingerprint);

  std::optional<FingerprintAge> find(std::string_view fingerprint) const;
  std::size_t size() const { return m_ages.size(); }

private:
  struct Entry
  {
    std::uint64_t digest = 0;
    FingerprintAge age;
  };
  std::vector<Entry> m_ages;
};

// A set of fingerprints as a sorted list of their digests (as FingerprintAges keeps them), 8
// bytes a fingerprint: as strings they took 64.
class FingerprintSet
{
public:
  // add() each, then sort() once before contains().
  void add(std::string_view fingerprint);
  void sort();

  bool contains(std::string_view fingerprint) const;
  std::size_t size() const { return m_digests.size(); }
  bool empty() const { return m_digests.empty(); }

private:
  std::vector<std::uint64_t> m_digests;
};

} // namespace model
