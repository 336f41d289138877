// A known short training trajectory, as llm.c checks its first ten losses: a tiny linear
// regression trained ten steps with Adam from a fixed seed.
//
// How the numbers were checked: the losses were printed once by this code, then recomputed
// independently by tests/optim/adam_trajectory_check.py, plain float64 Python with the MSE
// gradient written by hand and the update box of torch.optim.Adam; the two agree to a relative
// 4e-7 (float32 here against float64 there). Run that script after changing anything here.
#include <catch2/catch.hpp>

#include <vector>

#include "optim_test_utils.h"

using namespace embedlab;

namespace {

// X (8, 3) ~ N(0, 1) from Generator(7); y = X [1, -2, 0.5]^T + 0.3.
Tensor make_inputs() {
  Generator generator(7);
  return randn(Shape{8, 3}, generator);
}

// Trains y_hat = X W + b from W = 0 (3, 1), b = 0 (1) on loss = mean((y_hat - y)^2) with
// Adam(lr = 0.1) and returns the loss before each step.
std::vector<float> adam_losses(const Tensor& X, int steps) {
  const Tensor y = matmul(X, from_vector({1.0f, -2.0f, 0.5f}, Shape{3, 1})) + 0.3f;
  Tensor W = zeros(Shape{3, 1}).requires_grad_();
  Tensor b = zeros(Shape{1}).requires_grad_();
  optim::Adam adam({W, b}, {.lr = 0.1});
  std::vector<float> losses;
  for (int step = 0; step < steps; ++step) {
    adam.zero_grad();
    Tensor loss = pow(matmul(X, W) + b - y, 2.0f).mean();
    loss.backward();
    adam.step();
    losses.push_back(loss.item());
  }
  return losses;
}

}  // namespace

TEST_CASE("ten Adam steps on a fixed-seed linear regression give the known losses",
          "[optim][adam][trajectory]") {
  const Tensor X = make_inputs();
  // If these fail, the random generator changed, not the optimiser: update the script's X.
  REQUIRE(X.at(0, 0) == Approx(1.59139991f).margin(1e-6));
  REQUIRE(X.at(7, 2) == Approx(0.628462374f).margin(1e-6));
  // The loss falls from 2.49 to 0.146, then rises as Adam's lr = 0.1 overshoots.
  const std::vector<float> expected = {2.48823857f,  1.82574821f,  1.27775526f,  0.844538271f,
                                       0.523618758f, 0.308635294f, 0.188258037f, 0.145705998f,
                                       0.159606457f, 0.206535712f};
  const std::vector<float> losses = adam_losses(X, 10);
  REQUIRE(losses.size() == expected.size());
  for (size_t step = 0; step < expected.size(); ++step) {
    INFO("step " << step);
    REQUIRE(losses[step] == Approx(expected[step]).margin(1e-5));
  }
}
