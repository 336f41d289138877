/// @file matmul_kernel.h
/// @brief The from-scratch matrix-multiply kernel behind `matmul` (no BLAS).
#pragma once

#include <cstdint>

namespace embedlab {

/// Computes C = A . B for row-major A (M, K), B (K, N), C (M, N), overwriting C.
///
/// A plain blocked loop nest the compiler vectorises; see the file for the blocking.
void matmul_kernel(const float* A, const float* B, float* C, int64_t M, int64_t K, int64_t N);

}  // namespace embedlab
