// Helpers for the autograd tests: a gradcheck that reports its finding, element-wise value
// checks, and random inputs kept away from the kinks of abs, relu, clamp and max.
#pragma once

#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <vector>

#include "embedlab.h"

namespace embedlab::test {

/// The inputs a gradcheck function receives.
using Inputs = std::vector<Tensor>;

/// Runs gradcheck on `f` at `inputs` and fails the test with its report when it does not pass.
inline void require_gradcheck(const std::function<Tensor(const Inputs&)>& f, Inputs inputs) {
  const GradcheckResult result = gradcheck(f, std::move(inputs));
  INFO(result.report);
  REQUIRE(result.ok);
}

/// Checks the shape of `t` and every element against `expected` (row-major) within `margin`.
inline void require_values(const Tensor& t, const Shape& shape, const std::vector<float>& expected,
                           double margin = 1e-5) {
  INFO("tensor " << t.to_string());
  REQUIRE(t.shape() == shape);
  REQUIRE(t.numel() == static_cast<int64_t>(expected.size()));
  for (size_t i = 0; i < expected.size(); ++i) {
    INFO("element " << i);
    REQUIRE(t.data()[i] == Approx(expected[i]).margin(margin));
  }
}

/// Returns N(0, 1) draws of `shape` from a generator seeded with `seed`, requiring grad.
inline Tensor random_input(const Shape& shape, uint64_t seed) {
  Generator generator(seed);
  return randn(shape, generator).requires_grad_();
}

/// Returns N(0, 1) draws moved `margin` further from 0 (|x| >= margin), requiring grad: inputs
/// for abs, relu and div whose finite differences never cross the kink or the pole at 0.
inline Tensor away_from_zero(const Shape& shape, uint64_t seed, float margin = 0.5f) {
  Generator generator(seed);
  Tensor x = randn(shape, generator);
  for (float& v : x.data())
    v = v >= 0.0f ? v + margin : v - margin;
  return x.requires_grad_();
}

/// Returns positive inputs in [0.5, 2.5), requiring grad: for log, sqrt and pow.
inline Tensor positive_input(const Shape& shape, uint64_t seed) {
  Generator generator(seed);
  Tensor x = rand(shape, generator);
  for (float& v : x.data())
    v = 0.5f + 2.0f * v;
  return x.requires_grad_();
}

/// Returns the values 0.25 * (i - numel / 2) in a seeded random order, requiring grad: no two
/// elements are closer than 0.25, so a finite-difference step never changes which is largest.
inline Tensor spaced_input(const Shape& shape, uint64_t seed) {
  Generator generator(seed);
  Tensor x = zeros(shape);
  std::span<float> v = x.data();
  const auto n = static_cast<int64_t>(v.size());
  for (int64_t i = 0; i < n; ++i)
    v[i] = 0.25f * static_cast<float>(i - n / 2);
  for (int64_t i = n - 1; i > 0; --i)  // Fisher-Yates shuffle
    std::swap(v[i], v[generator.integer(0, i + 1)]);
  return x.requires_grad_();
}

/// Returns true when every element of `t` is finite (no NaN, no Inf).
inline bool all_finite(const Tensor& t) {
  for (float v : t.data()) {
    if (!std::isfinite(v)) return false;
  }
  return true;
}

/// Returns the (10, 2) table whose row v is [2v, 2v + 1]: lookups are checkable by eye.
inline Tensor table() {
  return arange(0.0, 20.0).reshape({10, 2});
}

}  // namespace embedlab::test
