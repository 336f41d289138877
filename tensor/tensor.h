/// @file tensor.h
/// @brief `Tensor`: a handle to a rank 0-2 array of float32 values or int64 ids.
///
/// This file holds the data structure only: storage, shape, element access and the flags that
/// autograd reads. The maths on tensors (add, matmul, embedding, ...) lives in autograd/, because
/// every op there also knows its derivative. Members that compute (such as `sum()` or `backward()`)
/// are declared here so learners can write `loss.backward()` as in PyTorch; they are defined in
/// autograd/ and need `embedlab::autograd` (or the umbrella `embedlab::embedlab`) at link time.
///
/// Storage is one `std::vector` of floats (or `std::vector<int64_t>` for ids) in row-major order,
/// whose blocks of 2 MB and more sit on huge pages (`FloatBuffer`, huge_page_allocator.h), so
/// `p t.impl_->storage->values` in gdb shows every element, and element (r, c) of an (R, C) matrix
/// sits at `r * C + c`.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "tensor/huge_page_allocator.h"
#include "tensor/shape.h"

namespace embedlab {

/// The element type of a tensor: float32 values or int64 ids (the course: "the input is an
/// integer tensor, the output a float tensor").
enum class DType { Float32, Int64 };

/// Returns the PyTorch name of a dtype: "float32" or "int64".
const char* dtype_name(DType dtype);

struct TensorImpl;
struct Node;
struct GradRows;

/// A handle to a tensor: copies of a `Tensor` share the same elements, like `torch::Tensor`.
///
/// @code
/// Tensor w = tensor({{1, 2}, {3, 4}});
/// fmt::print("{}\n", w);   // tensor([[1., 2.],
///                          //         [3., 4.]])
/// @endcode
/// Differs from PyTorch: the rank is at most 2, storage is always contiguous, and a tensor is
/// either float32 or int64.
/// @see \chapter_ch05_tensors teaches it.
class Tensor {
 public:
  /// Makes an undefined tensor (no storage), like a default `torch::Tensor`.
  Tensor() = default;
  /// Wraps an existing implementation; used by ops that build new tensors.
  explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

  /// Returns true when the tensor has storage (false for a default-constructed `Tensor`).
  bool defined() const { return impl_ != nullptr; }
  /// Returns the shape: `()`, `(N)` or `(R, C)`.
  const Shape& shape() const;
  /// Returns the number of dims: 0 (scalar), 1 (vector) or 2 (matrix).
  int rank() const { return shape().rank(); }
  /// Returns the size along one dim (negative counts from the end).
  int64_t size(int dim) const { return shape()[dim]; }
  /// Returns the number of elements.
  int64_t numel() const { return shape().numel(); }
  /// Returns the element type.
  DType dtype() const;
  /// Returns true for float32 tensors.
  bool is_floating_point() const { return dtype() == DType::Float32; }

  /// Returns the single element of a one-element tensor, converted to `T` (a float converted
  /// to an integer type truncates toward zero, as in PyTorch).
  /// @throws ValueError when the tensor has more than one element, or when a float is NaN,
  /// infinite or out of the integer type's range.
  template <typename T = float>
  T item() const;
  /// Returns element `i` of a vector (or of the flattened tensor) as float.
  /// @throws IndexError when `i` is out of range; ValueError for an id beyond 2^24, which
  /// float cannot hold exactly (read ids with `id_at`).
  float at(int64_t i) const;
  /// Returns element (`row`, `col`) of a matrix as float.
  /// @throws IndexError when either index is out of range.
  float at(int64_t row, int64_t col) const;
  /// Returns element `i` of an int64 tensor (flattened).
  /// @throws TypeError for float tensors; IndexError when `i` is out of range.
  int64_t id_at(int64_t i) const;

  /// Returns the float32 elements in row-major order (raw access, not recorded by autograd).
  /// @throws TypeError for int64 tensors.
  std::span<float> data();
  /// Returns the float32 elements in row-major order, read-only.
  std::span<const float> data() const;
  /// Returns the int64 elements in row-major order (raw access).
  /// @throws TypeError for float32 tensors.
  std::span<int64_t> ids();
  /// Returns the int64 elements in row-major order, read-only.
  std::span<const int64_t> ids() const;

  /// Returns true when gradients flow into this tensor on `backward()`.
  bool requires_grad() const;
  /// Turns gradient tracking on or off for a leaf tensor and returns it, like PyTorch.
  /// @throws TypeError for int64 tensors (ids have no gradient).
  Tensor& requires_grad_(bool on = true);
  /// Returns the accumulated gradient, or an undefined tensor before the first `backward()`
  /// (defined in autograd/grad_rows.cpp: it folds an embedding's compact block of rows in).
  Tensor grad() const;
  /// Returns the gradient itself, to assign or change, as `mutable_grad()` in libtorch:
  /// `w.mutable_grad() = tensor({0.5, 0.5});` (for gradient accumulation recipes and tests).
  /// An embedding's compact block of rows is folded in first, and every row counts from then
  /// on; a gradient of another shape is refused by the next backward, step or zero_grad.
  Tensor& mutable_grad();
  /// Asks `backward()` to keep this non-leaf tensor's gradient, as `retain_grad()` in PyTorch.
  void retain_grad();
  /// Returns true for a tensor no recorded op produced (user-made tensors and parameters).
  bool is_leaf() const;
  /// Returns the name of the op that produced this tensor ("matmul"), or "" for a leaf.
  std::string grad_fn_name() const;

