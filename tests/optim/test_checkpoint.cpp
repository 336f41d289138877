// Optimiser checkpoints: stopping and resuming gives exactly the uninterrupted trajectory.
#include <catch2/catch.hpp>

#include "embedlab.h"
#include "io/io_test_utils.h"

using namespace embedlab;

namespace {
// One step of a small embedding regression: rows 1 and 3 pulled towards 1.
float train_step(optim::Optimizer& optimizer, Tensor& weight) {
  Tensor rows = embedding(weight, tensor({1, 3, 1}, DType::Int64));
  Tensor loss = (rows - 1.0f).pow(2).mean();
  optimizer.zero_grad();
  loss.backward();
  optimizer.step();
  return loss.item();
}
}  // namespace

TEST_CASE("Adam resumed from a checkpoint follows the uninterrupted trajectory exactly",
          "[optim][checkpoint]") {
  test::TempDir dir;
  Generator generator(5);
  const Tensor start = randn({5, 3}, generator);

  Tensor straight = start.clone().requires_grad_();
  optim::Adam reference({straight}, {.lr = 0.1, .amsgrad = true});
  std::vector<float> expected;
  for (int step = 0; step < 6; ++step)
    expected.push_back(train_step(reference, straight));

  Tensor first = start.clone().requires_grad_();
  optim::Adam before({first}, {.lr = 0.1, .amsgrad = true});
  for (int step = 0; step < 3; ++step)
    REQUIRE(train_step(before, first) == expected[step]);
  optim::save(before, dir.path("adam.safetensors"));

  Tensor resumed = first.detach().clone().requires_grad_();
  optim::Adam after({resumed}, {.lr = 0.5, .amsgrad = true});
  optim::load(after, dir.path("adam.safetensors"));
  REQUIRE(after.lr() == 0.1);
  REQUIRE(after.step_count() == 3);
  for (int step = 3; step < 6; ++step)
    REQUIRE(train_step(after, resumed) == expected[step]);
}

TEST_CASE("SGD momentum buffers survive a checkpoint", "[optim][checkpoint]") {
  test::TempDir dir;
  Tensor w = ones({4, 2}).requires_grad_();
  optim::SGD sgd({w}, {.lr = 0.1, .momentum = 0.9});
  train_step(sgd, w);
  optim::save(sgd, dir.path("sgd.safetensors"));
  optim::SGD other({w}, {.lr = 0.1, .momentum = 0.9});
  optim::load(other, dir.path("sgd.safetensors"));
  REQUIRE(other.momentum_buffer(0).defined());
  REQUIRE(other.momentum_buffer(0).at(1, 0) == sgd.momentum_buffer(0).at(1, 0));
}

TEST_CASE("an optimiser checkpoint for another optimiser or shape is refused",
          "[optim][checkpoint][errors]") {
  test::TempDir dir;
  Tensor w = ones({4, 2}).requires_grad_();
  optim::Adam adam({w});
  train_step(adam, w);
  optim::save(adam, dir.path("adam.safetensors"));
  optim::SGD sgd({w});
  REQUIRE_THROWS_WITH(optim::load(sgd, dir.path("adam.safetensors")),
                      Catch::Contains("saved by Adam") && Catch::Contains("into SGD"));
  Tensor other = ones({5, 2}).requires_grad_();
  optim::Adam wrong({other});
  REQUIRE_THROWS_WITH(
      optim::load(wrong, dir.path("adam.safetensors")),
      Catch::Contains("0.exp_avg") && Catch::Contains("(4, 2)") && Catch::Contains("(5, 2)"));
}
