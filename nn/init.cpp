// nn::init: the fill functions. Each checks its tensor, turns recording off, bumps the
// storage version (so a graph that saved the old values notices), then fills in a plain loop.
#include "nn/init.h"

#include <cmath>
#include <span>

#include <fmt/format.h>

#include "autograd/node.h"
#include "tensor/error.h"

namespace embedlab::nn::init {

namespace {

// The elements of `tensor`, ready to be overwritten; `op` names the caller in errors.
std::span<float> writable(Tensor& tensor, const char* op) {
  if (!tensor.defined()) throw ValueError(fmt::format("init::{}: tensor is undefined", op));
  if (tensor.dtype() != DType::Float32) {
    throw TypeError(fmt::format("init::{}: tensor must be float32, got int64 of shape {}", op,
                                tensor.shape().to_string()));
  }
  bump_version(tensor);
  return tensor.data();
}

Fans fans_of(const Tensor& tensor, const char* op) {
  if (!tensor.defined() || tensor.rank() < 2) {
    throw ShapeError(
        fmt::format("init::{}: fan_in and fan_out need an (out, in) matrix, got "
                    "shape {}",
                    op, tensor.defined() ? tensor.shape().to_string() : "undefined"));
  }
  return {tensor.size(1), tensor.size(0)};
}

}  // namespace

Fans calculate_fans(const Tensor& tensor) {
  return fans_of(tensor, "calculate_fans");
}

float calculate_gain(const std::string& nonlinearity, float param) {
  if (nonlinearity == "linear" || nonlinearity == "identity" || nonlinearity == "sigmoid") {
    return 1.0f;
  }
  if (nonlinearity == "tanh") return 5.0f / 3.0f;
  if (nonlinearity == "relu") return std::sqrt(2.0f);
  if (nonlinearity == "leaky_relu") return std::sqrt(2.0f / (1.0f + param * param));
  throw ValueError(
      fmt::format("init::calculate_gain: unknown nonlinearity \"{}\" (expected "
                  "linear, identity, sigmoid, tanh, relu or leaky_relu)",
                  nonlinearity));
}

Tensor uniform_(Tensor tensor, float a, float b, Generator& generator) {
  if (!(a <= b))
    throw ValueError(fmt::format("init::uniform_: a ({}) must not exceed b ({})", a, b));
  NoGradGuard no_grad;
  for (float& v : writable(tensor, "uniform_"))
    v = generator.uniform(a, b);
  return tensor;
}

Tensor normal_(Tensor tensor, float mean, float std, Generator& generator) {
  if (!(std >= 0.0f)) {
    throw ValueError(fmt::format("init::normal_: std must be non-negative, got {}", std));
  }
  NoGradGuard no_grad;
  for (float& v : writable(tensor, "normal_"))
    v = generator.normal(mean, std);
  return tensor;
}

Tensor constant_(Tensor tensor, float value) {
  NoGradGuard no_grad;
  for (float& v : writable(tensor, "constant_"))
    v = value;
  return tensor;
}

Tensor zeros_(Tensor tensor) {
  return constant_(std::move(tensor), 0.0f);
}

Tensor ones_(Tensor tensor) {
  return constant_(std::move(tensor), 1.0f);
}

Tensor xavier_uniform_(Tensor tensor, float gain, Generator& generator) {
  const Fans fans = fans_of(tensor, "xavier_uniform_");
  // Glorot & Bengio (2010): keeps the variance of activations and of gradients about equal.
  const double bound = gain * std::sqrt(6.0 / static_cast<double>(fans.fan_in + fans.fan_out));
  const auto b = static_cast<float>(bound);
  return uniform_(std::move(tensor), -b, b, generator);
}

Tensor kaiming_uniform_(Tensor tensor, float a, Generator& generator) {
  const Fans fans = fans_of(tensor, "kaiming_uniform_");
  // He et al. (2015): std = gain / sqrt(fan_in), and U(-bound, bound) has std bound / sqrt(3).
  const double gain = std::sqrt(2.0 / (1.0 + static_cast<double>(a) * a));
  const double bound = gain * std::sqrt(3.0 / static_cast<double>(fans.fan_in));
  const auto b = static_cast<float>(bound);
  return uniform_(std::move(tensor), -b, b, generator);
}

}  // namespace embedlab::nn::init
