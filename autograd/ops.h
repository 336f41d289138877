/// @file ops.h
/// @brief Every differentiable op on tensors, PyTorch-named. Each is recorded for backward
/// when an input requires grad; its derivative is a named function beside its forward in
/// autograd/ops_*.cpp.
///
/// Broadcasting in binary ops follows PyTorch's rules within rank 2: sizes are compared from
/// the last dim, and a size of 1 (or a missing dim) stretches. So a scalar works with any
/// tensor, a row vector `(C)` or `(1, C)` with every row of an `(R, C)` matrix, and a column
/// `(R, 1)` with every column.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "autograd/node.h"
#include "tensor/creation.h"
#include "tensor/tensor.h"

namespace embedlab {

// ---- ops_binary.cpp, ops_unary.cpp ----

/// Adds two tensors element by element, broadcasting as PyTorch does.
/// @throws ShapeError when the shapes cannot broadcast (both shapes are named).
Tensor add(const Tensor& a, const Tensor& b);
/// Subtracts `b` from `a` element by element, broadcasting.
Tensor sub(const Tensor& a, const Tensor& b);
/// Multiplies element by element (not the matrix product: see `matmul`), broadcasting.
Tensor mul(const Tensor& a, const Tensor& b);
/// Divides `a` by `b` element by element, broadcasting.
Tensor div(const Tensor& a, const Tensor& b);
/// Returns -x.
Tensor neg(const Tensor& x);
/// Returns x raised to `exponent`, element by element.
Tensor pow(const Tensor& x, float exponent);
/// Returns e^x.
Tensor exp(const Tensor& x);
/// Returns the natural logarithm ln(x) (-inf at 0, nan below, as in PyTorch).
Tensor log(const Tensor& x);
/// Returns the square root.
Tensor sqrt(const Tensor& x);
/// Returns |x|; its derivative at 0 is taken as 0, as PyTorch does.
Tensor abs(const Tensor& x);
/// Limits every element to [min, max]; a bound left out (`std::nullopt`) is no limit, as in
/// `torch::clamp`. The gradient is 0 where a limit applied.
/// @code
/// clamp(tensor({-2, 0.5, 3}), std::nullopt, 1.0f)   // tensor([-2.0000, 0.5000, 1.0000])
/// @endcode
/// @throws ValueError when both bounds are missing, or min > max (differs from PyTorch, which
/// then sets every element to max).
Tensor clamp(const Tensor& x, std::optional<float> min, std::optional<float> max);
/// Limits every element from below: max(x, min), as `torch::clamp_min`.
Tensor clamp_min(const Tensor& x, float min);
/// Limits every element from above: min(x, max), as `torch::clamp_max`.
Tensor clamp_max(const Tensor& x, float max);
/// Returns tanh(x).
Tensor tanh(const Tensor& x);
/// Returns the logistic sigmoid 1 / (1 + e^-x), computed without overflow for large |x|.
Tensor sigmoid(const Tensor& x);
/// Returns max(x, 0).
Tensor relu(const Tensor& x);

/// `a + b` (see `add`).
Tensor operator+(const Tensor& a, const Tensor& b);
/// `a - b` (see `sub`).
Tensor operator-(const Tensor& a, const Tensor& b);
/// `a * b`, element by element (see `mul`).
Tensor operator*(const Tensor& a, const Tensor& b);
/// `a / b` (see `div`).
Tensor operator/(const Tensor& a, const Tensor& b);
/// `-x` (see `neg`).
Tensor operator-(const Tensor& x);
/// Adds a scalar to every element.
Tensor operator+(const Tensor& a, float b);
/// Adds a scalar to every element.
Tensor operator+(float a, const Tensor& b);
/// Subtracts a scalar from every element.
Tensor operator-(const Tensor& a, float b);
/// Subtracts every element from a scalar.
Tensor operator-(float a, const Tensor& b);
/// Multiplies every element by a scalar.
Tensor operator*(const Tensor& a, float b);
/// Multiplies every element by a scalar.
Tensor operator*(float a, const Tensor& b);
/// Divides every element by a scalar.
Tensor operator/(const Tensor& a, float b);
/// Divides a scalar by every element.
Tensor operator/(float a, const Tensor& b);

// ---- ops_reduce.cpp ----

/// Returns the sum of all elements as a scalar.
Tensor sum(const Tensor& x);
/// Returns the sum along `dim` (negative counts from the end); `keepdim` keeps it as size 1.
/// @throws IndexError naming the dim and the shape when the dim does not exist.
Tensor sum(const Tensor& x, int dim, bool keepdim = false);
/// Returns the mean of all elements as a scalar.
/// @throws ValueError for an empty tensor.
Tensor mean(const Tensor& x);
/// Returns the mean along `dim`, keeping it with size 1 when `keepdim`.
/// @throws ValueError when the dim has size 0.
Tensor mean(const Tensor& x, int dim, bool keepdim = false);

/// What `max(x, dim)` and `min(x, dim)` return, as PyTorch's `torch.return_types.max`: the
/// values and the positions along `dim` they came from. Unpack it with a structured binding,
/// `auto [values, indices] = max(x, 1);`, which also compiles against libtorch's std::tuple;
/// a named struct so gdb prints `{values = ..., indices = ...}`.
struct ValuesIndices {
  Tensor values;   ///< the chosen elements, float32, differentiable
  Tensor indices;  ///< their positions along `dim`, int64, not differentiable
};

/// Returns the largest element as a rank-0 tensor; a NaN counts as the largest.
/// With ties the gradient goes to the first largest element (differs from PyTorch, which
/// shares it evenly between equal largest elements).
/// @throws ValueError for an empty tensor.
Tensor max(const Tensor& x);
/// Returns the largest elements along `dim` and their positions, as `torch::max(x, dim)`.
///
/// (R, C) along dim 1 gives (R) values and (R) indices, (R, 1) each with `keepdim`. With ties
/// the first largest element is chosen, as libtorch does on the CPU (older PyTorch docs leave
/// it open); a NaN counts as the largest.
/// The gradient of `values` goes to the chosen positions, every other element gets 0.
/// @code
/// auto [values, indices] = max(tensor({{1, 9, 3}, {4, 5, 6}}), 1);
/// // values: tensor([9., 6.]), indices: tensor([1, 2], dtype=int64)
/// @endcode
/// @throws IndexError for a dim that does not exist; ValueError when the dim has size 0.
ValuesIndices max(const Tensor& x, int dim, bool keepdim = false);
/// Returns the smallest element as a rank-0 tensor; a NaN counts as the smallest.
/// With ties the gradient goes to the first smallest element (PyTorch shares it evenly).
/// @throws ValueError for an empty tensor.
Tensor min(const Tensor& x);
/// Returns the smallest elements along `dim` and their positions, as `torch::min(x, dim)`;
/// ties, NaN and gradient as in `max(x, dim)`.
/// @code
/// auto [values, indices] = min(tensor({{1, 9, 3}, {4, 5, 6}}), 0);
/// // values: tensor([1., 5., 3.]), indices: tensor([0, 1, 0], dtype=int64)
/// @endcode
/// @throws IndexError for a dim that does not exist; ValueError when the dim has size 0.
ValuesIndices min(const Tensor& x, int dim, bool keepdim = false);
/// Returns the positions of the largest elements along `dim` as int64 ids (not
/// differentiable): the `indices` of `max(x, dim)`, the first one on ties.
Tensor argmax(const Tensor& x, int dim);
/// Returns softmax along `dim`: e^x / sum(e^x), computed stably by subtracting the max first.
Tensor softmax(const Tensor& x, int dim = -1);
/// Returns log(softmax(x)) along `dim`, computed as x - max - log(sum(e^(x - max))), so it
/// stays finite for logits of +-1e4.
Tensor log_softmax(const Tensor& x, int dim = -1);

// ---- ops_matmul.cpp ----

/// Matrix product with PyTorch's rank rules: vector.vector gives a scalar (dot product),
/// matrix.vector a vector, vector.matrix a vector, matrix.matrix a matrix.
/// @throws ShapeError when the inner sizes differ (both shapes are named).
Tensor matmul(const Tensor& a, const Tensor& b);

// ---- ops_embedding.cpp ----

/// Looks up one row of `weight` (V, D) for each id: rank-0 ids give a (D) vector, rank-1 ids
/// (N) give an (N, D) matrix. The backward adds into the looked-up rows only.
/// @throws TypeError when `ids` is not int64; IndexError for an id outside [0, V) (with its
/// position); ShapeError for rank-2 ids (the output would need rank 3: use EmbeddingBag).
Tensor embedding(const Tensor& weight, const Tensor& ids);

/// The options of `embedding`, as in `torch::nn::functional::embedding`.
struct EmbeddingFuncOptions {
  int64_t padding_idx = -1;         ///< this id's row gets no gradient (-1: none)
  bool scale_grad_by_freq = false;  ///< divide each id's gradient by its count in the batch
  /// Rows looked up whose `norm_type`-norm exceeds this are rescaled to it, in place, before
  /// the lookup (see `embedding_renorm_`); none when empty.
  std::optional<float> max_norm{};
  float norm_type = 2.0f;  ///< the p of the p-norm `max_norm` uses
};
/// The earlier name of `EmbeddingFuncOptions` (its first two fields say how gradients flow).
using EmbeddingGrad = EmbeddingFuncOptions;
/// Looks up rows like `embedding(weight, ids)`, with max_norm applied to the looked-up rows
/// first, and padding and frequency scaling applied to the gradient.
/// @throws ValueError for a max_norm or norm_type that is not positive and finite.
Tensor embedding(const Tensor& weight, const Tensor& ids, const EmbeddingFuncOptions& options);
/// The textbook form of `embedding`'s lookup, one element at a time: out[i, c] = weight[ids[i], c].
///
/// The course assignment's task 3.1 (docs/assignments.md); `embedding` computes the same (N, D)
/// rows with whole-row copies, and the tests hold the two to the same values.
/// @throws IndexError for an id outside [0, V).
/// @throws ShapeError when weight is not a (V, D) matrix.
Tensor embedding_forward_reference(const Tensor& weight, std::span<const int64_t> ids);

/// Rescales in place, under no-grad, each row of `weight` (V, D) named in `ids` whose
/// `norm_type`-norm exceeds `max_norm`, to norm `max_norm` (as `torch::embedding_renorm_`);
/// bumps the weight's version once when a row changed, so a graph that saved the old rows
/// refuses to run backward. Ids out of range are skipped (the lookup reports them).
void embedding_renorm_(Tensor& weight, const Tensor& ids, float max_norm, float norm_type);

/// The options of `embedding_bag`, as in `torch::nn::functional::EmbeddingBagFuncOptions`.
struct EmbeddingBagFuncOptions {
  BagMode mode = BagMode::Mean;  ///< how each bag is pooled: Sum, Mean or Max (PyTorch: mean)
  /// (N) or (B, L) like the ids: each looked-up row is scaled by its weight (Sum mode only);
  /// undefined for none.
  Tensor per_sample_weights{};
  int64_t padding_idx = -1;  ///< this id is left out of every bag and of the mean's count
  /// Flat ids only: `offsets` has B + 1 entries, the last one the end of the last bag (equal to
  /// N, the number of ids), as in PyTorch and the CSR format; the result still has B rows.
  bool include_last_offset = false;
  /// Rows looked up whose `norm_type`-norm exceeds this are rescaled to it, in place, before
  /// the lookup (see `embedding_renorm_`); none when empty.
  std::optional<float> max_norm{};
  float norm_type = 2.0f;  ///< the p of the p-norm `max_norm` uses
};

/// Looks up and pools bags of ids into one row each (pooled as `BagMode` says, see node.h), like
/// `torch::nn::functional::embedding_bag`.
///
/// Bags come either as a (B, L) matrix of ids (each row a bag, `offsets` undefined) or as flat
/// (N) ids with (B) `offsets` giving where each bag starts (ascending, the first 0), or (B + 1)
/// offsets with `include_last_offset`. The result is (B, D). The `padding_idx` id is left out of
/// every bag (and of the mean's count); an empty bag gives a zero row. `per_sample_weights`
/// (same shape as ids) scales each row, Sum mode only. With `max_norm`, the looked-up rows are
/// renormalised in place first, as `embedding` does.
/// @code
/// // rows 0 = [1, 6], 1 = [4, 2], 2 = [0, 0]; bags {0, 1} and {2}
/// embedding_bag(w, tensor({0, 1, 2}, DType::Int64), tensor({0, 2, 3}, DType::Int64),
///               {.mode = BagMode::Sum, .include_last_offset = true});  // [[5, 8], [0, 0]]
/// @endcode
/// @throws TypeError, IndexError, ShapeError or ValueError naming the bad argument and its
/// values (an offset out of order names its position and value).
Tensor embedding_bag(const Tensor& weight, const Tensor& ids, const Tensor& offsets,
                     const EmbeddingBagFuncOptions& options);
/// The same as `embedding_bag(weight, ids, offsets, {.mode = mode, ...})`, with the two options
/// most calls need as arguments.
Tensor embedding_bag(const Tensor& weight, const Tensor& ids, const Tensor& offsets, BagMode mode,
                     const Tensor& per_sample_weights = Tensor(), int64_t padding_idx = -1);

/// Throws IndexError naming the first id outside [0, num_rows) with its position; `op` names
/// the caller.
void check_ids_in_range(std::span<const int64_t> ids, int64_t num_rows, const char* op);

/// Throws IndexError unless `padding_idx` is -1 (none) or a row in [0, num_rows); the
/// functional `embedding` and `embedding_bag` take it already made non-negative (the modules
/// turn PyTorch's negative values into rows).
void check_padding_idx(int64_t padding_idx, int64_t num_rows, const char* op);

// ---- ops_index.cpp ----

/// Returns row `index` of a matrix (a vector) or element `index` of a vector (a scalar);
/// negative indices count from the end, as `x[index]` in PyTorch.
/// @throws IndexError when the index is out of range.
Tensor select(const Tensor& x, int64_t index);
/// Returns rows (`dim` 0) or columns (`dim` 1) [start, end) as a new tensor.
/// @throws IndexError when the range does not fit.
Tensor slice(const Tensor& x, int dim, int64_t start, int64_t end);
/// Selects rows (`dim` 0) or columns (`dim` 1) of a matrix, or elements of a vector, by id,
/// like `torch::index_select`; for a matrix and dim 0 it gives what `embedding` gives.
/// @throws TypeError, ShapeError or IndexError naming the bad argument.
Tensor index_select(const Tensor& x, int dim, const Tensor& ids);
/// Turns ids into one-hot float rows: (N) ids give (N, num_classes) (not differentiable).
///
/// `num_classes` -1 (the default, as in PyTorch) takes it from the ids: max(ids) + 1.
/// @code
/// one_hot(tensor({2, 0}, DType::Int64));  // [[0, 0, 1], [1, 0, 0]], shape (2, 3)
/// @endcode
/// Differs from PyTorch: the result is float32 (ready for matmul), not int64.
/// @throws IndexError for a negative id (naming it and its position) or an id outside
/// [0, num_classes); ValueError for num_classes 0 or below -1, or -1 with no ids to infer from.
Tensor one_hot(const Tensor& ids, int64_t num_classes = -1);

// ---- ops_similarity.cpp ----

/// Returns the dot product of each row of `a` with the same row of `b`: (N, D), (N, D) -> (N).
/// Vectors (D), (D) give a scalar.
Tensor rowwise_dot(const Tensor& a, const Tensor& b);
/// Returns the Euclidean (L2, for a matrix Frobenius) norm of all elements as one rank-0
/// number, sqrt(sum of x^2), for any rank, as `torch::norm(x)`.
///
/// Its gradient is x / norm(x), and 0 for an all-zero input (where the norm has no
/// derivative), as in PyTorch. For the length of each row use `norm(x, 1)`.
/// @code
/// norm(tensor({{3, 4}, {0, 0}}))   // tensor(5.)
/// @endcode
Tensor norm(const Tensor& x);
/// Returns the Euclidean (L2) norm along `dim`: `norm(x, 1)` is the length of each row of a
/// matrix, `norm(x, 0)` of each column; `keepdim` keeps the dim with size 1.
///
/// The gradient is x / norm along the dim, and 0 for a row (or column) of zeros.
/// @code
/// norm(tensor({{3, 4}, {0, 0}}), 1)   // tensor([5., 0.])
/// @endcode
/// Differs from PyTorch: only p = 2, so there is no `p` argument (libtorch's
/// `torch::norm(x, 2, {1}, keepdim)` computes the same).
/// @throws IndexError naming the dim and the shape when the dim does not exist.
Tensor norm(const Tensor& x, int dim, bool keepdim = false);
/// Returns cos(a, b) = a.b / max(|a| |b|, eps) row by row; a zero vector gives 0, not NaN.
/// Differs from PyTorch, whose docs now give a.b / (max(|a|, eps) max(|b|, eps)): the two
/// differ only when |a|, |b| or |a| |b| is below eps (docs/design.md).
Tensor cosine_similarity(const Tensor& a, const Tensor& b, float eps = 1e-8f);

// ---- ops_shape.cpp ----

/// Returns the same elements with new sizes (one may be -1); shares storage with `x`.
/// @throws ShapeError for a rank above 2 or a different element count.
Tensor reshape(const Tensor& x, std::initializer_list<int64_t> sizes);
/// Returns the same elements with a new shape; shares storage with `x`.
Tensor reshape(const Tensor& x, const Shape& shape);
/// Returns the transpose of a matrix as a new contiguous tensor; vectors and scalars are
/// returned unchanged.
Tensor transpose(const Tensor& x);
/// Joins tensors along an existing dim: vectors end to end, matrices by rows (dim 0) or
/// columns (dim 1).
/// @throws ShapeError when the other sizes differ; ValueError for an empty list.
Tensor cat(const std::vector<Tensor>& tensors, int dim = 0);
/// Stacks scalars into a vector or vectors into the rows of a matrix (a new dim 0).
/// @throws ShapeError when shapes differ or the inputs are matrices (rank 3 would be needed).
Tensor stack(const std::vector<Tensor>& tensors);

// ---- ops_inplace.cpp: in-place changes, refused on tensors that require grad while recording ----

/// Sets every element to `value` in place and returns `x`.
Tensor& fill_(Tensor& x, float value);
/// Sets every element to zero in place and returns `x`.
Tensor& zero_(Tensor& x);
/// Copies `src` into `x` in place (same shape) and returns `x`.
/// @throws ShapeError when the shapes differ.
Tensor& copy_(Tensor& x, const Tensor& src);
/// Adds `alpha * other` to `x` in place and returns `x`.
Tensor& add_(Tensor& x, const Tensor& other, float alpha = 1.0f);
/// Multiplies `x` by `factor` in place and returns `x`.
Tensor& mul_(Tensor& x, float factor);

}  // namespace embedlab
