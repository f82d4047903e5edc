#pragma once

#include <cstddef>
#include <iterator>
#include <type_traits>

namespace util {

// A random-access iterator over a list whose operator[] returns its items by value (a list that
// keeps them in another form and makes each one as it is read: model::MetricList,
// model::FindingList). `Value` is what operator[] returns (const for a copy that must not be
// mistaken for the item).
template<typename List, typename Value>
class IndexIterator
{
public:
  using iterator_category = std::random_access_iterator_tag;
  using value_type = std::remove_const_t<Value>;
  using difference_type = std::ptrdiff_t;
  using pointer = void;
  using reference = Value;

  // What operator-> returns: the item made, held while the expression lasts.
  struct Arrow
  {
    Value item;
    const value_type* operator->() const { return &item; }
  };

  IndexIterator() = default;
  IndexIterator(const List* list, std::size_t at) : m_list(list), m_at(at) {}
  Value operator*() const { return (*m_list)[m_at]; }
  Arrow operator->() const { return Arrow{**this}; }
  IndexIterator& operator++() { ++m_at; return *this; }
  IndexIterator operator++(int) { auto old = *this; ++m_at; return old; }
  IndexIterator& operator--() { --m_at; return *this; }
  IndexIterator& operator+=(difference_type n) { m_at += static_cast<std::size_t>(n); return *this; }
  IndexIterator operator+(difference_type n) const { return IndexIterator(m_list, m_at + static_cast<std::size_t>(n)); }
  difference_type operator-(const IndexIterator& o) const { return static_cast<difference_type>(m_at) - static_cast<difference_type>(o.m_at); }
  bool operator==(const IndexIterator& o) const { return m_at == o.m_at; }
  bool operator!=(const IndexIterator& o) const { return m_at != o.m_at; }

private:
  const List* m_list = nullptr;
  std::size_t m_at = 0;
};

} // namespace util
