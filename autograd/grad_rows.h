/// @file grad_rows.h
/// @brief The row-sparse gradient: only the rows an embedding looked up get a gradient, and
/// only those rows are zeroed and updated.
///
/// The course's central mechanism lives in this file pair. Follow one gradient:
/// 1. `embedding_backward` (ops_embedding.cpp) calls `accumulate_grad_rows`, which adds each
///    looked-up row's gradient into a *compact block* (`GradRows::block`, one row of D floats
///    per distinct id, found through a small hash table) instead of into the (V, D) buffer.
/// 2. `zero_grad` and every optimiser's `step` visit the gradient with `for_each_grad_row`,
///    which walks the compact block: O(rows used x D), never O(V x D).
/// 3. Reading `param.grad()` folds the block into the ordinary dense (V, D) buffer
///    (`fold_grad_rows`, the one place that does it), so users always see a plain tensor.
/// A dense gradient (a Linear's weight) is the same story with every row listed.
///
/// What is left out: the dense gradient buffer itself is a plain `Tensor` in `TensorImpl::grad`
/// (tensor/ keeps plain data); this file owns which rows of it may be non-zero.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "tensor/tensor.h"

namespace embedlab {

/// Which rows of a (V, D) gradient may be non-zero, and the compact block of rows backward has
/// added since the gradient was last folded into the dense buffer.
///
/// The gradient of a (V, D) parameter is `TensorImpl::grad` (the dense buffer) plus the block:
/// `accumulate_grad_rows` adds a batch's rows into `block` (D floats per distinct id, in order
/// of first appearance, listed in `block_rows`) instead of into random rows of the dense
/// buffer. `all == true` means any row of the dense buffer may be non-zero (a dense gradient);
/// otherwise only the rows in `dense_rows` are, each listed once (`listed[r]` marks membership
/// without a search). A tensor whose `TensorImpl::grad_rows` is null behaves as a fresh
/// `GradRows`: a dense gradient, no block.
struct GradRows {
  bool all = true;  ///< true: treat the dense buffer as dense
  /// True once backward has added rows: a (maybe zero) gradient exists even while
  /// `TensorImpl::grad`, the dense buffer, has not been allocated (no one has read it yet).
  bool has_rows = false;
  std::vector<int64_t> dense_rows;  ///< rows of the dense buffer that may be non-zero
  std::vector<uint8_t> listed;      ///< listed[r] == 1 when r is in `dense_rows`

  std::vector<int64_t> block_rows;  ///< parameter row of each block slot, each row once
  std::vector<float> block;         ///< slot-major: D floats per slot, added to by backward
  /// Open-addressing hash table from row to slot (slot + 1; 0 = empty), a power of two in size
  /// and at most half full, so finding a batch's rows costs no walk over V.
  std::vector<int32_t> slot_table;

