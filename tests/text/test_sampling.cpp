// Tests of the word2vec tables in text/vocabulary.h: subsampling keep-probabilities against
// hand-computed values, and the unigram^0.75 table (exact content for tiny vocabularies,
// sampled frequencies for a larger one).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "tensor/error.h"
#include "text/vocabulary.h"

using namespace embedlab;
using namespace embedlab::text;

namespace {

Vocabulary vocab_without_unk(const TokenCounts& counts) {
  VocabularyOptions options;
  options.add_unk = false;
  return Vocabulary::build(counts, options);
}

}  // namespace

TEST_CASE("keep probabilities follow the word2vec formula", "[text][sampling]") {
  // Counts a 800, b 150, c 40, d 10: T = 1000; with s = 0.01 the threshold t = s*T = 10.
  //   p(a) = (sqrt(800/10) + 1) * 10/800 = (8.944272 + 1) / 80 = 0.1243034
  //   p(b) = (sqrt(150/10) + 1) * 10/150 = (3.872983 + 1) / 15 = 0.3248655
  //   p(c) = (sqrt(40/10)  + 1) * 10/40  = (2 + 1) / 4          = 0.75
  //   p(d) = (sqrt(10/10)  + 1) * 10/10  = 2, clamped to 1
  const Vocabulary vocab = vocab_without_unk({{"a", 800}, {"b", 150}, {"c", 40}, {"d", 10}});
  REQUIRE(vocab.total_count() == 1000);
  CHECK(vocab.keep_probability(vocab.id("a"), 0.01) == Approx(0.1243034).margin(1e-6));
  CHECK(vocab.keep_probability(vocab.id("b"), 0.01) == Approx(0.3248655).margin(1e-6));
  CHECK(vocab.keep_probability(vocab.id("c"), 0.01) == Approx(0.75).margin(1e-12));
  CHECK(vocab.keep_probability(vocab.id("d"), 0.01) == 1.0);
  SECTION("the table version gives the same numbers by id") {
    const std::vector<double> table = vocab.keep_probabilities(0.01);
    REQUIRE(table.size() == 4);
    CHECK(table[0] == Approx(0.1243034).margin(1e-6));
    CHECK(table[2] == Approx(0.75).margin(1e-12));
    CHECK(table[3] == 1.0);
  }
  SECTION("sample 0 turns subsampling off") {
    CHECK(vocab.keep_probability(0, 0.0) == 1.0);
  }
}

TEST_CASE("keep_probability rejects bad arguments", "[text][sampling]") {
  const Vocabulary vocab = vocab_without_unk({{"a", 3}});
  REQUIRE_THROWS_WITH(vocab.keep_probability(0, -1e-3),
                      Catch::Contains("subsampling rate must be >= 0, got -0.001"));
  REQUIRE_THROWS_AS(vocab.keep_probability(0, std::nan("")), ValueError);
  REQUIRE_THROWS_AS(vocab.keep_probabilities(-1.0), ValueError);
  REQUIRE_THROWS_AS(vocab.keep_probability(1, 1e-3), IndexError);
}

TEST_CASE("the unigram table fills slots in proportion to count^0.75", "[text][sampling]") {
  SECTION("counts 16 and 1: weights 8 and 1, so a 9-slot table is 8 a's and one b") {
    const Vocabulary vocab = vocab_without_unk({{"a", 16}, {"b", 1}});
    const UnigramTable table(vocab, 0.75, 9);
    CHECK(table.table() == std::vector<int32_t>{0, 0, 0, 0, 0, 0, 0, 0, 1});
    CHECK(table.probability(0) == Approx(8.0 / 9.0).margin(1e-12));
    CHECK(table.probability(1) == Approx(1.0 / 9.0).margin(1e-12));
  }
  SECTION("counts 81, 16, 1: weights 27, 8, 1 over 36 slots") {
    const Vocabulary vocab = vocab_without_unk({{"a", 81}, {"b", 16}, {"c", 1}});
    const UnigramTable table(vocab, 0.75, 36);
    std::vector<int32_t> expected(27, 0);
    expected.insert(expected.end(), 8, 1);
    expected.push_back(2);
    CHECK(table.table() == expected);
    CHECK(table.probability(0) == Approx(0.75).margin(1e-12));
  }
  SECTION("<unk> never gets a slot, even when it has a count") {
    // min_count 2 sends z (count 1) to <unk> (id 0, count 1); a and b as in the first section.
    VocabularyOptions options;
    options.min_count = 2;
    const Vocabulary vocab = Vocabulary::build(TokenCounts{{"a", 16}, {"b", 2}, {"z", 1}}, options);
    REQUIRE(vocab.count(0) == 1);
    const UnigramTable table(vocab, 1.0, 18);  // power 1: weights 16 and 2
    std::vector<int32_t> expected(16, 1);
    expected.insert(expected.end(), 2, 2);
    CHECK(table.table() == expected);
    CHECK(table.probability(0) == 0.0);
  }
  SECTION("power 0 is uniform over the words") {
    const Vocabulary vocab = vocab_without_unk({{"a", 100}, {"b", 1}});
    const UnigramTable table(vocab, 0.0, 4);
    CHECK(table.table() == std::vector<int32_t>{0, 0, 1, 1});
  }
}

TEST_CASE("drawing from the unigram table matches count^0.75 / sum", "[text][sampling]") {
  const Vocabulary vocab =
      vocab_without_unk({{"w0", 1000}, {"w1", 400}, {"w2", 100}, {"w3", 30}, {"w4", 7}, {"w5", 1}});
  const UnigramTable table(vocab, 0.75, 1'000'000);
  double sum = 0.0;
  for (int64_t id = 0; id < vocab.size(); ++id)
    sum += std::pow(vocab.count(id), 0.75);
  std::mt19937_64 rng(42);
  const int draws = 200'000;
  std::vector<int> seen(static_cast<std::size_t>(vocab.size()), 0);
  for (int i = 0; i < draws; ++i)
    ++seen[static_cast<std::size_t>(table.sample(rng()))];
  for (int64_t id = 0; id < vocab.size(); ++id) {
    const double expected = std::pow(vocab.count(id), 0.75) / sum;
    CHECK(table.probability(id) == Approx(expected).margin(1e-12));
    // Standard error of a frequency over 200,000 draws is at most 0.0012; allow 0.004.
    CHECK(seen[static_cast<std::size_t>(id)] / double(draws) == Approx(expected).margin(0.004));
  }
}

TEST_CASE("the unigram table rejects bad arguments", "[text][sampling]") {
  const Vocabulary vocab = vocab_without_unk({{"a", 3}, {"b", 1}});
  REQUIRE_THROWS_WITH(UnigramTable(vocab, 0.75, 0), Catch::Contains("table_size must be > 0"));
  REQUIRE_THROWS_WITH(UnigramTable(vocab, -1.0, 10),
                      Catch::Contains("power must be finite and >= 0"));
  REQUIRE_THROWS_AS(UnigramTable(vocab, std::numeric_limits<double>::infinity(), 10), ValueError);
  const UnigramTable table(vocab, 0.75, 10);
  REQUIRE_THROWS_WITH(table.probability(2), "UnigramTable::probability: id 2 out of range [0, 2)");
  SECTION("a vocabulary whose words all have count 0 has nothing to draw") {
    VocabularyOptions options;
    options.min_count = 0;
    const Vocabulary zero = Vocabulary::build(TokenCounts{{"a", 0}}, options);
    REQUIRE_THROWS_WITH(UnigramTable(zero), Catch::Contains("no id other than <unk>"));
  }
}
