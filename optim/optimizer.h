/// @file optimizer.h
/// @brief `optim::Optimizer`: the base of SGD, Adam, AdamW and Adagrad.
///
/// `step()` is a plain loop over parameters, and inside each parameter over the rows its
/// gradient may have touched (see autograd/grad_rows.h): for an embedding that is the rows the
/// batch used, so a step costs O(rows used x D) whatever the vocabulary size.
///
/// Differs from PyTorch: with `lazy = true` (the default) a row that got no gradient this step
/// is skipped entirely, as `torch.optim.SparseAdam` does; its momentum or Adam moments do not
/// decay and weight decay does not shrink it. For parameters whose gradient is dense (Linear
/// layers) lazy and dense are the same. Set `lazy = false` for torch.optim's dense behaviour,
/// which visits every row every step.
#pragma once

#include <array>
#include <functional>
#include <initializer_list>
#include <span>
#include <string>
#include <vector>

#include "autograd/grad_rows.h"
#include "tensor/lifetime.h"
#include "tensor/tensor.h"

namespace embedlab::optim {

/// The base class of optimisers: holds the parameters and the learning rate.
class Optimizer {
 public:
  /// Takes the parameters to update and the learning rate; `name` appears in messages.
  /// @throws ValueError for an empty parameter list, a tensor listed twice, a non-leaf tensor
  /// (computed from others, such as `w * 2`: it would never change), a list in which no tensor
  /// requires grad, or a learning rate that is negative or not finite; TypeError for an undefined
  /// or int64 parameter.
  Optimizer(std::vector<Tensor> params, double lr, std::string name);
  virtual ~Optimizer() = default;

  /// Zeroes the gradient of every parameter (only the rows that may be non-zero).
  void zero_grad();
  /// Updates every parameter from its gradient, once.
  virtual void step() = 0;

  /// Returns the current learning rate.
  double lr() const { return lr_; }
  /// Changes the learning rate (schedulers call this).
  /// @throws ValueError when it is negative or not finite.
  void set_lr(double lr);
  /// Returns the parameters being optimised.
  const std::vector<Tensor>& params() const { return params_; }
  /// Returns how many times `step()` has run.
  int64_t step_count() const { return steps_; }
  /// Returns the optimiser's name, such as "Adam".
  const std::string& name() const { return name_; }

  /// Called once per state tensor by `visit_state`: its name ("3.exp_avg"), the tensor (which
  /// a loader may replace) and the shape it must have.
  using StateVisitor =
      std::function<void(const std::string& name, Tensor& state, const Shape& shape)>;
  /// Shows every state tensor (moments, buffers, per-parameter step counts) to `visit`, so
  /// checkpoints can save and restore it. Undefined tensors are state not created yet.
  virtual void visit_state(const StateVisitor& visit);
  /// Sets the number of completed steps (used when loading a checkpoint).
  /// @throws ValueError when `steps` is negative.
  void set_step_count(int64_t steps);
  /// Returns a watch that tells a scheduler holding a reference to this optimiser whether the
  /// optimiser still exists (see docs/threads_and_lifetimes.md).
  LifetimeWatch watch() const { return lifetime_.watch(); }

 protected:
  /// Calls `visit(row, grad)` for the rows of `param` this step updates, `grad` pointing to
  /// that row of the gradient: the touched rows when `lazy` (read from wherever backward left
  /// them, see for_each_grad_row), else every row (when the parameter has a gradient at all).
  /// A lazy step's rows sit at random places in the parameter and in the optimiser's state, so
  /// the visitor also asks the CPU for the same row of each of `arrays` (null ones skipped,
  /// each a (V, D) array like the parameter; up to three) a few rows ahead (docs/performance.md).
  template <typename Visit>
  static void visit_rows(const Tensor& param, bool lazy, std::array<const float*, 3> arrays,
                         Visit visit) {
    const int64_t D = param.shape().cols();
    if (lazy) {
      // An array, not an initializer_list: over a list GCC 12 emitted no prefetch at all, and
      // SGD::step took a quarter more time (objdump of sgd.cpp.o, perf; docs/performance.md).
      for_each_grad_row(param, visit, [&](int64_t row) {
        for (const float* values : arrays) {
          if (values) prefetch_row(values + row * D, D);
        }
      });
    } else if (has_grad(param)) {
      detail::check_grad_shape(*param.impl());
      float* grad = param.grad().data().data();  // grad() folds every row into one buffer
      for (int64_t row = 0; row < param.shape().rows(); ++row)
        visit(row, grad + row * D);
    }
  }
  /// Checks that a hyper-parameter lies in [low, high] and throws ValueError naming it if not.
  void check_range(const char* what, double value, double low, double high) const;

  std::vector<Tensor> params_;  ///< the parameters, in the order given
  double lr_;                   ///< learning rate
  int64_t steps_ = 0;           ///< completed steps
  std::string name_;            ///< "SGD", "Adam", ...

 private:
  Lifetime lifetime_;  // ends with the optimiser, so a scheduler left behind can tell
};

/// Shows a per-parameter step-count list to a state visitor as one int64 tensor "steps".
void visit_step_counts(std::vector<int64_t>& steps, const Optimizer::StateVisitor& visit);

}  // namespace embedlab::optim
