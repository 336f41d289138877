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

// Flat ids with offsets: each offset is checked against its own bounds, so the message names
// the bad one; with include_last_offset the last offset closes the last bag and must be N.
Bags bags_from_offsets(const Tensor& offsets, int64_t N, bool include_last_offset) {
  detail::check_ids(offsets, "embedding_bag", "offsets");
  if (offsets.rank() != 1) {
    throw ShapeError(fmt::format("embedding_bag: offsets must be a vector, got shape {}",
                                 offsets.shape().to_string()));
  }
  std::span<const int64_t> starts = offsets.ids();
  if (include_last_offset && starts.empty()) {
    throw ValueError(fmt::format(
        "embedding_bag: with include_last_offset, offsets needs B + 1 entries, the last one "
        "the number of ids ({}); got no offsets",
        N));
  }
  for (size_t b = 0; b < starts.size(); ++b) {
    const int64_t previous = b == 0 ? 0 : starts[b - 1];
    if ((b == 0 && starts[0] != 0) || starts[b] < previous || starts[b] > N) {
      throw ValueError(
          fmt::format("embedding_bag: offsets must start at 0 and ascend within "
                      "[0, {}]; offset {} is {}",
                      N, b, starts[b]));
    }
  }
  if (include_last_offset && starts.back() != N) {
    throw ValueError(fmt::format(
        "embedding_bag: with include_last_offset, the last offset (offset {}) must be the "
        "number of ids, {}; it is {}",
        starts.size() - 1, N, starts.back()));
  }
  const size_t B = include_last_offset ? starts.size() - 1 : starts.size();
  Bags bags;
  for (size_t b = 0; b < B; ++b) {
    bags.begin.push_back(starts[b]);
    bags.end.push_back(b + 1 < starts.size() ? starts[b + 1] : N);
  }
  return bags;
}

Bags make_bags(const Tensor& ids, const Tensor& offsets, bool include_last_offset) {
  if (ids.rank() == 2) {
    if (offsets.defined()) {
      throw ValueError("embedding_bag: offsets must be left out when ids is a (B, L) matrix");
    }
    Bags bags;
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
  return bags_from_offsets(offsets, ids.numel(), include_last_offset);
}

// What every pooling loop reads: the (V, D) table, the flat ids, their bags, the padding id.
struct BagInput {
  const float* weight;
  std::span<const int64_t> ids;
  const Bags& bags;
  int64_t D;
  int64_t padding_idx;

  // Asks for the row kPrefetchAhead ids ahead of position i, so it arrives in time.
  void prefetch_ahead(int64_t i) const {
    if (i + kPrefetchAhead < static_cast<int64_t>(ids.size())) {
      prefetch_row(weight + ids[i + kPrefetchAhead] * D, D);
    }
  }
};

// One loop per mode: the mode is chosen once, outside, so each reads as its formula and the
// inner loop over the D columns is a plain one the compiler vectorises. D is copied into a
// local: Max's int64 stores could otherwise alias `in.D`, and the loop would reload it.

// out[b, :] = sum over the kept i in bag b of psw[i] * weight[ids[i], :]   (psw[i] = 1 if none)
void sum_bags(const BagInput& in, const float* psw, float* out) {
  const int64_t D = in.D;
  for (int64_t b = 0; b < in.bags.count(); ++b) {
    float* row = out + b * D;
    for (int64_t i = in.bags.begin[b]; i < in.bags.end[b]; ++i) {
      in.prefetch_ahead(i);
      if (in.ids[i] == in.padding_idx) continue;
      const float* source = in.weight + in.ids[i] * D;
      const float scale = psw ? psw[i] : 1.0f;
      for (int64_t c = 0; c < D; ++c)
        row[c] += scale * source[c];
    }
  }
}

// out[b, :] = (sum over the kept i in bag b of weight[ids[i], :]) / (number of kept ids)
void mean_bags(const BagInput& in, float* out) {
  const int64_t D = in.D;
  for (int64_t b = 0; b < in.bags.count(); ++b) {
    float* row = out + b * D;
    int64_t kept = 0;
    for (int64_t i = in.bags.begin[b]; i < in.bags.end[b]; ++i) {
      in.prefetch_ahead(i);
      if (in.ids[i] == in.padding_idx) continue;
      const float* source = in.weight + in.ids[i] * D;
      for (int64_t c = 0; c < D; ++c)
        row[c] += source[c];
      ++kept;
    }
    if (kept == 0) continue;  // an empty bag stays a zero row
    const auto count = static_cast<float>(kept);
    for (int64_t c = 0; c < D; ++c)
      row[c] /= count;
  }
}

// out[b, c] = max over the kept i in bag b of weight[ids[i], c], and won[b, c] = that i (the
// first one on a tie), the one position the backward sends grad_out[b, c] to
void max_bags(const BagInput& in, float* out, int64_t* won) {
  const int64_t D = in.D;
  for (int64_t b = 0; b < in.bags.count(); ++b) {
    float* row = out + b * D;
    int64_t* winner = won + b * D;
    bool first = true;
    for (int64_t i = in.bags.begin[b]; i < in.bags.end[b]; ++i) {
      in.prefetch_ahead(i);
      if (in.ids[i] == in.padding_idx) continue;
      const float* source = in.weight + in.ids[i] * D;
      if (first) {  // the first kept row starts the maximum
        for (int64_t c = 0; c < D; ++c) {
          row[c] = source[c];
          winner[c] = i;
        }
        first = false;
        continue;
      }
      for (int64_t c = 0; c < D; ++c) {
        if (source[c] > row[c]) {
          row[c] = source[c];
          winner[c] = i;
        }
      }
    }
  }
}

void check_per_sample_weights(const Tensor& psw, const Tensor& ids, BagMode mode) {
  detail::check_float(psw, "embedding_bag", "per_sample_weights");
  if (mode != BagMode::Sum || psw.shape() != ids.shape()) {
    throw ShapeError(fmt::format(
        "embedding_bag: per_sample_weights need mode Sum and the ids' shape {}, got shape {}",
        ids.shape().to_string(), psw.shape().to_string()));
  }
}

}  // namespace

