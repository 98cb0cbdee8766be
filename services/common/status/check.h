// TIENDO_CHECK: aborts on a programming error (a broken invariant of the
// code itself, never a condition from outside such as input or the broker).
// Debian's Abseil (20220623) predates absl/log/check.h.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#define TIENDO_CHECK(condition, message)                                              \
  do {                                                                                \
    if (!(condition)) {                                                               \
      std::fprintf(stderr, "%s:%d: check failed: %s: %s\n", __FILE__, __LINE__,      \
                   #condition, std::string(message).c_str());                         \
      std::abort();                                                                   \
    }                                                                                 \
  } while (false)

// TIENDO_DCHECK: TIENDO_CHECK in builds without NDEBUG (the debug and asan presets), for a
// check too costly for a hot path; in release builds the condition and message still compile
// but are not evaluated.
#ifdef NDEBUG
#define TIENDO_DCHECK(condition, message) \
  do {                                    \
    if (false) {                          \
      (void)(condition);                  \
      (void)(message);                    \
    }                                     \
  } while (false)
#else
#define TIENDO_DCHECK(condition, message) TIENDO_CHECK(condition, message)
#endif
