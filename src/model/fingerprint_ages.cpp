#include "model/fingerprint_ages.hpp"

#include "model/digest_sorted.hpp"

#include <algorithm>
#include <functional>

namespace model {

namespace {

std::uint64_t
digest_of(std::string_view fingerprint)
{
  return std::hash<std::string_view>{}(fingerprint);
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
  sort_by_digest(m_ages, [](Entry& first, const Entry& later) {
    first.age.first_seen = std::min(first.age.first_seen, later.age.first_seen);
    first.age.snapshots += later.age.snapshots;
  });
}

void
FingerprintAges::set(std::string_view fingerprint, std::int64_t first_seen)
{
  const auto digest = digest_of(fingerprint);
  const auto it = at_digest(m_ages, digest);
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
  const auto it = at_digest(m_ages, digest);
  if (it != m_ages.end() && it->digest == digest) {
    m_ages.erase(it);
  }
}

std::optional<FingerprintAge>
FingerprintAges::find(std::string_view fingerprint) const
{
  const auto digest = digest_of(fingerprint);
  const auto it = at_digest(m_ages, digest);
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
