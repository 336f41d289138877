// Dropout: zeroes with probability p and scales by 1 / (1 - p) in training, identity in eval,
// reproducible with a seed, and a backward that reuses the forward's mask.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "autograd/autograd_test_utils.h"

using namespace embedlab;
using embedlab::test::Inputs;
using embedlab::test::require_gradcheck;

TEST_CASE("dropout in training zeroes about p of the elements and scales the rest",
          "[nn][dropout]") {
  Generator generator(1);
  nn::Dropout drop(0.2f, generator);
  const Tensor y = drop(ones({100, 100}));
  int64_t zeros_seen = 0;
  for (float v : y.data()) {
    if (v == 0.0f) {
      ++zeros_seen;
    } else {
      REQUIRE(v == Approx(1.25f));  // 1 / (1 - 0.2)
    }
  }
  // 10,000 draws with p = 0.2: the zero count has std sqrt(10000 * 0.2 * 0.8) = 40.
  REQUIRE(zeros_seen > 2000 - 200);
  REQUIRE(zeros_seen < 2000 + 200);
  REQUIRE(drop.extra_repr() == "p=0.2");
}

TEST_CASE("dropout in eval mode returns its input unchanged", "[nn][dropout]") {
  nn::Dropout drop(0.5f);
  drop.eval();
  const Tensor x = tensor({1, 2, 3});
  const Tensor y = drop(x);
  REQUIRE(y.data().data() == x.data().data());  // the very same tensor, as in PyTorch
  REQUIRE(nn::dropout(x, 0.5f, false).data().data() == x.data().data());
  REQUIRE(nn::dropout(x, 0.0f, true).data().data() == x.data().data());
}

TEST_CASE("a seeded dropout mask is reproducible", "[nn][dropout]") {
  Generator first(7), second(7);
  const Tensor a = nn::dropout(ones({64}), 0.5f, true, first);
  const Tensor b = nn::dropout(ones({64}), 0.5f, true, second);
  for (int64_t i = 0; i < 64; ++i)
    REQUIRE(a.at(i) == b.at(i));
  const Tensor c = nn::dropout(ones({64}), 0.5f, true, first);  // the next draws differ
  bool differs = false;
  for (int64_t i = 0; i < 64; ++i)
    differs = differs || a.at(i) != c.at(i);
  REQUIRE(differs);
}

TEST_CASE("dropout backward multiplies by the same mask / (1 - p)", "[nn][dropout]") {
  Generator generator(3);
  Tensor x = tensor({1, 2, 3, 4, 5, 6, 7, 8}).requires_grad_();
  const Tensor y = nn::dropout(x, 0.5f, true, generator);
  REQUIRE(y.grad_fn_name() == "dropout");
  y.sum().backward();
  for (int64_t i = 0; i < 8; ++i) {
    // Kept elements: y = 2 x and grad 2; dropped: y = 0 and grad 0.
    REQUIRE(x.grad().at(i) == (y.at(i) == 0.0f ? 0.0f : 2.0f));
  }
  SECTION("and matches finite differences for a fixed mask") {
    require_gradcheck(
        [](const Inputs& in) {
          Generator fixed(9);  // a fresh generator per call: the same mask every time
          return nn::dropout(in[0], 0.3f, true, fixed);
        },
        {test::random_input({4, 5}, 2)});
  }
}

TEST_CASE("dropout p below 0 or from 1 up is a ValueError", "[nn][dropout][errors]") {
  REQUIRE_THROWS_AS(nn::Dropout(-0.1f), ValueError);
  REQUIRE_THROWS_WITH(nn::Dropout(1.0f), Catch::Contains("p must be in [0, 1), got 1"));
  REQUIRE_THROWS_AS(nn::Dropout(std::numeric_limits<float>::quiet_NaN()), ValueError);
  REQUIRE_THROWS_AS(nn::dropout(ones({2}), 1.5f), ValueError);
  REQUIRE_THROWS_AS(nn::dropout(tensor({1}, DType::Int64), 0.5f), TypeError);
}
