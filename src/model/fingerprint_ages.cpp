#include "model/fingerprint_ages.hpp"

#include <algorithm>
#include <functional>

namespace model {

namespace {

std::uint64_t
digest_of(std::string_view fingerprint)
{
  return std::hash<std::string_view>{}(fingerprint);
}

// Where `digest` is, or would be, in the sorted `ages`.
template<typename Ages>
auto
first_at_or_after(Ages& ages, std::uint64_t digest)
{
  return std::lower_bound(ages.begin(), ages.end(), digest, [](const auto& x, std::uint64_t d) { return x.digest < d; });
}

} // namespace

void
FingerprintAges::add(std::string_view fingerprint, FingerprintAge age)
{
  m_ages.push_back(Entry{digest_of(fingerprint), age});
}

void
FingerprintAges::sort()
{
  std::sort(m_ages.begin(), m_ages.end(), [](const Entry& x, const Entry& y) { return x.digest < y.digest; });
  std::size_t kept = 0;
  for (std::size_t i = 0; i < m_ages.size(); ++i) {
    if (kept > 0 && m_ages[kept - 1].digest == m_ages[i].digest) {
      auto& age = m_ages[kept - 1].age;
      age.first_seen = std::min(age.first_seen, m_ages[i].age.first_seen);
      age.snapshots += m_ages[i].age.snapshots;
    } else {
      m_ages[kept++] = m_ages[i];
    }
  }
  m_ages.resize(kept);
  m_ages.shrink_to_fit(); // without the slack of its growth while the history was read
}

void
FingerprintAges::set(std::string_view fingerprint, std::int64_t first_seen)
{
  const auto digest = digest_of(fingerprint);
  const auto it = first_at_or_after(m_ages, digest);
  if (it != m_ages.end() && it->digest == digest) {
    it->age.first_seen = first_seen;
  } else {
    m_ages.insert(it, Entry{digest, FingerprintAge{first_seen, 0}});
  }
}

void
FingerprintAges::erase(std::string_view fingerprint)
{
  const auto digest = digest_of(fingerprint);
  const auto it = first_at_or_after(m_ages, digest);
  if (it != m_ages.end() && it->digest == digest) {
    m_ages.erase(it);
  }
}

std::optional<FingerprintAge>
FingerprintAges::find(std::string_view fingerprint) const
{
  const auto digest = digest_of(fingerprint);
  const auto it = first_at_or_after(m_ages, digest);
  if (it == m_ages.end() || it->digest != digest) {
    return std::nullopt;
  }
  return it->age;
}

void
FingerprintSet::add(std::string_view fingerprint)
{
  m_digests.push_back(digest_of(fingerprint));
}

void
FingerprintSet::sort()
{
  std::sort(m_digests.begin(), m_digests.end());
  m_digests.erase(std::unique(m_digests.begin(), m_digests.end()), m_digests.end());
  m_digests.shrink_to_fit();
}

bool
FingerprintSet::contains(std::string_view fingerprint) const
{
  return std::binary_search(m_digests.begin(), m_digests.end(), digest_of(fingerprint));
}

} // namespace model
