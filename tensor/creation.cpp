// Tensor factories: literals, filled tensors, ranges and random draws. All make leaves.
#include "tensor/creation.h"

#include <cmath>
#include <span>
#include <string>

#include <fmt/format.h>

#include "tensor/error.h"

namespace embedlab {

float Scalar::to_float() const {
  return is_integer ? static_cast<float>(integer) : static_cast<float>(floating);
}

int64_t Scalar::to_int64(const char* op, int64_t position) const {
  if (is_integer) return integer;
  const std::string where = position < 0 ? "" : fmt::format(" at position {}", position);
  // 2^63 is exactly representable as a double; every double below it and >= -2^63 converts.
  constexpr double kLimit = 9223372036854775808.0;
  if (!std::isfinite(floating) || floating >= kLimit || floating < -kLimit) {
    throw ValueError(fmt::format("{}: value {}{} cannot be converted to int64 without overflow", op,
                                 floating, where));
  }
  if (floating != std::trunc(floating)) {
    throw TypeError(fmt::format("{}: value {}{} is not a whole number, so it is not an int64 id",
                                op, floating, where));
  }
  return static_cast<int64_t>(floating);
}

namespace {
// Stores literal values into a new tensor of `dtype`: integers stay exact as ids.
Tensor from_scalars(std::span<const Scalar> values, const Shape& shape, DType dtype) {
  Tensor out = make_tensor(shape, dtype);
  if (dtype == DType::Float32) {
    std::span<float> dst = out.data();
    for (size_t i = 0; i < values.size(); ++i)
      dst[i] = values[i].to_float();
    return out;
  }
  std::span<int64_t> ids = out.ids();
  for (size_t i = 0; i < values.size(); ++i) {
    ids[i] = values[i].to_int64("tensor(..., int64)", static_cast<int64_t>(i));
  }
  return out;
}
}  // namespace

Tensor tensor(Scalar value, DType dtype) {
  return from_scalars({&value, 1}, Shape{}, dtype);
}

Tensor tensor(std::initializer_list<Scalar> values, DType dtype) {
  return from_scalars({values.begin(), values.size()}, Shape{static_cast<int64_t>(values.size())},
                      dtype);
}

Tensor tensor(const std::vector<Scalar>& values, DType dtype) {
  return from_scalars(values, Shape{static_cast<int64_t>(values.size())}, dtype);
}

namespace {
// Flattens equal-length rows into one row-major list, naming a ragged row.
template <typename Rows>
Tensor matrix_from_rows(const Rows& rows, DType dtype) {
  const int64_t num_rows = static_cast<int64_t>(rows.size());
  const int64_t num_cols = num_rows ? static_cast<int64_t>(rows.begin()->size()) : 0;
  std::vector<Scalar> values;
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
  return from_scalars(values, Shape{num_rows, num_cols}, dtype);
}
}  // namespace

Tensor tensor(std::initializer_list<std::initializer_list<Scalar>> rows, DType dtype) {
  return matrix_from_rows(rows, dtype);
}

Tensor tensor(const std::vector<std::vector<Scalar>>& rows, DType dtype) {
  return matrix_from_rows(rows, dtype);
}

Tensor from_vector(std::vector<int64_t> ids, const Shape& shape) {
  return from_ids(std::move(ids), shape);
}

Tensor from_vector(std::initializer_list<float> values, const Shape& shape) {
  return from_vector(std::vector<float>(values), shape);
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

Tensor full(const Shape& shape, Scalar value, DType dtype) {
  if (dtype == DType::Float32) {
    Tensor out = make_tensor(shape, dtype);
    std::fill(out.data().begin(), out.data().end(), value.to_float());
    return out;
  }
  const int64_t id = value.to_int64("full(..., int64)");  // before allocating
  Tensor out = make_tensor(shape, dtype);
  std::fill(out.ids().begin(), out.ids().end(), id);
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
  const double steps = std::max(0.0, std::ceil((end - start) / step));
  if (steps > 1e15) {
    throw ValueError(fmt::format("arange: start {}, end {}, step {} would make {} elements", start,
                                 end, step, steps));
  }
  const auto count = static_cast<int64_t>(steps);
  Tensor out = make_tensor(Shape{count}, dtype);
  // Each value in double (exact for integers up to 2^53), never through float for ids.
  for (int64_t i = 0; i < count; ++i) {
    const double value = start + static_cast<double>(i) * step;
    if (dtype == DType::Float32) {
      out.data()[i] = static_cast<float>(value);
    } else {
      out.ids()[i] = Scalar(value).to_int64("arange(..., int64)");
    }
  }
  return out;
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
