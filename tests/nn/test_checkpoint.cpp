// Module checkpoints: a bit-exact round trip, and every mismatch named before anything changes.
#include <catch2/catch.hpp>

#include <fstream>

#include "embedlab.h"
#include "io/io_test_utils.h"

using namespace embedlab;

namespace {
std::shared_ptr<nn::Sequential> make_model(uint64_t seed, int64_t vocab = 12) {
  Generator generator(seed);
  auto model = std::make_shared<nn::Sequential>();
  model->push_back("embed",
                   std::make_shared<nn::Embedding>(vocab, 4, nn::EmbeddingOptions{}, generator));
  model->push_back("fc", std::make_shared<nn::Linear>(4, 2, true, generator));
  return model;
}

bool same_bits(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() &&
         std::memcmp(a.data().data(), b.data().data(), a.numel() * sizeof(float)) == 0;
}
}  // namespace

TEST_CASE("a module saved and loaded again has bit-identical parameters", "[nn][checkpoint]") {
  test::TempDir dir;
  auto saved = make_model(1);
  saved->named_parameters()[0].tensor.data()[0] = -0.0f;  // signs of zero survive too
  nn::save(*saved, dir.path("model.safetensors"), {{"epoch", "3"}});
  auto loaded = make_model(2);
  const auto metadata = nn::load(*loaded, dir.path("model.safetensors"));
  REQUIRE(metadata.at("epoch") == "3");
  const auto a = saved->named_parameters(), b = loaded->named_parameters();
  REQUIRE(a.size() == 3);
  for (size_t i = 0; i < a.size(); ++i) {
    INFO(a[i].name);
    REQUIRE(a[i].name == b[i].name);
    REQUIRE(same_bits(a[i].tensor, b[i].tensor));
  }
  REQUIRE(std::signbit(b[0].tensor.data()[0]));
}

TEST_CASE("loading a checkpoint of another shape names the key and changes nothing",
          "[nn][checkpoint][errors]") {
  test::TempDir dir;
  nn::save(*make_model(1, 10), dir.path("small.safetensors"));
  auto model = make_model(2, 12);
  const Tensor before = model->named_parameters()[0].tensor.clone();
  REQUIRE_THROWS_AS(nn::load(*model, dir.path("small.safetensors")), ValueError);
  REQUIRE_THROWS_WITH(
      nn::load(*model, dir.path("small.safetensors")),
      Catch::Contains("embed.weight") && Catch::Contains("(10, 4)") && Catch::Contains("(12, 4)"));
  REQUIRE(same_bits(before, model->named_parameters()[0].tensor));
}

TEST_CASE("strict loading refuses extra keys, non-strict loading ignores them",
          "[nn][checkpoint][errors]") {
  test::TempDir dir;
  auto big = make_model(1);
  big->push_back("extra", std::make_shared<nn::Linear>(2, 2));
  nn::save(*big, dir.path("big.safetensors"));
  auto model = make_model(2);
  REQUIRE_THROWS_WITH(nn::load(*model, dir.path("big.safetensors")),
                      Catch::Contains("extra.weight"));
  nn::load(*model, dir.path("big.safetensors"), false);
  REQUIRE(same_bits(model->named_parameters()[0].tensor, big->named_parameters()[0].tensor));
}

TEST_CASE("a missing key and a truncated file are errors that say so", "[nn][checkpoint][errors]") {
  test::TempDir dir;
  auto small = std::make_shared<nn::Sequential>();
  small->push_back("embed", std::make_shared<nn::Embedding>(12, 4));
  nn::save(*small, dir.path("partial.safetensors"));
  auto model = make_model(2);
  REQUIRE_THROWS_WITH(nn::load(*model, dir.path("partial.safetensors")),
                      Catch::Contains("fc.weight"));

  nn::save(*model, dir.path("whole.safetensors"));
  std::string bytes = test::read_file(dir.path("whole.safetensors"));
  test::write_file(dir.path("cut.safetensors"), bytes.substr(0, bytes.size() - 5));
  REQUIRE_THROWS_AS(nn::load(*model, dir.path("cut.safetensors")), FormatError);
  REQUIRE_THROWS_AS(nn::load(*model, dir.path("no-such-file.safetensors")), IOError);
}
