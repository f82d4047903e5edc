#include "util/digest.hpp"

#include <openssl/sha.h>

#include <algorithm>

namespace util {

Digest
digest(std::string_view data)
{
  std::array<unsigned char, SHA256_DIGEST_LENGTH> full{};
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), full.data());
  Digest out{};
  std::copy_n(full.begin(), out.size(), out.begin());
  return out;
}

std::string
to_hex(const Digest& digest)
{
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(digest.size() * 2);
  for (const auto byte : digest) {
    out += k_digits[byte >> 4];
    out += k_digits[byte & 0xf];
  }
  return out;
}

} // namespace util
