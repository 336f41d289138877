/// @file shape.h
/// @brief `Shape`: the size of a tensor along each of its 0, 1 or 2 dims.
///
/// embedlab tensors have rank 0 (a scalar), 1 (a vector) or 2 (a matrix), as in the course text.
/// Asking for rank 3 is an error that says so, instead of a silent reshape.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>

namespace embedlab {

/// The largest rank an embedlab tensor can have (2: a matrix).
inline constexpr int kMaxRank = 2;

/// The sizes of a tensor's dims: `()` for a scalar, `(N)` for a vector, `(R, C)` for a matrix.
class Shape {
 public:
  /// Makes the shape of a scalar, `()`.
  Shape() = default;
  /// Makes a shape from its sizes, such as `Shape{2, 3}`.
  /// @throws ShapeError for more than two sizes, a negative size, or more elements than int64
  /// can count.
  Shape(std::initializer_list<int64_t> sizes);
  /// Makes a shape from a list of sizes (any length; checked like the initializer list).
  static Shape from(std::span<const int64_t> sizes);

  /// Returns the number of dims: 0, 1 or 2.
  int rank() const { return rank_; }
  /// Returns the size along `dim` (0 or 1; -1 means the last dim).
  /// @throws IndexError when the dim does not exist.
  int64_t operator[](int dim) const;
  /// Returns the number of elements: the product of the sizes (1 for a scalar).
  int64_t numel() const;
  /// Returns the number of rows: size(0) for a matrix, 1 for a vector or scalar.
  int64_t rows() const { return rank_ == 2 ? sizes_[0] : 1; }
  /// Returns the number of columns: the last size, or 1 for a scalar.
  int64_t cols() const { return rank_ == 0 ? 1 : sizes_[rank_ - 1]; }
  /// Returns the sizes as a span of `rank()` numbers.
  std::span<const int64_t> sizes() const { return {sizes_.data(), static_cast<size_t>(rank_)}; }
  /// Turns a possibly negative dim into 0 or 1, as PyTorch does (-1 is the last dim).
  /// @throws IndexError when the dim does not exist; `op` names the caller in the message,
  /// which also gives the valid range: `sum: dim 2 is out of range for a rank-2 tensor of
  /// shape (2, 3) (valid dims: -2 to 1)`.
  int normalize_dim(int dim, const char* op) const;
  /// Writes the shape as PyTorch prints sizes: `()`, `(3)`, `(2, 3)`.
  std::string to_string() const;

  /// Two shapes are equal when they have the same rank and sizes.
  bool operator==(const Shape& other) const = default;

 private:
  int rank_ = 0;
  std::array<int64_t, kMaxRank> sizes_{0, 0};
};

}  // namespace embedlab
