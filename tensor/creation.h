/// @file creation.h
/// @brief Functions that make new tensors: from literal values, filled, ranges and random.
///
/// None of these record a graph: the tensors they make are leaves. Call `requires_grad_()` on
/// the result to make it a trainable parameter.
#pragma once

#include <initializer_list>
#include <vector>

#include "tensor/random.h"
#include "tensor/tensor.h"

namespace embedlab {

/// Makes a scalar (rank 0) tensor.
/// @code
/// tensor(3.5f)   // tensor(3.5000)
/// @endcode
Tensor tensor(float value, DType dtype = DType::Float32);
/// Makes a vector from a list: `tensor({1, 2, 3})`; `DType::Int64` makes an id vector.
/// @throws TypeError when an id value is not a whole number.
Tensor tensor(std::initializer_list<float> values, DType dtype = DType::Float32);
/// Makes a matrix from nested lists: `tensor({{1, 2}, {3, 4}})`.
/// @throws ShapeError when the rows have different lengths.
Tensor tensor(std::initializer_list<std::initializer_list<float>> rows,
              DType dtype = DType::Float32);
/// Makes a float tensor of `shape` that takes its elements from `values` (row-major).
/// @throws ShapeError when `values.size()` differs from the shape's element count.
Tensor from_vector(std::vector<float> values, const Shape& shape);
/// Same as `from_vector`, taking over a buffer of the storage's own type without a copy (ops that
/// build a large output row by row use it).
/// @throws ShapeError when `values.size()` differs from the shape's element count.
Tensor from_buffer(FloatBuffer values, const Shape& shape);
/// Makes an int64 id tensor of `shape` from `ids` (row-major).
/// @throws ShapeError when `ids.size()` differs from the shape's element count.
Tensor from_ids(std::vector<int64_t> ids, const Shape& shape);

/// Makes a tensor of zeros.
Tensor zeros(const Shape& shape, DType dtype = DType::Float32);
/// Makes a tensor of ones.
Tensor ones(const Shape& shape, DType dtype = DType::Float32);
/// Makes a tensor with every element equal to `value`.
Tensor full(const Shape& shape, float value, DType dtype = DType::Float32);
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
