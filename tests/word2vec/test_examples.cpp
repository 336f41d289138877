// Tests of word2vec/examples.h: the shrunk window, subsampling rates, negative samples and the
// batch layouts of skip-gram and CBOW.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>
#include <vector>

#include "tensor/error.h"
#include "text/vocabulary.h"
#include "word2vec/examples.h"

using namespace embedlab;
using namespace embedlab::word2vec;

namespace {

// Ids 0..4 for "a".."e", counted 50, 20, 15, 10, 5 times (ids follow descending counts).
text::Vocabulary five_words() {
  text::TokenCounts counts{{"a", 50}, {"b", 20}, {"c", 15}, {"d", 10}, {"e", 5}};
  return text::Vocabulary::build(counts, {.min_count = 1, .add_unk = false});
}

}  // namespace

TEST_CASE("skip-gram pairs stay within the shrunk window", "[word2vec][examples]") {
  const text::Vocabulary vocab = five_words();
  ExampleBuilder builder(vocab, {.window = 2, .negative = 3, .sample = 0.0}, 5);
  const std::vector<int64_t> sentence{0, 1, 2, 3, 4, 0, 1, 2};
  int64_t at_distance[3] = {0, 0, 0};
  for (int repeat = 0; repeat < 2000; ++repeat) {
    Batch batch;
    for (size_t pos = 0; pos < sentence.size(); ++pos) {
      const int64_t before = batch.num_examples;
      const int64_t added = builder.add_examples(sentence, pos, batch);
      REQUIRE(batch.num_examples == before + added);
      REQUIRE((added >= 1 && added <= 4));
    }
    REQUIRE(batch.inputs.size() == static_cast<size_t>(batch.num_examples));
    REQUIRE(batch.targets.size() == static_cast<size_t>(batch.num_examples * 4));  // 1 + K
    REQUIRE(batch.offsets.empty());
    // Pairs come centre by centre, contexts left to right; recover each pair's distance from
    // a sentence whose ids repeat with period 5.
    for (int64_t i = 0; i < batch.num_examples; ++i) {
      const int64_t centre = batch.inputs[i], context = batch.targets[i * 4];
      const int64_t d = std::min((context - centre + 5) % 5, (centre - context + 5) % 5);
      REQUIRE((d == 1 || d == 2));
      ++at_distance[d];
    }
  }
  // b is 1 or 2 with equal odds: distance-1 pairs always come, distance-2 pairs half the time.
  // The 8-word sentence has 14 distance-1 and 12 distance-2 ordered pairs.
  const double ratio = static_cast<double>(at_distance[2]) / static_cast<double>(at_distance[1]);
  CHECK(ratio == Approx(0.5 * 12.0 / 14.0).margin(0.03));
}

TEST_CASE("negatives follow the unigram^0.75 distribution", "[word2vec][examples]") {
  const text::Vocabulary vocab = five_words();
  ExampleBuilder builder(vocab, {.window = 1, .negative = 5, .sample = 0.0}, 9);
  std::vector<int64_t> drawn(5, 0);
  int64_t total = 0;
  Batch batch;
  for (int repeat = 0; repeat < 20000; ++repeat) {
    builder.add_examples(std::vector<int64_t>{3, 4}, 0, batch);
  }
  for (size_t k = 0; k < batch.targets.size(); ++k) {
    if (k % 6 == 0) continue;  // column 0 is the true context word
    ++drawn[batch.targets[k]];
    ++total;
  }
  for (int64_t id = 0; id < 5; ++id) {
    INFO("id " << id);
    CHECK(static_cast<double>(drawn[id]) / total ==
          Approx(builder.unigram_table().probability(id)).margin(0.01));
  }
}

TEST_CASE("subsampling keeps each word with its keep probability", "[word2vec][examples]") {
  // "a" is 50% of a corpus of 100 tokens: with s = 0.05, t = s T = 5 and p_keep(a) =
  // sqrt(5 / 50) + 5 / 50 = 0.416228, while "e" (count 5 = t) is always kept (p = 2 -> 1).
  const text::Vocabulary vocab = five_words();
  ExampleBuilder builder(vocab, {.window = 1, .negative = 0, .sample = 0.05}, 3);
  const std::vector<int64_t> sentence(10000, 0);
  std::vector<int64_t> kept, positions;
  builder.subsample(sentence, kept, positions);
  CHECK(static_cast<double>(kept.size()) / 10000.0 == Approx(0.416228).margin(0.02));
  REQUIRE(positions.size() == kept.size());
  for (size_t i = 1; i < positions.size(); ++i)
    REQUIRE(positions[i] > positions[i - 1]);
  builder.subsample(std::vector<int64_t>(100, 4), kept, positions);
  CHECK(kept.size() == 100);

  SECTION("sample 0 keeps every word") {
    ExampleBuilder keep_all(vocab, {.window = 1, .negative = 0, .sample = 0.0}, 3);
    keep_all.subsample(sentence, kept, positions);
    CHECK(kept.size() == 10000);
  }
}

TEST_CASE("CBOW makes one bag of context words per centre", "[word2vec][examples]") {
  const text::Vocabulary vocab = five_words();
  ExampleBuilder builder(vocab, {.cbow = true, .window = 1, .negative = 2, .sample = 0.0}, 1);
  Batch batch;
  const std::vector<int64_t> sentence{0, 1, 2};
  for (size_t pos = 0; pos < sentence.size(); ++pos)
    CHECK(builder.add_examples(sentence, pos, batch) == 1);
  // Window 1 cannot shrink: bags {1}, {0, 2}, {1} around centres 0, 1, 2.
  CHECK(batch.num_examples == 3);
  CHECK(batch.inputs == std::vector<int64_t>{1, 0, 2, 1});
  CHECK(batch.offsets == std::vector<int64_t>{0, 1, 3});
  REQUIRE(batch.targets.size() == 9);
  CHECK(batch.targets[0] == 0);
  CHECK(batch.targets[3] == 1);
  CHECK(batch.targets[6] == 2);

  SECTION("a one-word sentence gives no example") {
    Batch empty;
    CHECK(builder.add_examples(std::vector<int64_t>{4}, 0, empty) == 0);
    CHECK(empty.num_examples == 0);
  }
  SECTION("clear empties the batch") {
    batch.clear();
    CHECK(batch.num_examples == 0);
    CHECK(batch.inputs.empty());
    CHECK(batch.offsets.empty());
    CHECK(batch.targets.empty());
  }
}

TEST_CASE("the same seed gives the same examples", "[word2vec][examples]") {
  const text::Vocabulary vocab = five_words();
  auto make = [&](uint64_t seed) {
    ExampleBuilder builder(vocab, {.window = 3, .negative = 4, .sample = 0.01}, seed);
    std::vector<int64_t> kept, positions;
    builder.subsample(std::vector<int64_t>{0, 1, 0, 2, 0, 3, 0, 4, 1, 2}, kept, positions);
    Batch batch;
    for (size_t pos = 0; pos < kept.size(); ++pos)
      builder.add_examples(kept, pos, batch);
    return batch.targets;
  };
  CHECK(make(42) == make(42));
  CHECK(make(42) != make(43));
}

TEST_CASE("the example builder refuses a bad window", "[word2vec][examples][errors]") {
  const text::Vocabulary vocab = five_words();
  REQUIRE_THROWS_WITH(ExampleBuilder(vocab, {.window = 0}, 1),
                      Catch::Contains("window must be >= 1 and negative >= 0, got window 0"));
  REQUIRE_THROWS_AS(ExampleBuilder(vocab, {.window = 2, .negative = 1, .sample = -1.0}, 1),
                    ValueError);
}
