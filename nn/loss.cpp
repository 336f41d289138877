// Losses: mse_loss and cross_entropy built from ops, then the two loss ops, nll_loss and
// binary_cross_entropy_with_logits, each with its backward right below its forward.
#include "nn/loss.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "autograd/ops.h"
#include "tensor/error.h"

namespace embedlab::nn {

namespace {

void check_float(const Tensor& t, const char* op, const char* what) {
  if (!t.defined()) throw ValueError(fmt::format("{}: {} is an undefined tensor", op, what));
  if (t.dtype() != DType::Float32) {
    throw TypeError(fmt::format("{}: {} must be float32, got int64 of shape {}", op, what,
                                t.shape().to_string()));
  }
}

void check_same_shape(const Tensor& a, const Tensor& b, const char* op, const char* a_name,
                      const char* b_name) {
  if (a.shape() != b.shape()) {
    throw ShapeError(fmt::format("{}: {} of shape {} and {} of shape {} must have the same shape",
                                 op, a_name, a.shape().to_string(), b_name, b.shape().to_string()));
  }
}

// Checks class scores (N, C) or (C) against int64 class ids (N) or (), each id in [0, C)
// or equal to ignore_index.
void check_class_target(const Tensor& scores, const Tensor& target, const char* op,
                        const char* scores_name, int64_t ignore_index) {
  check_float(scores, op, scores_name);
  if (!target.defined()) throw ValueError(fmt::format("{}: target is an undefined tensor", op));
  if (target.dtype() != DType::Int64) {
    throw TypeError(fmt::format(
        "{}: target must be int64 class ids, got float32 of shape {}; for float targets use "
        "binary_cross_entropy_with_logits or mse_loss",
        op, target.shape().to_string()));
  }
  if (scores.rank() == 0) {
    throw ShapeError(
        fmt::format("{}: {} must be (N, C) for a batch or (C) for one example, got "
                    "shape ()",
                    op, scores_name));
  }
  const bool fits = (scores.rank() == 2 && target.shape() == Shape{scores.size(0)}) ||
                    (scores.rank() == 1 && target.rank() == 0);
  if (!fits) {
    throw ShapeError(
        fmt::format("{}: {} of shape {} need a target of shape {}, got shape {}", op, scores_name,
                    scores.shape().to_string(),
                    scores.rank() == 2 ? Shape{scores.size(0)}.to_string() : std::string("()"),
                    target.shape().to_string()));
  }
  const int64_t C = scores.size(-1);
  std::span<const int64_t> ids = target.ids();
  for (size_t i = 0; i < ids.size(); ++i) {
    if ((ids[i] < 0 || ids[i] >= C) && ids[i] != ignore_index) {
      throw IndexError(
          fmt::format("{}: target id {} at position {} out of range [0, {})", op, ids[i], i, C));
    }
  }
}

// 1 / count for Mean, else 1: the factor between the summed loss and the result.
float reduction_scale(Reduction reduction, int64_t count, const char* op) {
  if (reduction != Reduction::Mean) return 1.0f;
  if (count == 0) throw ValueError(fmt::format("{}: the mean of an empty batch is undefined", op));
  return 1.0f / static_cast<float>(count);
}

// The result tensor: the per-example losses as they are (None), or their scaled sum.
Tensor reduce_losses(std::vector<float> losses, const Shape& none_shape, Reduction reduction,
                     float scale) {
  if (reduction == Reduction::None) return from_vector(std::move(losses), none_shape);
  double total = 0.0;
  for (float v : losses)
    total += v;
  return tensor(static_cast<float>(total * scale));
}

}  // namespace

Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction) {
  check_float(input, "mse_loss", "input");
  check_float(target, "mse_loss", "target");
  check_same_shape(input, target, "mse_loss", "input", "target");
  const Tensor diff = input - target;
  const Tensor squared = diff * diff;
  if (reduction == Reduction::None) return squared;
  return reduction == Reduction::Sum ? sum(squared) : mean(squared);
}

Tensor cross_entropy(const Tensor& logits, const Tensor& target, Reduction reduction,
                     int64_t ignore_index) {
  check_class_target(logits, target, "cross_entropy", "logits", ignore_index);
  return nll_loss(log_softmax(logits, -1), target, reduction, ignore_index);
}

