#pragma once

#include <string>
#include <string_view>

namespace store {

// A finding's words with its schema's name marked, as the history keeps them (history/0010): the
// same problem in many tenant schemas made from one migration is worded alike but for the
// schema's name, and marked, the words are one finding_texts row for all of them.
//
// mark_schema writes every occurrence of `schema` (left to right, not overlapping) as the byte
// 0x01 and 's', and a 0x01 of the text as 0x01 0x01; unmark_schema reverses it exactly, whatever
// the text and the name hold. An empty name marks nothing (only the 0x01 bytes are doubled).
std::string mark_schema(std::string_view text, std::string_view schema);

// The text `marked` was made of by mark_schema with `schema`. A 0x01 followed by anything else
// than 0x01 or 's' (a text not written by mark_schema) is kept as it is.
std::string unmark_schema(std::string_view marked, std::string_view schema);

} // namespace store
