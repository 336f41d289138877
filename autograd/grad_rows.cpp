// The row-sparse gradient (see grad_rows.h): adding rows into the compact block, folding the
// block into the dense buffer, zeroing and counting the rows, and Tensor::grad().
#include "autograd/grad_rows.h"

#include <algorithm>
#include <bit>

#include <fmt/format.h>
#include "tensor/creation.h"

#include "tensor/error.h"

namespace embedlab {

// ---- GradRows: the bookkeeping of one gradient ----

void GradRows::list_dense_row(int64_t row, int64_t num_rows) {
  if (all) return;
  if (listed.size() != static_cast<size_t>(num_rows)) listed.assign(num_rows, 0);
  if (listed[row]) return;
  listed[row] = 1;
  dense_rows.push_back(row);
}

void GradRows::mark_all() {
  all = true;
  for (int64_t row : dense_rows)
    listed[row] = 0;
  dense_rows.clear();
}

void GradRows::clear() {
  all = false;
  for (int64_t row : dense_rows)
    listed[row] = 0;
  dense_rows.clear();
  clear_block();
}

namespace {

// Fibonacci hashing: multiplies by 2^64 / golden ratio and keeps the top bits, which spreads
// consecutive and strided row numbers evenly over a power-of-two table.
size_t slot_hash(int64_t row, size_t table_size) {
  const uint64_t mixed = static_cast<uint64_t>(row) * 0x9E3779B97F4A7C15ULL;
  return static_cast<size_t>(mixed >> 32) & (table_size - 1);
}

}  // namespace

float* GradRows::block_row(int64_t row, int64_t D) {
  const size_t count = block_rows.size();
  if (slot_table.size() < 2 * (count + 1)) {
    // Grow to keep the table at most half full (short probes), re-inserting every slot.
    slot_table.assign(std::max<size_t>(1024, std::bit_ceil(4 * (count + 1))), 0);
    for (size_t slot = 0; slot < count; ++slot) {
      size_t at = slot_hash(block_rows[slot], slot_table.size());
      while (slot_table[at] != 0)
        at = (at + 1) & (slot_table.size() - 1);
      slot_table[at] = static_cast<int32_t>(slot + 1);
    }
  }
  size_t at = slot_hash(row, slot_table.size());
  while (slot_table[at] != 0) {
    const auto slot = static_cast<size_t>(slot_table[at] - 1);
    if (block_rows[slot] == row) return block.data() + slot * D;
    at = (at + 1) & (slot_table.size() - 1);
  }
  slot_table[at] = static_cast<int32_t>(count + 1);
  block_rows.push_back(row);
  block.resize((count + 1) * D, 0.0f);
  return block.data() + count * D;
}

void GradRows::clear_block() {
  if (block_rows.empty()) return;
  if (8 * block_rows.size() < slot_table.size()) {
    // Few rows (word2vec's small batches): empty just their entries. Each search looks for a
    // value known to be there, so it may walk past entries already emptied.
    for (size_t slot = 0; slot < block_rows.size(); ++slot) {
      size_t at = slot_hash(block_rows[slot], slot_table.size());
      while (slot_table[at] != static_cast<int32_t>(slot + 1))
        at = (at + 1) & (slot_table.size() - 1);
      slot_table[at] = 0;
    }
  } else {
    std::fill(slot_table.begin(), slot_table.end(), 0);
  }
  block_rows.clear();
  block.clear();
}

GradRows& grad_rows_of(const Tensor& param) {
  TensorImpl* impl = param.impl();
  if (!impl->grad_rows) impl->grad_rows = std::make_shared<GradRows>();
  return *impl->grad_rows;
}

// ---- Backward adds rows; reading .grad() folds them into the dense buffer ----

void accumulate_grad_rows(const Tensor& input, std::span<const int64_t> ids,
                          std::span<const float> grad_rows, std::span<const float> row_scale,
                          std::span<const int64_t> source_rows) {
  TensorImpl* impl = input.impl();
  if (!impl->requires_grad) return;
  const int64_t num_rows = impl->shape.rows(), D = impl->shape.cols();
  GradRows& rows = grad_rows_of(input);
  const bool leaf = impl->grad_fn == nullptr;
  if (!impl->grad.defined() && !rows.has_rows) {
    // The first gradient: row-sparse from here on, so zero_grad and step visit only the rows
    // used. A leaf keeps them in the compact block and gets its dense buffer when `.grad()` is
    // first read; a non-leaf's node reads its gradient as a plain tensor, so it gets one now.
    rows.clear();
    rows.has_rows = leaf;
    if (!leaf) impl->grad = zeros(impl->shape);
  }
  // A leaf's rows go to the compact block; a non-leaf's, and a dense gradient's, add into the
  // buffer.
  const bool compact = leaf && !rows.all;
  float* grad = compact ? nullptr : impl->grad.data().data();
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!compact && i + kPrefetchAhead < ids.size())
      prefetch_row(grad + ids[i + kPrefetchAhead] * D, D);
    const int64_t row = ids[i];
    const float scale = row_scale.empty() ? 1.0f : row_scale[i];
    if (scale == 0.0f) continue;  // padding ids and zero weights add nothing
    const int64_t source = source_rows.empty() ? static_cast<int64_t>(i) : source_rows[i];
    const float* src = grad_rows.data() + source * D;
    float* dst = compact ? rows.block_row(row, D) : grad + row * D;
    for (int64_t c = 0; c < D; ++c)
      dst[c] += scale * src[c];
    if (!compact) rows.list_dense_row(row, num_rows);
  }
}

