/// @file sgns_op.h
/// @brief The two word2vec losses as fused ops, skip-gram with negative sampling (`sgns_loss`)
/// and CBOW (`cbow_loss`), and the same losses composed from ordinary ops, to check them against.
///
/// Both read two (V, D) tables: W_in, the word vectors kept after training, and W_out, the
/// "output" vectors used only for scoring. A training example is one row of `targets`
/// (N, 1 + K): column 0 holds the word that really occurred (label 1) and columns 1..K hold K
/// negative samples (label 0). With u the example's input vector, its loss is
///
///     -log sigmoid(u . W_out[t_0]) - sum_k log sigmoid(-u . W_out[t_k])
///
/// which is binary_cross_entropy_with_logits of the logits u . W_out[t] against 1, 0, ..., 0.
/// A negative equal to the row's positive word is skipped (it adds no loss and no gradient),
/// as the original word2vec.c skips it.
///
/// Why fused: composed, one batch is five ops (two lookups, a row-wise dot, the loss, a sum)
/// that each write an (N (1 + K), D) intermediate. The fused op reads the rows in place and
/// its backward adds straight into the rows of the two gradients, so a step costs what the
/// original's loops cost. The composed versions stay, as the readable definition and as the
/// reference the tests compare the fused ops with.
///
/// The loss is summed over examples, not averaged: plain SGD with word2vec's learning rate
/// (0.025) then moves each row exactly as word2vec's per-pair update does.
#pragma once

#include "autograd/node.h"
#include "tensor/tensor.h"

