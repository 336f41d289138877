// SGD::step: the torch.optim.SGD algorithm, row by row over the rows with a gradient.
#include "optim/sgd.h"

#include <initializer_list>
#include <span>

#include <fmt/format.h>

#include "autograd/node.h"
#include "tensor/creation.h"
#include "tensor/error.h"

namespace embedlab::optim {

SGD::SGD(std::vector<Tensor> params, SGDOptions options)
    : Optimizer(std::move(params), options.lr, "SGD"), options_(options) {
  check_range("momentum", options.momentum, 0.0, 1.0);
  check_range("dampening", options.dampening, 0.0, 1.0);
  check_range("weight_decay", options.weight_decay, 0.0, 1e6);
  if (options.nesterov && (options.momentum <= 0.0 || options.dampening != 0.0)) {
    throw ValueError(
        fmt::format("SGD: nesterov needs momentum > 0 and dampening = 0 (got "
                    "momentum = {}, dampening = {})",
                    options.momentum, options.dampening));
  }
  momentum_buffers_.resize(params_.size());
}

void SGD::step() {
  NoGradGuard no_grad;
  const auto lr = static_cast<float>(lr_), wd = static_cast<float>(options_.weight_decay);
  const auto momentum = static_cast<float>(options_.momentum);
  const auto dampening = static_cast<float>(options_.dampening);
  for (size_t i = 0; i < params_.size(); ++i) {
    Tensor& param = params_[i];
    if (!has_grad(param)) continue;
    const bool first = momentum > 0.0f && !momentum_buffers_[i].defined();
    if (first) momentum_buffers_[i] = zeros(param.shape());
    const int64_t D = param.shape().cols();
    float* p = param.data().data();
    float* buf = momentum > 0.0f ? momentum_buffers_[i].data().data() : nullptr;
    visit_rows(param, options_.lazy, {p, buf}, [&](int64_t row, const float* grad) {
      float* p_row = p + row * D;
      float* buf_row = buf ? buf + row * D : nullptr;
      for (int64_t c = 0; c < D; ++c) {
        float g = grad[c] + wd * p_row[c];
        if (buf_row) {
          buf_row[c] = first ? g : momentum * buf_row[c] + (1.0f - dampening) * g;
          g = options_.nesterov ? g + momentum * buf_row[c] : buf_row[c];
        }
        p_row[c] -= lr * g;
      }
    });
    bump_version(param);  // a retained graph that saved the old values must refuse them
  }
  ++steps_;
}

void SGD::visit_state(const StateVisitor& visit) {
  for (size_t i = 0; i < params_.size(); ++i) {
    visit(fmt::format("{}.momentum_buffer", i), momentum_buffers_[i], params_[i].shape());
  }
}

}  // namespace embedlab::optim
