// Linear: the fused `linear` op (forward, then backward right below it) and the layer that
// owns W and b. A vector input (in) is treated as one row, N = 1, and gives an (out) vector.
#include "nn/linear.h"

#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "autograd/matmul_kernel.h"
#include "autograd/ops.h"
#include "nn/init.h"
#include "tensor/error.h"

namespace embedlab::nn {

namespace {

void check_float(const Tensor& t, const char* what) {
  if (!t.defined()) throw ValueError(fmt::format("linear: {} is an undefined tensor", what));
  if (t.dtype() != DType::Float32) {
    throw TypeError(fmt::format("linear: {} must be float32, got int64 ids of shape {}", what,
                                t.shape().to_string()));
  }
}

void check_linear_shapes(const Tensor& input, const Tensor& weight, const Tensor& bias) {
  check_float(input, "input");
  check_float(weight, "weight");
  if (weight.rank() != 2) {
    throw ShapeError(fmt::format("linear: weight must be an (out, in) matrix, got shape {}",
                                 weight.shape().to_string()));
  }
  if (input.rank() == 0 || input.size(-1) != weight.size(1)) {
    throw ShapeError(
        fmt::format("linear: input of shape {} does not fit weight of shape {}: "
                    "expected (in) or (N, in) with in = {}",
                    input.shape().to_string(), weight.shape().to_string(), weight.size(1)));
  }
  if (bias.defined()) {
    check_float(bias, "bias");
    if (bias.shape() != Shape{weight.size(0)}) {
      throw ShapeError(
          fmt::format("linear: bias of shape {} does not fit weight of shape {}: "
                      "expected ({})",
                      bias.shape().to_string(), weight.shape().to_string(), weight.size(0)));
    }
  }
}

}  // namespace

Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias) {
  check_linear_shapes(input, weight, bias);
  const int64_t N = input.shape().rows(), in = weight.size(1), out_size = weight.size(0);
  Tensor out = make_tensor(input.rank() == 1 ? Shape{out_size} : Shape{N, out_size});
  float* y = out.data().data();
  // y = x . W^T + b: the kernel reads W (out, in) as W^T (in, out) through its layout, no copy.
  matmul_kernel(input.data().data(), weight.data().data(), y, N, in, out_size, Layout::RowMajor,
                Layout::Transposed);
  if (bias.defined()) {
    const float* b = bias.data().data();
    for (int64_t n = 0; n < N; ++n) {
      for (int64_t o = 0; o < out_size; ++o)
        y[n * out_size + o] += b[o];
    }
  }
  if (any_requires_grad({&input, &weight, &bias})) {
    if (bias.defined()) {
      record_op(out, "linear", linear_backward, {input, weight, bias});
    } else {
      record_op(out, "linear", linear_backward, {input, weight});
    }
  }
  return out;
}

// grad_input  = grad_out . W        (N, out) . (out, in) -> (N, in)
// grad_weight = grad_out^T . x      (out, N) . (N, in)   -> (out, in)
// grad_bias[o] = sum over n of grad_out[n, o]
void linear_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  const Tensor& input = node.input(0);
  const Tensor& weight = node.input(1);
  const int64_t N = input.shape().rows(), in = weight.size(1), out_size = weight.size(0);
  const float* g = grad_out.data().data();
  if (input.requires_grad()) {
    Tensor grad_input = make_tensor(input.shape());
    matmul_kernel(g, weight.data().data(), grad_input.data().data(), N, out_size, in);
    accumulate_grad(input, std::move(grad_input));
  }
  if (weight.requires_grad()) {
    Tensor grad_weight = make_tensor(weight.shape());
    matmul_kernel(g, input.data().data(), grad_weight.data().data(), out_size, N, in,
                  Layout::Transposed, Layout::RowMajor);
    accumulate_grad(weight, std::move(grad_weight));
  }
  if (node.inputs.size() > 2 && node.input(2).requires_grad()) {
    Tensor grad_bias = zeros(Shape{out_size});
    for (int64_t n = 0; n < N; ++n) {
      for (int64_t o = 0; o < out_size; ++o)
        grad_bias.data()[o] += g[n * out_size + o];
    }
    accumulate_grad(node.input(2), std::move(grad_bias));
  }
}

Linear::Linear(int64_t in_features, int64_t out_features, bool with_bias, Generator& generator)
    : in_features_(in_features), out_features_(out_features) {
  if (in_features <= 0 || out_features <= 0) {
    throw ValueError(fmt::format("Linear: in_features ({}) and out_features ({}) must be positive",
                                 in_features, out_features));
  }
  // PyTorch's reset_parameters(): kaiming_uniform_(a = sqrt(5)) gives bound 1 / sqrt(in).
  Tensor w;
  try {
    w = make_tensor({out_features, in_features});
  } catch (const ShapeError& e) {  // the call, not only the inner tensor, in the message
    throw ShapeError(fmt::format("Linear({}, {}): {}", in_features, out_features, e.what()));
  } catch (const ValueError& e) {
    throw ValueError(fmt::format("Linear({}, {}): {}", in_features, out_features, e.what()));
  }
  init::kaiming_uniform_(w, std::sqrt(5.0f), generator);
  weight = register_parameter("weight", w);
  if (with_bias) {
    const float bound = 1.0f / std::sqrt(static_cast<float>(in_features));
    Tensor b = make_tensor({out_features});
    init::uniform_(b, -bound, bound, generator);
    bias = register_parameter("bias", b);
  }
}

Tensor Linear::forward(const Tensor& input) {
  if (input.defined() && input.dtype() != DType::Float32) {
    throw TypeError(
        fmt::format("Linear(in_features={}, out_features={}): input must be float32, "
                    "got int64 ids of shape {}; look ids up with nn::Embedding first",
                    in_features_, out_features_, input.shape().to_string()));
  }
  if (input.defined() && input.rank() == 0) {
    throw ShapeError(
        fmt::format("Linear(in_features={}, out_features={}): input is a scalar, "
                    "expected shape ({}) or (N, {})",
                    in_features_, out_features_, in_features_, in_features_));
  }
  if (input.defined() && input.size(-1) != in_features_) {
    throw ShapeError(fmt::format(
        "Linear(in_features={}, out_features={}): input of shape {} has {} features, expected {}",
        in_features_, out_features_, input.shape().to_string(), input.size(-1), in_features_));
  }
  return linear(input, weight, bias);
}

std::string Linear::extra_repr() const {
  return fmt::format("in_features={}, out_features={}, bias={}", in_features_, out_features_,
                     bias.defined());
}

}  // namespace embedlab::nn
