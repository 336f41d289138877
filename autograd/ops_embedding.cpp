// The embedding lookup (row selection) and its backward, plus index_select and one_hot.
// This is the op the course is about: out[i, :] = weight[ids[i], :]. Its backward adds each
// row of grad_out into exactly the row the forward read, and nothing else, so its cost grows
// with the number of ids N, not with the vocabulary size V.
#include <algorithm>
#include <span>
#include <vector>

#include <fmt/format.h>

#include "autograd/backward.h"
#include "autograd/grad_rows.h"
#include "autograd/op_helpers.h"
#include "autograd/ops.h"
#include "tensor/error.h"

namespace embedlab {

void check_ids_in_range(std::span<const int64_t> ids, int64_t num_rows, const char* op) {
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] < 0 || ids[i] >= num_rows) {
      throw IndexError(
          fmt::format("{}: id {} at position {} out of range [0, {})", op, ids[i], i, num_rows));
    }
  }
}

void check_padding_idx(int64_t padding_idx, int64_t num_rows, const char* op) {
  if (padding_idx < -1 || padding_idx >= num_rows) {
    throw IndexError(fmt::format("{}: padding_idx {} out of range [0, {}) (-1 means none)", op,
                                 padding_idx, num_rows));
  }
}

Tensor embedding(const Tensor& weight, const Tensor& ids) {
  return embedding(weight, ids, EmbeddingGrad{});
}

Tensor embedding(const Tensor& weight, const Tensor& ids, const EmbeddingGrad& grad_options) {
  detail::check_float(weight, "embedding", "weight");
  detail::check_ids(ids, "embedding", "ids");
  if (weight.rank() != 2) {
    throw ShapeError(fmt::format("embedding: weight must be a (V, D) matrix, got shape {}",
                                 weight.shape().to_string()));
  }
  if (ids.rank() == 2) {
    throw ShapeError(fmt::format(
        "embedding: ids of shape {} would give an output of rank 3 ({}, {}, {}), but embedlab "
        "tensors have rank 0-2; look up a flat (N) id vector, or use nn::EmbeddingBag to pool "
        "each row of ids into one vector",
        ids.shape().to_string(), ids.size(0), ids.size(1), weight.size(1)));
  }
  const int64_t V = weight.size(0), D = weight.size(1), N = ids.numel();
  check_padding_idx(grad_options.padding_idx, V, "embedding");
  check_ids_in_range(ids.ids(), V, "embedding");
  // out[i, :] = weight[ids[i], :]. The rows are appended to a reserved vector rather than
  // copied into make_tensor's zero-filled one: the lookup then writes its output once, not twice.
  const float* w = weight.data().data();
  std::span<const int64_t> rows = ids.ids();
  FloatBuffer values;
  values.reserve(static_cast<size_t>(N * D));
  for (int64_t i = 0; i < N; ++i) {
    if (i + kPrefetchAhead < N) prefetch_row(w + rows[i + kPrefetchAhead] * D, D);
    const float* row = w + rows[i] * D;
    values.insert(values.end(), row, row + D);
  }
  Tensor out = from_buffer(std::move(values), ids.rank() == 0 ? Shape{D} : Shape{N, D});
  if (any_requires_grad({&weight})) {
    Node& node = record_op(out, "embedding", embedding_backward, {weight});
    node.saved.tensor = ids;  // the rows to send gradients back to
    node.saved.scalar = static_cast<float>(grad_options.padding_idx);
    node.saved.keepdim = grad_options.scale_grad_by_freq;
  }
  return out;
}

namespace {
// Per-id gradient scale: 0 for the padding id, 1 / (count of the id in this batch) when
// scaling by frequency, else 1. Empty when every scale would be 1 (the fast common case).
std::vector<float> embedding_row_scale(std::span<const int64_t> ids, int64_t padding_idx,
                                       bool by_freq) {
  if (padding_idx < 0 && !by_freq) return {};
  std::vector<float> scale(ids.size(), 1.0f);
  if (by_freq) {
    std::vector<int64_t> sorted(ids.begin(), ids.end());
    std::sort(sorted.begin(), sorted.end());
    for (size_t i = 0; i < ids.size(); ++i) {
      auto [first, last] = std::equal_range(sorted.begin(), sorted.end(), ids[i]);
      scale[i] = 1.0f / static_cast<float>(last - first);
    }
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] == padding_idx) scale[i] = 0.0f;
  }
  return scale;
}
}  // namespace

