#include "util/malloc_tuning.hpp"

#include <cstdlib>

#include <malloc.h> // mallopt (glibc)

namespace util {

void
tune_malloc()
{
  if (std::getenv("GLIBC_TUNABLES")) {
    return; // the user's settings stand
  }
  if (!std::getenv("MALLOC_ARENA_MAX")) {
    mallopt(M_ARENA_MAX, 2);
  }
  if (!std::getenv("MALLOC_MMAP_THRESHOLD_")) {
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
  }
}

} // namespace util