namespace embedlab::word2vec {

/// Returns the skip-gram negative-sampling loss of N examples, summed, as a scalar.
///
/// Example i scores the input word `centers[i]` (its row of `w_in`) against the output words
/// `targets[i, :]` (rows of `w_out`). The op is named "sgns_loss"; its derivative is
/// `sgns_backward`.
/// @param w_in the (V, D) input table
/// @param w_out the (V, D) output table (same shape)
/// @param centers (N) int64 ids of the input words
/// @param targets (N, 1 + K) int64 ids: the true context word, then K negatives
/// @return the summed loss, a scalar
/// @throws TypeError, ShapeError or IndexError naming the bad argument and its value.
/// @code
/// Tensor w_in = tensor({{1, 0}, {0, 1}}).requires_grad_();
/// Tensor w_out = tensor({{1, 0}, {0, 1}}).requires_grad_();
/// Tensor loss = sgns_loss(w_in, w_out, tensor({0}, DType::Int64),
///                         tensor({{0, 1}}, DType::Int64));
/// fmt::print("{}\n", loss);   // tensor(1.0064, grad_fn=<sgns_loss>)
///                             // -log sigmoid(1) - log sigmoid(-0) = 0.3133 + 0.6931
/// @endcode
Tensor sgns_loss(const Tensor& w_in, const Tensor& w_out, const Tensor& centers,
                 const Tensor& targets);

/// Backward of `sgns_loss` (see sgns_op.cpp for the formula).
///
/// With e[i, s] = sigmoid(x[i, s]) - label[i, s] saved by the forward (0 for a skipped
/// negative) and g the incoming scalar gradient:
///   grad_w_in[centers[i], :]     += g e[i, s] w_out[targets[i, s], :]
///   grad_w_out[targets[i, s], :] += g e[i, s] w_in[centers[i], :]
/// @param node the "sgns_loss" node: inputs w_in, w_out, centers, targets; saved.errors e
/// @param grad_out the gradient of the loss (a scalar)
/// @param out the loss (unused)
void sgns_backward(Node& node, const Tensor& grad_out, const Tensor& out);

/// How `cbow_loss` sends the gradient of a bag's mean h back to the bag's context rows.
enum class CbowContextGrad {
  /// The derivative of the mean: grad_h / n to each of the n rows, so gradcheck holds.
  Mean,
  /// grad_h itself to each row, n times the derivative, as word2vec.c and gensim
  /// (cbow_mean=1) update CBOW. Like PyTorch's `scale_grad_by_freq`, a deliberate change of the
  /// gradient. Measured on the KJV Bible: the plain derivative trains the input rows about n
  /// (~6) times too slowly; the 10 nearest neighbours of words ranked 50 to 550 then share 41%
  /// with gensim's, against 60% with this rule (and 60% between two gensim seeds).
  Word2Vec,
};

/// Returns the CBOW negative-sampling loss of N examples, summed, as a scalar.
///
/// Example i averages the input rows of its context words, the bag
/// `contexts[offsets[i] .. offsets[i + 1])`, into h_i, and scores h_i against the output words
/// `targets[i, :]` (the centre word, then K negatives). The op is named "cbow_loss"; its
/// derivative is `cbow_backward`.
/// @param w_in the (V, D) input table
/// @param w_out the (V, D) output table
/// @param contexts (M) int64 ids of every example's context words, bag after bag
/// @param offsets (N) int64 start of each bag in `contexts`: ascending, the first 0, no bag empty
/// @param targets (N, 1 + K) int64 ids: the centre word, then K negatives
/// @param context_grad the true derivative (Mean, the default) or word2vec.c's update rule
/// @return the summed loss, a scalar
/// @throws TypeError, ShapeError, IndexError or ValueError naming the bad argument.
Tensor cbow_loss(const Tensor& w_in, const Tensor& w_out, const Tensor& contexts,
                 const Tensor& offsets, const Tensor& targets,
                 CbowContextGrad context_grad = CbowContextGrad::Mean);

/// Backward of `cbow_loss`.
///
/// With e[i, s] and g as for `sgns_backward`, h_i the saved bag means and n_i the bag sizes:
///   grad_w_out[targets[i, s], :] += g e[i, s] h_i
///   grad_w_in[c, :]              += (g / n_i) sum_s e[i, s] w_out[targets[i, s], :]
///                                   for every context word c of bag i
/// (without the 1 / n_i under CbowContextGrad::Word2Vec).
/// @param node the "cbow_loss" node: inputs w_in, w_out, contexts, offsets, targets;
///        saved.errors e, saved.means the (N, D) bag means h, saved.context_mean true for
///        CbowContextGrad::Mean
/// @param grad_out the gradient of the loss (a scalar)
/// @param out the loss (unused)
void cbow_backward(Node& node, const Tensor& grad_out, const Tensor& out);

/// Returns the same value as `sgns_loss`, built from ordinary ops: two `embedding` lookups,
/// `rowwise_dot` and `nn::binary_cross_entropy_with_logits` (a mask drops skipped negatives).
/// Slower (it writes (N (1 + K), D) intermediates); it is the definition the fused op must match.
/// @param w_in the (V, D) input table
/// @param w_out the (V, D) output table
/// @param centers (N) int64 ids of the input words
/// @param targets (N, 1 + K) int64 ids
/// @return the summed loss, a scalar
/// @throws the errors of `sgns_loss`.
Tensor sgns_loss_composed(const Tensor& w_in, const Tensor& w_out, const Tensor& centers,
                          const Tensor& targets);

/// Returns the same value as `cbow_loss`, built from ordinary ops: `embedding_bag` (mean),
/// `index_select`, `embedding`, `rowwise_dot` and `nn::binary_cross_entropy_with_logits`.
/// @param w_in the (V, D) input table
/// @param w_out the (V, D) output table
/// @param contexts (M) int64 context ids, bag after bag
/// @param offsets (N) int64 start of each bag
/// @param targets (N, 1 + K) int64 ids
/// @return the summed loss, a scalar
/// @throws the errors of `cbow_loss`.
Tensor cbow_loss_composed(const Tensor& w_in, const Tensor& w_out, const Tensor& contexts,
                          const Tensor& offsets, const Tensor& targets);

}  // namespace embedlab::word2vec
