// Every optimiser mistake a learner can make gets an exception whose message names the
// problem and the value.
#include <catch2/catch.hpp>

#include <limits>

#include "optim_test_utils.h"

using namespace embedlab;
using embedlab::test::start_weights;

TEST_CASE("an optimiser needs at least one parameter", "[optim][errors]") {
  REQUIRE_THROWS_AS(optim::SGD({}), ValueError);
  REQUIRE_THROWS_WITH(optim::SGD({}), Catch::Contains("SGD: got an empty parameter list"));
  REQUIRE_THROWS_WITH(optim::Adam({}), Catch::Contains("Adam: got an empty parameter list"));
  REQUIRE_THROWS_WITH(optim::Adagrad({}), Catch::Contains("Adagrad: got an empty parameter list"));
}

TEST_CASE("the learning rate must be finite and not negative", "[optim][errors]") {
  const Tensor W = start_weights();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  REQUIRE_THROWS_AS(optim::SGD({W}, {.lr = -0.1}), ValueError);
  REQUIRE_THROWS_WITH(optim::SGD({W}, {.lr = -0.1}),
                      Catch::Contains("SGD: learning rate -0.1 must be finite and >= 0"));
  REQUIRE_THROWS_WITH(optim::Adam({W}, {.lr = nan}),
                      Catch::Contains("Adam: learning rate nan must be finite"));
  SECTION("set_lr checks too and keeps the old value") {
    optim::AdamW adamw({W}, {.lr = 0.5});
    REQUIRE_THROWS_WITH(adamw.set_lr(std::numeric_limits<double>::infinity()),
                        Catch::Contains("AdamW: learning rate inf must be finite"));
    REQUIRE(adamw.lr() == 0.5);
  }
}

TEST_CASE("Adam's betas must lie between 0 (included) and 1 (excluded)", "[optim][errors][adam]") {
  const Tensor W = start_weights();
  REQUIRE_THROWS_AS(optim::Adam({W}, {.beta1 = 1.0}), ValueError);
  REQUIRE_THROWS_WITH(optim::Adam({W}, {.beta1 = 1.0}),
                      Catch::Contains("Adam: beta1 = 1 must lie in [0, 1)"));
  REQUIRE_THROWS_WITH(optim::AdamW({W}, {.beta2 = -0.5}),
                      Catch::Contains("AdamW: beta2 = -0.5 must lie in [0, 1)"));
  REQUIRE_NOTHROW(optim::Adam({W}, {.beta1 = 0.0, .beta2 = 0.9999999}));
  REQUIRE_THROWS_WITH(optim::Adam({W}, {.eps = -1e-8}), Catch::Contains("Adam: eps = -1e-08"));
  REQUIRE_THROWS_WITH(optim::Adam({W}, {.weight_decay = -0.1}),
                      Catch::Contains("Adam: weight_decay = -0.1 must lie in"));
}

TEST_CASE("SGD's momentum options are checked", "[optim][errors][sgd]") {
  const Tensor W = start_weights();
  REQUIRE_THROWS_AS(optim::SGD({W}, {.nesterov = true}), ValueError);
  REQUIRE_THROWS_WITH(
      optim::SGD({W}, {.nesterov = true}),
      Catch::Contains("SGD: nesterov needs momentum > 0 and dampening = 0 (got momentum = 0, "
                      "dampening = 0)"));
  REQUIRE_THROWS_WITH(optim::SGD({W}, {.momentum = 0.9, .dampening = 0.1, .nesterov = true}),
                      Catch::Contains("dampening = 0.1"));
  REQUIRE_THROWS_WITH(optim::SGD({W}, {.momentum = -0.9}),
                      Catch::Contains("SGD: momentum = -0.9 must lie in [0, 1]"));
}

TEST_CASE("Adagrad's options are checked", "[optim][errors][adagrad]") {
  const Tensor W = start_weights();
  REQUIRE_THROWS_AS(optim::Adagrad({W}, {.lr_decay = -1.0}), ValueError);
  REQUIRE_THROWS_WITH(optim::Adagrad({W}, {.lr_decay = -1.0}),
                      Catch::Contains("Adagrad: lr_decay = -1 must lie in"));
  REQUIRE_THROWS_WITH(optim::Adagrad({W}, {.initial_accumulator_value = -0.5}),
                      Catch::Contains("Adagrad: initial_accumulator_value = -0.5"));
  REQUIRE_THROWS_WITH(optim::Adagrad({W}, {.eps = -1.0}), Catch::Contains("Adagrad: eps = -1"));
}

TEST_CASE("only float32 tensors can be optimised", "[optim][errors]") {
  const Tensor ids = from_ids({1, 2, 3}, Shape{3});
  REQUIRE_THROWS_AS(optim::SGD({ids}), TypeError);
  REQUIRE_THROWS_WITH(optim::SGD({ids}),
                      Catch::Contains("SGD: parameter 0 has dtype int64; only float32"));
  REQUIRE_THROWS_WITH(optim::Adam({start_weights(), Tensor()}),
                      Catch::Contains("Adam: parameter 1 is an undefined tensor"));
}

TEST_CASE("a step after the graph kept an old weight makes backward refuse it", "[optim][errors]") {
  // The optimiser changes W in place, so a retained graph that saved W would compute wrong
  // gradients; the version counter turns that into an error, as in PyTorch.
  auto backward_after_step = [] {
    Tensor W = start_weights();
    optim::SGD sgd({W}, {.lr = 0.1});
    Tensor loss = (W * W).sum();
    loss.backward(Tensor(), true);
    sgd.step();
    loss.backward();
  };
  REQUIRE_THROWS_AS(backward_after_step(), AutogradError);
  REQUIRE_THROWS_WITH(backward_after_step(), Catch::Contains("changed in place"));
}
