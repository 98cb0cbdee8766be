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
