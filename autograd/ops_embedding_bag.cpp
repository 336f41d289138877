// embedding_bag: look up a bag of rows and pool them (sum, mean or max) into one row, with
// the backward of each mode below the forward. Keeps a batch of sentences within rank 2:
// (B, L) ids -> (B, D), where embedding alone would need (B, L, D).
#include <limits>

#include <fmt/format.h>

#include "autograd/backward.h"
#include "autograd/grad_rows.h"
#include "autograd/op_helpers.h"
#include "autograd/ops.h"

namespace embedlab {

namespace {

// The bags as [begin, end) ranges into the flat ids.
struct Bags {
  std::vector<int64_t> begin, end;
  int64_t count() const { return static_cast<int64_t>(begin.size()); }
};

Bags make_bags(const Tensor& ids, const Tensor& offsets) {
  Bags bags;
  const int64_t N = ids.numel();
  if (ids.rank() == 2) {
    if (offsets.defined()) {
      throw ValueError("embedding_bag: offsets must be left out when ids is a (B, L) matrix");
    }
    for (int64_t b = 0; b < ids.size(0); ++b) {
      bags.begin.push_back(b * ids.size(1));
      bags.end.push_back((b + 1) * ids.size(1));
    }
    return bags;
  }
  if (ids.rank() != 1 || !offsets.defined()) {
    throw ShapeError(
        fmt::format("embedding_bag: needs (B, L) ids, or flat (N) ids with (B) offsets; "
                    "got ids of shape {}{}",
                    ids.shape().to_string(), offsets.defined() ? "" : " and no offsets"));
  }
  detail::check_ids(offsets, "embedding_bag", "offsets");
  std::span<const int64_t> starts = offsets.ids();
  for (size_t b = 0; b < starts.size(); ++b) {
    // Each offset is checked against its own bounds, so the message names the bad one.
    const int64_t previous = b == 0 ? 0 : starts[b - 1];
    if ((b == 0 && starts[0] != 0) || starts[b] < previous || starts[b] > N) {
      throw ValueError(
          fmt::format("embedding_bag: offsets must start at 0 and ascend within "
                      "[0, {}]; offset {} is {}",
                      N, b, starts[b]));
    }
    bags.begin.push_back(starts[b]);
    bags.end.push_back(b + 1 < starts.size() ? starts[b + 1] : N);
  }
  return bags;
}

}  // namespace

Tensor embedding_bag(const Tensor& weight, const Tensor& ids, const Tensor& offsets, BagMode mode,
                     const Tensor& per_sample_weights, int64_t padding_idx) {
  detail::check_float(weight, "embedding_bag", "weight");
  detail::check_ids(ids, "embedding_bag", "ids");
  if (weight.rank() != 2) {
    throw ShapeError(fmt::format("embedding_bag: weight must be a (V, D) matrix, got shape {}",
                                 weight.shape().to_string()));
  }
  const int64_t D = weight.size(1);
  check_ids_in_range(ids.ids(), weight.size(0), "embedding_bag");
  check_padding_idx(padding_idx, weight.size(0), "embedding_bag");
  const Bags bags = make_bags(ids, offsets);
  const bool weighted = per_sample_weights.defined();
  if (weighted) {
    detail::check_float(per_sample_weights, "embedding_bag", "per_sample_weights");
    if (mode != BagMode::Sum || per_sample_weights.shape() != ids.shape()) {
      throw ShapeError(fmt::format(
          "embedding_bag: per_sample_weights need mode Sum and the ids' shape {}, got shape {}",
          ids.shape().to_string(), per_sample_weights.shape().to_string()));
    }
  }
  std::span<const int64_t> flat = ids.ids();
  const float* w = weight.data().data();
  Tensor out = zeros(Shape{bags.count(), D});
  float* result = out.data().data();
  Tensor positions;  // Max mode: which flat position won each (bag, column), -1 if none
  if (mode == BagMode::Max) positions = full(Shape{bags.count(), D}, -1.0f, DType::Int64);
  for (int64_t b = 0; b < bags.count(); ++b) {
    float* row = result + b * D;
    int64_t used = 0;
    for (int64_t i = bags.begin[b]; i < bags.end[b]; ++i) {
      if (i + kPrefetchAhead < ids.numel()) prefetch_row(w + flat[i + kPrefetchAhead] * D, D);
      if (flat[i] == padding_idx) continue;
      const float* source = w + flat[i] * D;
      const float scale = weighted ? per_sample_weights.data()[i] : 1.0f;
      for (int64_t c = 0; c < D; ++c) {
        if (mode != BagMode::Max) {
          row[c] += scale * source[c];
        } else if (used == 0 || source[c] > row[c]) {
          row[c] = source[c];
          positions.ids()[b * D + c] = i;
        }
      }
      ++used;
    }
    if (mode == BagMode::Mean && used > 0) {
      for (int64_t c = 0; c < D; ++c)
        row[c] /= static_cast<float>(used);
    }
  }
  if (any_requires_grad({&weight, &per_sample_weights})) {
    Node& node = weighted ? record_op(out, "embedding_bag", embedding_bag_backward,
                                      {weight, per_sample_weights})
                          : record_op(out, "embedding_bag", embedding_bag_backward, {weight});
    node.saved.ids = ids;
    if (mode == BagMode::Max) {
      node.saved.positions = positions;
    } else {
      node.saved.offsets = from_ids(bags.begin, Shape{bags.count()});
    }
    node.saved.bag_mode = mode;
    node.saved.padding_idx = padding_idx;
  }
  return out;
}

// Sum:  grad_weight[ids[i], :] += psw[i] * grad_out[b, :]  for each non-padding i in bag b
//       grad_psw[i] = grad_out[b, :] . weight[ids[i], :]
// Mean: the same with scale 1 / (non-padding ids in bag b)
// Max:  grad_weight[ids[p], c] += grad_out[b, c] where p won column c of bag b
void embedding_bag_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  const Tensor& weight = node.input(0);
  std::span<const int64_t> flat = node.saved.ids->ids();
  const BagMode mode = node.saved.bag_mode;
  const int64_t padding_idx = node.saved.padding_idx;
  const int64_t D = weight.size(1), N = static_cast<int64_t>(flat.size());
  const int64_t B = grad_out.size(0);
  const float* g = grad_out.data().data();
  if (mode == BagMode::Max) {
    Tensor rows = zeros(Shape{N, D});
    std::span<const int64_t> positions = node.saved.positions->ids();
    for (int64_t k = 0; k < B * D; ++k) {
      if (positions[k] >= 0) rows.data()[positions[k] * D + k % D] += g[k];
    }
    accumulate_grad_rows(weight, flat, rows.data());
    return;
  }
  Tensor bag_ids = make_tensor(Shape{N}, DType::Int64);  // the bag of each flat position
  std::vector<float> scale(N, 0.0f);
  std::span<const int64_t> starts = node.saved.offsets->ids();
  const Tensor* psw = node.inputs.size() > 1 ? &node.input(1) : nullptr;
  for (int64_t b = 0; b < B; ++b) {
    const int64_t end = b + 1 < B ? starts[b + 1] : N;
    int64_t used = 0;
    for (int64_t i = starts[b]; i < end; ++i)
      used += flat[i] != padding_idx;
    for (int64_t i = starts[b]; i < end; ++i) {
      bag_ids.ids()[i] = b;
      if (flat[i] == padding_idx) continue;
      scale[i] =
          psw ? psw->data()[i] : (mode == BagMode::Mean ? 1.0f / static_cast<float>(used) : 1.0f);
    }
  }
  accumulate_grad_rows(weight, flat, grad_out.data(), scale, bag_ids.ids());
  if (psw && psw->requires_grad()) {
    Tensor grad_psw = zeros(psw->shape());
    for (int64_t i = 0; i < N; ++i) {
      if (flat[i] == padding_idx) continue;
      const float* row = weight.data().data() + flat[i] * D;
      const float* go = g + bag_ids.ids()[i] * D;
      for (int64_t c = 0; c < D; ++c)
        grad_psw.data()[i] += go[c] * row[c];
    }
    accumulate_grad(*psw, std::move(grad_psw));
  }
}

}  // namespace embedlab
