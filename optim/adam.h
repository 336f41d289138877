/// @file adam.h
/// @brief `optim::Adam` and `optim::AdamW`, following the algorithm boxes of torch.optim.Adam
/// and torch.optim.AdamW.
#pragma once

#include "optim/optimizer.h"

namespace embedlab::optim {

/// Hyper-parameters of Adam and AdamW (PyTorch's names and defaults, plus `lazy`).
struct AdamOptions {
  double lr = 1e-3;           ///< learning rate
  double beta1 = 0.9;         ///< decay of the first moment (mean of gradients)
  double beta2 = 0.999;       ///< decay of the second moment (mean of squared gradients)
  double eps = 1e-8;          ///< added to the denominator for stability
  double weight_decay = 0.0;  ///< Adam: L2 added to the gradient; AdamW: decoupled decay
  bool amsgrad = false;       ///< keep the running maximum of the second moment
  bool lazy = true;           ///< update only rows with a gradient, like SparseAdam
};

/// Adam: per-element step sizes from running means of the gradient and its square.
///
/// Per element at step t, with g = grad (+ weight_decay * p for Adam):
///   m = beta1 m + (1 - beta1) g;   v = beta2 v + (1 - beta2) g^2;
///   m_hat = m / (1 - beta1^t);     v_hat = v / (1 - beta2^t)   (amsgrad: running max of v);
///   p -= lr * m_hat / (sqrt(v_hat) + eps).
/// The first step moves every weight with a non-zero gradient by lr * sign(g) (up to eps).
/// t counts the steps of each parameter that had a gradient (PyTorch's `state['step']`); with
/// `lazy` it is still per parameter, not per row, as in torch.optim.SparseAdam.
/// @see \chapter_ch07_happy_or_sad teaches it.
class Adam : public Optimizer {
 public:
  /// Makes Adam over `params`.
  /// @throws ValueError for betas outside [0, 1), a negative eps or weight decay.
  Adam(std::vector<Tensor> params, AdamOptions options = {});
  /// Applies one update.
  void step() override;
  /// Shows this optimiser's state tensors to `visit` (see Optimizer::visit_state).
  void visit_state(const StateVisitor& visit) override;
  /// Returns the options.
  const AdamOptions& options() const { return options_; }
  /// Returns the first-moment estimate m of parameter `i` (undefined before the first step).
  const Tensor& exp_avg(size_t i) const { return exp_avg_.at(i); }
  /// Returns the second-moment estimate v of parameter `i`.
  const Tensor& exp_avg_sq(size_t i) const { return exp_avg_sq_.at(i); }

 protected:
  /// Makes the optimiser with a display name (AdamW uses this) and decoupled decay or not.
  Adam(std::vector<Tensor> params, AdamOptions options, std::string name, bool decoupled);

 private:
  /// Allocates the zero moments of parameter `i` at its first step.
  void init_state(size_t i);

  AdamOptions options_;
  bool decoupled_weight_decay_;
  std::vector<Tensor> exp_avg_, exp_avg_sq_, max_exp_avg_sq_;
  std::vector<int64_t> param_steps_;  ///< steps each parameter has taken (its t)
};

/// AdamW: Adam with decoupled weight decay, p *= 1 - lr * weight_decay before the Adam step.
/// PyTorch's default weight_decay for AdamW is 0.01; pass it explicitly here.
class AdamW : public Adam {
 public:
  /// Makes AdamW over `params`.
  AdamW(std::vector<Tensor> params, AdamOptions options = {});
};

}  // namespace embedlab::optim