  /// Prints the tensor as PyTorch does: values (long tensors elided), dtype when not float,
  /// `requires_grad=true` or `grad_fn=<op>`. gdb can `call t.to_string()`.
  std::string to_string() const;

  // ---- Defined in autograd/: computing members, recorded for backward when needed. ----

  /// Computes gradients of this scalar with respect to every leaf that requires grad.
  /// `gradient` is required when the tensor is not a scalar; gradients accumulate with `+=`.
  /// @throws AutogradError for a non-scalar without `gradient`, or a graph already freed.
  void backward(const Tensor& gradient = Tensor(), bool retain_graph = false) const;
  /// Returns a tensor sharing this one's elements but cut off from the graph.
  Tensor detach() const;
  /// Returns a copy with its own storage (recorded: gradients flow back to this tensor).
  Tensor clone() const;
  /// Returns the same elements with a new shape (one size may be -1); shares storage.
  Tensor reshape(std::initializer_list<int64_t> sizes) const;
  /// Same as `reshape`: embedlab tensors are always contiguous, so every reshape is a view.
  Tensor view(std::initializer_list<int64_t> sizes) const;
  /// Returns the transpose of a matrix (a copy); vectors and scalars are returned as they are.
  Tensor t() const;
  /// Returns the sum of all elements as a scalar.
  Tensor sum() const;
  /// Returns the sum along `dim`, keeping it with size 1 when `keepdim`.
  Tensor sum(int dim, bool keepdim = false) const;
  /// Returns the mean of all elements as a scalar.
  Tensor mean() const;
  /// Returns the mean along `dim`, keeping it with size 1 when `keepdim`.
  Tensor mean(int dim, bool keepdim = false) const;
  /// Returns row `index` of a matrix as a vector (or element `index` of a vector as a scalar).
  Tensor operator[](int64_t index) const;
  /// Returns the matrix product with `other` (see `embedlab::matmul`).
  Tensor matmul(const Tensor& other) const;
  /// Returns e raised to each element.
  Tensor exp() const;
  /// Returns the natural logarithm of each element.
  Tensor log() const;
  /// Returns each element raised to `exponent`.
  Tensor pow(float exponent) const;

  /// Gives ops and the engine the implementation (not for everyday use).
  TensorImpl* impl() const { return impl_.get(); }
  /// Gives ops and the engine shared ownership of the implementation.
  const std::shared_ptr<TensorImpl>& impl_ptr() const { return impl_; }

 private:
  std::shared_ptr<TensorImpl> impl_;
};

/// The elements of a tensor; several tensors (views, detached copies) may share one storage.
struct Storage {
  FloatBuffer values;        ///< float32 elements, row-major (empty for int64 tensors)
  std::vector<int64_t> ids;  ///< int64 elements, row-major (empty for float32 tensors)
  /// Counts in-place changes, so backward can refuse values that changed after an op saved them.
  uint64_t version = 0;
};

/// Records that the elements of `t` were changed in place: the one function that bumps the
/// storage version. Every in-place writer calls it, whatever the grad mode (fill_, copy_,
/// add_, mul_, optimiser steps, nn::init, max_norm's renorm, loading a checkpoint), so a
/// backward that saved the old values refuses to run. Writing through `data()` or `ids()` is
/// raw access that it cannot see: call `bump_version` after such a write.
void bump_version(const Tensor& t);

/// What a `Tensor` handle points to: shape, dtype, storage, and the fields autograd uses.
struct TensorImpl {
  Shape shape;                       ///< sizes of the 0-2 dims
  DType dtype = DType::Float32;      ///< float32 values or int64 ids
  std::shared_ptr<Storage> storage;  ///< the elements (shared by views)
  bool requires_grad = false;        ///< gradients flow into this tensor
  bool retains_grad = false;         ///< keep the gradient of a non-leaf after backward
  const char* op = nullptr;          ///< name of the op that made it ("matmul"); null for leaves
  std::shared_ptr<Node> grad_fn;     ///< the graph node that made it; null for leaves
  Tensor grad;                       ///< accumulated gradient, same shape (undefined until used)
  /// Which rows of `grad` may be non-zero, and the compact block of rows backward added
  /// (autograd/grad_rows.h); null until backward first adds rows.
  std::shared_ptr<GradRows> grad_rows;
};

/// Makes a tensor of the given shape and dtype with every element zero.
Tensor make_tensor(const Shape& shape, DType dtype = DType::Float32);

}  // namespace embedlab
