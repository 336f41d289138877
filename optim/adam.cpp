// Adam::step: the torch.optim.Adam / AdamW algorithm, row by row over the rows with a gradient.
#include "optim/adam.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <span>

#include <fmt/format.h>

#include "autograd/node.h"
#include "tensor/creation.h"
#include "tensor/error.h"

namespace embedlab::optim {

namespace {

// A beta must lie in [0, 1): at 1 the moment never forgets and its bias correction
// 1 - beta^t is 0.
void check_beta(const std::string& name, const char* what, double beta) {
  if (!(beta >= 0.0 && beta < 1.0)) {
    throw ValueError(fmt::format("{}: {} = {} must lie in [0, 1)", name, what, beta));
  }
}

}  // namespace

Adam::Adam(std::vector<Tensor> params, AdamOptions options)
    : Adam(std::move(params), options, "Adam", false) {}

Adam::Adam(std::vector<Tensor> params, AdamOptions options, std::string name, bool decoupled)
    : Optimizer(std::move(params), options.lr, std::move(name)),
      options_(options),
      decoupled_weight_decay_(decoupled) {
  check_beta(name_, "beta1", options.beta1);
  check_beta(name_, "beta2", options.beta2);
  check_range("eps", options.eps, 0.0, 1.0);
  check_range("weight_decay", options.weight_decay, 0.0, 1e6);
  exp_avg_.resize(params_.size());
  exp_avg_sq_.resize(params_.size());
  max_exp_avg_sq_.resize(params_.size());
  param_steps_.assign(params_.size(), 0);
}

AdamW::AdamW(std::vector<Tensor> params, AdamOptions options)
    : Adam(std::move(params), options, "AdamW", true) {}

void Adam::init_state(size_t i) {
  const Shape& shape = params_[i].shape();
  exp_avg_[i] = zeros(shape);
  exp_avg_sq_[i] = zeros(shape);
  if (options_.amsgrad) max_exp_avg_sq_[i] = zeros(shape);
}

void Adam::step() {
  NoGradGuard no_grad;
  ++steps_;
  const auto b1 = static_cast<float>(options_.beta1), b2 = static_cast<float>(options_.beta2);
  // 1 - beta in double, then rounded: 1.0f - 0.999f would be off by 1.3e-5 relative.
  const auto one_minus_b1 = static_cast<float>(1.0 - options_.beta1);
  const auto one_minus_b2 = static_cast<float>(1.0 - options_.beta2);
  const auto eps = static_cast<float>(options_.eps), lr = static_cast<float>(lr_);
  const auto wd = static_cast<float>(options_.weight_decay);
  const float l2 = decoupled_weight_decay_ ? 0.0f : wd;
  const float shrink = decoupled_weight_decay_ ? 1.0f - lr * wd : 1.0f;
  for (size_t i = 0; i < params_.size(); ++i) {
    Tensor& param = params_[i];
    if (!has_grad(param)) continue;
    if (!exp_avg_[i].defined()) init_state(i);
    // t counts this parameter's steps (PyTorch's state['step']): a parameter whose first
    // gradient arrives late still gets the full bias correction of its own first step.
    const auto t = static_cast<double>(++param_steps_[i]);
    // Bias corrections, folded into one step size and one denominator scale.
    const auto step_size = static_cast<float>(lr_ / (1.0 - std::pow(options_.beta1, t)));
    const auto v_scale = static_cast<float>(1.0 / std::sqrt(1.0 - std::pow(options_.beta2, t)));
    const int64_t D = param.shape().cols();
    float* p = param.data().data();
    float* m = exp_avg_[i].data().data();
    float* v = exp_avg_sq_[i].data().data();
    float* v_max = options_.amsgrad ? max_exp_avg_sq_[i].data().data() : nullptr;
    visit_rows(param, options_.lazy, {p, m, v}, [&](int64_t row, const float* grad) {
      float* p_row = p + row * D;
      float* m_row = m + row * D;
      float* v_row = v + row * D;
      float* v_max_row = v_max ? v_max + row * D : nullptr;
      // GCC vectorises this loop, square root included, only under -fno-math-errno: otherwise
      // std::sqrt must be able to set errno and stays a scalar call (docs/performance.md).
      for (int64_t c = 0; c < D; ++c) {
        const float g = grad[c] + l2 * p_row[c];
        m_row[c] = b1 * m_row[c] + one_minus_b1 * g;
        v_row[c] = b2 * v_row[c] + one_minus_b2 * g * g;
        float v_used = v_row[c];
        if (v_max_row) v_used = v_max_row[c] = std::max(v_max_row[c], v_row[c]);
        p_row[c] = p_row[c] * shrink - step_size * m_row[c] / (std::sqrt(v_used) * v_scale + eps);
      }
    });
    bump_version(param);  // a retained graph that saved the old values must refuse them
  }
}

void Adam::visit_state(const StateVisitor& visit) {
  for (size_t i = 0; i < params_.size(); ++i) {
    visit(fmt::format("{}.exp_avg", i), exp_avg_[i], params_[i].shape());
    visit(fmt::format("{}.exp_avg_sq", i), exp_avg_sq_[i], params_[i].shape());
    if (options_.amsgrad) {
      visit(fmt::format("{}.max_exp_avg_sq", i), max_exp_avg_sq_[i], params_[i].shape());
    }
  }
  visit_step_counts(param_steps_, visit);
}

}  // namespace embedlab::optim
