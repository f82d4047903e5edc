#pragma once

#include <cstddef>
#include <future>

namespace util {

// Calls `fn(from, to)` over the indexes [0, count): for at least `threshold` of them in two
// halves, the second on another thread; else once. For read-only work over thousands of items
// (a report's findings), where the second core halves the time and a thread costs more than a
// few items.
template<typename Fn>
void
in_two_halves(std::size_t count, std::size_t threshold, Fn&& fn)
{
  if (count < threshold) {
    fn(std::size_t{0}, count);
    return;
  }
  const auto half = count / 2;
  auto second = std::async(std::launch::async, [&fn, half, count] { fn(half, count); });
  fn(std::size_t{0}, half);
  second.get();
}

} // namespace util
