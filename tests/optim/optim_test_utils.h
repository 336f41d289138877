// Helpers for the optimiser tests: the 2x2 quadratic problem every hand-worked example uses,
// and element-wise value checks.
//
// The problem: loss = sum((W - T)^2) with W0 = [[1, 2], [3, 4]] and T = [[0, 0], [4, 4]], so
// grad = 2 (W - T), which at W0 is g0 = [[2, 4], [-2, 0]]: positive, negative and zero entries.
#pragma once

#include <catch2/catch.hpp>

#include <vector>

#include "embedlab.h"

namespace embedlab::test {

/// Returns W0 = [[1, 2], [3, 4]] as a leaf that requires grad.
inline Tensor start_weights() {
  return tensor({{1.0f, 2.0f}, {3.0f, 4.0f}}).requires_grad_();
}

/// Computes loss = sum((W - T)^2) with T = [[0, 0], [4, 4]], runs backward, returns the loss.
inline float quadratic_backward(const Tensor& W) {
  const Tensor T = tensor({{0.0f, 0.0f}, {4.0f, 4.0f}});
  Tensor loss = pow(W - T, 2.0f).sum();
  loss.backward();
  return loss.item();
}

/// One training step on the quadratic: zero_grad, backward, step.
inline void quadratic_step(optim::Optimizer& optimizer, const Tensor& W) {
  optimizer.zero_grad();
  quadratic_backward(W);
  optimizer.step();
}

/// Checks every element of `t` (row-major) against `expected` within `margin`.
inline void require_values(const Tensor& t, const std::vector<float>& expected,
                           double margin = 1e-5) {
  INFO("tensor " << t.to_string());
  REQUIRE(t.numel() == static_cast<int64_t>(expected.size()));
  for (size_t i = 0; i < expected.size(); ++i) {
    INFO("element " << i);
    REQUIRE(t.data()[i] == Approx(expected[i]).margin(margin));
  }
}

/// Runs loss = sum(embedding(weight, ids)) and backward: each looked-up row gets a gradient
/// of ones (twice the ones if its id appears twice).
inline void lookup_backward(const Tensor& weight, std::vector<int64_t> ids) {
  const auto n = static_cast<int64_t>(ids.size());
  embedding(weight, from_ids(std::move(ids), Shape{n})).sum().backward();
}

}  // namespace embedlab::test
