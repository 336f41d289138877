// Tensor's accessors and make_tensor. No maths here: see autograd/.
#include "tensor/tensor.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <new>
#include <stdexcept>
#include <type_traits>

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

void bump_version(const Tensor& t) {
  ++checked_impl(t.impl_ptr()).storage->version;
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
  if (dtype() == DType::Float32) {
    const float value = impl_->storage->values[0];
    if constexpr (std::is_integral_v<T>) {
      // Truncates toward zero as PyTorch does, but never converts NaN, an infinity or a value
      // out of T's range (undefined behaviour in C++, garbage in practice).
      const double limit = std::ldexp(1.0, std::numeric_limits<T>::digits);  // 2^63 or 2^31
      if (!std::isfinite(value) || value >= limit || value < -limit) {
        throw ValueError(fmt::format(
            "item(): value {} cannot be converted to an integer of {} bits without overflow", value,
            std::numeric_limits<T>::digits + 1));
      }
    }
    return static_cast<T>(value);
  }
  return static_cast<T>(impl_->storage->ids[0]);
}
template float Tensor::item<float>() const;
template double Tensor::item<double>() const;
template int64_t Tensor::item<int64_t>() const;
template int Tensor::item<int>() const;

float Tensor::at(int64_t i) const {
  check_index(i, numel(), "Tensor::at");
  if (dtype() == DType::Int64) {
    // float holds every integer only up to 2^24: a larger id would come back rounded.
    const int64_t id = impl_->storage->ids[i];
    if (id > (int64_t{1} << 24) || id < -(int64_t{1} << 24)) {
      throw ValueError(fmt::format(
          "Tensor::at: id {} at position {} is not exact as a float (beyond 2^24); read it with "
          "id_at({})",
          id, i, i));
    }
    return static_cast<float>(id);
  }
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

}  // namespace embedlab
