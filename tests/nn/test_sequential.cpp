// nn::Sequential: chaining, names, indexing, the printed tree, and the activation layers.
#include <catch2/catch.hpp>

#include "autograd/autograd_test_utils.h"

using namespace embedlab;
using embedlab::test::require_values;

TEST_CASE("sequential prints its tree like PyTorch", "[nn][sequential]") {
  nn::Sequential model;
  model.push_back(std::make_shared<nn::Embedding>(10000, 128));
  model.push_back("fc", std::make_shared<nn::Linear>(128, 2));
  REQUIRE(model.to_string() ==
          "Sequential(\n"
          "  (0): Embedding(10000, 128)\n"
          "  (fc): Linear(in_features=128, out_features=2, bias=true)\n"
          ")");

  SECTION("nested containers are indented") {
    auto mlp = std::make_shared<nn::Sequential>(std::initializer_list<std::shared_ptr<nn::Module>>{
        std::make_shared<nn::Linear>(2, 3), std::make_shared<nn::ReLU>(),
        std::make_shared<nn::Dropout>(0.25f)});
    nn::Sequential outer;
    outer.push_back("mlp", mlp);
    outer.push_back(std::make_shared<nn::Sigmoid>());
    REQUIRE(outer.to_string() ==
            "Sequential(\n"
            "  (mlp): Sequential(\n"
            "    (0): Linear(in_features=2, out_features=3, bias=true)\n"
            "    (1): ReLU()\n"
            "    (2): Dropout(p=0.25)\n"
            "  )\n"
            "  (1): Sigmoid()\n"
            ")");
  }
  SECTION("an empty one prints as Sequential()") {
    REQUIRE(nn::Sequential().to_string() == "Sequential()");
  }
}

TEST_CASE("sequential forward chains the layers", "[nn][sequential]") {
  auto fc = std::make_shared<nn::Linear>(2, 3);
  {
    NoGradGuard no_grad;
    copy_(fc->weight, tensor({{1, 0}, {1, 1}, {0, 2}}));
    copy_(fc->bias, tensor({0.5f, 0, -1}));
  }
  nn::Sequential model{fc, std::make_shared<nn::ReLU>()};
  // x = [-1, 1]: linear gives [-0.5, 0, 1], relu gives [0, 0, 1].
  Tensor y = model.forward(tensor({{-1, 1}}));
  require_values(y, Shape{1, 3}, {0, 0, 1});
  REQUIRE(y.grad_fn_name() == "relu");

  SECTION("an empty Sequential returns its input") {
    nn::Sequential empty;
    Tensor x = tensor({1, 2});
    REQUIRE(empty(x).data().data() == x.data().data());
  }
}

TEST_CASE("sequential names, indexing and errors", "[nn][sequential]") {
  nn::Sequential model;
  auto fc = model.push_back(std::make_shared<nn::Linear>(4, 2));  // returns the typed layer
  model.push_back("act", std::make_shared<nn::Tanh>());
  REQUIRE(model.size() == 2);
  REQUIRE(model[0] == fc);
  REQUIRE(model.at(1)->type_name() == "Tanh");
  REQUIRE(model.named_children()[1].first == "act");
  REQUIRE(fc->in_features() == 4);

  REQUIRE_THROWS_AS(model.at(2), IndexError);
  REQUIRE_THROWS_WITH(model.at(2), Catch::Contains("index 2 out of range [0, 2)"));
  REQUIRE_THROWS_WITH(model.push_back("act", std::make_shared<nn::ReLU>()),
                      Catch::Contains("'act' is already registered"));
  REQUIRE_THROWS_AS(model.push_back(std::shared_ptr<nn::Module>()), ValueError);
  SECTION("a layer's error reaches the caller with the layer's name") {
    REQUIRE_THROWS_WITH(model.forward(zeros({1, 3})),
                        Catch::Contains("Linear(in_features=4, out_features=2)"));
  }
}

TEST_CASE("activation layers call their ops", "[nn][activation]") {
  const Tensor x = tensor({-2, 0, 3});
  require_values(nn::ReLU()(x), Shape{3}, {0, 0, 3});
  require_values(nn::Tanh()(x), Shape{3}, {std::tanh(-2.0f), 0, std::tanh(3.0f)});
  // sigmoid(-2) = 1 / (1 + e^2) = 0.1192, sigmoid(0) = 0.5, sigmoid(3) = 0.9526
  require_values(nn::Sigmoid()(x), Shape{3}, {0.1192029f, 0.5f, 0.9525741f});
  REQUIRE(nn::ReLU().to_string() == "ReLU()");
  REQUIRE(nn::ReLU().parameters().empty());
  REQUIRE_THROWS_AS(nn::Tanh()(tensor({1}, DType::Int64)), TypeError);
}
