/// @file loss.h
/// @brief Loss functions (损失函数): mse_loss, cross_entropy, nll_loss and
/// binary_cross_entropy_with_logits, with PyTorch's names, arguments and reductions.
///
/// `nll_loss` and `binary_cross_entropy_with_logits` are ops whose named backward functions
/// are declared here and defined right below their forwards in loss.cpp. `mse_loss` and
/// `cross_entropy` are built from other ops (cross_entropy = nll_loss(log_softmax(logits))),
/// so their gradients come from those.
///
/// What is left out: class weights, `ignore_index`, `label_smoothing`, `pos_weight`, and
/// probability targets for cross_entropy.
#pragma once

#include "autograd/node.h"
#include "tensor/tensor.h"

namespace embedlab::nn {

/// How a loss turns one value per example into its result, as PyTorch's `reduction=`.
enum class Reduction {
  Mean,  ///< the mean over the examples (PyTorch's default)
  Sum,   ///< the sum over the examples
  None   ///< no reduction: one loss per example
};

/// Returns the mean squared error: mean((input - target)^2) by default.
/// @param input float32 predictions, any shape
/// @param target float32 values of the same shape
/// @param reduction Mean, Sum, or None (the squared errors, input's shape)
/// @throws TypeError for int64 tensors; ShapeError when the shapes differ (both named).
/// @code
/// Tensor loss = nn::mse_loss(tensor({1, 2}), tensor({0, 4}));
/// fmt::print("{}\n", loss);   // tensor(2.5000)   ((1 - 0)^2 + (2 - 4)^2) / 2
/// @endcode
/// Differs from PyTorch: shapes must be equal (PyTorch broadcasts, with a warning).
Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean);

/// Returns the cross-entropy between logits and class ids: nll_loss(log_softmax(logits)).
///
/// For one example with logits z and class t: loss = -z[t] + log(sum_c e^z[c]). It is computed
/// through log_softmax, which subtracts the largest logit first, so logits of +-1e4 give a
/// finite, correct loss.
/// @param logits float32 scores, (N, C) for a batch or (C) for one example
/// @param target int64 class ids in [0, C): (N), or a scalar for (C) logits
/// @param reduction Mean (over the kept targets), Sum, or None ((N) losses, or a scalar for
///        one example)
/// @param ignore_index a target id that adds no loss and no gradient (PyTorch's default -100);
///        Mean then averages over the other targets only (NaN when every target is ignored)
/// @throws TypeError when target is float; IndexError for a class id outside [0, C) (with its
/// position); ShapeError when the shapes do not fit (both named).
/// @code
/// Tensor logits = tensor({{2, 0}, {0, 0}});
/// Tensor loss = nn::cross_entropy(logits, tensor({0, 1}, DType::Int64));
/// fmt::print("{}\n", loss);   // tensor(0.4100)   (log(1 + e^-2) + log 2) / 2
/// @endcode
/// Differs from PyTorch: no class weights, label_smoothing or probability targets.
Tensor cross_entropy(const Tensor& logits, const Tensor& target,
                     Reduction reduction = Reduction::Mean, int64_t ignore_index = -100);

/// Returns the negative log-likelihood: loss[i] = -log_probs[i, target[i]], then reduced.
///
/// Takes log-probabilities (the output of log_softmax), not logits. The op is named
/// "nll_loss" and its derivative is `nll_loss_backward`.
/// @param log_probs float32 (N, C), or (C) for one example
/// @param target int64 class ids in [0, C): (N), or a scalar for (C) input
/// @param reduction Mean (over the kept targets), Sum, or None
/// @param ignore_index a target id that adds no loss and no gradient (PyTorch's default -100);
///        Mean then averages over the other targets only (NaN when every target is ignored)
/// @throws TypeError when target is float; IndexError for a class id outside [0, C);
/// ShapeError when the shapes do not fit; ValueError for Mean over an empty batch.
/// @code
/// Tensor log_probs = log(tensor({{0.5f, 0.5f}, {0.25f, 0.75f}}));
/// Tensor loss = nn::nll_loss(log_probs, tensor({0, 1}, DType::Int64), nn::Reduction::Sum);
/// fmt::print("{}\n", loss);   // tensor(0.9808)   -ln 0.5 - ln 0.75
/// @endcode
/// Differs from PyTorch: no class weights.
Tensor nll_loss(const Tensor& log_probs, const Tensor& target,
                Reduction reduction = Reduction::Mean, int64_t ignore_index = -100);

/// Backward of `nll_loss`: scatters the gradient back to the picked entries.
///
///   grad_log_probs[i, target[i]] = -scale * grad_out[i]   (every other entry 0)
/// with scale = 1 / N for Mean and 1 otherwise (grad_out is one scalar when reduced).
/// @param node the "nll_loss" node: saved.ids holds target, saved.scale the scale
/// @param grad_out the gradient of the loss (a scalar, or (N) for Reduction::None)
/// @param out the loss (unused)
void nll_loss_backward(Node& node, const Tensor& grad_out, const Tensor& out);

/// Returns the binary cross-entropy of sigmoid(logits) against targets, in one stable op.
///
/// Per element, with x the logit and y the target in [0, 1]:
///   loss = -[y log sigmoid(x) + (1 - y) log(1 - sigmoid(x))]
///        = max(x, 0) - x y + log(1 + e^-|x|)
/// The second form never takes e of a large positive number, so logits of +-1e4 stay finite.
/// The op is named "binary_cross_entropy_with_logits"; its derivative is
/// `bce_with_logits_backward`.
/// @param logits float32 scores, any shape
/// @param targets float32 values in [0, 1], same shape
/// @param reduction Mean (over all elements), Sum, or None (logits' shape)
/// @throws TypeError for int64 tensors; ShapeError when the shapes differ (both named).
/// @code
/// Tensor loss = nn::binary_cross_entropy_with_logits(tensor({0}), tensor({1}));
/// fmt::print("{}\n", loss);   // tensor(0.6931)   log 2
/// @endcode
/// Differs from PyTorch: no weight or pos_weight.
Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& targets,
                                        Reduction reduction = Reduction::Mean);

/// Backward of `binary_cross_entropy_with_logits`.
///
///   grad_logits[i]  = scale * g_i * (sigmoid(x_i) - y_i)
///   grad_targets[i] = scale * g_i * (-x_i)
/// with g_i = grad_out[i] (or the one scalar when reduced) and scale = 1 / numel for Mean.
/// @param node the node: inputs logits and targets, saved.scale the scale
/// @param grad_out the gradient of the loss
/// @param out the loss (unused)
void bce_with_logits_backward(Node& node, const Tensor& grad_out, const Tensor& out);

}  // namespace embedlab::nn
