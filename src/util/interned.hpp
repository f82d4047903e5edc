#pragma once

#include <fmt/format.h>

#include <compare>
#include <concepts>
#include <cstddef>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

namespace util {

// A string from a small set, such as a check id, a category or an object type, kept once per
// process. A holder keeps a pointer: 8 bytes where a std::string takes 32, plus a heap copy when
// the text is longer than 15 bytes. Findings carry six such fields, so an audit of 290,000
// findings saves about 45 MB (#19). The texts are never freed, so only use it for texts that
// repeat. Reads convert to const std::string& and std::string_view; assigning any text interns
// it. Safe to use from several threads.
class Interned
{
public:
  Interned() noexcept;
  template<typename T>
    requires std::convertible_to<const T&, std::string_view> && (!std::same_as<T, Interned>)
  Interned(const T& text) // NOLINT(google-explicit-constructor): a drop-in for std::string members
    : m_text(&intern(std::string_view(text)))
  {
  }

  const std::string& str() const noexcept { return *m_text; }
  operator const std::string&() const noexcept { return *m_text; } // NOLINT(google-explicit-constructor)
  operator std::string_view() const noexcept { return *m_text; }   // NOLINT(google-explicit-constructor)

  bool empty() const noexcept { return m_text->empty(); }
  std::size_t size() const noexcept { return m_text->size(); }
  const char* c_str() const noexcept { return m_text->c_str(); }
  bool starts_with(std::string_view prefix) const noexcept { return m_text->starts_with(prefix); }
  void clear() noexcept;

  void swap(Interned& other) noexcept { std::swap(m_text, other.m_text); }

  // One text, one pointer: equal texts compare by address. Templates, so that a text compared
  // with an Interned is not made one (interned) to do it, but read as a std::string_view.
  template<std::same_as<Interned> T>
  friend bool operator==(const T& a, const T& b) noexcept
  {
    return a.m_text == b.m_text;
  }
  friend bool operator==(const Interned& a, std::string_view b) noexcept { return *a.m_text == b; }
  template<std::same_as<Interned> T>
  friend std::strong_ordering operator<=>(const T& a, const T& b) noexcept
  {
    return a.str().compare(b.str()) <=> 0;
  }
  friend std::strong_ordering operator<=>(const Interned& a, std::string_view b) noexcept
  {
    return std::string_view(*a.m_text).compare(b) <=> 0;
  }

  friend std::ostream& operator<<(std::ostream& out, const Interned& text) { return out << text.str(); }

private:
  static const std::string& intern(std::string_view text);

  const std::string* m_text;
};

} // namespace util

template<>
struct fmt::formatter<util::Interned> : fmt::formatter<std::string_view>
{
  template<typename FormatContext>
  auto format(const util::Interned& text, FormatContext& ctx) const
  {
    return fmt::formatter<std::string_view>::format(std::string_view(text), ctx);
  }
};

template<>
struct std::hash<util::Interned>
{
  std::size_t operator()(const util::Interned& text) const noexcept
  {
    return std::hash<std::string_view>()(text);
  }
};
