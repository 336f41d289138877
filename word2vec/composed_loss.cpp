// The word2vec losses written with ordinary ops: the readable definition of what the fused ops
// in sgns_op.cpp and cbow_op.cpp compute, and the reference the tests hold them to. Every
// example expands into 1 + K rows (the input vector next to one output vector), so a batch
// of N examples builds (N (1 + K), D) matrices; that cost is why training uses the fused ops.
#include <vector>

#include "nn/loss.h"
#include "tensor/error.h"
#include "word2vec/op_checks.h"
#include "word2vec/sgns_op.h"

namespace embedlab::word2vec {

namespace {

// The pieces shared by both losses, for N examples of S = 1 + K samples each:
// labels 1, 0, ..., 0 per example, a mask that drops negatives equal to the positive, and
// the flat output ids.
struct Samples {
  Tensor labels;      // (N S) float: 1 for column 0, else 0
  Tensor mask;        // (N S) float: 0 for a skipped negative, else 1
  Tensor output_ids;  // (N S) int64: targets, flattened
  Tensor example;     // (N S) int64: the example each sample belongs to
};

Samples expand_targets(const Tensor& targets) {
  const int64_t N = targets.size(0), S = targets.size(1);
  std::span<const int64_t> t = targets.ids();
  std::vector<float> labels(N * S), mask(N * S);
  std::vector<int64_t> example(N * S);
  for (int64_t k = 0; k < N * S; ++k) {
    const int64_t i = k / S, s = k % S;
    labels[k] = s == 0 ? 1.0f : 0.0f;
    mask[k] = (s > 0 && t[k] == t[i * S]) ? 0.0f : 1.0f;
    example[k] = i;
  }
  return {from_vector(std::move(labels), Shape{N * S}), from_vector(std::move(mask), Shape{N * S}),
          from_ids(std::vector<int64_t>(t.begin(), t.end()), Shape{N * S}),
          from_ids(std::move(example), Shape{N * S})};
}

// sum over samples of mask * BCE(input . output, label): the loss of both models once each
// sample's input row sits next to its output row.
Tensor masked_bce_sum(const Tensor& inputs, const Tensor& outputs, const Samples& samples) {
  Tensor logits = rowwise_dot(inputs, outputs);  // (N S)
  Tensor losses = nn::binary_cross_entropy_with_logits(logits, samples.labels, nn::Reduction::None);
  return sum(losses * samples.mask);
}

}  // namespace

Tensor sgns_loss_composed(const Tensor& w_in, const Tensor& w_out, const Tensor& centers,
                          const Tensor& targets) {
  detail::check_centers(centers);
  detail::check_tables_and_targets("sgns_loss", w_in, w_out, targets, centers.numel());
  const Samples samples = expand_targets(targets);
  // The rows are gathered with index_select, which has its own backward, so that this task's
  // tests do not depend on the embedding tasks (3.1, 3.2).
  // BEGIN SOLUTION task 6.1
  // STUB: (void)samples;
  std::vector<int64_t> input_ids(samples.example.numel());  // centers[i] once per sample of i
  for (size_t k = 0; k < input_ids.size(); ++k)
    input_ids[k] = centers.ids()[samples.example.ids()[k]];
  Tensor u = index_select(w_in, 0, from_ids(std::move(input_ids), samples.example.shape()));
  Tensor v = index_select(w_out, 0, samples.output_ids);  // (N S, D) each
  Tensor logits = rowwise_dot(u, v);                      // (N S)
  Tensor losses = nn::binary_cross_entropy_with_logits(logits, samples.labels, nn::Reduction::None);
  return sum(losses * samples.mask);
  // END SOLUTION
}

Tensor cbow_loss_composed(const Tensor& w_in, const Tensor& w_out, const Tensor& contexts,
                          const Tensor& offsets, const Tensor& targets) {
  detail::check_tables_and_targets("cbow_loss", w_in, w_out, targets, offsets.numel());
  detail::check_bags(contexts, offsets, w_in.size(0));
  const Samples samples = expand_targets(targets);
  Tensor means = embedding_bag(w_in, contexts, offsets, BagMode::Mean);  // (N, D)
  Tensor h = index_select(means, 0, samples.example);                    // (N S, D)
  return masked_bce_sum(h, embedding(w_out, samples.output_ids), samples);
}

}  // namespace embedlab::word2vec
