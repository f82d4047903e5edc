#pragma once

#include <array>
#include <string>
#include <string_view>

namespace util {

// A 128-bit digest of some content: the first half of its SHA-256. For a key that stands for its
// content without the content being compared, where neither a chance nor a crafted collision may
// be feasible (util::stable_hash, 64-bit FNV-1a, is neither).
using Digest = std::array<unsigned char, 16>;

Digest digest(std::string_view data);

// The digest in 32 lowercase hex digits.
std::string to_hex(const Digest& digest);

} // namespace util
