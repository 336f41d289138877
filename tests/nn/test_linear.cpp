// nn::Linear and the linear op: hand values, gradcheck, the wrong-size message, init bounds.
#include <catch2/catch.hpp>

#include <cmath>

#include "autograd/autograd_test_utils.h"

using namespace embedlab;
using embedlab::test::Inputs;
using embedlab::test::random_input;
using embedlab::test::require_gradcheck;
using embedlab::test::require_values;

namespace {
// W = [[1, 0], [1, 1], [0, 2]] (3 outputs, 2 inputs), b = [0.5, 0, -1].
nn::Linear hand_layer() {
  nn::Linear fc(2, 3);
  NoGradGuard no_grad;
  copy_(fc.weight, tensor({{1, 0}, {1, 1}, {0, 2}}));
  copy_(fc.bias, tensor({0.5f, 0, -1}));
  return fc;
}
}  // namespace

TEST_CASE("linear computes x W^T + b by hand", "[nn][linear]") {
  nn::Linear fc = hand_layer();
  SECTION("a batch (N, in) gives (N, out)") {
    // x = [1, 2]: [1 + 0.5, 1 + 2 + 0, 4 - 1] = [1.5, 3, 3];  x = [-1, 1]: [-0.5, 0, 1]
    Tensor y = fc(tensor({{1, 2}, {-1, 1}}));
    require_values(y, Shape{2, 3}, {1.5f, 3, 3, -0.5f, 0, 1});
    REQUIRE(y.grad_fn_name() == "linear");
  }
  SECTION("a vector (in) gives a vector (out)") {
    require_values(fc(tensor({1, 2})), Shape{3}, {1.5f, 3, 3});
  }
  SECTION("without bias there is no + b") {
    Tensor y = nn::linear(tensor({1, 2}), fc.weight);
    require_values(y, Shape{3}, {1, 3, 4});
  }
}

TEST_CASE("linear backward by hand", "[nn][linear]") {
  nn::Linear fc = hand_layer();
  Tensor x = tensor({{1, 2}, {-1, 1}}).requires_grad_();
  fc(x).sum().backward();
  // grad_bias = rows of grad_out summed = [2, 2, 2]; grad_W[o, :] = x[0] + x[1] = [0, 3];
  // grad_x[n, :] = sum over o of W[o, :] = [2, 3].
  require_values(fc.bias.grad(), Shape{3}, {2, 2, 2});
  require_values(fc.weight.grad(), Shape{3, 2}, {0, 3, 0, 3, 0, 3});
  require_values(x.grad(), Shape{2, 2}, {2, 3, 2, 3});
}

TEST_CASE("linear gradients match finite differences", "[nn][linear][gradcheck]") {
  SECTION("batch input, weight and bias") {
    require_gradcheck([](const Inputs& in) { return nn::linear(in[0], in[1], in[2]); },
                      {random_input({3, 4}, 1), random_input({2, 4}, 2), random_input({2}, 3)});
  }
  SECTION("vector input") {
    require_gradcheck([](const Inputs& in) { return nn::linear(in[0], in[1], in[2]); },
                      {random_input({4}, 4), random_input({5, 4}, 5), random_input({5}, 6)});
  }
  SECTION("no bias, and a layer used twice in one graph") {
    require_gradcheck([](const Inputs& in) { return nn::linear(nn::linear(in[0], in[1]), in[1]); },
                      {random_input({2, 3}, 7), random_input({3, 3}, 8)});
  }
}

TEST_CASE("linear errors name the layer, the shape and the sizes", "[nn][linear][errors]") {
  nn::Linear fc(128, 2);
  SECTION("a wrong feature count") {
    REQUIRE_THROWS_AS(fc(zeros({4, 100})), ShapeError);
    REQUIRE_THROWS_WITH(fc(zeros({4, 100})),
                        "Linear(in_features=128, out_features=2): input of shape (4, 100) has "
                        "100 features, expected 128");
  }
  SECTION("a scalar input") {
    REQUIRE_THROWS_WITH(fc(tensor(1.0f)), Catch::Contains("input is a scalar"));
  }
  SECTION("int64 ids instead of features") {
    REQUIRE_THROWS_AS(fc(tensor({1, 2}, DType::Int64)), TypeError);
  }
  SECTION("bad sizes and mismatched op arguments") {
    REQUIRE_THROWS_AS(nn::Linear(0, 2), ValueError);
    REQUIRE_THROWS_WITH(nn::linear(zeros({3}), zeros({2, 3}), zeros({3})),
                        Catch::Contains("bias of shape (3) does not fit weight of shape (2, 3)"));
  }
}

TEST_CASE("linear starts from PyTorch's U(-1/sqrt(in), 1/sqrt(in))", "[nn][linear][init]") {
  Generator generator(42);
  nn::Linear fc(128, 2, true, generator);
  const float bound = 1.0f / std::sqrt(128.0f);  // 0.0884
  float largest = 0.0f;
  for (float w : fc.weight.data()) {
    REQUIRE(std::fabs(w) <= bound);
    largest = std::max(largest, std::fabs(w));
  }
  REQUIRE(largest > 0.8f * bound);  // 256 draws spread over the whole range
  for (float b : fc.bias.data())
    REQUIRE(std::fabs(b) <= bound);
  REQUIRE(fc.weight.requires_grad());
  REQUIRE(fc.weight.is_leaf());

  SECTION("the same seed gives the same layer") {
    Generator again(42);
    nn::Linear twin(128, 2, true, again);
    REQUIRE(twin.weight.at(1, 7) == fc.weight.at(1, 7));
    REQUIRE(twin.bias.at(1) == fc.bias.at(1));
  }
  SECTION("the printed arguments") {
    REQUIRE(fc.extra_repr() == "in_features=128, out_features=2, bias=true");
    REQUIRE(nn::Linear(3, 4, false).to_string() ==
            "Linear(in_features=3, out_features=4, bias=false)");
  }
}
