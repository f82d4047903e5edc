#include "report/html_text.hpp"

#include <fmt/format.h>

namespace report {

std::string
wrappable_html(std::string_view text)
{
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  for (const char c : text) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    case '.':
    case '_': out += c; out += "<wbr>"; break;
    default: out += c;
    }
  }
  return out;
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
