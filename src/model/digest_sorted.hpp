#pragma once

// Vectors of entries kept sorted by a 64-bit `digest` member, one entry per digest: what the
// history's per-fingerprint ages and per-metric values are looked up in (8-16 bytes an entry,
// where a hash map of the texts took 50-80).

#include <algorithm>
#include <cstdint>
#include <vector>

namespace model {

// Sorts `entries` by digest and keeps the first of each digest, into which `merge(first, later)`
// folds every later one, in the order they were added.
template<typename Entry, typename Merge>
void
sort_by_digest(std::vector<Entry>& entries, Merge merge)
{
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& x, const Entry& y) { return x.digest < y.digest; });
  std::size_t kept = 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (kept > 0 && entries[kept - 1].digest == entries[i].digest) {
      merge(entries[kept - 1], entries[i]);
    } else {
      entries[kept++] = entries[i];
    }
  }
  entries.resize(kept);
  entries.shrink_to_fit(); // without the slack of its growth while they were read
}

// Where `digest` is, or would be, in `entries` sorted by sort_by_digest().
template<typename Entries>
auto
at_digest(Entries& entries, std::uint64_t digest)
{
  return std::lower_bound(entries.begin(), entries.end(), digest,
                          [](const auto& x, std::uint64_t d) { return x.digest < d; });
}

} // namespace model
