// matmul_kernel: C = A . B, row-major, blocked so the working set stays in cache.
// The innermost loop runs along a row of B and of C with unit stride, so the compiler turns it
// into vector multiply-adds (AVX2 FMA under -march=native).
#include "autograd/matmul_kernel.h"

#include <algorithm>

namespace embedlab {

void matmul_kernel(const float* A, const float* B, float* C, int64_t M, int64_t K, int64_t N) {
  std::fill(C, C + M * N, 0.0f);
  constexpr int64_t kBlockK = 128;  // rows of B kept hot in L2 while every row of A uses them
  constexpr int64_t kBlockN = 256;  // columns: one strip of C's row (1 KB) stays in L1
  for (int64_t k0 = 0; k0 < K; k0 += kBlockK) {
    const int64_t k1 = std::min(k0 + kBlockK, K);
    for (int64_t n0 = 0; n0 < N; n0 += kBlockN) {
      const int64_t n1 = std::min(n0 + kBlockN, N);
      for (int64_t i = 0; i < M; ++i) {
        float* c_row = C + i * N;
        for (int64_t k = k0; k < k1; ++k) {
          const float a = A[i * K + k];
          const float* b_row = B + k * N;
          for (int64_t j = n0; j < n1; ++j)
            c_row[j] += a * b_row[j];
        }
      }
    }
  }
}

}  // namespace embedlab
