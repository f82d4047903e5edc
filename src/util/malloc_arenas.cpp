#include "util/malloc_arenas.hpp"

#include <cstdlib>

#include <malloc.h> // mallopt, M_ARENA_MAX (glibc)

namespace util {

void
limit_malloc_arenas()
{
  if (std::getenv("MALLOC_ARENA_MAX") || std::getenv("GLIBC_TUNABLES")) {
    return; // the user's setting stands
  }
  mallopt(M_ARENA_MAX, 2);
}

} // namespace util
