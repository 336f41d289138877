// nn::summary: the arithmetic of each count, totals, output shapes, frozen and shared
// parameters, and the number formatting.
#include <catch2/catch.hpp>

#include "autograd/autograd_test_utils.h"

using namespace embedlab;

namespace {
std::shared_ptr<nn::Sequential> course_model() {
  auto model = std::make_shared<nn::Sequential>();
  model->push_back(std::make_shared<nn::Embedding>(10000, 128));
  model->push_back(std::make_shared<nn::Linear>(128, 2));
  return model;
}

// A layer that registers a tensor it is given, so two can share one weight.
class TiedHead : public nn::Module {
 public:
  explicit TiedHead(const Tensor& shared) { register_parameter("weight", shared); }
  std::string type_name() const override { return "TiedHead"; }
};
}  // namespace

TEST_CASE("summary shows the arithmetic of each count and the totals", "[nn][summary]") {
  const std::string text = nn::summary(*course_model());
  REQUIRE_THAT(text, Catch::Contains("Embedding(10000, 128)"));
  REQUIRE_THAT(text, Catch::Contains("10000 × 128 = 1,280,000"));
  REQUIRE_THAT(text, Catch::Contains("2 × 128 + 2 = 258"));
  REQUIRE_THAT(text, Catch::Contains("Total params: 1,280,258\n"));
  REQUIRE_THAT(text, Catch::Contains("Trainable params: 1,280,258\n"));
  REQUIRE_THAT(text, Catch::Contains("Non-trainable params: 0\n"));
  // 1,280,258 x 4 bytes = 5,121,032 bytes = 4.88 MiB
  REQUIRE_THAT(text, Catch::Contains("Parameter memory (float32): 5,121,032 bytes (4.9 MiB)"));
  REQUIRE_THAT(text, Catch::Contains("4.9 MiB  yes"));  // the Embedding row's memory
}

TEST_CASE("summary of the course model, exactly", "[nn][summary]") {
  auto model = course_model();
  const std::string expected =
      "Layer    Type                                                Output shape  Parameters     "
      "          Memory   Trainable\n"
      "============================================================================================"
      "=="
      "========================\n"
      "(model)  Sequential                                          (4, 2)        -              "
      "          -        -\n"
      "0        Embedding(10000, 128)                               (4, 128)      10000 × 128 = "
      "1,280,000  4.9 MiB  yes\n"
      "1        Linear(in_features=128, out_features=2, bias=true)  (4, 2)        2 × 128 + 2 = "
      "258        1.0 KiB  yes\n"
      "============================================================================================"
      "=="
      "========================\n"
      "Total params: 1,280,258\n"
      "Trainable params: 1,280,258\n"
      "Non-trainable params: 0\n"
      "Parameter memory (float32): 5,121,032 bytes (4.9 MiB)\n"
      "Training with Adam adds gradients (4.9 MiB) and two moment buffers (9.8 MiB): about 19.5 "
      "MiB in all, activations not counted.\n";
  REQUIRE(nn::summary(*model, tensor({4, 8, 15, 16}, DType::Int64)) == expected);
}

TEST_CASE("summary without an input leaves output shapes as '-'", "[nn][summary]") {
  const std::string text = nn::summary(*course_model(), {.training_note = false});
  REQUIRE_THAT(text, Catch::Contains("Embedding(10000, 128)                               -"));
  REQUIRE_THAT(text, !Catch::Contains("(4, 128)"));
  REQUIRE_THAT(text, !Catch::Contains("Adam"));
}

TEST_CASE("summary shows frozen parameters as non-trainable", "[nn][summary]") {
  nn::Sequential model;
  model.push_back("embed", nn::Embedding::from_pretrained(ones({100, 8})));
  model.push_back("fc", std::make_shared<nn::Linear>(8, 3));
  const std::string text = nn::summary(model);
  REQUIRE_THAT(text, Catch::Contains("100 × 8 = 800"));
  REQUIRE_THAT(text, Catch::Contains("no\n"));
  REQUIRE_THAT(text, Catch::Contains("Total params: 827\n"));  // 800 + 3 x 8 + 3
  REQUIRE_THAT(text, Catch::Contains("Trainable params: 27\n"));
  REQUIRE_THAT(text, Catch::Contains("Non-trainable params: 800\n"));

  SECTION("a layer with a frozen bias is partly trainable") {
    nn::Linear fc(4, 2);
    fc.bias.requires_grad_(false);
    const std::string partly = nn::summary(fc);
    REQUIRE_THAT(partly, Catch::Contains("2 × 4 + 2 = 10  40 B    partly\n"));
    REQUIRE_THAT(partly, Catch::Contains("Trainable params: 8\n"));
  }
}

TEST_CASE("summary counts a shared weight once and says where", "[nn][summary]") {
  Tensor shared = zeros({5, 3});
  nn::Sequential model;
  model.push_back("a", std::make_shared<TiedHead>(shared));
  model.push_back("b", std::make_shared<TiedHead>(shared));
  const std::string text = nn::summary(model);
  REQUIRE_THAT(text, Catch::Contains("5 × 3 = 15"));
  REQUIRE_THAT(text, Catch::Contains("0 (shared: weight = a.weight, counted once)"));
  REQUIRE_THAT(text, Catch::Contains("Total params: 15\n"));
}

TEST_CASE("summary with an input restores training mode and draws no random numbers",
          "[nn][summary]") {
  Generator generator(4);
  auto model = std::make_shared<nn::Sequential>();
  auto inner = model->push_back("mlp", std::make_shared<nn::Sequential>());
  inner->push_back(std::make_shared<nn::Linear>(3, 4));
  auto drop = inner->push_back(std::make_shared<nn::Dropout>(0.5f, generator));
  auto head = model->push_back("head", std::make_shared<nn::Linear>(4, 1));
  head->eval();  // a layer the user had put in eval mode stays there
  Generator copy = generator;

  const std::string text = nn::summary(*model, zeros({5, 3}));
  REQUIRE_THAT(text,
               Catch::Contains("\n  mlp.0  Linear(in_features=3, out_features=4, bias=true)"));
  REQUIRE_THAT(text, Catch::Contains("(5, 4)"));  // nested Sequential children get shapes too
  REQUIRE_THAT(text, Catch::Contains("(5, 1)"));
  REQUIRE(model->is_training());
  REQUIRE(drop->is_training());
  REQUIRE_FALSE(head->is_training());
  REQUIRE(generator.next_u64() == copy.next_u64());

  SECTION("a bad input throws the layer's error and still restores the modes") {
    REQUIRE_THROWS_WITH(nn::summary(*model, zeros({5, 7})),
                        Catch::Contains("Linear(in_features=3, out_features=4)"));
    REQUIRE(drop->is_training());
  }
}

TEST_CASE("numbers get thousands separators and bytes a binary unit", "[nn][summary]") {
  REQUIRE(nn::with_thousands_separators(0) == "0");
  REQUIRE(nn::with_thousands_separators(999) == "999");
  REQUIRE(nn::with_thousands_separators(1000) == "1,000");
  REQUIRE(nn::with_thousands_separators(1280000) == "1,280,000");
  REQUIRE(nn::with_thousands_separators(-1234567) == "-1,234,567");
  REQUIRE(nn::human_bytes(8) == "8 B");
  REQUIRE(nn::human_bytes(1024) == "1.0 KiB");
  REQUIRE(nn::human_bytes(5120000) == "4.9 MiB");
  REQUIRE(nn::human_bytes(int64_t{3} << 30) == "3.0 GiB");
}
