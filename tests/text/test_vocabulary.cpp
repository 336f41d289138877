// Tests of text/vocabulary.h (the Vocabulary part): id order, counts, min_count and max_size,
// the <unk> policy, lookups with "did you mean" suggestions, and the empty-corpus errors.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tensor/error.h"
#include "text/tokenizer.h"
#include "text/vocabulary.h"

using namespace embedlab;
using namespace embedlab::text;
using Tokens = std::vector<std::string>;

namespace {

// "the" x3, then cat, dog, end, saw once each: 7 tokens, 5 distinct.
Tokens small_corpus() {
  return tokenize("the cat saw the dog the end");
}

}  // namespace

TEST_CASE("ids go to <unk> first, then by descending count, ties by token", "[text][vocabulary]") {
  const Vocabulary vocab = Vocabulary::build(small_corpus());
  REQUIRE(vocab.size() == 6);
  CHECK(vocab.tokens() == Tokens{"<unk>", "the", "cat", "dog", "end", "saw"});
  CHECK(vocab.counts() == std::vector<int64_t>{0, 3, 1, 1, 1, 1});
  CHECK(vocab.id("the") == 1);
  CHECK(vocab.id("saw") == 5);
  CHECK(vocab.token(2) == "cat");
  CHECK(vocab.count(1) == 3);
  CHECK(vocab.total_count() == 7);
  CHECK(vocab.unk_id() == 0);
  CHECK(vocab.has_unk());
  CHECK(vocab.contains("dog"));
  CHECK_FALSE(vocab.contains("bird"));
  CHECK(vocab.find("bird") == -1);
}

TEST_CASE("building twice from differently ordered counts gives the same ids",
          "[text][vocabulary]") {
  TokenCounts a{{"b", 2}, {"a", 2}, {"c", 5}};
  TokenCounts b{{"c", 5}, {"a", 2}, {"b", 2}};
  CHECK(Vocabulary::build(a).tokens() == Vocabulary::build(b).tokens());
  CHECK(Vocabulary::build(a).tokens() == Tokens{"<unk>", "c", "a", "b"});
}

TEST_CASE("min_count and max_size send the rare tokens to <unk>", "[text][vocabulary]") {
  SECTION("min_count 2 keeps only 'the'; the four others (count 1 each) become <unk>") {
    const Vocabulary vocab = Vocabulary::build(small_corpus(), {.min_count = 2});
    CHECK(vocab.tokens() == Tokens{"<unk>", "the"});
    CHECK(vocab.count(0) == 4);
    CHECK(vocab.total_count() == 7);
  }
  SECTION("max_size 3 counts <unk>: <unk>, the, cat; dog, end, saw (3 tokens) go to <unk>") {
    const Vocabulary vocab = Vocabulary::build(small_corpus(), {.max_size = 3});
    CHECK(vocab.tokens() == Tokens{"<unk>", "the", "cat"});
    CHECK(vocab.count(0) == 3);
  }
  SECTION("without <unk>, left-out tokens are not counted at all") {
    const Vocabulary vocab =
        Vocabulary::build(small_corpus(), {.min_count = 2, .max_size = 0, .add_unk = false});
    CHECK(vocab.tokens() == Tokens{"the"});
    CHECK(vocab.total_count() == 3);
    CHECK_FALSE(vocab.has_unk());
    CHECK(vocab.unk_id() == -1);
  }
}

TEST_CASE("the unknown token can be renamed and merges with a literal occurrence",
          "[text][vocabulary]") {
  VocabularyOptions options;
  options.unk_token = "[UNK]";
  options.min_count = 2;
  const Vocabulary vocab =
      Vocabulary::build(TokenCounts{{"a", 5}, {"b", 1}, {"[UNK]", 2}}, options);
  CHECK(vocab.tokens() == Tokens{"[UNK]", "a"});
  CHECK(vocab.count(0) == 3);  // b's 1 + the literal [UNK]'s 2
  CHECK(vocab.id_or_unk("zzz") == 0);
  CHECK(vocab.id_or_unk("a") == 1);
}

