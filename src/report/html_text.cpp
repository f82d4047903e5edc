#include "report/html_text.hpp"

#include "util/text.hpp"

#include <fmt/format.h>

namespace report {

std::string
wrappable_html(std::string_view text)
{
  static constexpr util::CharReplacement k_table[] = {{'&', "&amp;"}, {'<', "&lt;"},     {'>', "&gt;"},
                                                      {'"', "&quot;"}, {'\'', "&#39;"}, {'.', ".<wbr>"},
                                                      {'_', "_<wbr>"}};
  return util::replace_chars(text, k_table);
}

std::string
css_string_content(std::string_view text)
{
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    const bool plain = u >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       std::string_view(" .,:_-()").find(c) != std::string_view::npos;
    if (plain) {
      out += c;
    } else {
      // The space ends the escape, so a following hex digit is not read as part of it.
      out += fmt::format("\\{:x} ", u);
    }
  }
  return out;
}

} // namespace report