  /// Records that `row` of a gradient with `num_rows` rows may be non-zero in the dense buffer.
  void list_dense_row(int64_t row, int64_t num_rows);
  /// Records that every row of the dense buffer may be non-zero.
  void mark_all();
  /// Records that the gradient is entirely zero again (the dense buffer's listed rows must
  /// have been zeroed); empties the block.
  void clear();
  /// Returns the D floats of `row`'s block slot, adding a zero-filled slot when the row has
  /// none yet.
  float* block_row(int64_t row, int64_t D);
  /// Empties the block (keeps the memory, so the next step allocates nothing).
  void clear_block();
};

/// Returns the row bookkeeping of `param`'s gradient, making it on first use.
GradRows& grad_rows_of(const Tensor& param);

/// Makes `impl.grad` the whole gradient: allocates the dense buffer when a row-sparse gradient
/// exists without one, adds the compact block into it, and lists the block's rows as rows of
/// the buffer. The one way the block reaches the dense buffer: `Tensor::grad()` calls it before
/// it returns, `accumulate_grad` before adding a dense gradient.
void fold_grad_rows(TensorImpl& impl);

/// Adds `grad_rows[i, :]` into row `ids[i]` of the (V, D) gradient of `input` and records the
/// rows it touched, so zero_grad and the optimisers can visit only those rows. For a leaf the
/// rows go to the compact block (one row per distinct id); a non-leaf's add into its buffer.
///   grad_input[ids[i], :] += row_scale[i] * grad_rows[source_rows[i], :]
/// An empty `row_scale` means 1 for every i (a zero scale skips the id); an empty
/// `source_rows` means row i.
void accumulate_grad_rows(const Tensor& input, std::span<const int64_t> ids,
                          std::span<const float> grad_rows, std::span<const float> row_scale = {},
                          std::span<const int64_t> source_rows = {});

/// Returns true once backward has given `param` a gradient (zeroed or not), without folding
/// the compact block into the dense buffer as `param.grad()` does: what optimisers ask each step.
inline bool has_grad(const Tensor& param) {
  const TensorImpl* impl = param.impl();
  return impl->grad.defined() || (impl->grad_rows && impl->grad_rows->has_rows);
}

/// Drops the gradient of `param`, dense buffer and rows, like `param.grad = None` in PyTorch:
/// the next backward starts afresh. (Assigning `impl()->grad` alone would leave the rows.)
void reset_grad(const Tensor& param);

/// Calls `visit(row, grad)` for every row of `param`'s gradient that may be non-zero, in the
/// order the rows were first touched (or 0, 1, ... for a dense gradient); `grad` points to that
/// row's `param.shape().cols()` floats, wherever they are kept (the compact block, or the dense
/// (V, D) buffer), and may be changed in place. Nothing when there is no gradient.
template <typename Visit>
void for_each_grad_row(const Tensor& param, Visit visit);

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

/// Like `for_each_grad_row`, and when the rows are a list (a row-sparse gradient) also calls
/// `prefetch(row)` for the row `kPrefetchAhead` visits ahead, so an optimiser can ask for the
/// rows of its own arrays (weights, moments) before it reaches them.
template <typename Visit, typename Prefetch>
void for_each_grad_row(const Tensor& param, Visit visit, Prefetch prefetch);

/// Zeroes the gradient of `param` in place, touching only the rows that may be non-zero, and
/// records that it is all zero. Keeps the buffer (differs from PyTorch 2's default
/// `set_to_none=True`: here `.grad()` stays a zero tensor, so the next step allocates nothing).
void zero_grad(const Tensor& param);

/// Returns the number of gradient rows `for_each_grad_row` would visit for `param`.
int64_t grad_row_count(const Tensor& param);

// ---- for_each_grad_row, a template because the visitor is inlined into optimiser loops ----

namespace detail {
/// Folds the block into the dense buffer when both hold rows (someone read `.grad()` between
/// backwards, or a dense gradient arrived), so the gradient is one list of rows again; a no-op
/// in a plain training loop. Used by the row visitors.
void fold_if_split(TensorImpl& impl);
/// Throws AutogradError when a gradient assigned through `mutable_grad()` has another shape.
void check_grad_shape(const TensorImpl& impl);
}  // namespace detail

template <typename Visit, typename Prefetch>
void for_each_grad_row(const Tensor& param, Visit visit, Prefetch prefetch) {
  TensorImpl* impl = param.impl();
  if (!has_grad(param)) return;
  detail::check_grad_shape(*impl);
  detail::fold_if_split(*impl);
  const int64_t D = impl->shape.cols();
  float* dense = impl->grad.defined() ? impl->grad.data().data() : nullptr;
  if (!impl->grad_rows || impl->grad_rows->all) {
    // A dense gradient: every row, in order (the hardware prefetcher follows on its own).
    const int64_t num_rows = impl->shape.rows();
    for (int64_t row = 0; row < num_rows; ++row)
      visit(row, dense + row * D);
    return;
  }
  GradRows& rows = *impl->grad_rows;
  // Either the compact block (slot k is row block_rows[k]), or the listed rows of the dense
  // buffer, which sit at random places in it.
  const bool in_block = !rows.block_rows.empty();
  const std::vector<int64_t>& listed = in_block ? rows.block_rows : rows.dense_rows;
  if (!in_block && dense == nullptr) return;  // rows only, all zeroed
  for (size_t k = 0; k < listed.size(); ++k) {
    if (k + kPrefetchAhead < listed.size()) {
      const int64_t ahead = listed[k + kPrefetchAhead];
      if (!in_block) prefetch_row(dense + ahead * D, D);
      prefetch(ahead);
    }
    float* grad =
        in_block ? rows.block.data() + static_cast<int64_t>(k) * D : dense + listed[k] * D;
    visit(listed[k], grad);
  }
}

template <typename Visit>
void for_each_grad_row(const Tensor& param, Visit visit) {
  for_each_grad_row(param, visit, [](int64_t) {});
}

}  // namespace embedlab