TEST_CASE("id_or_unk without an unknown token throws", "[text][vocabulary]") {
  const Vocabulary vocab = Vocabulary::build(small_corpus(), {.add_unk = false});
  REQUIRE_THROWS_AS(vocab.id_or_unk("bird"), ValueError);
  REQUIRE_THROWS_WITH(vocab.id_or_unk("bird"), Catch::Contains("\"bird\" not found"));
}

TEST_CASE("ids are range-checked and the message gives the range", "[text][vocabulary]") {
  const Vocabulary vocab = Vocabulary::build(small_corpus());
  REQUIRE_THROWS_AS(vocab.token(6), IndexError);
  REQUIRE_THROWS_WITH(vocab.token(6), "Vocabulary::token: id 6 out of range [0, 6)");
  REQUIRE_THROWS_WITH(vocab.count(-1), "Vocabulary::count: id -1 out of range [0, 6)");
}

TEST_CASE("looking up an unknown token suggests close spellings", "[text][vocabulary]") {
  const Vocabulary vocab = Vocabulary::build(TokenCounts{
      {"happy", 9}, {"harpy", 1}, {"hippy", 2}, {"sad", 7}, {"happen", 3}, {"快乐", 4}});
  SECTION("a short word allows distance 1 only") {
    // hapy: happy and harpy are 1 insertion away; hippy is 2 away, too far for 4 letters.
    CHECK(vocab.suggestions("hapy") == Tokens{"happy", "harpy"});
    REQUIRE_THROWS_AS(vocab.id("hapy"), IndexError);
    REQUIRE_THROWS_WITH(
        vocab.id("hapy"),
        "Vocabulary: token \"hapy\" not found (did you mean \"happy\", \"harpy\"?)");
  }
  SECTION("longer words allow distance 2; closest first, then most frequent") {
    // happyy: happy 1; happen 2 (count 3), hippy 2 (count 2), harpy 2 (count 1)
    CHECK(vocab.suggestions("happyy") == Tokens{"happy", "happen", "hippy"});
    CHECK(vocab.suggestions("happyy", 5) == Tokens{"happy", "happen", "hippy", "harpy"});
  }
  SECTION("distance counts characters, not bytes") {
    CHECK(vocab.suggestions("快了") == Tokens{"快乐"});
  }
  SECTION("nothing close: the message gives the vocabulary size instead") {
    REQUIRE_THROWS_WITH(vocab.id("elephant"),
                        "Vocabulary: token \"elephant\" not found (7 tokens in the vocabulary)");
  }
}

TEST_CASE("an empty corpus, or one with no token reaching min_count, throws ValueError",
          "[text][vocabulary]") {
  REQUIRE_THROWS_AS(Vocabulary::build(Tokens{}), ValueError);
  REQUIRE_THROWS_WITH(Vocabulary::build(Tokens{}),
                      "Vocabulary: the corpus is empty (0 distinct tokens seen, min_count 1)");
  REQUIRE_THROWS_WITH(
      Vocabulary::build(small_corpus(), {.min_count = 5}),
      "Vocabulary: no token reaches min_count 5 (5 distinct tokens seen; the most frequent, "
      "\"the\", occurs 3 times)");
}

TEST_CASE("bad build options throw ValueError naming the value", "[text][vocabulary]") {
  REQUIRE_THROWS_WITH(Vocabulary::build(small_corpus(), {.min_count = -1}),
                      Catch::Contains("min_count must be >= 0, got -1"));
  REQUIRE_THROWS_WITH(Vocabulary::build(small_corpus(), {.max_size = 1}),
                      Catch::Contains("max_size 1 leaves no room"));
  REQUIRE_THROWS_WITH(Vocabulary::build(TokenCounts{{"a", -2}}),
                      Catch::Contains("token \"a\" has a negative count -2"));
}

TEST_CASE("add_count counts tokens given as string views", "[text][vocabulary]") {
  TokenCounts counts;
  const std::string text = "a b a";
  add_count(counts, std::string_view(text).substr(0, 1));
  add_count(counts, std::string_view(text).substr(2, 1));
  add_count(counts, std::string_view(text).substr(4, 1));
  CHECK(counts.at("a") == 2);
  CHECK(counts.at("b") == 1);
}