void fold_grad_rows(TensorImpl& impl) {
  if (!impl.grad_rows) return;  // a dense gradient only
  GradRows& rows = *impl.grad_rows;
  // The dense buffer is allocated at the first need (a training loop that never reads the
  // gradient never pays for it).
  if (rows.has_rows && !impl.grad.defined()) impl.grad = make_tensor(impl.shape);
  if (rows.block_rows.empty()) return;
  const int64_t num_rows = impl.shape.rows(), D = impl.shape.cols();
  float* dense = impl.grad.data().data();
  for (size_t slot = 0; slot < rows.block_rows.size(); ++slot) {
    const int64_t row = rows.block_rows[slot];
    const float* src = rows.block.data() + slot * D;
    float* dst = dense + row * D;
    for (int64_t c = 0; c < D; ++c)
      dst[c] += src[c];
    rows.list_dense_row(row, num_rows);
  }
  rows.clear_block();
}

namespace detail {
void fold_if_split(TensorImpl& impl) {
  if (!impl.grad_rows || impl.grad_rows->block_rows.empty()) return;
  if (impl.grad_rows->all || !impl.grad_rows->dense_rows.empty()) fold_grad_rows(impl);
}
}  // namespace detail

Tensor Tensor::grad() const {
  if (!impl_)
    throw ValueError("Tensor: this tensor is undefined (default-constructed, no storage)");
  fold_grad_rows(*impl_);
  return impl_->grad;
}

Tensor& Tensor::mutable_grad() {
  if (!impl_)
    throw ValueError("Tensor: this tensor is undefined (default-constructed, no storage)");
  fold_grad_rows(*impl_);
  if (impl_->grad_rows) impl_->grad_rows->mark_all();  // whatever is assigned is dense
  return impl_->grad;
}

void detail::check_grad_shape(const TensorImpl& impl) {
  if (impl.grad.defined() && impl.grad.shape() != impl.shape) {
    throw AutogradError(fmt::format(
        "the gradient assigned through mutable_grad() has shape {}, the tensor has shape {}",
        impl.grad.shape().to_string(), impl.shape.to_string()));
  }
}

// ---- Zeroing, resetting and counting ----

void reset_grad(const Tensor& param) {
  TensorImpl* impl = param.impl();
  impl->grad = Tensor();
  impl->grad_rows.reset();
}

void zero_grad(const Tensor& param) {
  TensorImpl* impl = param.impl();
  detail::check_grad_shape(*impl);
  if (!impl->grad.defined()) {
    if (impl->grad_rows) impl->grad_rows->clear_block();  // rows only: the block is all of it
    return;
  }
  GradRows& rows = grad_rows_of(param);
  std::span<float> grad = impl->grad.data();
  if (rows.all) {
    std::fill(grad.begin(), grad.end(), 0.0f);
  } else {
    // Only the listed rows of the buffer (none in a plain training loop, whose rows stay in
    // the compact block), which sit at random places in the (V, D) buffer: prefetched.
    const int64_t D = impl->shape.cols();
    const std::vector<int64_t>& listed = rows.dense_rows;
    for (size_t k = 0; k < listed.size(); ++k) {
      if (k + kPrefetchAhead < listed.size())
        prefetch_row(&grad[listed[k + kPrefetchAhead] * D], D);
      std::fill_n(&grad[listed[k] * D], D, 0.0f);
    }
  }
  rows.clear();  // empties the compact block too
}

int64_t grad_row_count(const Tensor& param) {
  TensorImpl* impl = param.impl();
  if (!has_grad(param)) return 0;
  detail::fold_if_split(*impl);
  if (!impl->grad_rows || impl->grad_rows->all) return impl->shape.rows();
  const GradRows& rows = *impl->grad_rows;
  return static_cast<int64_t>(rows.dense_rows.size() + rows.block_rows.size());
}

}  // namespace embedlab
