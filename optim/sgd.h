/// @file sgd.h
/// @brief `optim::SGD`: stochastic gradient descent with momentum, dampening, Nesterov and
/// weight decay, following the algorithm box of torch.optim.SGD.
#pragma once

#include "optim/optimizer.h"

namespace embedlab::optim {

/// Hyper-parameters of SGD (PyTorch's names and defaults, plus `lazy`).
struct SGDOptions {
  double lr = 0.01;           ///< learning rate
  double momentum = 0.0;      ///< momentum factor (0 = none)
  double dampening = 0.0;     ///< dampening of the momentum
  double weight_decay = 0.0;  ///< L2 penalty added to the gradient
  bool nesterov = false;      ///< use Nesterov momentum (needs momentum > 0, dampening 0)
  bool lazy = true;           ///< update only rows with a gradient (see optimizer.h)
};

/// Stochastic gradient descent: p -= lr * g, with optional momentum and weight decay.
///
/// Per row, with g = grad + weight_decay * p:
///   buf = g on the first step, else momentum * buf + (1 - dampening) * g;
///   g = g + momentum * buf (Nesterov) or g = buf;  p -= lr * g.
/// @code
/// optim::SGD sgd(model->parameters(), {.lr = 0.1, .momentum = 0.9});
/// loss.backward(); sgd.step(); sgd.zero_grad();
/// @endcode
/// @see \chapter_ch04_embedding_layer teaches it.
class SGD : public Optimizer {
 public:
  /// Makes SGD over `params`.
  /// @throws ValueError for a bad option (negative momentum, Nesterov without momentum...).
  SGD(std::vector<Tensor> params, SGDOptions options = {});
  /// Applies one update to every parameter row that has a gradient.
  void step() override;
  /// Shows this optimiser's state tensors to `visit` (see Optimizer::visit_state).
  void visit_state(const StateVisitor& visit) override;
  /// Returns the options (lr is kept in the base class).
  const SGDOptions& options() const { return options_; }
  /// Returns the momentum buffer of parameter `i` (undefined before the first step).
  const Tensor& momentum_buffer(size_t i) const { return momentum_buffers_.at(i); }

 private:
  SGDOptions options_;
  std::vector<Tensor> momentum_buffers_;
};

}  // namespace embedlab::optim
