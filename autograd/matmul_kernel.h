/// @file matmul_kernel.h
/// @brief The from-scratch matrix-multiply kernel behind `matmul`, `linear` and their
/// backwards (no BLAS).
///
/// One function, C = A . B, for row-major float matrices. Either operand may instead be stored
/// transposed, so the backward passes (which need W^T, x^T, grad_out^T) read the tensors they
/// have without copying them. How it is fast (packed panels, a 6 x 16 register tile) is
/// explained at the top of matmul_kernel.cpp and in docs/performance.md.
#pragma once

#include <cstdint>

namespace embedlab {

/// How an operand of `matmul_kernel` sits in memory.
enum class Layout {
  RowMajor,   ///< the (rows, cols) matrix itself: element (r, c) at r * cols + c
  Transposed  ///< its transpose, row-major: element (r, c) at c * rows + r
};

/// Computes C = A . B for A (M, K), B (K, N) and row-major C (M, N), overwriting C.
///
/// A and B are row-major unless `a_layout` / `b_layout` say they are stored transposed: with
/// `Layout::Transposed`, `A` points at a row-major (K, M) matrix and the kernel uses its
/// transpose. So `grad_a = grad_out . b^T` is
/// `matmul_kernel(grad_out, b, grad_a, M, N, K, Layout::RowMajor, Layout::Transposed)`.
/// @param A the left operand, (M, K) values (or (K, M) when transposed)
/// @param B the right operand, (K, N) values (or (N, K) when transposed)
/// @param C the (M, N) result; must not overlap A or B
/// @param M rows of A and C
/// @param K columns of A, rows of B
/// @param N columns of B and C
/// @param a_layout how A is stored
/// @param b_layout how B is stored
void matmul_kernel(const float* A, const float* B, float* C, int64_t M, int64_t K, int64_t N,
                   Layout a_layout = Layout::RowMajor, Layout b_layout = Layout::RowMajor);

}  // namespace embedlab
