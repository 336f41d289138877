/// @file creation.h
/// @brief Functions that make new tensors: from literal values, filled, ranges and random.
///
/// None of these record a graph: the tensors they make are leaves. Call `requires_grad_()` on
/// the result to make it a trainable parameter.
#pragma once

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <type_traits>
#include <vector>

#include "tensor/random.h"
#include "tensor/tensor.h"

namespace embedlab {

/// One number as written in a literal: an integer (kept as `int64_t`) or a floating value
/// (kept as `double`), like `c10::Scalar`. It lets `tensor({16777217, 3}, DType::Int64)` keep
/// 16777217 exactly: through `float` it would become 16777216 (float holds every integer only
/// up to 2^24).
struct Scalar {
  bool is_integer = false;  ///< true when written as an integer (int, int64_t, size_t, ...)
  int64_t integer = 0;      ///< the value, when `is_integer`
  double floating = 0.0;    ///< the value, when not `is_integer`

  /// Keeps any arithmetic value: integers exactly, floating values as `double`.
  template <typename T>
  requires std::is_arithmetic_v<T> Scalar(
      T value) {  // NOLINT(google-explicit-constructor): literals convert implicitly
    if constexpr (std::is_floating_point_v<T>) {
      floating = static_cast<double>(value);
    } else if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(int64_t)) {
      // An unsigned value above INT64_MAX stays a (rounded) floating value, so converting it
      // to an id fails with its value named instead of wrapping around.
      if (value > static_cast<T>(INT64_MAX)) {
        floating = static_cast<double>(value);
      } else {
        is_integer = true;
        integer = static_cast<int64_t>(value);
      }
    } else {
      is_integer = true;
      integer = static_cast<int64_t>(value);
    }
  }
  /// Returns the value as float32 (integers above 2^24 round, as in PyTorch's float tensors).
  float to_float() const;
  /// Returns the value as an int64 id.
  /// @throws ValueError for NaN, an infinity or a value outside int64's range; TypeError for a
  /// fraction; `op` names the caller in the message, and `position` (when not -1) the value's
  /// place in a list.
  int64_t to_int64(const char* op, int64_t position = -1) const;
};

/// Makes a scalar (rank 0) tensor; `DType::Int64` makes an id, kept exactly.
/// @code
/// tensor(3.5f)                      // tensor(3.5000)
/// tensor(16777217, DType::Int64)    // tensor(16777217)
/// @endcode
/// @throws ValueError when an int64 value is NaN, infinite or out of range; TypeError when it
/// is not a whole number.
Tensor tensor(Scalar value, DType dtype = DType::Float32);
/// Makes a vector from a list: `tensor({1, 2, 3})`; `DType::Int64` makes an id vector whose
/// integers are kept exactly (`tensor({16777217, 3}, DType::Int64)` holds 16777217).
/// Differs from PyTorch: the dtype is float32 unless you ask for int64 (PyTorch infers int64
/// from integer literals).
/// @throws ValueError when an int64 value is NaN, infinite or out of range; TypeError when it
/// is not a whole number.
Tensor tensor(std::initializer_list<Scalar> values, DType dtype = DType::Float32);
/// Makes a matrix from nested lists: `tensor({{1, 2}, {3, 4}})`.
/// @throws ShapeError when the rows have different lengths.
Tensor tensor(std::initializer_list<std::initializer_list<Scalar>> rows,
              DType dtype = DType::Float32);
/// Makes a vector from `values` (the form the list overloads share).
Tensor tensor(const std::vector<Scalar>& values, DType dtype = DType::Float32);
/// Makes a matrix from rows of `values`.
/// @throws ShapeError when the rows have different lengths.
Tensor tensor(const std::vector<std::vector<Scalar>>& rows, DType dtype = DType::Float32);
/// Makes a vector from a `std::initializer_list<float>` object (a braced list of literals
/// picks the `Scalar` overload above; this one serves code that passes a list along).
template <typename T>
requires std::same_as<T, float> Tensor tensor(std::initializer_list<T> values,
                                              DType dtype = DType::Float32) {
  return tensor(std::vector<Scalar>(values.begin(), values.end()), dtype);
}
/// Makes a matrix from a `std::initializer_list<std::initializer_list<float>>` object.
template <typename T>
requires std::same_as<T, float> Tensor tensor(std::initializer_list<std::initializer_list<T>> rows,
                                              DType dtype = DType::Float32) {
  std::vector<std::vector<Scalar>> values;
  for (const auto& row : rows)
    values.emplace_back(row.begin(), row.end());
  return tensor(values, dtype);
}
/// Makes a float tensor of `shape` that takes its elements from `values` (row-major).
/// @throws ShapeError when `values.size()` differs from the shape's element count.
Tensor from_vector(std::vector<float> values, const Shape& shape);
/// Same as `from_vector`, taking over a buffer of the storage's own type without a copy (ops that
/// build a large output row by row use it).
/// @throws ShapeError when `values.size()` differs from the shape's element count.
Tensor from_buffer(FloatBuffer values, const Shape& shape);
/// Makes an int64 id tensor of `shape` from `ids` (row-major), like `from_ids`.
/// @throws ShapeError when `ids.size()` differs from the shape's element count.
Tensor from_vector(std::vector<int64_t> ids, const Shape& shape);
/// Makes a float tensor from a braced list: `from_vector({1, 2, 3, 4}, {2, 2})` (for ids,
/// pass a `std::vector<int64_t>` or use `from_ids`).
Tensor from_vector(std::initializer_list<float> values, const Shape& shape);
/// Makes an int64 id tensor of `shape` from `ids` (row-major).
/// @throws ShapeError when `ids.size()` differs from the shape's element count.
Tensor from_ids(std::vector<int64_t> ids, const Shape& shape);

/// Makes a tensor of zeros.
Tensor zeros(const Shape& shape, DType dtype = DType::Float32);
/// Makes a tensor of ones.
Tensor ones(const Shape& shape, DType dtype = DType::Float32);
/// Makes a tensor with every element equal to `value` (kept exactly for int64).
/// @throws ValueError when an int64 `value` is NaN, infinite or out of range; TypeError when
/// it is not a whole number.
Tensor full(const Shape& shape, Scalar value, DType dtype = DType::Float32);
/// Makes a zero tensor with the shape and dtype of `like`.
Tensor zeros_like(const Tensor& like);
/// Makes a one tensor with the shape and dtype of `like`.
Tensor ones_like(const Tensor& like);
/// Makes the int64 vector 0, 1, ..., end - 1, like `torch::arange(end)`.
/// @throws ValueError when `end` is negative.
Tensor arange(int64_t end);
/// Makes the vector start, start + step, ... below `end` (float32 unless `dtype` says int64).
/// @throws ValueError when `step` is zero or not finite.
Tensor arange(double start, double end, double step = 1.0, DType dtype = DType::Float32);
/// Makes the n x n identity matrix.
Tensor eye(int64_t n);

/// Makes a tensor of floats drawn uniformly from [0, 1).
Tensor rand(const Shape& shape, Generator& generator = default_generator());
/// Makes a tensor of floats drawn from the standard normal distribution N(0, 1).
Tensor randn(const Shape& shape, Generator& generator = default_generator());
/// Makes an int64 tensor of ids drawn uniformly from [low, high).
/// @throws ValueError when `high <= low`.
Tensor randint(int64_t low, int64_t high, const Shape& shape,
               Generator& generator = default_generator());

}  // namespace embedlab
