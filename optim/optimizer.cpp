// Optimizer: parameter and learning-rate checks shared by every optimiser.
#include "optim/optimizer.h"

#include <cmath>

#include <fmt/format.h>

#include "tensor/creation.h"
#include "tensor/error.h"

namespace embedlab::optim {

Optimizer::Optimizer(std::vector<Tensor> params, double lr, std::string name)
    : params_(std::move(params)), lr_(0.0), name_(std::move(name)) {
  if (params_.empty()) {
    throw ValueError(
        fmt::format("{}: got an empty parameter list; pass model.parameters()", name_));
  }
  for (size_t i = 0; i < params_.size(); ++i) {
    if (!params_[i].defined()) {
      throw TypeError(fmt::format("{}: parameter {} is an undefined tensor", name_, i));
    }
    if (params_[i].dtype() != DType::Float32) {
      throw TypeError(fmt::format("{}: parameter {} has dtype {}; only float32 tensors can learn",
                                  name_, i, dtype_name(params_[i].dtype())));
    }
    // A non-leaf (w * 2) gets no .grad of its own, so every step would silently do nothing;
    // PyTorch refuses it too ("can't optimize a non-leaf Tensor").
    if (!params_[i].is_leaf()) {
      throw ValueError(
          fmt::format("{}: parameter {} is not a leaf tensor (it was computed by {}); can't "
                      "optimize a non-leaf tensor: pass the tensor you called requires_grad_() "
                      "on, or detach() it and make it a leaf",
                      name_, i, params_[i].grad_fn_name()));
    }
    // Listed twice, a tensor would silently take two steps per step().
    for (size_t j = 0; j < i; ++j) {
      if (params_[j].impl() == params_[i].impl()) {
        throw ValueError(
            fmt::format("{}: parameter {} is the same tensor as parameter {}; list "
                        "each parameter once",
                        name_, i, j));
      }
    }
  }
  // With no parameter that can get a gradient, every step() would change nothing.
  bool any_trainable = false;
  for (const Tensor& param : params_)
    any_trainable = any_trainable || param.requires_grad();
  if (!any_trainable) {
    throw ValueError(fmt::format(
        "{}: none of the {} parameters requires grad, so step() would never change anything; "
        "call requires_grad_() on them (a frozen layer's weights stay out of the optimiser)",
        name_, params_.size()));
  }
  set_lr(lr);
}

void Optimizer::set_lr(double lr) {
  if (!std::isfinite(lr) || lr < 0.0) {
    throw ValueError(fmt::format("{}: learning rate {} must be finite and >= 0", name_, lr));
  }
  lr_ = lr;
}

void Optimizer::set_step_count(int64_t steps) {
  if (steps < 0) {
    throw ValueError(fmt::format("{}: step count {} must be >= 0", name_, steps));
  }
  steps_ = steps;
}

void Optimizer::check_range(const char* what, double value, double low, double high) const {
  if (!(value >= low && value <= high)) {
    throw ValueError(
        fmt::format("{}: {} = {} must lie in [{}, {}]", name_, what, value, low, high));
  }
}

void Optimizer::zero_grad() {
  for (const Tensor& param : params_)
    embedlab::zero_grad(param);
}

void Optimizer::visit_state(const StateVisitor&) {}

void visit_step_counts(std::vector<int64_t>& steps, const Optimizer::StateVisitor& visit) {
  const auto n = static_cast<int64_t>(steps.size());
  Tensor counts = from_ids(steps, Shape{n});
  visit("steps", counts, Shape{n});
  steps.assign(counts.ids().begin(), counts.ids().end());
}

}  // namespace embedlab::optim
