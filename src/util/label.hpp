#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace util {

// The dot-separated parts of an object label as the queries write it (format('%I.%I.%I')):
// `app."Order.lines".id` -> {`app`, `"Order.lines"`, `id`}. A part keeps its quotes, so joining
// the parts with dots gives the label back; a dot inside quotes does not split.
std::vector<std::string_view> label_parts(std::string_view label);

// A part of a label as the identifier it names, unquoted: `"Order.lines"` -> `Order.lines`,
// `"a""b"` -> `a"b`, `id` -> `id`.
std::string unquoted_part(std::string_view part);

} // namespace util
