#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace util {

// The items of `items` by their member `key` (the first item of a key wins; a member of a base
// class of T too). The map views the items' own strings: `items` must outlive it and stay
// unchanged.
template<typename T, typename Owner>
std::unordered_map<std::string_view, const T*>
index_by(const std::vector<T>& items, std::string Owner::*key)
{
  std::unordered_map<std::string_view, const T*> out;
  out.reserve(items.size() * 2);
  for (const auto& item : items) {
    out.emplace(item.*key, &item);
  }
  return out;
}

} // namespace util
