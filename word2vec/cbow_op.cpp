// cbow_loss: continuous bag of words with negative sampling as one fused op, forward and
// backward side by side. Each example averages its context words' input rows into h, then
// scores h against the centre word and K negatives exactly as sgns_loss scores one input row.
#include <utility>
#include <vector>

#include "autograd/grad_rows.h"
#include "word2vec/kernels.h"
#include "word2vec/op_checks.h"
#include "word2vec/sgns_op.h"

namespace embedlab::word2vec {

namespace {

// The end of bag i in the flat contexts.
int64_t bag_end(std::span<const int64_t> starts, size_t i, int64_t M) {
  return i + 1 < starts.size() ? starts[i + 1] : M;
}

}  // namespace

Tensor cbow_loss(const Tensor& w_in, const Tensor& w_out, const Tensor& contexts,
                 const Tensor& offsets, const Tensor& targets, CbowContextGrad context_grad) {
  detail::check_tables_and_targets("cbow_loss", w_in, w_out, targets, offsets.numel());
  detail::check_bags(contexts, offsets, w_in.size(0));

  const int64_t N = offsets.numel(), S = targets.size(1), D = w_in.size(1);
  const int64_t M = contexts.numel();
  std::span<const int64_t> context = contexts.ids(), starts = offsets.ids();
  const float* in = w_in.data().data();
  const float* out_table = w_out.data().data();
  const int64_t* target = targets.ids().data();
  Tensor means = zeros(Shape{N, D});         // h_i, the mean of bag i's input rows
  Tensor errors = make_tensor(Shape{N, S});  // d loss / d logit
  float* error = errors.data().data();
  double total = 0.0;
  for (int64_t i = 0; i < N; ++i) {
    if (i + detail::kExamplesAhead < N) {
      const auto ahead = static_cast<size_t>(i + detail::kExamplesAhead);
      detail::prefetch_targets(out_table, target + ahead * S, S, D);
      for (int64_t j = starts[ahead]; j < bag_end(starts, ahead, M); ++j)
        prefetch_row(in + context[j] * D, D);
    }
    float* h = means.data().data() + i * D;
    const int64_t begin = starts[i], end = bag_end(starts, i, M);
    for (int64_t j = begin; j < end; ++j)
      detail::axpy(1.0f, in + context[j] * D, h, D);
    const float inv_count = 1.0f / static_cast<float>(end - begin);
    for (int64_t c = 0; c < D; ++c)
      h[c] *= inv_count;
    total += detail::score_example(h, out_table, target + i * S, S, D, error + i * S);
  }
  Tensor loss = tensor(static_cast<float>(total));
  if (any_requires_grad({&w_in, &w_out})) {
    Node& node =
        record_op(loss, "cbow_loss", cbow_backward, {w_in, w_out, contexts, offsets, targets});
    node.saved.errors = errors;
    node.saved.means = means;
    node.saved.context_mean = context_grad == CbowContextGrad::Mean;
  }
  return loss;
}

// h_i = mean_j w_in[contexts[j]] over bag i,  x[i, s] = h_i . w_out[targets[i, s]]
// grad_w_out[targets[i, s], :] += g e[i, s] h_i
// grad_h_i = g sum_s e[i, s] w_out[targets[i, s], :]
// grad_w_in[contexts[j], :]    += grad_h_i / n_i   for each j in bag i (n_i its size)
//                                 (grad_h_i itself under CbowContextGrad::Word2Vec)
void cbow_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  const Tensor& w_in = node.input(0);
  const Tensor& w_out = node.input(1);
  std::span<const int64_t> contexts = node.input(2).ids();
  std::span<const int64_t> starts = node.input(3).ids();
  std::span<const int64_t> targets = node.input(4).ids();
  std::span<const float> error = node.saved.errors->data();
  const int64_t N = static_cast<int64_t>(starts.size()), D = w_in.size(1);
  const int64_t S = N > 0 ? static_cast<int64_t>(targets.size()) / N : 0;
  const auto M = static_cast<int64_t>(contexts.size());
  const float g = grad_out.item<float>();

  std::vector<float> scale(error.size());
  std::vector<int64_t> example_of_sample(targets.size());
  for (int64_t i = 0; i < N; ++i) {
    for (int64_t s = 0; s < S; ++s) {  // two loops: k / S would cost a division per sample
      scale[i * S + s] = g * error[i * S + s];
      example_of_sample[i * S + s] = i;
    }
  }
  accumulate_grad_rows(w_out, targets, node.saved.means->data(), scale, example_of_sample);
  if (!w_in.requires_grad()) return;

  std::vector<float> grad_h(N * D, 0.0f);  // grad_h_i, before dividing by the bag size
  const float* out_table = w_out.data().data();
  for (int64_t i = 0; i < N; ++i) {
    for (int64_t s = 0; s < S; ++s)
      detail::axpy(scale[i * S + s], out_table + targets[i * S + s] * D, grad_h.data() + i * D, D);
  }
  const bool mean = node.saved.context_mean;
  std::vector<float> share(M);  // 1 / n_i: each context row's share of grad_h_i
  std::vector<int64_t> bag_of_context(M);
  for (int64_t i = 0; i < N; ++i) {
    const int64_t end = bag_end(starts, i, M);
    for (int64_t j = starts[i]; j < end; ++j) {
      share[j] = mean ? 1.0f / static_cast<float>(end - starts[i]) : 1.0f;
      bag_of_context[j] = i;
    }
  }
  accumulate_grad_rows(w_in, contexts, grad_h, share, bag_of_context);
}

}  // namespace embedlab::word2vec
