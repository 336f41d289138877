// Ids above 2^24 (16,777,216: float holds every integer up to there, and 16,777,217 rounds to
// 16,777,216) on every path that carries one outside the engine's ops (issue 11): the options
// structs (padding_idx, ignore_index, min_count, pad_id), the vocabulary, the file loaders and
// savers (word2vec text and binary, safetensors, optimiser checkpoints), KeyedVectors and the
// chapters' --ids (tutorials/CMakeLists.txt). Each test either carries the value through and
// reads back the exact integer, or makes the path refuse it and finds the exact value in the
// message. None allocates a table of 2^24 rows: tests/autograd/test_big_ids.cpp does that for
// the engine's saved state.
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "embedlab.h"
#include "io/safetensors.h"
#include "io/word2vec_binary.h"
#include "io/word2vec_format.h"
#include "optim/checkpoint.h"
#include "reliability_test_utils.h"
#include "text/vocabulary.h"
#include "train/batches.h"
#include "word2vec/keyed_vectors.h"
#include "word2vec/word_map.h"

using namespace embedlab;
using embedlab::test::MessageHas;

namespace {
constexpr int64_t kAbove = 16'777'217;                 // 2^24 + 1: float gives 16,777,216
constexpr int64_t kHuge = (int64_t{1} << 40) + 1;      // 1,099,511,627,777
constexpr int64_t kWrapsTo1 = (int64_t{1} << 32) + 1;  // int32 keeps only the 1
}  // namespace

TEST_CASE("padding_idx options above 2^24 reach the range check exactly",
          "[reliability][int64][embedding]") {
  // A 4-row table, so the value is refused; the message shows it was not rounded on the way.
  REQUIRE_THROWS_MATCHES(nn::Embedding(4, 2, {.padding_idx = kAbove}), IndexError,
                         MessageHas({"padding_idx 16777217 out of range [-4, 4)"}));
  REQUIRE_THROWS_MATCHES(nn::EmbeddingBag(4, 2, {.padding_idx = -kHuge}), IndexError,
                         MessageHas({"padding_idx -1099511627777 out of range"}));
  const Tensor w = zeros({4, 2});
  const Tensor ids = tensor({0, 1}, DType::Int64);
  REQUIRE_THROWS_MATCHES(embedding(w, ids, EmbeddingFuncOptions{.padding_idx = kAbove}), IndexError,
                         MessageHas({"padding_idx 16777217 out of range [0, 4)"}));
  REQUIRE_THROWS_MATCHES(embedding_bag(w, ids, tensor({0}, DType::Int64), {.padding_idx = kHuge}),
                         IndexError, MessageHas({"padding_idx 1099511627777 out of range [0, 4)"}));
}

TEST_CASE("ignore_index above 2^24 matches only its own target id", "[reliability][int64][loss]") {
  const Tensor logits = zeros({2, 3}, DType::Float32).requires_grad_();
  SECTION("the target 16,777,217 is ignored; the loss is the other row's log 3") {
    const Tensor target = tensor({kAbove, 1}, DType::Int64);
    Tensor loss = nn::cross_entropy(logits, target, nn::Reduction::Mean, kAbove);
    REQUIRE(loss.item() == Approx(std::log(3.0f)).margin(1e-6));
    loss.backward();
    REQUIRE(logits.grad().at(0, 0) == 0.0f);  // the ignored row sends nothing back
    REQUIRE(logits.grad().at(1, 1) == Approx(1.0f / 3 - 1).margin(1e-6));
  }
  SECTION("the neighbour 16,777,216 is not ignored, so it is out of range [0, 3)") {
    const Tensor target = tensor({kAbove - 1, 1}, DType::Int64);
    REQUIRE_THROWS_MATCHES(nn::nll_loss(log_softmax(logits), target, nn::Reduction::Mean, kAbove),
                           IndexError, MessageHas({"target id 16777216 at position 0"}));
  }
}

TEST_CASE("the vocabulary keeps counts, min_count and ids above 2^24 exact",
          "[reliability][int64][text]") {
  const text::TokenCounts counts = {{"a", kAbove}, {"b", kAbove - 1}, {"c", kHuge}};
  SECTION("counts and their total") {
    const auto vocab = text::Vocabulary::build(counts, {.add_unk = false});
    REQUIRE(vocab.tokens() == std::vector<std::string>{"c", "a", "b"});  // by count
    REQUIRE(vocab.count(0) == kHuge);
    REQUIRE(vocab.count(1) == kAbove);
    REQUIRE(vocab.count(2) == kAbove - 1);
    REQUIRE(vocab.total_count() == kHuge + 2 * kAbove - 1);
  }
  SECTION("min_count 16,777,217 keeps a (16,777,217) and drops b (16,777,216)") {
    const auto vocab = text::Vocabulary::build(counts, {.min_count = kAbove});
    REQUIRE(vocab.contains("a"));
    REQUIRE_FALSE(vocab.contains("b"));
    REQUIRE(vocab.count(vocab.unk_id()) == kAbove - 1);  // b's occurrences went to <unk>
  }
  SECTION("ids out of range are named exactly") {
    const auto vocab = text::Vocabulary::build(counts, {.add_unk = false});
    REQUIRE_THROWS_MATCHES(vocab.token(kAbove), IndexError,
                           MessageHas({"id 16777217 out of range [0, 3)"}));
    REQUIRE_THROWS_MATCHES(vocab.count(kHuge), IndexError,
                           MessageHas({"id 1099511627777 out of range [0, 3)"}));
    REQUIRE_THROWS_MATCHES(vocab.keep_probability(kWrapsTo1, 1e-3), IndexError,
                           MessageHas({"id 4294967297 out of range"}));
    const text::UnigramTable table(vocab, 0.75, 100);
    REQUIRE_THROWS_MATCHES(table.probability(kAbove), IndexError,
                           MessageHas({"id 16777217 out of range [0, 3)"}));
  }
}