Tensor embedding_bag(const Tensor& weight, const Tensor& ids, const Tensor& offsets, BagMode mode,
                     const Tensor& per_sample_weights, int64_t padding_idx) {
  return embedding_bag(
      weight, ids, offsets,
      EmbeddingBagFuncOptions{
          .mode = mode, .per_sample_weights = per_sample_weights, .padding_idx = padding_idx});
}

Tensor embedding_bag(const Tensor& weight, const Tensor& ids, const Tensor& offsets,
                     const EmbeddingBagFuncOptions& options) {
  // Phase 1: every check, before max_norm may change the table in place.
  detail::check_float(weight, "embedding_bag", "weight");
  detail::check_ids(ids, "embedding_bag", "ids");
  if (weight.rank() != 2) {
    throw ShapeError(fmt::format("embedding_bag: weight must be a (V, D) matrix, got shape {}",
                                 weight.shape().to_string()));
  }
  const int64_t D = weight.size(1);
  check_ids_in_range(ids.ids(), weight.size(0), "embedding_bag");
  check_padding_idx(options.padding_idx, weight.size(0), "embedding_bag");
  const Bags bags = make_bags(ids, offsets, options.include_last_offset);
  const Tensor& psw = options.per_sample_weights;
  if (psw.defined()) check_per_sample_weights(psw, ids, options.mode);
  // Phase 2: max_norm's renorm of the rows the bags read (changed in place, not recorded).
  if (options.max_norm) {
    Tensor table = weight;
    embedding_renorm_(table, ids, *options.max_norm, options.norm_type);
  }
  // Phase 3: pool each bag, with the loop of its mode.
  const BagInput in{weight.data().data(), ids.ids(), bags, D, options.padding_idx};
  Tensor out = zeros(Shape{bags.count(), D});
  Tensor positions;  // Max mode: which flat position won each (bag, column), -1 if none
  switch (options.mode) {
    case BagMode::Sum:
      sum_bags(in, psw.defined() ? psw.data().data() : nullptr, out.data().data());
      break;
    case BagMode::Mean:
      mean_bags(in, out.data().data());
      break;
    case BagMode::Max:
      positions = full(Shape{bags.count(), D}, int64_t{-1}, DType::Int64);
      max_bags(in, out.data().data(), positions.ids().data());
      break;
  }
  if (any_requires_grad({&weight, &psw})) {
    Node& node = psw.defined()
                     ? record_op(out, "embedding_bag", embedding_bag_backward, {weight, psw})
                     : record_op(out, "embedding_bag", embedding_bag_backward, {weight});
    node.saved.ids = ids;
    if (options.mode == BagMode::Max) {
      node.saved.positions = positions;
    } else {
      node.saved.offsets = from_ids(bags.begin, Shape{bags.count()});
    }
    node.saved.bag_mode = options.mode;
    node.saved.padding_idx = options.padding_idx;
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
    int64_t kept = 0;
    for (int64_t i = starts[b]; i < end; ++i)
      kept += flat[i] != padding_idx;
    // Each kept id's share of grad_out[b, :]: its weight, 1 / kept for the mean, else 1.
    const float share = mode == BagMode::Mean && kept > 0 ? 1.0f / static_cast<float>(kept) : 1.0f;
    for (int64_t i = starts[b]; i < end; ++i) {
      bag_ids.ids()[i] = b;
      if (flat[i] == padding_idx) continue;
      scale[i] = psw ? psw->data()[i] : share;
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
