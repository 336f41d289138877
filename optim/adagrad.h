/// @file adagrad.h
/// @brief `optim::Adagrad`, following the algorithm box of torch.optim.Adagrad.
///
/// Adagrad gives every weight its own step size, shrinking as the squared gradients it has seen
/// pile up: rare words (rows seldom touched) keep large steps, frequent ones get small steps.
/// That is why GloVe trains with it. Left out: PyTorch's `maximize`, `foreach` and `fused` flags.
#pragma once

#include "optim/optimizer.h"

namespace embedlab::optim {

/// Hyper-parameters of Adagrad (PyTorch's names and defaults, plus `lazy`).
struct AdagradOptions {
  double lr = 1e-2;                        ///< learning rate
  double lr_decay = 0.0;                   ///< lr at step t is lr / (1 + (t - 1) * lr_decay)
  double weight_decay = 0.0;               ///< L2 penalty added to the gradient
  double initial_accumulator_value = 0.0;  ///< starting value of the sum of squared gradients
  double eps = 1e-10;                      ///< added to the denominator for stability
  bool lazy = true;                        ///< update only rows with a gradient (see optimizer.h)
};

/// Adagrad: divides each step by the root of the sum of all squared gradients so far.
///
/// Per element at step t, with g = grad + weight_decay * p:
///   clr = lr / (1 + (t - 1) * lr_decay);   state_sum += g^2;
///   p -= clr * g / (sqrt(state_sum) + eps).
/// t counts the steps of each parameter that had a gradient, as PyTorch's `state['step']`.
/// With `lazy` (the default) this is what torch.optim.Adagrad does for a sparse embedding
/// gradient; there PyTorch refuses weight decay, here it shrinks only the visited rows.
/// @code
/// optim::Adagrad adagrad(model->parameters(), {.lr = 0.05});
/// loss.backward(); adagrad.step(); adagrad.zero_grad();
/// @endcode
class Adagrad : public Optimizer {
 public:
  /// Makes Adagrad over `params`, with every accumulator at `initial_accumulator_value`.
  /// @throws ValueError for a negative lr_decay, weight decay, initial accumulator or eps.
  Adagrad(std::vector<Tensor> params, AdagradOptions options = {});
  /// Applies one update to every parameter row that has a gradient.
  void step() override;
  /// Shows this optimiser's state tensors to `visit` (see Optimizer::visit_state).
  void visit_state(const StateVisitor& visit) override;
  /// Returns the options (lr is kept in the base class).
  const AdagradOptions& options() const { return options_; }
  /// Returns the running sum of squared gradients of parameter `i`, same shape as it.
  const Tensor& state_sum(size_t i) const { return state_sums_.at(i); }

 private:
  AdagradOptions options_;
  std::vector<Tensor> state_sums_;    ///< sum of g^2 per element
  std::vector<int64_t> param_steps_;  ///< steps each parameter has taken (its t)
};

}  // namespace embedlab::optim
