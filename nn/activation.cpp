// Activation layers (thin wrappers over the ops) and the dropout op: forward draws and saves
// the mask, backward right below multiplies by the same mask.
#include "nn/activation.h"

#include <fmt/format.h>

#include "autograd/ops.h"
#include "tensor/error.h"

namespace embedlab::nn {

namespace {
void check_probability(float p, const char* op) {
  if (!(p >= 0.0f && p < 1.0f)) {
    throw ValueError(fmt::format("{}: probability p must be in [0, 1), got {}", op, p));
  }
}
}  // namespace

Tensor ReLU::forward(const Tensor& input) {
  return relu(input);
}

Tensor Tanh::forward(const Tensor& input) {
  return tanh(input);
}

Tensor Sigmoid::forward(const Tensor& input) {
  return sigmoid(input);
}

Tensor dropout(const Tensor& input, float p, bool training, Generator& generator) {
  check_probability(p, "dropout");
  if (!input.defined() || input.dtype() != DType::Float32) {
    throw TypeError(fmt::format("dropout: input must be a float32 tensor, got {}",
                                input.defined() ? "int64 ids of shape " + input.shape().to_string()
                                                : std::string("an undefined tensor")));
  }
  if (!training || p == 0.0f) return input;
  // mask[i] = 0 with probability p, else 1 / (1 - p); the same numbers scale the gradient.
  const float keep_scale = 1.0f / (1.0f - p);
  Tensor mask = make_tensor(input.shape());
  Tensor out = make_tensor(input.shape());
  const float* x = input.data().data();
  float* m = mask.data().data();
  float* y = out.data().data();
  for (int64_t i = 0; i < input.numel(); ++i) {
    m[i] = generator.uniform() < p ? 0.0f : keep_scale;
    y[i] = x[i] * m[i];
  }
  if (any_requires_grad({&input})) {
    record_op(out, "dropout", dropout_backward, {input}).saved.mask = mask;
  }
  return out;
}

// grad_input[i] = grad_out[i] * mask[i] / (1 - p)   (saved.mask already holds mask / (1 - p))
void dropout_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  const Tensor& scaled_mask = *node.saved.mask;
  Tensor grad_input = make_tensor(grad_out.shape());
  const float* g = grad_out.data().data();
  const float* m = scaled_mask.data().data();
  float* gi = grad_input.data().data();
  for (int64_t i = 0; i < grad_out.numel(); ++i)
    gi[i] = g[i] * m[i];
  accumulate_grad(node.input(0), std::move(grad_input));
}

Dropout::Dropout(float p, Generator& generator)
    : p_(p), generator_(&generator), generator_alive_(generator.watch()) {
  check_probability(p, "Dropout");
}

Tensor Dropout::forward(const Tensor& input) {
  if (generator_alive_.expired()) {
    throw ValueError(
        "Dropout: the generator it was given has been destroyed; a generator passed to a layer "
        "must outlive the layer");
  }
  return dropout(input, p_, is_training(), *generator_);
}

std::string Dropout::extra_repr() const {
  return fmt::format("p={}", p_);
}

}  // namespace embedlab::nn
