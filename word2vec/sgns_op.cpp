// sgns_loss: skip-gram with negative sampling as one fused op, forward and backward side by side.
// The forward scores every (input word, output word) pair of the batch with one dot product and
// saves the error sigmoid(x) - label of each; the backward adds error times the other row into
// both tables' gradients, touching only the rows the batch used. No (N, D) intermediate is
// written, and nothing is allocated per pair.
#include <algorithm>
#include <utility>
#include <vector>

#include "autograd/grad_rows.h"
#include "word2vec/kernels.h"
#include "word2vec/op_checks.h"
#include "word2vec/sgns_op.h"

namespace embedlab::word2vec {

Tensor sgns_loss(const Tensor& w_in, const Tensor& w_out, const Tensor& centers,
                 const Tensor& targets) {
  detail::check_centers(centers);
  detail::check_tables_and_targets("sgns_loss", w_in, w_out, targets, centers.numel());
  check_ids_in_range(centers.ids(), w_in.size(0), "sgns_loss");

  const int64_t N = centers.numel(), S = targets.size(1), D = w_in.size(1);
  const float* in = w_in.data().data();
  const float* out_table = w_out.data().data();
  const int64_t* center = centers.ids().data();
  const int64_t* target = targets.ids().data();
  Tensor errors = make_tensor(Shape{N, S});  // d loss / d logit for every (example, sample)
  float* error = errors.data().data();
  double total = 0.0;
  for (int64_t i = 0; i < N; ++i) {
    if (i + detail::kExamplesAhead < N) {
      const int64_t ahead = i + detail::kExamplesAhead;
      detail::prefetch_targets(out_table, target + ahead * S, S, D);
      prefetch_row(in + center[ahead] * D, D);
    }
    total +=
        detail::score_example(in + center[i] * D, out_table, target + i * S, S, D, error + i * S);
  }
  Tensor loss = tensor(static_cast<float>(total));
  if (any_requires_grad({&w_in, &w_out})) {
    Node& node = record_op(loss, "sgns_loss", sgns_backward, {w_in, w_out, centers, targets});
    node.saved.errors = errors;
  }
  return loss;
}

// x[i, s] = w_in[centers[i]] . w_out[targets[i, s]],  e[i, s] = sigmoid(x[i, s]) - label[i, s]
// grad_w_in[centers[i], :]     += g e[i, s] w_out[targets[i, s], :]
// grad_w_out[targets[i, s], :] += g e[i, s] w_in[centers[i], :]
// The first sum runs over s for each example in a local (N, D) buffer (word2vec.c's neu1e), so
// the centre's gradient row is looked up once per example instead of 1 + K times; the second
// is an accumulate_grad_rows call that reads the rows straight from w_in (source_rows), so no
// (N (1 + K), D) gradient is ever built.
void sgns_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  const Tensor& w_in = node.input(0);
  const Tensor& w_out = node.input(1);
  std::span<const int64_t> centers = node.input(2).ids();
  std::span<const int64_t> targets = node.input(3).ids();
  const auto N = static_cast<int64_t>(centers.size());
  const int64_t S = static_cast<int64_t>(targets.size()) / std::max<int64_t>(N, 1);
  const int64_t D = w_in.size(1);
  const float g = grad_out.item<float>();
  std::span<const float> scale = node.saved.errors->data();
  std::vector<float> scaled;  // only when g != 1 (backward of the loss itself has g = 1)
  if (g != 1.0f) {
    scaled.assign(scale.begin(), scale.end());
    for (float& value : scaled)
      value *= g;
    scale = scaled;
  }
  if (w_in.requires_grad()) {
    std::vector<float> grad_centers(static_cast<size_t>(N * D), 0.0f);  // (N, D)
    const float* out_table = w_out.data().data();
    for (int64_t i = 0; i < N; ++i) {
      for (int64_t s = 0; s < S; ++s) {
        const float e = scale[i * S + s];
        if (e != 0.0f)
          detail::axpy(e, out_table + targets[i * S + s] * D, grad_centers.data() + i * D, D);
      }
    }
    accumulate_grad_rows(w_in, centers, grad_centers);
  }
  std::vector<int64_t> center_of_sample(targets.size());  // centers[i] repeated for each s
  for (size_t k = 0; k < targets.size(); ++k)
    center_of_sample[k] = centers[k / S];
  accumulate_grad_rows(w_out, targets, w_in.data(), scale, center_of_sample);
}

}  // namespace embedlab::word2vec
