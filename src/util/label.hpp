#pragma once

#include <string_view>
#include <vector>

namespace util {

// The dot-separated parts of an object label as the queries write it (format('%I.%I.%I')):
// `app."Order.lines".id` -> {`app`, `"Order.lines"`, `id`}. A part keeps its quotes, so joining
// the parts with dots gives the label back; a dot inside quotes does not split.
std::vector<std::string_view> label_parts(std::string_view label);

} // namespace util
