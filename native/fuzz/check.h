// Invariant checks for the libFuzzer harnesses: a failed CHECK prints what broke and aborts, which
// libFuzzer reports as a crash (and saves the input as crash-<sha1>).
#pragma once
#include <cstdio>
#include <cstdlib>

#define CHECK(cond)                                                                  \
  do {                                                                               \
    if (!(cond)) {                                                                   \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                  \
    }                                                                                \
  } while (0)

// Read every byte of p[0..n) so AddressSanitizer sees any range a parser hands out that is not inside
// the input (libFuzzer passes a heap copy of exactly `size` bytes).
inline unsigned Touch(const unsigned char* p, size_t n) {
  unsigned s = 0;
  for (size_t i = 0; i < n; i++) s += p[i];
  return s;
}
