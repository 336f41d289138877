// The bad-input catalogue, part 3 of 4: module and optimiser checkpoints, and text/ (see
// test_bad_input_catalogue.cpp for the rules and the count). Checkpoint cases also check that
// a refused load leaves the model or optimiser as it was.
#include <catch2/catch.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "autograd/ops.h"
#include "io/safetensors.h"
#include "nn/checkpoint.h"
#include "nn/embedding.h"
#include "nn/linear.h"
#include "optim/adam.h"
#include "optim/checkpoint.h"
#include "optim/sgd.h"
#include "reliability_test_utils.h"
#include "tensor/creation.h"
#include "tensor/error.h"
#include "text/corpus.h"
#include "text/tokenizer.h"
#include "text/vocabulary.h"

using namespace embedlab;
using embedlab::test::MessageHas;
using embedlab::test::TempDir;
using embedlab::test::write_file;

namespace {
// One Adam step on sum(w^2) for each parameter, so the optimiser has state to save.
void adam_step(optim::Adam& adam) {
  for (const Tensor& w : adam.params())
    sum(w * w).backward();
  adam.step();
  adam.zero_grad();
}
}  // namespace

// ---- nn::load ----

TEST_CASE("loading a module checkpoint with a missing key names the key",
          "[catalogue][checkpoint]") {
  TempDir dir;
  nn::Linear without_bias(4, 2, false);
  nn::save(without_bias, dir.path("fc.safetensors"));
  nn::Linear with_bias(4, 2);
  REQUIRE_THROWS_MATCHES(nn::load(with_bias, dir.path("fc.safetensors")), ValueError,
                         MessageHas({"missing key \"bias\""}));
}

TEST_CASE("loading a module checkpoint with an extra key (strict) names the key",
          "[catalogue][checkpoint]") {
  TempDir dir;
  nn::Linear with_bias(4, 2);
  nn::save(with_bias, dir.path("fc.safetensors"));
  nn::Linear without_bias(4, 2, false);
  REQUIRE_THROWS_MATCHES(nn::load(without_bias, dir.path("fc.safetensors")), ValueError,
                         MessageHas({"unexpected key \"bias\""}));
  REQUIRE_NOTHROW(nn::load(without_bias, dir.path("fc.safetensors"), /*strict=*/false));
}

TEST_CASE("loading a mis-shaped module checkpoint names the key and both shapes",
          "[catalogue][checkpoint]") {
  TempDir dir;
  nn::Embedding small(10, 4);
  nn::save(small, dir.path("embed.safetensors"));
  nn::Embedding large(12, 4);
  const float before = large.weight.at(0);
  REQUIRE_THROWS_MATCHES(nn::load(large, dir.path("embed.safetensors")), ValueError,
                         MessageHas({"\"weight\"", "(10, 4) in the file", "(12, 4) expected"}));
  REQUIRE(large.weight.at(0) == before);
}

TEST_CASE("loading a truncated checkpoint names the file and the sizes",
          "[catalogue][checkpoint]") {
  TempDir dir;
  const std::string path = dir.path("embed.safetensors");
  nn::Embedding embed(10, 4);
  nn::save(embed, path);
  const std::string bytes = test::read_file(path);
  write_file(path, bytes.substr(0, bytes.size() - 40));
  REQUIRE_THROWS_MATCHES(nn::load(embed, path), FormatError,
                         MessageHas({path, "truncated", "\"weight\"", "ends at byte 160"}));
}

TEST_CASE("loading a garbage checkpoint names the file and the bad header size",
          "[catalogue][checkpoint]") {
  TempDir dir;
  const std::string path = dir.path("notes.safetensors");
  write_file(path, "this is not a checkpoint, just some notes\n");
  nn::Linear fc(4, 2);
  REQUIRE_THROWS_MATCHES(nn::load(fc, path), FormatError, MessageHas({path, "header size"}));
}

TEST_CASE("loading a 3-byte checkpoint names its size", "[catalogue][checkpoint]") {
  TempDir dir;
  const std::string path = dir.path("tiny.safetensors");
  write_file(path, "abc");
  nn::Linear fc(4, 2);
  REQUIRE_THROWS_MATCHES(nn::load(fc, path), FormatError, MessageHas({path, "has 3 bytes"}));
}

TEST_CASE("loading a missing checkpoint file names the path", "[catalogue][checkpoint]") {
  TempDir dir;
  const std::string path = dir.path("never_saved.safetensors");
  nn::Linear fc(4, 2);
  REQUIRE_THROWS_MATCHES(nn::load(fc, path), IOError, MessageHas({path, "cannot open"}));
}

TEST_CASE("loading a directory as a checkpoint names the path", "[catalogue][checkpoint]") {
  TempDir dir;
  nn::Linear fc(4, 2);
  REQUIRE_THROWS_MATCHES(nn::load(fc, dir.path("")), IOError, MessageHas({"is a directory"}));
}

// ---- optim::load ----

TEST_CASE("loading another optimiser's checkpoint names both optimisers",
          "[catalogue][checkpoint][optim]") {
  TempDir dir;
  Tensor w = tensor({1, 2}).requires_grad_();
  optim::SGD sgd({w}, {.lr = 0.1, .momentum = 0.9});
  optim::save(sgd, dir.path("opt.safetensors"));
  optim::Adam adam({w});
  REQUIRE_THROWS_MATCHES(optim::load(adam, dir.path("opt.safetensors")), ValueError,
                         MessageHas({"saved by SGD over 1 parameters", "into Adam over 1"}));
}