Tensor nll_loss(const Tensor& log_probs, const Tensor& target, Reduction reduction,
                int64_t ignore_index) {
  check_class_target(log_probs, target, "nll_loss", "log_probs", ignore_index);
  const int64_t N = target.numel(), C = log_probs.size(-1);
  std::span<const int64_t> ids = target.ids();
  // The mean is over the kept targets, as in PyTorch: all ignored gives 0 / 0 = NaN.
  const auto kept = N - static_cast<int64_t>(std::count(ids.begin(), ids.end(), ignore_index));
  const float scale = reduction != Reduction::Mean ? 1.0f
                      : kept == 0 && N > 0         ? std::numeric_limits<float>::quiet_NaN()
                                                   : reduction_scale(reduction, kept, "nll_loss");
  // loss[i] = -log_probs[i, target[i]], or 0 where target[i] == ignore_index
  std::vector<float> losses(N);
  for (int64_t i = 0; i < N; ++i)
    losses[i] = ids[i] == ignore_index ? 0.0f : -log_probs.data()[i * C + ids[i]];
  Tensor out = reduce_losses(std::move(losses), target.shape(), reduction, scale);
  if (any_requires_grad({&log_probs})) {
    Node& node = record_op(out, "nll_loss", nll_loss_backward, {log_probs});
    node.saved.ids = target;  // which entry of each row the forward picked
    node.saved.scale = scale;
    node.saved.ignore_index = ignore_index;
  }
  return out;
}

// grad_log_probs[i, target[i]] = -scale * grad_out[i]; every other entry gets 0
void nll_loss_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  const Tensor& log_probs = node.input(0);
  std::span<const int64_t> target = node.saved.ids->ids();
  const float scale = node.saved.scale;
  const int64_t C = log_probs.size(-1);
  const bool reduced = grad_out.numel() == 1;  // Mean or Sum: one scalar for every example
  Tensor grad = zeros(log_probs.shape());
  for (size_t i = 0; i < target.size(); ++i) {
    if (target[i] == node.saved.ignore_index) continue;  // no loss, no gradient
    const float g = grad_out.data()[reduced ? 0 : i];
    grad.data()[i * C + target[i]] = -scale * g;
  }
  accumulate_grad(log_probs, std::move(grad));
}

namespace {
// sigmoid(x) without overflow: for x < 0 use e^x / (1 + e^x).
float stable_sigmoid(float x) {
  if (x >= 0.0f) return 1.0f / (1.0f + std::exp(-x));
  const float e = std::exp(x);
  return e / (1.0f + e);
}
}  // namespace

Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& targets,
                                        Reduction reduction) {
  const char* op = "binary_cross_entropy_with_logits";
  check_float(logits, op, "logits");
  check_float(targets, op, "targets");
  check_same_shape(logits, targets, op, "logits", "targets");
  const int64_t n = logits.numel();
  const float scale = reduction_scale(reduction, n, op);
  // loss[i] = max(x, 0) - x y + log(1 + e^-|x|): e is only ever raised to a value <= 0
  std::vector<float> losses(n);
  const float* x = logits.data().data();
  const float* y = targets.data().data();
  for (int64_t i = 0; i < n; ++i)
    losses[i] = std::max(x[i], 0.0f) - x[i] * y[i] + std::log1p(std::exp(-std::fabs(x[i])));
  Tensor out = reduce_losses(std::move(losses), logits.shape(), reduction, scale);
  if (any_requires_grad({&logits, &targets})) {
    record_op(out, op, bce_with_logits_backward, {logits, targets}).saved.scale = scale;
  }
  return out;
}

// grad_logits[i] = scale * g_i * (sigmoid(x_i) - y_i),  grad_targets[i] = scale * g_i * (-x_i)
void bce_with_logits_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  const Tensor& logits = node.input(0);
  const Tensor& targets = node.input(1);
  const float scale = node.saved.scale;
  const bool reduced = grad_out.numel() == 1;  // Mean or Sum: one scalar for every element
  const float* x = logits.data().data();
  const float* y = targets.data().data();
  const float* g = grad_out.data().data();
  const int64_t n = logits.numel();
  if (logits.requires_grad()) {
    Tensor grad = make_tensor(logits.shape());
    for (int64_t i = 0; i < n; ++i)
      grad.data()[i] = scale * g[reduced ? 0 : i] * (stable_sigmoid(x[i]) - y[i]);
    accumulate_grad(logits, std::move(grad));
  }
  if (targets.requires_grad()) {
    Tensor grad = make_tensor(targets.shape());
    for (int64_t i = 0; i < n; ++i)
      grad.data()[i] = -scale * g[reduced ? 0 : i] * x[i];
    accumulate_grad(targets, std::move(grad));
  }
}

}  // namespace embedlab::nn
