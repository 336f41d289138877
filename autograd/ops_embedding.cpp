// The embedding lookup (row selection) and its backward. This is the op the course is about:
// out[i, :] = weight[ids[i], :]. Its backward adds each row of grad_out into exactly the row
// the forward read, and nothing else, so its cost grows with the number of ids N, not with the
// vocabulary size V. (select, slice, index_select and one_hot, which also pick by index, are
// ops_index.cpp, with backwards of their own.)
#include <algorithm>
#include <cmath>
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
  return embedding(weight, ids, EmbeddingFuncOptions{});
}

void embedding_renorm_(Tensor& weight, const Tensor& ids, float max_norm, float norm_type) {
  // A negative max_norm would flip every row's sign and a NaN one silently do nothing.
  if (!(std::isfinite(max_norm) && max_norm > 0.0f)) {
    throw ValueError(
        fmt::format("embedding_renorm_: max_norm must be finite and > 0, got {}", max_norm));
  }
  if (!(norm_type > 0.0f)) {  // also refuses NaN
    throw ValueError(fmt::format(
        "embedding_renorm_: norm_type must be > 0 (2 for the Euclidean length, infinity for "
        "the largest |x|), got {}",
        norm_type));
  }
  const int64_t V = weight.size(0), D = weight.size(1);
  bool changed = false;
  for (int64_t id : ids.ids()) {
    if (id < 0 || id >= V) continue;  // the lookup itself reports the bad id
    float* row = weight.data().data() + id * D;
    double length = 0.0;
    if (std::isinf(norm_type)) {
      for (int64_t c = 0; c < D; ++c)
        length = std::max(length, static_cast<double>(std::fabs(row[c])));
    } else {
      double total = 0.0;
      for (int64_t c = 0; c < D; ++c)
        total += std::pow(std::fabs(row[c]), norm_type);
      length = std::pow(total, 1.0 / norm_type);
    }
    if (length > max_norm) {
      // The small constant matches PyTorch, so a renormed row lands just under max_norm.
      const auto scale = static_cast<float>(max_norm / (length + 1e-7));
      for (int64_t c = 0; c < D; ++c)
        row[c] *= scale;
      changed = true;
    }
  }
  if (changed) bump_version(weight);  // a graph that saved the old rows must notice
}

Tensor embedding(const Tensor& weight, const Tensor& ids, const EmbeddingFuncOptions& options) {
  const EmbeddingFuncOptions& grad_options = options;
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
  if (options.max_norm) {
    Tensor table = weight;  // the rows are changed in place, as PyTorch does, not recorded
    embedding_renorm_(table, ids, *options.max_norm, options.norm_type);
  }
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
    node.saved.ids = ids;  // the rows to send gradients back to
    node.saved.padding_idx = grad_options.padding_idx;
    node.saved.scale_grad_by_freq = grad_options.scale_grad_by_freq;
  }
  return out;
}

namespace {
// The same scales for every id at once (sorting once instead of counting per id); empty when
// every scale would be 1 (the fast common case).
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

// The textbook backward, one += per id into a dense (V, D) gradient:
//   grad_weight[ids[i], :] += scale[i] * grad_out[i, :]
// (scale is 1, or 0 for the padding id, or 1 / frequency with scale_grad_by_freq).
Tensor embedding_backward_reference(std::span<const int64_t> ids, const Tensor& grad_out,
                                    int64_t num_embeddings,
                                    const EmbeddingFuncOptions& grad_options) {
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
  float* grad = grad_weight.data().data();
  const float* g = grad_out.data().data();
  for (int64_t i = 0; i < N; ++i) {
    if (ids[i] == grad_options.padding_idx) continue;
    float scale = 1.0f;
    if (grad_options.scale_grad_by_freq)
      scale = 1.0f / static_cast<float>(std::count(ids.begin(), ids.end(), ids[i]));
    for (int64_t c = 0; c < D; ++c)
      grad[ids[i] * D + c] += scale * g[i * D + c];
  }
  // END SOLUTION
  return grad_weight;
}

// The same sum as embedding_backward_reference, on the fast path: accumulate_grad_rows adds
// each row into the compact block of the rows used (autograd/grad_rows.h), so neither this
// backward nor the optimiser's step ever walks the (V, D) table. Checked against the reference
// in tests/autograd/test_index_ops.cpp.
void embedding_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  std::span<const int64_t> ids = node.saved.ids->ids();
  const std::vector<float> scale =
      embedding_row_scale(ids, node.saved.padding_idx, node.saved.scale_grad_by_freq);
  accumulate_grad_rows(node.input(0), ids, grad_out.data(), scale);
}

// ---- The textbook lookup: course-assignment task 3.1 ----
// embedding() above is what the framework runs: whole rows copied with prefetching. This
// computes the same numbers one element at a time, as the course writes them;
// tests/autograd/test_embedding_textbook.cpp holds the two to the same values.

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

}  // namespace embedlab
