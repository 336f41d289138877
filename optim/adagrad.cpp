// Adagrad::step: the torch.optim.Adagrad algorithm, row by row over the rows with a gradient.
#include "optim/adagrad.h"

#include <cmath>

#include <fmt/format.h>

#include "autograd/node.h"
#include "tensor/creation.h"
#include "tensor/error.h"

namespace embedlab::optim {

Adagrad::Adagrad(std::vector<Tensor> params, AdagradOptions options)
    : Optimizer(std::move(params), options.lr, "Adagrad"), options_(options) {
  check_range("lr_decay", options.lr_decay, 0.0, 1e6);
  check_range("weight_decay", options.weight_decay, 0.0, 1e6);
  check_range("initial_accumulator_value", options.initial_accumulator_value, 0.0, 1e6);
  check_range("eps", options.eps, 0.0, 1.0);
  // Allocated now, as PyTorch does, because the accumulator starts at a chosen value.
  const auto initial = static_cast<float>(options.initial_accumulator_value);
  for (const Tensor& param : params_)
    state_sums_.push_back(full(param.shape(), initial));
  param_steps_.assign(params_.size(), 0);
}

void Adagrad::step() {
  NoGradGuard no_grad;
  ++steps_;
  for (size_t i = 0; i < params_.size(); ++i) {
    Tensor& param = params_[i];
    if (!has_grad(param)) continue;
    // BEGIN SOLUTION task 5.1
    const auto wd = static_cast<float>(options_.weight_decay);
    const auto eps = static_cast<float>(options_.eps);
    const auto t = static_cast<double>(++param_steps_[i]);
    const auto clr = static_cast<float>(lr_ / (1.0 + (t - 1.0) * options_.lr_decay));
    const int64_t D = param.shape().cols();
    float* p = param.data().data();
    float* sum = state_sums_[i].data().data();
    visit_rows(param, options_.lazy, {p, sum}, [&](int64_t row, const float* grad) {
      float* p_row = p + row * D;
      float* sum_row = sum + row * D;
      for (int64_t c = 0; c < D; ++c) {
        const float g = grad[c] + wd * p_row[c];
        sum_row[c] += g * g;
        p_row[c] -= clr * g / (std::sqrt(sum_row[c]) + eps);
      }
    });
    // END SOLUTION
    bump_version(param);  // a retained graph that saved the old values must refuse them
  }
}

void Adagrad::visit_state(const StateVisitor& visit) {
  for (size_t i = 0; i < params_.size(); ++i) {
    visit(fmt::format("{}.sum", i), state_sums_[i], params_[i].shape());
  }
  visit_step_counts(param_steps_, visit);
}

}  // namespace embedlab::optim
