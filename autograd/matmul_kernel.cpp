// matmul_kernel: C = A . B without BLAS, laid out as in the Goto / BLIS papers, in plain loops.
//
// Why not three nested loops: a (1024, 1024) product does 2 x 1024^3 flops on 12 MB of data, so
// speed is about reusing each loaded value many times from registers and cache. Three phases:
//
//  1. Blocking. K is cut into slices of kKc, N into blocks of kNc columns and M into blocks of
//     kMc rows, so that a block of B (kKc x kNc) stays in L2/L3 while every row block of A
//     streams past it, and a block of A (kMc x kKc, 96 KB) stays in L2.
//  2. Packing. Each block is copied into "panels" the micro-kernel reads with unit stride:
//     A in panels of kMr = 6 rows stored column after column, B in panels of kNr = 16 columns
//     stored row after row, zero-padded at the edges. Packing reads the operands through their
//     strides, so a transposed operand (Layout::Transposed) costs nothing extra.
//  3. Micro-kernel. A 6 x 16 tile of C is summed in a local array over the kKc slice: per step
//     of k, 16 values of B, 6 of A and 96 multiply-adds. With the two small loops unrolled
//     (the `#pragma GCC unroll` lines), GCC keeps the 96 sums in 12 vector registers of 8
//     floats (AVX2 under -march=native) and emits 12 fused multiply-adds per step.
//
// Check that the compiler did phase 3: `-fopt-info-vec` should report "basic block part
// vectorized" for micro_kernel, and `objdump -d` show vfmadd231ps on %ymm registers. Tiny
// products (the layers of a toy MLP) skip all this: packing would cost more than it saves.
#include "autograd/matmul_kernel.h"

#include <algorithm>
#include <vector>

