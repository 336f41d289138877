// Tensor's accessors, the GradRows bookkeeping and make_tensor. No maths here: see autograd/.
#include "tensor/tensor.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <new>
#include <stdexcept>

#include <fmt/format.h>

#include "tensor/error.h"

namespace embedlab {

const char* dtype_name(DType dtype) {
  return dtype == DType::Float32 ? "float32" : "int64";
}

namespace {
const TensorImpl& checked_impl(const std::shared_ptr<TensorImpl>& impl) {
  if (!impl) throw ValueError("Tensor: this tensor is undefined (default-constructed, no storage)");
  return *impl;
}

void check_index(int64_t index, int64_t size, const char* what) {
  if (index < 0 || index >= size) {
    throw IndexError(fmt::format("{}: index {} out of range [0, {})", what, index, size));
  }
}
}  // namespace

void gather_grad_rows(TensorImpl& impl) {
  // The dense buffer is allocated at the first need (a training loop that never reads the
  // gradient never pays for it); rows from the compact block join it.
  GradRows& rows = impl.grad_rows;
  if (rows.has_rows && !impl.grad.defined()) impl.grad = make_tensor(impl.shape);
  if (!rows.pending_rows.empty()) {
    rows.flush_pending(impl.grad.data().data(), impl.shape.rows(), impl.shape.cols());
  }
}

Tensor make_tensor(const Shape& shape, DType dtype) {
  auto impl = std::make_shared<TensorImpl>();
  impl->shape = shape;
  impl->dtype = dtype;
  impl->storage = std::make_shared<Storage>();
  const auto count = static_cast<size_t>(shape.numel());
  try {
    if (dtype == DType::Float32) {
      impl->storage->values.resize(count);
    } else {
      impl->storage->ids.resize(count);
    }
  } catch (const std::length_error&) {
    throw ValueError(fmt::format("tensor of shape {}: {} elements are more than memory can hold",
                                 shape.to_string(), count));
  } catch (const std::bad_alloc&) {
    throw ValueError(fmt::format("tensor of shape {}: cannot allocate {} bytes", shape.to_string(),
                                 count * (dtype == DType::Float32 ? 4 : 8)));
  }
  return Tensor(std::move(impl));
}

const Shape& Tensor::shape() const {
  return checked_impl(impl_).shape;
}
DType Tensor::dtype() const {
  return checked_impl(impl_).dtype;
}

template <typename T>
T Tensor::item() const {
  if (numel() != 1) {
    throw ValueError(
        fmt::format("item(): a tensor of shape {} has {} elements, item() needs exactly 1",
                    shape().to_string(), numel()));
  }
  if (dtype() == DType::Float32) return static_cast<T>(impl_->storage->values[0]);
  return static_cast<T>(impl_->storage->ids[0]);
}
template float Tensor::item<float>() const;
template double Tensor::item<double>() const;
template int64_t Tensor::item<int64_t>() const;
template int Tensor::item<int>() const;

float Tensor::at(int64_t i) const {
  check_index(i, numel(), "Tensor::at");
  if (dtype() == DType::Int64) return static_cast<float>(impl_->storage->ids[i]);
  return impl_->storage->values[i];
}

float Tensor::at(int64_t row, int64_t col) const {
  if (rank() != 2) {
    throw ShapeError(
        fmt::format("Tensor::at(row, col) needs a matrix, got shape {}", shape().to_string()));
  }
  check_index(row, shape()[0], "Tensor::at (row)");
  check_index(col, shape()[1], "Tensor::at (col)");
  return at(row * shape()[1] + col);
}

int64_t Tensor::id_at(int64_t i) const {
  check_index(i, numel(), "Tensor::id_at");
  return ids()[i];
}

std::span<float> Tensor::data() {
  if (dtype() != DType::Float32) {
    throw TypeError(
        fmt::format("Tensor::data(): tensor of shape {} holds int64 ids; use ids() for them",
                    impl_->shape.to_string()));
  }
  return impl_->storage->values;
}

std::span<const float> Tensor::data() const {
  return const_cast<Tensor*>(this)->data();
}

std::span<int64_t> Tensor::ids() {
  if (dtype() != DType::Int64) {
    throw TypeError(
        fmt::format("Tensor::ids(): tensor of shape {} holds float32 values; use data() for them",
                    impl_->shape.to_string()));
  }
  return impl_->storage->ids;
}

std::span<const int64_t> Tensor::ids() const {
  return const_cast<Tensor*>(this)->ids();
}

bool Tensor::requires_grad() const {
  return checked_impl(impl_).requires_grad;
}

Tensor& Tensor::requires_grad_(bool on) {
  checked_impl(impl_);
  if (on && impl_->dtype != DType::Float32) {
    throw TypeError(fmt::format(
        "requires_grad_(): only float32 tensors can require gradients, this one is {} of shape {}",
        dtype_name(impl_->dtype), impl_->shape.to_string()));
  }
  if (impl_->grad_fn && !on) {
    throw AutogradError(
        fmt::format("requires_grad_(false): this tensor was made by '{}'; use detach() to cut it "
                    "from the graph",
                    impl_->op));
  }
  impl_->requires_grad = on;
  return *this;
}

Tensor Tensor::grad() const {
  checked_impl(impl_);
  gather_grad_rows(*impl_);
  return impl_->grad;
}
void Tensor::retain_grad() {
  checked_impl(impl_);
  impl_->retains_grad = true;
}
bool Tensor::is_leaf() const {
  return checked_impl(impl_).grad_fn == nullptr;
}
std::string Tensor::grad_fn_name() const {
  const TensorImpl& impl = checked_impl(impl_);
  return impl.op ? impl.op : "";
}

void GradRows::touch(int64_t row, int64_t num_rows) {
  if (all) return;
  if (touched.size() != static_cast<size_t>(num_rows)) touched.assign(num_rows, 0);
  if (touched[row]) return;
  touched[row] = 1;
  rows.push_back(row);
}

void GradRows::mark_all() {
  all = true;
  for (int64_t row : rows)
    touched[row] = 0;
  rows.clear();
}

void GradRows::clear() {
  all = false;
  for (int64_t row : rows)
    touched[row] = 0;
  rows.clear();
  clear_pending();
}

namespace {

// Fibonacci hashing: multiplies by 2^64 / golden ratio and keeps the top bits, which spreads
// consecutive and strided row numbers evenly over a power-of-two table.
size_t slot_hash(int64_t row, size_t table_size) {
  const uint64_t mixed = static_cast<uint64_t>(row) * 0x9E3779B97F4A7C15ULL;
  return static_cast<size_t>(mixed >> 32) & (table_size - 1);
}

}  // namespace

float* GradRows::pending_row(int64_t row, int64_t D) {
  const size_t count = pending_rows.size();
  if (slot_table.size() < 2 * (count + 1)) {
    // Grow to keep the table at most half full (short probes), re-inserting every slot.
    slot_table.assign(std::max<size_t>(1024, std::bit_ceil(4 * (count + 1))), 0);
    for (size_t slot = 0; slot < count; ++slot) {
      size_t at = slot_hash(pending_rows[slot], slot_table.size());
      while (slot_table[at] != 0)
        at = (at + 1) & (slot_table.size() - 1);
      slot_table[at] = static_cast<int32_t>(slot + 1);
    }
  }
  size_t at = slot_hash(row, slot_table.size());
  while (slot_table[at] != 0) {
    const auto slot = static_cast<size_t>(slot_table[at] - 1);
    if (pending_rows[slot] == row) return pending_values.data() + slot * D;
    at = (at + 1) & (slot_table.size() - 1);
  }
  slot_table[at] = static_cast<int32_t>(count + 1);
  pending_rows.push_back(row);
  pending_values.resize((count + 1) * D, 0.0f);
  return pending_values.data() + count * D;
}

void GradRows::clear_pending() {
  if (pending_rows.empty()) return;
  if (8 * pending_rows.size() < slot_table.size()) {
    // Few rows (word2vec's small batches): empty just their entries. Each search looks for a
    // value known to be there, so it may walk past entries already emptied.
    for (size_t slot = 0; slot < pending_rows.size(); ++slot) {
      size_t at = slot_hash(pending_rows[slot], slot_table.size());
      while (slot_table[at] != static_cast<int32_t>(slot + 1))
        at = (at + 1) & (slot_table.size() - 1);
      slot_table[at] = 0;
    }
  } else {
    std::fill(slot_table.begin(), slot_table.end(), 0);
  }
  pending_rows.clear();
  pending_values.clear();
}

void GradRows::flush_pending(float* dense, int64_t num_rows, int64_t D) {
  for (size_t slot = 0; slot < pending_rows.size(); ++slot) {
    const int64_t row = pending_rows[slot];
    const float* src = pending_values.data() + slot * D;
    float* dst = dense + row * D;
    for (int64_t c = 0; c < D; ++c)
      dst[c] += src[c];
    touch(row, num_rows);
  }
  clear_pending();
}

}  // namespace embedlab