// grad_weight[ids[i], :] += scale[i] * grad_out[i, :]   (only the N looked-up rows are touched;
// scale is 1, or 0 for the padding id, or 1 / frequency with scale_grad_by_freq)
void embedding_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  std::span<const int64_t> ids = node.saved.tensor.ids();
  const std::vector<float> scale =
      embedding_row_scale(ids, static_cast<int64_t>(node.saved.scalar), node.saved.keepdim);
  accumulate_grad_rows(node.input(0), ids, grad_out.data(), scale);
}

// ---- The textbook lookup and backward: course-assignment tasks 3.1 and 3.2 ----
// embedding() and embedding_backward() above are what the framework runs: whole rows copied
// with prefetching, and a compact block of the rows used. These two compute the same numbers
// one element at a time, as the course writes them; tests/autograd/test_embedding_textbook.cpp
// holds each pair to the same values.

Tensor embedding_forward_reference(const Tensor& weight, std::span<const int64_t> ids) {
  detail::check_float(weight, "embedding_forward_reference", "weight");
  if (weight.rank() != 2) {
    throw ShapeError(
        fmt::format("embedding_forward_reference: weight must be a (V, D) matrix, got shape {}",
                    weight.shape().to_string()));
  }
  check_ids_in_range(ids, weight.size(0), "embedding_forward_reference");
  const int64_t N = static_cast<int64_t>(ids.size()), D = weight.size(1);
  Tensor out = zeros(Shape{N, D});
  // BEGIN SOLUTION task 3.1
  // out[i, c] = weight[ids[i], c]
  for (int64_t i = 0; i < N; ++i) {
    for (int64_t c = 0; c < D; ++c)
      out.data()[i * D + c] = weight.data()[ids[i] * D + c];
  }
  // END SOLUTION
  return out;
}

Tensor embedding_backward_reference(std::span<const int64_t> ids, const Tensor& grad_out,
                                    int64_t num_embeddings, const EmbeddingGrad& grad_options) {
  const int64_t N = static_cast<int64_t>(ids.size());
  if (grad_out.rank() != 2 || grad_out.size(0) != N) {
    throw ShapeError(fmt::format(
        "embedding_backward_reference: grad_out must be ({}, D) for {} ids, got shape {}", N, N,
        grad_out.shape().to_string()));
  }
  check_ids_in_range(ids, num_embeddings, "embedding_backward_reference");
  const int64_t D = grad_out.size(1);
  Tensor grad_weight = zeros(Shape{num_embeddings, D});
  // BEGIN SOLUTION task 3.2
  // STUB: (void)grad_options;
  // grad_weight[ids[i], :] += scale * grad_out[i, :], where scale is 0 for the padding id,
  // 1 / (how often ids[i] occurs) with scale_grad_by_freq, else 1.
  for (int64_t i = 0; i < N; ++i) {
    if (ids[i] == grad_options.padding_idx) continue;
    float scale = 1.0f;
    if (grad_options.scale_grad_by_freq)
      scale = 1.0f / static_cast<float>(std::count(ids.begin(), ids.end(), ids[i]));
    for (int64_t c = 0; c < D; ++c)
      grad_weight.data()[ids[i] * D + c] += scale * grad_out.data()[i * D + c];
  }
  // END SOLUTION
  return grad_weight;
}

Tensor index_select(const Tensor& x, int axis, const Tensor& ids) {
  detail::check_float(x, "index_select", "x");
  detail::check_ids(ids, "index_select", "ids");
  if (ids.rank() != 1) {
    throw ShapeError(
        fmt::format("index_select: ids must be a vector, got shape {}", ids.shape().to_string()));
  }
  const int a = x.shape().normalize_axis(axis, "index_select");
  if (x.rank() == 2 && a == 0) return embedding(x, ids);
  if (x.rank() == 2) return transpose(embedding(transpose(x), ids));
  // A vector: view it as a (V, 1) table, look up, and view the (N, 1) result as (N).
  return reshape(embedding(reshape(x, Shape{x.numel(), 1}), ids), Shape{ids.numel()});
}

Tensor one_hot(const Tensor& ids, int64_t num_classes) {
  detail::check_ids(ids, "one_hot", "ids");
  if (num_classes <= 0) {
    throw ValueError(fmt::format("one_hot: num_classes must be positive, got {}", num_classes));
  }
  if (ids.rank() == 2) {
    throw ShapeError(
        fmt::format("one_hot: ids of shape {} would need rank 3", ids.shape().to_string()));
  }
  check_ids_in_range(ids.ids(), num_classes, "one_hot");
  const int64_t N = ids.numel();
  Tensor out = zeros(ids.rank() == 0 ? Shape{num_classes} : Shape{N, num_classes});
  for (int64_t i = 0; i < N; ++i)
    out.data()[i * num_classes + ids.ids()[i]] = 1.0f;
  return out;
}

}  // namespace embedlab
