#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace util {

// The names of an enum whose values are 0..N-1, in value order: what the history stores and
// JSON shows, and how they read back.
template<typename Enum, std::size_t N>
class EnumNames
{
public:
  constexpr explicit EnumNames(std::array<std::string_view, N> names)
    : m_names(names)
  {
  }

  std::string_view name(Enum value) const { return m_names.at(static_cast<std::size_t>(value)); }

  // The value named exactly `text`, or nullopt.
  std::optional<Enum> parse(std::string_view text) const
  {
    for (std::size_t i = 0; i < N; ++i) {
      if (m_names[i] == text) {
        return static_cast<Enum>(i);
      }
    }
    return std::nullopt;
  }

private:
  std::array<std::string_view, N> m_names;
};

} // namespace util
