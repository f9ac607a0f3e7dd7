// Allocation counting for the *_alloc_check.cc programs (native/test/): interposes malloc/calloc/
// realloc/memalign (and so operator new, aligned_alloc, posix_memalign) and counts every call made
// while g_counting is set into g_allocations. Include once, from the program's main translation unit.
#ifndef WHISPERD_NATIVE_TEST_ALLOC_COUNT_H_
#define WHISPERD_NATIVE_TEST_ALLOC_COUNT_H_

#include <cstddef>

extern "C" {
void* __libc_malloc(size_t);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);
void* __libc_memalign(size_t, size_t);
void __libc_free(void*);

static volatile bool g_counting = false;
static volatile long g_allocations = 0;

void* malloc(size_t n) {
  if (g_counting) g_allocations = g_allocations + 1;
  return __libc_malloc(n);
}
void* calloc(size_t a, size_t b) {
  if (g_counting) g_allocations = g_allocations + 1;
  return __libc_calloc(a, b);
}
void* realloc(void* p, size_t n) {
  if (g_counting) g_allocations = g_allocations + 1;
  return __libc_realloc(p, n);
}
void* memalign(size_t a, size_t n) {
  if (g_counting) g_allocations = g_allocations + 1;
  return __libc_memalign(a, n);
}
void* aligned_alloc(size_t a, size_t n) { return memalign(a, n); }
int posix_memalign(void** p, size_t a, size_t n) {
  *p = memalign(a, n);
  return *p == nullptr ? 12 : 0;
}
void free(void* p) { __libc_free(p); }
}

#endif  // WHISPERD_NATIVE_TEST_ALLOC_COUNT_H_
