// Module bookkeeping: exact parameter counts, dotted names, shared tensors counted once,
// trainable versus frozen.
#include <catch2/catch.hpp>

#include "embedlab.h"

using namespace embedlab;

namespace {
// A layer that registers a tensor it is given: two of them can share one weight (tied weights).
class TiedHead : public nn::Module {
 public:
  explicit TiedHead(const Tensor& shared) { weight = register_parameter("weight", shared); }
  std::string type_name() const override { return "TiedHead"; }
  Tensor weight;
};
}  // namespace

TEST_CASE("parameter counts are exact", "[nn][module][count][task4.3]") {
  SECTION("Embedding(10000, 128) has 10000 x 128 = 1,280,000") {
    nn::Embedding embed(10000, 128);
    REQUIRE(embed.num_parameters() == 1280000);
  }
  SECTION("Linear(128, 2) has 2 x 128 + 2 = 258") {
    nn::Linear fc(128, 2);
    REQUIRE(fc.num_parameters() == 258);
  }
  SECTION("Linear without bias has only its 2 x 128 = 256 weights") {
    nn::Linear fc(128, 2, false);
    REQUIRE(fc.num_parameters() == 256);
    REQUIRE_FALSE(fc.bias.defined());
  }
  SECTION("a Sequential of both has 1,280,000 + 258 = 1,280,258") {
    nn::Sequential model;
    model.push_back(std::make_shared<nn::Embedding>(10000, 128));
    model.push_back(std::make_shared<nn::Linear>(128, 2));
    REQUIRE(model.num_parameters() == 1280258);
    REQUIRE(model.parameters().size() == 3);
  }
}

TEST_CASE("a weight shared by two modules is counted and listed once",
          "[nn][module][count][task4.3]") {
  Tensor shared = zeros({5, 3});
  nn::Sequential model;
  model.push_back("a", std::make_shared<TiedHead>(shared));
  model.push_back("b", std::make_shared<TiedHead>(shared));
  REQUIRE(model.num_parameters() == 15);  // not 30
  const auto named = model.named_parameters();
  REQUIRE(named.size() == 1);
  REQUIRE(named[0].name == "a.weight");  // the first name wins

  SECTION("the same layer pushed twice is counted once too") {
    auto fc = std::make_shared<nn::Linear>(4, 2);
    nn::Sequential twice;
    twice.push_back(fc);
    twice.push_back(fc);
    REQUIRE(twice.num_parameters() == 4 * 2 + 2);
  }
}

TEST_CASE("named_parameters gives dotted names", "[nn][module]") {
  nn::Sequential model;
  model.push_back(std::make_shared<nn::Embedding>(10, 4));
  model.push_back("fc", std::make_shared<nn::Linear>(4, 2));
  const auto named = model.named_parameters();
  REQUIRE(named.size() == 3);
  REQUIRE(named[0].name == "0.weight");
  REQUIRE(named[1].name == "fc.weight");
  REQUIRE(named[2].name == "fc.bias");
  REQUIRE(named[0].tensor.shape() == Shape{10, 4});
  REQUIRE(named[1].tensor.shape() == Shape{2, 4});
  REQUIRE(named[2].tensor.shape() == Shape{2});
}

TEST_CASE("a pretrained frozen embedding counts as non-trainable", "[nn][module][count][task4.3]") {
  nn::Sequential model;
  model.push_back("embed", nn::Embedding::from_pretrained(ones({100, 8})));  // freeze = true
  model.push_back("fc", std::make_shared<nn::Linear>(8, 3));
  REQUIRE(model.num_parameters() == 100 * 8 + 8 * 3 + 3);
  REQUIRE(model.num_parameters(true) == 8 * 3 + 3);  // only the Linear trains

  SECTION("with freeze = false every parameter trains") {
    auto embed = nn::Embedding::from_pretrained(ones({100, 8}), false);
    REQUIRE(embed->num_parameters(true) == 800);
  }
}

TEST_CASE("train and eval reach every layer of the tree", "[nn][module]") {
  nn::Sequential model;
  auto drop = model.push_back(std::make_shared<nn::Dropout>(0.5f));
  auto inner = model.push_back(std::make_shared<nn::Sequential>());
  auto deep = inner->push_back(std::make_shared<nn::Dropout>(0.1f));
  model.eval();
  REQUIRE_FALSE(drop->is_training());
  REQUIRE_FALSE(deep->is_training());
  model.train();
  REQUIRE(deep->is_training());
}
