// nn::init: bounds of xavier and kaiming, determinism, the constant fills, and the errors.
#include <catch2/catch.hpp>

#include <cmath>

#include "autograd/autograd_test_utils.h"

using namespace embedlab;
namespace init = embedlab::nn::init;

namespace {
// The largest |element|.
float largest_magnitude(const Tensor& t) {
  float largest = 0.0f;
  for (float v : t.data())
    largest = std::max(largest, std::fabs(v));
  return largest;
}
}  // namespace

TEST_CASE("xavier_uniform_ stays within gain * sqrt(6 / (fan_in + fan_out))", "[nn][init]") {
  Generator generator(1);
  Tensor w = zeros({20, 30});  // fan_in 30, fan_out 20: bound sqrt(6 / 50) = 0.346410
  init::xavier_uniform_(w, 1.0f, generator);
  REQUIRE(largest_magnitude(w) <= 0.346410f);
  REQUIRE(largest_magnitude(w) > 0.9f * 0.346410f);  // 600 draws reach near the edge

  SECTION("gain 2 doubles the bound") {
    init::xavier_uniform_(w, 2.0f, generator);
    REQUIRE(largest_magnitude(w) <= 0.692821f);
    REQUIRE(largest_magnitude(w) > 0.9f * 0.692821f);
  }
}

TEST_CASE("kaiming_uniform_ stays within sqrt(2 / (1 + a^2)) * sqrt(3 / fan_in)", "[nn][init]") {
  Generator generator(2);
  Tensor w = zeros({10, 24});  // fan_in 24
  SECTION("a = 0 (ReLU): sqrt(2) * sqrt(3 / 24) = 0.5") {
    init::kaiming_uniform_(w, 0.0f, generator);
    REQUIRE(largest_magnitude(w) <= 0.5f);
    REQUIRE(largest_magnitude(w) > 0.45f);
  }
  SECTION("a = sqrt(5), Linear's choice: 1 / sqrt(24) = 0.204124") {
    init::kaiming_uniform_(w, std::sqrt(5.0f), generator);
    REQUIRE(largest_magnitude(w) <= 0.204124f);
    REQUIRE(largest_magnitude(w) > 0.9f * 0.204124f);
  }
}

TEST_CASE("init is deterministic for a seed", "[nn][init]") {
  Generator a(5), b(5), c(6);
  const Tensor first = init::kaiming_uniform_(zeros({3, 4}), 0.0f, a);
  const Tensor second = init::kaiming_uniform_(zeros({3, 4}), 0.0f, b);
  const Tensor other = init::kaiming_uniform_(zeros({3, 4}), 0.0f, c);
  for (int64_t i = 0; i < 12; ++i)
    REQUIRE(first.at(i) == second.at(i));
  REQUIRE(first.at(0) != other.at(0));
}

TEST_CASE("fans follow PyTorch for an (out, in) weight", "[nn][init]") {
  const init::Fans fans = init::calculate_fans(zeros({2, 128}));
  REQUIRE(fans.fan_in == 128);
  REQUIRE(fans.fan_out == 2);
  REQUIRE(init::calculate_gain("tanh") == Approx(5.0f / 3.0f));
  REQUIRE(init::calculate_gain("relu") == Approx(std::sqrt(2.0f)));
  REQUIRE(init::calculate_gain("leaky_relu", std::sqrt(5.0f)) == Approx(std::sqrt(1.0f / 3.0f)));
  REQUIRE_THROWS_WITH(init::calculate_gain("gelu"), Catch::Contains("unknown nonlinearity"));
}

TEST_CASE("fans need a matrix", "[nn][init][errors]") {
  Tensor v = zeros({5});
  REQUIRE_THROWS_AS(init::xavier_uniform_(v), ShapeError);
  REQUIRE_THROWS_WITH(init::kaiming_uniform_(v), Catch::Contains("got shape (5)"));
  REQUIRE_THROWS_AS(init::calculate_fans(tensor(1.0f)), ShapeError);
}

TEST_CASE("constant fills, uniform_ and normal_", "[nn][init]") {
  Tensor t = zeros({2, 3});
  init::ones_(t);
  for (float v : t.data())
    REQUIRE(v == 1.0f);
  init::constant_(t, 0.25f);
  for (float v : t.data())
    REQUIRE(v == 0.25f);
  init::zeros_(t);
  for (float v : t.data())
    REQUIRE(v == 0.0f);

  Generator generator(3);
  Tensor u = zeros({1000});
  init::uniform_(u, -2.0f, 3.0f, generator);
  for (float v : u.data())
    REQUIRE((v >= -2.0f && v <= 3.0f));

  Tensor n = zeros({10000});
  init::normal_(n, 1.0f, 2.0f, generator);
  double mean = 0.0, square = 0.0;
  for (float v : n.data())
    mean += v / 10000.0;
  for (float v : n.data())
    square += (v - mean) * (v - mean) / 10000.0;
  // The sample mean has std 2 / sqrt(10000) = 0.02; allow five of those.
  REQUIRE(mean == Approx(1.0).margin(0.1));
  REQUIRE(std::sqrt(square) == Approx(2.0).margin(0.1));
}

TEST_CASE("init works in place on a parameter that requires grad", "[nn][init]") {
  nn::Linear fc(3, 2);
  const uint64_t version = fc.bias.impl()->storage->version;
  const Tensor returned = init::constant_(fc.bias, 0.5f);
  REQUIRE(returned.data().data() == fc.bias.data().data());  // the same storage, changed
  REQUIRE(fc.bias.at(1) == 0.5f);
  REQUIRE(fc.bias.is_leaf());
  REQUIRE(fc.bias.requires_grad());
  REQUIRE(fc.bias.impl()->storage->version > version);
  // The layer's registered parameter sees the change too.
  REQUIRE(fc.named_parameters()[1].tensor.at(0) == 0.5f);
}

TEST_CASE("init errors", "[nn][init][errors]") {
  Tensor t = zeros({3});
  REQUIRE_THROWS_AS(init::uniform_(t, 1.0f, 0.0f), ValueError);
  REQUIRE_THROWS_AS(init::normal_(t, 0.0f, -1.0f), ValueError);
  REQUIRE_THROWS_AS(init::zeros_(tensor({1, 2}, DType::Int64)), TypeError);
}
