#pragma once

namespace util {

// Makes glibc's malloc serve every thread from one arena, unless MALLOC_ARENA_MAX or
// GLIBC_TUNABLES says otherwise. By default each thread that allocates (an audit's checks, the
// catalog read, the output writer) gets an arena of its own, and the memory one thread frees
// stays in its arena where no other thread reuses it: a repeated audit of 10,000 schemas peaked
// at 257 MB RSS with a 187 MB heap, and at 216 MB with one arena, with no change in its time
// (#19). Call it first thing, before any thread starts.
void use_one_malloc_arena();

} // namespace util
