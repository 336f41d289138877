// Helpers for the nn tests: a gradcheck that reports its finding, and element-wise checks.
#pragma once

#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <vector>

#include "embedlab.h"

namespace embedlab::test {

/// The inputs a gradcheck function receives.
using NnInputs = std::vector<Tensor>;

/// Runs gradcheck on `f` at `inputs` and fails the test with its report when it does not pass.
inline void require_nn_gradcheck(const std::function<Tensor(const NnInputs&)>& f, NnInputs inputs) {
  const GradcheckResult result = gradcheck(f, std::move(inputs));
  INFO(result.report);
  REQUIRE(result.ok);
}

/// Checks the shape of `t` and every element against `expected` (row-major) within `margin`.
inline void require_elements(const Tensor& t, const Shape& shape,
                             const std::vector<float>& expected, double margin = 1e-5) {
  INFO("tensor " << t.to_string());
  REQUIRE(t.shape() == shape);
  REQUIRE(t.numel() == static_cast<int64_t>(expected.size()));
  for (size_t i = 0; i < expected.size(); ++i) {
    INFO("element " << i);
    REQUIRE(t.data()[i] == Approx(expected[i]).margin(margin));
  }
}

/// Returns N(0, 1) draws of `shape` from a generator seeded with `seed`, requiring grad.
inline Tensor seeded_input(const Shape& shape, uint64_t seed) {
  Generator generator(seed);
  return randn(shape, generator).requires_grad_();
}

/// Returns true when every element of `t` is finite (no NaN, no Inf).
inline bool finite(const Tensor& t) {
  for (float v : t.data()) {
    if (!std::isfinite(v)) return false;
  }
  return true;
}

}  // namespace embedlab::test