TEST_CASE("loading an optimiser checkpoint over another parameter count names both counts",
          "[catalogue][checkpoint][optim]") {
  TempDir dir;
  optim::Adam two({tensor({1, 2}).requires_grad_(), tensor({3}).requires_grad_()});
  optim::save(two, dir.path("opt.safetensors"));
  optim::Adam one({tensor({1, 2}).requires_grad_()});
  REQUIRE_THROWS_MATCHES(optim::load(one, dir.path("opt.safetensors")), ValueError,
                         MessageHas({"Adam over 2 parameters", "Adam over 1"}));
}

TEST_CASE("an optimiser checkpoint with a NaN learning rate is refused before any change",
          "[catalogue][checkpoint][optim]") {
  TempDir dir;
  const std::string path = dir.path("opt.safetensors");
  optim::Adam trained({tensor({1, 2}).requires_grad_()}, {.lr = 0.1});
  adam_step(trained);
  optim::save(trained, path);
  // Rewrite the file with its lr metadata corrupted to "nan".
  io::SafetensorsFile file = io::load_safetensors(path);
  std::vector<io::ArrayView> views;
  for (const io::NamedArray& array : file.arrays) {
    views.push_back(
        {array.name, array.dtype, array.shape, std::span<const std::byte>(array.bytes)});
  }
  file.metadata["lr"] = "nan";
  io::save_safetensors(path, views, file.metadata);

  optim::Adam fresh({tensor({1, 2}).requires_grad_()}, {.lr = 0.5});
  REQUIRE_THROWS_MATCHES(optim::load(fresh, path), FormatError, MessageHas({path, "lr", "nan"}));
  REQUIRE(fresh.lr() == Approx(0.5).margin(0.0));
  REQUIRE_FALSE(fresh.exp_avg(0).defined());
  REQUIRE(fresh.step_count() == 0);
}

// ---- text/ ----

TEST_CASE("a vocabulary built from no tokens says the corpus is empty", "[catalogue][text]") {
  REQUIRE_THROWS_MATCHES(text::Vocabulary::build(std::vector<std::string>{}), ValueError,
                         MessageHas({"empty", "0 distinct tokens", "min_count 1"}));
}

TEST_CASE("a min_count no token reaches names it and the most frequent token",
          "[catalogue][text]") {
  const std::vector<std::string> tokens = {"the", "cat", "the"};
  REQUIRE_THROWS_MATCHES(text::Vocabulary::build(tokens, {.min_count = 5}), ValueError,
                         MessageHas({"min_count 5", "2 distinct tokens", "\"the\"", "2 times"}));
}

TEST_CASE("a negative min_count names it", "[catalogue][text]") {
  const std::vector<std::string> tokens = {"the"};
  REQUIRE_THROWS_MATCHES(text::Vocabulary::build(tokens, {.min_count = -1}), ValueError,
                         MessageHas({"min_count must be >= 0, got -1"}));
}

TEST_CASE("an unknown word names it and suggests a close spelling", "[catalogue][text]") {
  auto vocab = text::Vocabulary::build(text::tokenize("happy sad glad happy"));
  REQUIRE_THROWS_MATCHES(vocab.id("hapy"), IndexError,
                         MessageHas({"\"hapy\"", "not found", "did you mean \"happy\""}));
}

TEST_CASE("a token id past the vocabulary names it and the range", "[catalogue][text]") {
  auto vocab = text::Vocabulary::build(text::tokenize("happy sad glad"));
  REQUIRE_THROWS_MATCHES(vocab.token(99), IndexError, MessageHas({"id 99", "[0, 4)"}));
}

TEST_CASE("id_or_unk of an unknown word without <unk> names the word", "[catalogue][text]") {
  auto vocab = text::Vocabulary::build(text::tokenize("happy sad"), {.add_unk = false});
  REQUIRE_THROWS_MATCHES(vocab.id_or_unk("zebra"), ValueError,
                         MessageHas({"\"zebra\"", "add_unk"}));
}

TEST_CASE("a NaN subsampling rate names it", "[catalogue][text]") {
  auto vocab = text::Vocabulary::build(text::tokenize("happy sad"));
  REQUIRE_THROWS_MATCHES(vocab.keep_probability(1, std::nan("")), ValueError,
                         MessageHas({"subsampling rate", "nan"}));
}

TEST_CASE("a unigram table of size 0 names the size", "[catalogue][text]") {
  auto vocab = text::Vocabulary::build(text::tokenize("happy sad"));
  REQUIRE_THROWS_MATCHES(text::UnigramTable(vocab, 0.75, 0), ValueError,
                         MessageHas({"table_size", "got 0"}));
}

TEST_CASE("an invalid UTF-8 byte names its byte offset", "[catalogue][text]") {
  REQUIRE_THROWS_MATCHES(text::tokenize("ab\xFF"
                                        "cd"),
                         FormatError, MessageHas({"invalid UTF-8 at byte 2", "FF"}));
}

TEST_CASE("a truncated UTF-8 sequence names its byte offset", "[catalogue][text]") {
  // 我 is E6 88 91; the text ends after its first two bytes.
  REQUIRE_THROWS_MATCHES(text::tokenize("ok \xE6\x88"), FormatError,
                         MessageHas({"byte 3", "truncated", "E6 88"}));
}

TEST_CASE("a missing corpus file names the path", "[catalogue][text]") {
  TempDir dir;
  const std::string path = dir.path("no_such_corpus.txt");
  REQUIRE_THROWS_MATCHES(text::CorpusReader(path), IOError, MessageHas({path, "cannot open"}));
}

TEST_CASE("invalid UTF-8 in a corpus file names the file, line and byte", "[catalogue][text]") {
  TempDir dir;
  const std::string path = dir.path("corpus.txt");
  write_file(path, "good line\nbad \xFF line\n");  // the 0xFF is byte 14 of the file
  REQUIRE_THROWS_MATCHES(text::count_tokens(path), FormatError,
                         MessageHas({path, "line 2", "byte 14"}));
}
