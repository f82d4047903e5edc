#include "util/interned.hpp"

#include <mutex>
#include <unordered_set>

namespace util {

namespace {

struct TextHash
{
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept { return std::hash<std::string_view>()(text); }
};

struct Pool
{
  std::mutex mutex;
  // Nodes never move, so a pointer to an element stays valid.
  std::unordered_set<std::string, TextHash, std::equal_to<>> texts;
};

Pool&
pool()
{
  // Never destroyed: a static holder may read its text while the process exits.
  static auto* const instance = new Pool;
  return *instance;
}

const std::string&
empty_text()
{
  static const std::string& empty = []() -> const std::string& {
    auto& p = pool();
    std::lock_guard lock(p.mutex);
    return *p.texts.emplace().first;
  }();
  return empty;
}

} // namespace

Interned::Interned() noexcept
  : m_text(&empty_text())
{
}

void
Interned::clear() noexcept
{
  m_text = &empty_text();
}

const std::string&
Interned::intern(std::string_view text)
{
  if (text.empty()) {
    return empty_text();
  }
  auto& p = pool();
  std::lock_guard lock(p.mutex);
  auto found = p.texts.find(text);
  if (found == p.texts.end()) {
    found = p.texts.emplace(text).first;
  }
  return *found;
}

} // namespace util
