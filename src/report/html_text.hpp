#pragma once

#include <string>
#include <string_view>

namespace report {

// `text` escaped for HTML text, with a line-break opportunity (<wbr>) after each '.' and '_',
// so that a long qualified identifier wraps between its parts rather than mid-word. For
// element content only (never an attribute); copying the text copies no extra character.
std::string wrappable_html(std::string_view text);

// The inside of a CSS string ("..."), for text placed in a <style> element: every ASCII
// character but letters, digits, space and . , : _ - ( ) is a hex escape, so no text can close
// the string or the element. Bytes of multibyte UTF-8 characters are kept.
std::string css_string_content(std::string_view text);

} // namespace report
