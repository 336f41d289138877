// Tests of word2vec/keyed_vectors.h on a hand-made table whose answers can be worked out by
// hand: nearest neighbours, similarity, the king - man + woman analogy, unknown words, and the
// round trip through the word2vec text format into nn::Embedding::from_pretrained.
#include <catch2/catch.hpp>

#include <unistd.h>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "embedlab.h"
#include "io/word2vec_format.h"
#include "word2vec/keyed_vectors.h"

using namespace embedlab;
using namespace embedlab::word2vec;

namespace {

// Axis x: royal, axis y: male (+) or female (-), axis z: fruit.
KeyedVectors hand_table() {
  return KeyedVectors(
      {"king", "queen", "man", "woman", "apple", "pear"},
      tensor({{1, 1, 0}, {1, -1, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0.1f, 0, 1}}));
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("embedlab_w2v_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

}  // namespace

TEST_CASE("most_similar ranks every word by cosine similarity", "[word2vec][keyed]") {
  const KeyedVectors kv = hand_table();
  CHECK(kv.size() == 6);
  CHECK(kv.dim() == 3);
  const std::vector<Neighbor> near = kv.most_similar("apple", 2);
  REQUIRE(near.size() == 2);
  // cos(apple, pear) = 1 / sqrt(1.01) = 0.995037; every other word is orthogonal (cos 0), and
  // ties go to the lower row, king.
  CHECK(near[0].first == "pear");
  CHECK(near[0].second == Approx(0.995037).margin(1e-5));
  CHECK(near[1].first == "king");
  CHECK(near[1].second == Approx(0.0).margin(1e-6));

  SECTION("the query word itself is left out and k may exceed the table") {
    const std::vector<Neighbor> all = kv.most_similar("king", 10);
    REQUIRE(all.size() == 5);
    CHECK(all[0].first == "man");  // cos 0.707107; then pear 0.0704, queen 0, apple 0
    CHECK(all[0].second == Approx(0.707107).margin(1e-5));
    CHECK(all.back().second == Approx(-0.707107).margin(1e-5));  // woman
  }
}

TEST_CASE("similarity is the cosine of two words' vectors", "[word2vec][keyed]") {
  const KeyedVectors kv = hand_table();
  CHECK(kv.similarity("king", "queen") == Approx(0.0).margin(1e-6));
  CHECK(kv.similarity("man", "woman") == Approx(-1.0).margin(1e-6));
  CHECK(kv.similarity("king", "man") == Approx(0.707107).margin(1e-5));
  CHECK(kv.similarity("pear", "pear") == Approx(1.0).margin(1e-6));
}

TEST_CASE("analogy answers king - man + woman with queen", "[word2vec][keyed]") {
  // target = unit(king) - unit(man) + unit(woman) = (0.7071, -1.2929, 0); its cosine with
  // queen (1, -1, 0) / sqrt(2) is 1.4142 / 1.4737 = 0.959683.
  const std::vector<Neighbor> answer = hand_table().analogy("king", "man", "woman", 2);
  REQUIRE(answer.size() == 2);
  CHECK(answer[0].first == "queen");
  CHECK(answer[0].second == Approx(0.959683).margin(1e-5));
  CHECK(answer[1].first == "pear");  // 0.0707 / (1.4737 x 1.005) = 0.047746
  CHECK(answer[1].second == Approx(0.047746).margin(1e-5));
}

TEST_CASE("an unknown word is an error that suggests close spellings",
          "[word2vec][keyed][errors]") {
  const KeyedVectors kv = hand_table();
  REQUIRE_THROWS_WITH(kv.most_similar("kng"),
                      Catch::Contains("word \"kng\" is not in the vocabulary (6 words)") &&
                          Catch::Contains("did you mean \"king\"?"));
  REQUIRE_THROWS_AS(kv.similarity("king", "zebra"), IndexError);
  REQUIRE_THROWS_AS(kv.analogy("king", "man", "girl"), IndexError);
  REQUIRE_THROWS_WITH(kv.index("xyzzy"), Catch::Contains("\"xyzzy\" is not in the vocabulary"));
  REQUIRE_THROWS_WITH(kv.most_similar("king", 0), Catch::Contains("k must be at least 1, got 0"));
  CHECK(kv.contains("queen"));
  CHECK_FALSE(kv.contains("kng"));
}

TEST_CASE("a table is refused when it cannot answer sensibly", "[word2vec][keyed][errors]") {
  REQUIRE_THROWS_WITH(KeyedVectors({"a", "b", "a"}, zeros(Shape{3, 2})),
                      Catch::Contains("word \"a\" appears twice (rows 0 and 2)"));
  REQUIRE_THROWS_WITH(KeyedVectors({}, zeros(Shape{0, 2})), Catch::Contains("at least one word"));
  REQUIRE_THROWS_WITH(KeyedVectors({"a", "b"}, zeros(Shape{3, 2})),
                      Catch::Contains("float32 (2, D) matrix, got (3, 2)"));
  REQUIRE_THROWS_WITH(KeyedVectors({"a"}, tensor({{1, std::numeric_limits<float>::quiet_NaN()}})),
                      Catch::Contains("row 0 column 1 is nan"));
  REQUIRE_THROWS_AS(hand_table().most_similar_to_vector(tensor({1, 0}), 1), ShapeError);
}

TEST_CASE("a zero vector has cosine 0 with everything", "[word2vec][keyed]") {
  const KeyedVectors kv({"zero", "x"}, tensor({{0, 0}, {1, 0}}));
  CHECK(kv.similarity("zero", "x") == 0.0f);
  CHECK(kv.most_similar("zero", 1)[0].second == 0.0f);
}

TEST_CASE("vectors survive the word2vec text format and feed nn::Embedding",
          "[word2vec][keyed][io]") {
  const KeyedVectors kv = hand_table();
  const std::string path = temp_path("round_trip.txt");
  io::save_word2vec_text(path, kv.to_word_vectors());
  const KeyedVectors loaded = KeyedVectors::load_word2vec_text(path);
  std::filesystem::remove(path);

  REQUIRE(loaded.words() == kv.words());
  for (int64_t i = 0; i < kv.vectors().numel(); ++i)
    REQUIRE(loaded.vectors().data()[i] == kv.vectors().data()[i]);  // bit exact
  CHECK(loaded.most_similar("apple", 1)[0].first == "pear");

  auto embed = nn::Embedding::from_pretrained(loaded.vectors());
  CHECK(embed->num_embeddings() == 6);
  CHECK(embed->embedding_dim() == 3);
  CHECK_FALSE(embed->weight.requires_grad());  // frozen, as in PyTorch
  const Tensor queen = (*embed)(tensor({static_cast<float>(loaded.index("queen"))}, DType::Int64));
  REQUIRE(queen.shape() == Shape{1, 3});
  CHECK(queen.at(0, 0) == 1.0f);
  CHECK(queen.at(0, 1) == -1.0f);
  CHECK(queen.at(0, 2) == 0.0f);
}

TEST_CASE("vector returns a copy of one word's row", "[word2vec][keyed]") {
  const KeyedVectors kv = hand_table();
  Tensor pear = kv.vector("pear");
  REQUIRE(pear.shape() == Shape{3});
  CHECK(pear.at(0) == Approx(0.1f));
  pear.data()[0] = 99.0f;
  CHECK(kv.vector("pear").at(0) == Approx(0.1f));  // the table did not change
}