namespace embedlab {

namespace {

constexpr int64_t kMr = 6;     // rows of the register tile of C
constexpr int64_t kNr = 16;    // columns of the register tile (two 8-float AVX registers)
constexpr int64_t kKc = 256;   // k-slice: a 16-column panel of B is 16 KB, within L1
constexpr int64_t kMc = 96;    // rows of A per packed block: 96 x 256 floats = 96 KB, in L2
constexpr int64_t kNc = 2048;  // columns of B per packed block: 256 x 2048 floats = 2 MB
// Below this many multiply-adds (a 32 x 32 x 32 product) the plain loops win.
constexpr int64_t kSmallProduct = 32 * 32 * 32;

// Element (r, c) of an operand, whether it is stored row-major or transposed.
struct Operand {
  const float* data;
  int64_t row_stride;
  int64_t col_stride;
  float at(int64_t r, int64_t c) const { return data[r * row_stride + c * col_stride]; }
};

Operand make_operand(const float* data, int64_t rows, int64_t cols, Layout layout) {
  return layout == Layout::RowMajor ? Operand{data, cols, 1} : Operand{data, 1, rows};
}

// Returns sum over k of x[k * x_stride] * y[k] for contiguous y. Eight running sums, which
// the compiler keeps in one vector register: with a single sum every add would wait for the
// previous one.
float strided_dot(const float* x, int64_t x_stride, const float* y, int64_t K) {
  float partial[8] = {};
  int64_t k = 0;
  for (; k + 8 <= K; k += 8) {
    for (int64_t l = 0; l < 8; ++l)
      partial[l] += x[(k + l) * x_stride] * y[k + l];
  }
  float total = 0.0f;
  for (; k < K; ++k)
    total += x[k * x_stride] * y[k];
  for (int64_t l = 0; l < 8; ++l)
    total += partial[l];
  return total;
}

// C = A . B by plain loops, for products too small to pay for packing. The innermost loop
// runs over contiguous memory of B: along its rows when B is row-major (the compiler
// vectorises the row update), down its columns when B is stored transposed (a dot product).
void small_matmul(const Operand& a, const Operand& b, float* C, int64_t M, int64_t K, int64_t N) {
  if (b.row_stride == 1) {
    for (int64_t i = 0; i < M; ++i) {
      for (int64_t j = 0; j < N; ++j)
        C[i * N + j] =
            strided_dot(a.data + i * a.row_stride, a.col_stride, b.data + j * b.col_stride, K);
    }
    return;
  }
  std::fill(C, C + M * N, 0.0f);
  for (int64_t i = 0; i < M; ++i) {
    float* c_row = C + i * N;
    for (int64_t k = 0; k < K; ++k) {
      const float a_ik = a.at(i, k);
      const float* b_row = b.data + k * b.row_stride;
      for (int64_t j = 0; j < N; ++j)
        c_row[j] += a_ik * b_row[j];
    }
  }
}

// Packs rows [i0, i0 + mc) x columns [k0, k0 + kc) of A into panels of kMr rows: panel p holds,
// for each k, the kMr values A[i0 + p + 0..5, k0 + k] side by side. Rows past M are zeros.
void pack_a(const Operand& a, int64_t i0, int64_t mc, int64_t k0, int64_t kc, float* out) {
  for (int64_t p = 0; p < mc; p += kMr) {
    const int64_t rows = std::min(kMr, mc - p);
    for (int64_t k = 0; k < kc; ++k) {
      for (int64_t i = 0; i < kMr; ++i)
        out[k * kMr + i] = i < rows ? a.at(i0 + p + i, k0 + k) : 0.0f;
    }
    out += kMr * kc;
  }
}

// Packs rows [k0, k0 + kc) x columns [j0, j0 + nc) of B into panels of kNr columns: panel q
// holds, for each k, the kNr values B[k0 + k, j0 + q + 0..15]. Columns past N are zeros.
void pack_b(const Operand& b, int64_t k0, int64_t kc, int64_t j0, int64_t nc, float* out) {
  for (int64_t q = 0; q < nc; q += kNr) {
    const int64_t cols = std::min(kNr, nc - q);
    for (int64_t k = 0; k < kc; ++k) {
      for (int64_t j = 0; j < kNr; ++j)
        out[k * kNr + j] = j < cols ? b.at(k0 + k, j0 + q + j) : 0.0f;
    }
    out += kNr * kc;
  }
}

// tile[0..6, 0..16] (row stride ldc) += a_panel (6 x kc) . b_panel (kc x 16).
// The sums live in `acc` for the whole k loop; the pragmas unroll the two small loops fully,
// which is what lets GCC give each row of `acc` two vector registers instead of memory.
void micro_kernel(const float* a_panel, const float* b_panel, int64_t kc, float* tile,
                  int64_t ldc) {
  float acc[kMr][kNr] = {};
  for (int64_t k = 0; k < kc; ++k) {
    const float* a = a_panel + k * kMr;
    const float* b = b_panel + k * kNr;
#pragma GCC unroll 6
    for (int64_t i = 0; i < kMr; ++i) {
#pragma GCC unroll 16
      for (int64_t j = 0; j < kNr; ++j)
        acc[i][j] += a[i] * b[j];
    }
  }
  for (int64_t i = 0; i < kMr; ++i) {
    for (int64_t j = 0; j < kNr; ++j)
      tile[i * ldc + j] += acc[i][j];
  }
}

// C[i0.., j0..] += packed A block (mc x kc) . packed B block (kc x nc), tile by tile. Edge
// tiles (fewer than 6 rows or 16 columns left) go through a full-size scratch tile.
void multiply_blocks(const float* a_packed, const float* b_packed, int64_t mc, int64_t nc,
                     int64_t kc, float* C, int64_t N) {
  for (int64_t q = 0; q < nc; q += kNr) {
    const int64_t cols = std::min(kNr, nc - q);
    for (int64_t p = 0; p < mc; p += kMr) {
      const int64_t rows = std::min(kMr, mc - p);
      const float* a_panel = a_packed + p * kc;
      const float* b_panel = b_packed + q * kc;
      float* c = C + p * N + q;
      if (rows == kMr && cols == kNr) {
        micro_kernel(a_panel, b_panel, kc, c, N);
        continue;
      }
      float scratch[kMr * kNr] = {};
      micro_kernel(a_panel, b_panel, kc, scratch, kNr);
      for (int64_t i = 0; i < rows; ++i) {
        for (int64_t j = 0; j < cols; ++j)
          c[i * N + j] += scratch[i * kNr + j];
      }
    }
  }
}

int64_t round_up(int64_t value, int64_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

}  // namespace

void matmul_kernel(const float* A, const float* B, float* C, int64_t M, int64_t K, int64_t N,
                   Layout a_layout, Layout b_layout) {
  const Operand a = make_operand(A, M, K, a_layout);
  const Operand b = make_operand(B, K, N, b_layout);
  if (M * K * N <= kSmallProduct || M < kMr || N < kNr) {
    small_matmul(a, b, C, M, K, N);
    return;
  }
  std::fill(C, C + M * N, 0.0f);
  std::vector<float> a_packed(round_up(std::min(M, kMc), kMr) * kKc);
  std::vector<float> b_packed(round_up(std::min(N, kNc), kNr) * kKc);
  for (int64_t j0 = 0; j0 < N; j0 += kNc) {
    const int64_t nc = std::min(kNc, N - j0);
    for (int64_t k0 = 0; k0 < K; k0 += kKc) {
      const int64_t kc = std::min(kKc, K - k0);
      pack_b(b, k0, kc, j0, nc, b_packed.data());
      for (int64_t i0 = 0; i0 < M; i0 += kMc) {
        const int64_t mc = std::min(kMc, M - i0);
        pack_a(a, i0, mc, k0, kc, a_packed.data());
        multiply_blocks(a_packed.data(), b_packed.data(), mc, nc, kc, C + i0 * N + j0, N);
      }
    }
  }
}

}  // namespace embedlab
