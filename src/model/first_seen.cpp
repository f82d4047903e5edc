#include "model/first_seen.hpp"

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
FirstSeen::add(std::string_view fingerprint, std::int64_t when)
{
  m_seen.push_back(Seen{digest_of(fingerprint), when});
}

void
FirstSeen::sort()
{
  std::sort(m_seen.begin(), m_seen.end(),
            [](const Seen& x, const Seen& y) { return x.digest != y.digest ? x.digest < y.digest : x.when < y.when; });
  m_seen.erase(std::unique(m_seen.begin(), m_seen.end(), [](const Seen& x, const Seen& y) { return x.digest == y.digest; }),
               m_seen.end());
  m_seen.shrink_to_fit(); // without the slack of its growth while the history was read
}

void
FirstSeen::set(std::string_view fingerprint, std::int64_t when)
{
  const Seen s{digest_of(fingerprint), when};
  const auto it = std::lower_bound(m_seen.begin(), m_seen.end(), s, [](const Seen& x, const Seen& y) { return x.digest < y.digest; });
  if (it != m_seen.end() && it->digest == s.digest) {
    it->when = when;
  } else {
    m_seen.insert(it, s);
  }
}

void
FirstSeen::erase(std::string_view fingerprint)
{
  const auto digest = digest_of(fingerprint);
  const auto it = std::lower_bound(m_seen.begin(), m_seen.end(), digest, [](const Seen& x, std::uint64_t d) { return x.digest < d; });
  if (it != m_seen.end() && it->digest == digest) {
    m_seen.erase(it);
  }
}

std::optional<std::int64_t>
FirstSeen::find(std::string_view fingerprint) const
{
  const auto digest = digest_of(fingerprint);
  const auto it = std::lower_bound(m_seen.begin(), m_seen.end(), digest, [](const Seen& x, std::uint64_t d) { return x.digest < d; });
  if (it == m_seen.end() || it->digest != digest) {
    return std::nullopt;
  }
  return it->when;
}

} // namespace model
