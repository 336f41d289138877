/// @file grad_rows.h
/// @brief Visiting the rows of a gradient that may be non-zero, and zeroing them.
///
/// The one mechanism behind cheap embedding steps: `zero_grad` and every optimiser's `step`
/// loop over `for_each_grad_row`, which visits all rows of a dense gradient but only the
/// touched rows of an embedding's gradient. A vector or scalar is one row.
#pragma once

#include <cstdint>
#include <span>

#include "tensor/tensor.h"

namespace embedlab {

/// Returns true once backward has given `param` a gradient (zeroed or not), without adding the
/// compact block into the dense buffer as `param.grad()` does: what optimisers ask each step.
inline bool has_grad(const Tensor& param) {
  const TensorImpl* impl = param.impl();
  return impl->grad.defined() || impl->grad_rows.has_rows;
}

/// Drops the gradient of `param`, dense buffer and rows, like `param.grad = None` in PyTorch:
/// the next backward starts afresh. (Assigning `impl()->grad` alone would leave the rows.)
void reset_grad(const Tensor& param);

/// Makes the gradient of `param` one list of rows: when backward has added rows to the compact
/// block while the dense buffer also holds rows (someone read `.grad()` in between, or a
/// dense gradient arrived), the block is added into the buffer. A no-op in a plain training
/// loop, where the buffer holds nothing between `zero_grad` and `step`.
void settle_grad_rows(const Tensor& param);

/// Calls `visit(row, grad)` for every row of `param`'s gradient that may be non-zero, in the
/// order the rows were first touched (or 0, 1, ... for a dense gradient); `grad` points to that
/// row's `param.shape().cols()` floats, wherever they are kept (the compact block of rows added
/// by backward, or the dense (V, D) buffer), and may be changed in place. Nothing when there is
/// no gradient.
template <typename Visit>
void for_each_grad_row(const Tensor& param, Visit visit);

/// Returns the rows `for_each_grad_row` visits, in its order, when they are a list (a row-sparse
/// gradient), so loops can prefetch other arrays' rows ahead; empty for a dense gradient.
std::span<const int64_t> listed_grad_rows(const Tensor& param);

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

// ---- for_each_grad_row, a template because the visitor is inlined into optimiser loops ----

template <typename Visit>
void for_each_grad_row(const Tensor& param, Visit visit) {
  TensorImpl* impl = param.impl();
  if (!has_grad(param)) return;
  settle_grad_rows(param);
  const int64_t D = impl->shape.cols();
  GradRows& rows = impl->grad_rows;
  if (!rows.pending_rows.empty()) {
    // The compact block: slot k is row pending_rows[k], read in order.
    float* block = rows.pending_values.data();
    for (size_t slot = 0; slot < rows.pending_rows.size(); ++slot)
      visit(rows.pending_rows[slot], block + static_cast<int64_t>(slot) * D);
    return;
  }
  if (!impl->grad.defined()) return;  // rows only, all zeroed
  float* dense = impl->grad.data().data();
  if (rows.all) {
    const int64_t num_rows = impl->shape.rows();
    for (int64_t row = 0; row < num_rows; ++row)
      visit(row, dense + row * D);
    return;
  }
  // Listed rows of the dense buffer sit at random places in it: prefetched.
  const std::vector<int64_t>& listed = rows.rows;
  for (size_t k = 0; k < listed.size(); ++k) {
    if (k + kPrefetchAhead < listed.size()) prefetch_row(dense + listed[k + kPrefetchAhead] * D, D);
    visit(listed[k], dense + listed[k] * D);
  }
}

}  // namespace embedlab