TEST_CASE("pad_sequences keeps ids and pad_id above 2^24", "[reliability][int64][train]") {
  const std::vector<std::vector<int64_t>> sentences = {{kAbove, 3}, {kHuge}};
  const std::vector<int64_t> picked = {0, 1};
  const Tensor batch = train::pad_sequences(sentences, picked, /*pad_id=*/kWrapsTo1);
  REQUIRE(batch.shape() == Shape{2, 2});
  REQUIRE(batch.id_at(0) == kAbove);
  REQUIRE(batch.id_at(1) == 3);
  REQUIRE(batch.id_at(2) == kHuge);
  REQUIRE(batch.id_at(3) == kWrapsTo1);
}

TEST_CASE("word2vec file headers announcing 16,777,217 words are read exactly",
          "[reliability][int64][io]") {
  SECTION("text format") {
    REQUIRE_THROWS_MATCHES(io::parse_word2vec_text("16777217 1\na 0.5\n", "big.txt"), FormatError,
                           MessageHas({"big.txt", "announces 16777217 words and only 1"}));
    REQUIRE_THROWS_MATCHES(io::parse_word2vec_text("1099511627777 1\na 0.5\n", "big.txt"),
                           FormatError, MessageHas({"announces 1099511627777 words"}));
  }
  SECTION("binary format") {
    std::string file = "16777217 1\na ";
    const float value = 0.5f;
    file.append(reinterpret_cast<const char*>(&value), sizeof(value));
    REQUIRE_THROWS_MATCHES(io::parse_word2vec_binary(test::as_byte_span(file), "big.bin"),
                           FormatError, MessageHas({"big.bin", "announces 16777217 words"}));
  }
}

TEST_CASE("safetensors keeps int64 values and shapes above 2^24 exact",
          "[reliability][int64][io]") {
  test::TempDir dir;
  SECTION("I64 values survive a save and a load") {
    const std::vector<int64_t> ids = {kAbove, kHuge, -kHuge, kWrapsTo1};
    const std::vector<io::ArrayView> arrays = {io::make_array_view("ids", {4}, ids)};
    io::save_safetensors(dir.path("ids.safetensors"), arrays, {{"max_id", "16777217"}});
    const io::SafetensorsFile file = io::load_safetensors(dir.path("ids.safetensors"));
    REQUIRE(io::to_int64_vector(*file.find("ids")) == ids);
    REQUIRE(file.metadata.at("max_id") == "16777217");
  }
  SECTION("a shape of 16,777,217 is named exactly when the data is too short for it") {
    const std::string header = R"({"ids":{"dtype":"I64","shape":[16777217],"data_offsets":[0,8]}})";
    std::string bytes(8, '\0');
    const uint64_t size = header.size();
    for (int i = 0; i < 8; ++i)
      bytes[i] = static_cast<char>((size >> (8 * i)) & 0xff);
    bytes += header + std::string(8, '\0');
    REQUIRE_THROWS_MATCHES(io::load_safetensors_from_bytes(test::as_byte_span(bytes), "s.st"),
                           FormatError, MessageHas({"shape (16777217) of I64 needs 134217736"}));
  }
}

TEST_CASE("an optimiser checkpoint keeps step counts above 2^24 exact",
          "[reliability][int64][optim]") {
  test::TempDir dir;
  Tensor p = zeros({2, 2}).requires_grad_();
  optim::Adam saved({p}, {.lr = 0.1});
  saved.set_step_count(kHuge);
  saved.visit_state([](const std::string& name, Tensor& state, const Shape&) {
    if (name == "steps") state.ids()[0] = kAbove;  // the parameter's own t
  });
  optim::save(saved, dir.path("adam.safetensors"));

  optim::Adam loaded({p}, {.lr = 0.1});
  optim::load(loaded, dir.path("adam.safetensors"));
  REQUIRE(loaded.step_count() == kHuge);
  int64_t param_steps = -1;
  loaded.visit_state([&](const std::string& name, Tensor& state, const Shape&) {
    if (name == "steps") param_steps = state.id_at(0);
  });
  REQUIRE(param_steps == kAbove);
}

TEST_CASE("KeyedVectors: row ids are int64, so 2^32 + 1 is not row 1",
          "[reliability][int64][word2vec]") {
  const word2vec::KeyedVectors kv({"a", "b", "c"}, tensor({{1, 0}, {0.9f, 0.1f}, {0, 1}}));
  // An id beyond the table excludes nothing; truncated to int32 it would exclude row 1 ("b").
  const auto best = kv.most_similar_to_vector(tensor({1, 0}), 1, {kWrapsTo1});
  REQUIRE(best.at(0).first == "a");
  const auto without_a = kv.most_similar_to_vector(tensor({1, 0}), 1, {0, kWrapsTo1});
  REQUIRE(without_a.at(0).first == "b");
  REQUIRE(word2vec::top_words(kv, kHuge).size() == 3);  // every word, not a wrapped count
}

TEST_CASE("printing an int64 tensor shows ids above 2^24 exactly", "[reliability][int64][tensor]") {
  const Tensor ids = tensor({kAbove, kHuge}, DType::Int64);
  REQUIRE_THAT(ids.to_string(), Catch::Contains("16777217") && Catch::Contains("1099511627777"));
}
