#include "util/line_diff.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace util {

namespace {

// One line of the edit script: kept (in both), removed (before only) or added (after only).
struct Edit
{
  char mark; // ' ', '-' or '+'
  std::string_view text;
  std::size_t before_line; // 1-based position in `before` of this line or of the next kept one
  std::size_t after_line;
};

std::vector<std::string_view>
lines_of(std::string_view text)
{
  std::vector<std::string_view> lines;
  if (text.empty()) {
    return lines;
  }
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto eol = text.find('\n', start);
    if (eol == std::string_view::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, eol - start));
    start = eol + 1;
    if (start == text.size()) {
      break;
    }
  }
  return lines;
}

// The shortest edit script by longest common subsequence. Texts too long for its table (more
// than 4 million line pairs) are all removed and all added.
std::vector<Edit>
edit_script(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b)
{
  std::vector<Edit> edits;
  const auto n = a.size();
  const auto m = b.size();
  if (n * m > 4'000'000) {
    for (std::size_t i = 0; i < n; ++i) {
      edits.push_back({'-', a[i], i + 1, 1});
    }
    for (std::size_t j = 0; j < m; ++j) {
      edits.push_back({'+', b[j], n + 1, j + 1});
    }
    return edits;
  }
  // common[i][j]: the longest common subsequence of a[i..] and b[j..].
  std::vector<std::vector<std::size_t>> common(n + 1, std::vector<std::size_t>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      common[i][j] = a[i] == b[j] ? common[i + 1][j + 1] + 1 : std::max(common[i + 1][j], common[i][j + 1]);
    }
  }
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      edits.push_back({' ', a[i], i + 1, j + 1});
      ++i;
      ++j;
    } else if (i < n && (j == m || common[i + 1][j] >= common[i][j + 1])) {
      edits.push_back({'-', a[i], i + 1, j + 1}); // removals first, as diff -u shows them
      ++i;
    } else {
      edits.push_back({'+', b[j], i + 1, j + 1});
      ++j;
    }
  }
  return edits;
}

// "l,n" of a hunk header: the first line and the count; an empty range names the line before it.
std::string
range(std::size_t first, std::size_t count)
{
  return fmt::format("{},{}", count == 0 ? first - 1 : first, count);
}

} // namespace

std::vector<std::string>
unified_diff(std::string_view before, std::string_view after, std::size_t context)
{
  const auto edits = edit_script(lines_of(before), lines_of(after));
  // Each change is shown with `context` kept lines on each side; overlapping spans share a hunk.
  std::vector<bool> shown(edits.size(), false);
  for (std::size_t k = 0; k < edits.size(); ++k) {
    if (edits[k].mark != ' ') {
      const auto from = k >= context ? k - context : 0;
      const auto to = std::min(edits.size(), k + context + 1);
      std::fill(shown.begin() + static_cast<std::ptrdiff_t>(from), shown.begin() + static_cast<std::ptrdiff_t>(to), true);
    }
  }
  std::vector<std::string> out;
  for (std::size_t start = 0; start < edits.size();) {
    if (!shown[start]) {
      ++start;
      continue;
    }
    auto end = start;
    std::size_t before_count = 0;
    std::size_t after_count = 0;
    for (; end < edits.size() && shown[end]; ++end) {
      before_count += edits[end].mark != '+';
      after_count += edits[end].mark != '-';
    }
    out.push_back(fmt::format("@@ -{} +{} @@", range(edits[start].before_line, before_count),
                              range(edits[start].after_line, after_count)));
    for (auto e = start; e < end; ++e) {
      out.push_back(fmt::format("{}{}", edits[e].mark, edits[e].text));
    }
    start = end;
  }
  return out;
}

} // namespace util
