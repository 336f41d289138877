// Tensor factories: literals, filled tensors, ranges and random draws. All make leaves.
#include "tensor/creation.h"

#include <cmath>

#include <fmt/format.h>

#include "tensor/error.h"

namespace embedlab {

namespace {
// Stores float literals into a new tensor, converting to ids when asked.
Tensor from_floats(std::span<const float> values, const Shape& shape, DType dtype) {
  Tensor out = make_tensor(shape, dtype);
  if (dtype == DType::Float32) {
    std::copy(values.begin(), values.end(), out.data().begin());
    return out;
  }
  auto ids = out.ids();
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i] != std::trunc(values[i])) {
      throw TypeError(fmt::format(
          "tensor(..., int64): value {} at position {} is not a whole number", values[i], i));
    }
    ids[i] = static_cast<int64_t>(values[i]);
  }
  return out;
}
}  // namespace

Tensor tensor(float value, DType dtype) {
  return from_floats({&value, 1}, Shape{}, dtype);
}

Tensor tensor(std::initializer_list<float> values, DType dtype) {
  return from_floats({values.begin(), values.size()}, Shape{static_cast<int64_t>(values.size())},
                     dtype);
}

Tensor tensor(std::initializer_list<std::initializer_list<float>> rows, DType dtype) {
  const int64_t num_rows = static_cast<int64_t>(rows.size());
  const int64_t num_cols = num_rows ? static_cast<int64_t>(rows.begin()->size()) : 0;
  std::vector<float> values;
  values.reserve(num_rows * num_cols);
  int64_t r = 0;
  for (const auto& row : rows) {
    if (static_cast<int64_t>(row.size()) != num_cols) {
      throw ShapeError(
          fmt::format("tensor: row {} has {} values but row 0 has {}", r, row.size(), num_cols));
    }
    values.insert(values.end(), row.begin(), row.end());
    ++r;
  }
  return from_floats(values, Shape{num_rows, num_cols}, dtype);
}

Tensor from_vector(std::vector<float> values, const Shape& shape) {
  if (static_cast<int64_t>(values.size()) != shape.numel()) {
    throw ShapeError(fmt::format("from_vector: {} values cannot fill shape {} ({} elements)",
                                 values.size(), shape.to_string(), shape.numel()));
  }
  // A copy: the storage's vector has its own allocator (huge pages for large blocks).
  return from_buffer(FloatBuffer(values.begin(), values.end()), shape);
}

Tensor from_buffer(FloatBuffer values, const Shape& shape) {
  if (static_cast<int64_t>(values.size()) != shape.numel()) {
    throw ShapeError(fmt::format("from_buffer: {} values cannot fill shape {} ({} elements)",
                                 values.size(), shape.to_string(), shape.numel()));
  }
  Tensor out = make_tensor(Shape{}, DType::Float32);
  out.impl()->shape = shape;
  out.impl()->storage->values = std::move(values);
  return out;
}

Tensor from_ids(std::vector<int64_t> ids, const Shape& shape) {
  if (static_cast<int64_t>(ids.size()) != shape.numel()) {
    throw ShapeError(fmt::format("from_ids: {} ids cannot fill shape {} ({} elements)", ids.size(),
                                 shape.to_string(), shape.numel()));
  }
  Tensor out = make_tensor(Shape{}, DType::Int64);
  out.impl()->shape = shape;
  out.impl()->storage->ids = std::move(ids);
  return out;
}

Tensor zeros(const Shape& shape, DType dtype) {
  return make_tensor(shape, dtype);
}
Tensor ones(const Shape& shape, DType dtype) {
  return full(shape, 1.0f, dtype);
}

Tensor full(const Shape& shape, float value, DType dtype) {
  Tensor out = make_tensor(shape, dtype);
  if (dtype == DType::Float32) {
    std::fill(out.data().begin(), out.data().end(), value);
  } else {
    std::fill(out.ids().begin(), out.ids().end(), static_cast<int64_t>(value));
  }
  return out;
}

Tensor zeros_like(const Tensor& like) {
  return make_tensor(like.shape(), like.dtype());
}
Tensor ones_like(const Tensor& like) {
  return ones(like.shape(), like.dtype());
}

Tensor arange(int64_t end) {
  if (end < 0) throw ValueError(fmt::format("arange: end {} is negative", end));
  Tensor out = make_tensor(Shape{end}, DType::Int64);
  auto ids = out.ids();
  for (int64_t i = 0; i < end; ++i)
    ids[i] = i;
  return out;
}

Tensor arange(double start, double end, double step, DType dtype) {
  if (step == 0.0 || !std::isfinite(step) || !std::isfinite(start) || !std::isfinite(end)) {
    throw ValueError(fmt::format("arange: start {}, end {}, step {} must be finite, step non-zero",
                                 start, end, step));
  }
  const auto count = static_cast<int64_t>(std::max(0.0, std::ceil((end - start) / step)));
  std::vector<float> values(count);
  for (int64_t i = 0; i < count; ++i)
    values[i] = static_cast<float>(start + i * step);
  return from_floats(values, Shape{count}, dtype);
}

Tensor eye(int64_t n) {
  // BEGIN SOLUTION task 1.1
  // STUB: (void)n;
  Tensor out = zeros(Shape{n, n});
  auto values = out.data();
  for (int64_t i = 0; i < n; ++i)
    values[i * n + i] = 1.0f;
  return out;
  // END SOLUTION
}

Tensor rand(const Shape& shape, Generator& generator) {
  Tensor out = make_tensor(shape);
  for (float& value : out.data())
    value = generator.uniform();
  return out;
}

Tensor randn(const Shape& shape, Generator& generator) {
  Tensor out = make_tensor(shape);
  for (float& value : out.data())
    value = generator.normal();
  return out;
}

Tensor randint(int64_t low, int64_t high, const Shape& shape, Generator& generator) {
  if (high <= low) throw ValueError(fmt::format("randint: empty range [{}, {})", low, high));
  Tensor out = make_tensor(shape, DType::Int64);
  for (int64_t& id : out.ids())
    id = generator.integer(low, high);
  return out;
}

}  // namespace embedlab
