/// @file grad_rows.h
/// @brief Visiting the rows of a gradient that may be non-zero, and zeroing them.
///
/// The one mechanism behind cheap embedding steps: `zero_grad` and every optimiser's `step`
/// loop over `for_each_grad_row`, which visits all rows of a dense gradient but only the
/// touched rows of an embedding's gradient. A vector or scalar is one row.
#pragma once

#include <cstdint>

#include "tensor/tensor.h"

namespace embedlab {

/// Calls `visit(row)` for every row of `param`'s gradient that may be non-zero, in the order
/// the rows were first touched (or 0, 1, ... for a dense gradient). Nothing when there is no
/// gradient. The row's elements are `param.shape().cols()` floats at `row * cols`.
template <typename Visit>
void for_each_grad_row(const Tensor& param, Visit visit) {
  const TensorImpl* impl = param.impl();
  if (!impl->grad.defined()) return;
  if (impl->grad_rows.all) {
    const int64_t rows = impl->shape.rows();
    for (int64_t row = 0; row < rows; ++row)
      visit(row);
    return;
  }
  for (int64_t row : impl->grad_rows.rows)
    visit(row);
}

/// How many rows ahead the loops over random rows (lookups, gradient rows, optimiser steps)
/// ask for memory with `prefetch_row`.
inline constexpr int64_t kPrefetchAhead = 8;

/// Hints the CPU to start loading a row of `D` floats that a loop reaches a few iterations later.
///
/// Rows picked by random ids defeat the hardware prefetcher: in a large table each row is a
/// cache and TLB miss, and without the hint the loop waits for them one at a time
/// (docs/performance.md, "Embedding step"). `__builtin_prefetch` (GCC and Clang) is only a
/// hint: it never faults and changes no result.
inline void prefetch_row(const float* row, int64_t D) {
  for (int64_t c = 0; c < D; c += 16)
    __builtin_prefetch(row + c);  // one per 64-byte line
}

/// Zeroes the gradient of `param` in place, touching only the rows that may be non-zero, and
/// records that it is all zero. Keeps the buffer (differs from PyTorch 2's default
/// `set_to_none=True`: here `.grad()` stays a zero tensor, so the next step allocates nothing).
void zero_grad(const Tensor& param);

/// Returns the number of gradient rows `for_each_grad_row` would visit for `param`.
int64_t grad_row_count(const Tensor& param);

}  // namespace embedlab
