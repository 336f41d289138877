// The bad-input catalogue, part 4 of 4: the tools around the core, io/, viz/, train/ and
// word2vec/ (see test_bad_input_catalogue.cpp for the rules and the count).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "io/projector.h"
#include "io/word2vec_format.h"
#include "reliability_test_utils.h"
#include "tensor/creation.h"
#include "tensor/error.h"
#include "train/batches.h"
#include "train/progress.h"
#include "viz/line_plot.h"
#include "viz/scatter_map.h"
#include "word2vec/keyed_vectors.h"
#include "word2vec/word2vec.h"

using namespace embedlab;
using embedlab::test::MessageHas;
using embedlab::test::TempDir;
using embedlab::test::write_file;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

word2vec::KeyedVectors three_words() {
  return word2vec::KeyedVectors({"cat", "dog", "kitty"}, tensor({{1, 0}, {0, 1}, {0.9f, 0.1f}}));
}
}  // namespace

// ---- io/: the word2vec text format and the projector ----

TEST_CASE("a word2vec line with too few values names the line and both counts", "[catalogue][io]") {
  REQUIRE_THROWS_MATCHES(io::parse_word2vec_text("2 2\ncat 1 2\ndog 3\n", "vec.txt"), FormatError,
                         MessageHas({"vec.txt", "line 3", "expected 2 values", "found 1"}));
}

TEST_CASE("a word2vec value that is not a number names the line and the text", "[catalogue][io]") {
  REQUIRE_THROWS_MATCHES(io::parse_word2vec_text("1 2\ncat 1 abc\n", "vec.txt"), FormatError,
                         MessageHas({"line 2", "'abc' is not a number"}));
}

TEST_CASE("a bad word2vec header names line 1 and the header", "[catalogue][io]") {
  REQUIRE_THROWS_MATCHES(io::parse_word2vec_text("three 2\ncat 1 2\n", "vec.txt"), FormatError,
                         MessageHas({"line 1", "bad header \"three 2\""}));
}

TEST_CASE("a word2vec file shorter than its header says names both counts", "[catalogue][io]") {
  REQUIRE_THROWS_MATCHES(io::parse_word2vec_text("3 1\ncat 1\ndog 2\n", "vec.txt"), FormatError,
                         MessageHas({"line 4", "announces 3 words", "only 2"}));
}

TEST_CASE("a repeated word in a word2vec file names both lines", "[catalogue][io]") {
  REQUIRE_THROWS_MATCHES(io::parse_word2vec_text("2 1\ncat 1\ncat 2\n", "vec.txt"), FormatError,
                         MessageHas({"line 3", "\"cat\" already appeared on line 2"}));
}

TEST_CASE("a NaN in a word2vec file names the line and the value", "[catalogue][io]") {
  REQUIRE_THROWS_MATCHES(io::parse_word2vec_text("1 2\ncat nan 1\n", "vec.txt"), FormatError,
                         MessageHas({"line 2", "'nan'", "not finite"}));
}

TEST_CASE("saving word vectors with an infinity names the word, row and column",
          "[catalogue][io]") {
  std::ostringstream out;
  io::WordVectors vectors{{"cat", "dog"}, 2, {1, 2, 3, std::numeric_limits<float>::infinity()}};
  REQUIRE_THROWS_MATCHES(io::write_word2vec_text(out, vectors), ValueError,
                         MessageHas({"\"dog\"", "row 1", "inf", "column 1"}));
}

TEST_CASE("projector files of 1-dimensional vectors name the dimension", "[catalogue][io]") {
  TempDir dir;
  io::WordVectors vectors{{"cat", "dog"}, 1, {1, 2}};
  REQUIRE_THROWS_MATCHES(io::save_projector_files(dir.path("v.tsv"), dir.path("m.tsv"), vectors),
                         ValueError, MessageHas({"dim is 1", "at least 2"}));
}

TEST_CASE("a projector column of the wrong length names it and both counts", "[catalogue][io]") {
  TempDir dir;
  io::WordVectors vectors{{"cat", "dog"}, 2, {1, 2, 3, 4}};
  REQUIRE_THROWS_MATCHES(
      io::save_projector_files(dir.path("v.tsv"), dir.path("m.tsv"), vectors, {{"count", {"7"}}}),
      ValueError, MessageHas({"\"count\"", "1 values for 2 words"}));
}

// ---- viz/ ----

TEST_CASE("a LinePlot series with no points names the series", "[catalogue][viz]") {
  viz::LinePlot plot("Training loss", "step", "loss");
  REQUIRE_THROWS_MATCHES(plot.add_series("train", std::vector<double>{}), ValueError,
                         MessageHas({"\"Training loss\"", "\"train\"", "empty"}));
}

TEST_CASE("a LinePlot series with more xs than ys names both counts", "[catalogue][viz]") {
  viz::LinePlot plot("Training loss", "step", "loss");
  REQUIRE_THROWS_MATCHES(plot.add_series("train", {0, 1, 2}, {2.3, 1.7}), ValueError,
                         MessageHas({"\"train\"", "3 x values", "2 y values"}));
}

TEST_CASE("drawing a LinePlot too small names the size", "[catalogue][viz]") {
  viz::LinePlot plot("Training loss", "step", "loss");
  plot.add_series("train", {2.3, 1.7});
  REQUIRE_THROWS_MATCHES(plot.to_svg(100, 100), ValueError, MessageHas({"100 x 100", "200 x 150"}));
}

TEST_CASE("a ScatterMap point at NaN names its label and coordinates", "[catalogue][viz]") {
  viz::ScatterMap map("Word vectors");
  REQUIRE_THROWS_MATCHES(map.add_point(kNaN, 0.5, "猫"), ValueError,
                         MessageHas({"\"猫\"", "non-finite", "(nan, 0.5)"}));
}

// ---- train/ ----

TEST_CASE("a BatchSampler over 0 examples names the counts", "[catalogue][train]") {
  REQUIRE_THROWS_MATCHES(train::BatchSampler(0, 4, {}), ValueError,
                         MessageHas({"0 examples", "batch_size 4"}));
}

TEST_CASE("a BatchSampler with batch_size 0 names it", "[catalogue][train]") {
  REQUIRE_THROWS_MATCHES(train::BatchSampler(10, 0, {}), ValueError,
                         MessageHas({"10 examples", "batch_size 0"}));
}

TEST_CASE("a batch past the last one names the index and range", "[catalogue][train]") {
  train::BatchSampler sampler(10, 4, {.shuffle = false});
  REQUIRE_THROWS_MATCHES(sampler.batch(3), IndexError, MessageHas({"batch 3", "[0, 3)"}));
}

TEST_CASE("pad_sequences of an index past the data names it and the range", "[catalogue][train]") {
  const std::vector<std::vector<int64_t>> sequences = {{1, 2}, {3}};
  const std::vector<int64_t> picked = {1, 5};
  REQUIRE_THROWS_MATCHES(train::pad_sequences(sequences, picked, 0), IndexError,
                         MessageHas({"index 5", "[0, 2)"}));
}

TEST_CASE("a ProgressBar step past the total names both", "[catalogue][train]") {
  std::ostringstream out;
  train::ProgressOptions options;
  options.mode = train::ProgressMode::kPlain;
  train::ProgressBar bar(10, "train", out, options);
  REQUIRE_THROWS_MATCHES(bar.update(11), ValueError,
                         MessageHas({"\"train\"", "step 11", "[0, 10]"}));
}

// ---- word2vec/ ----

TEST_CASE("similarity of an unknown word names it and suggests a spelling",
          "[catalogue][word2vec]") {
  const word2vec::KeyedVectors kv = three_words();
  REQUIRE_THROWS_MATCHES(kv.similarity("cat", "kity"), IndexError,
                         MessageHas({"\"kity\"", "3 words", "did you mean \"kitty\""}));
}

TEST_CASE("a trained Word2Vec asked about an unknown word names it", "[catalogue][word2vec]") {
  TempDir dir;
  const std::string path = dir.path("corpus.txt");
  std::string corpus;
  for (int i = 0; i < 20; ++i)
    corpus += "the cat sat on the mat\nthe dog sat on the log\n";
  write_file(path, corpus);
  word2vec::Word2VecOptions options;
  options.dim = 4;
  options.window = 2;
  options.min_count = 1;
  options.sample = 0.0;
  options.epochs = 1;
  word2vec::Word2Vec model(options);
  model.train(path);
  REQUIRE_THROWS_MATCHES(model.similarity("cat", "cst"), IndexError,
                         MessageHas({"\"cst\"", "did you mean \"cat\""}));
}

TEST_CASE("Word2Vec with dim 0 names the option", "[catalogue][word2vec]") {
  word2vec::Word2VecOptions options;
  options.dim = 0;
  REQUIRE_THROWS_MATCHES(word2vec::Word2Vec(options), ValueError,
                         MessageHas({"dim must be at least 1, got 0"}));
}

TEST_CASE("Word2Vec on an empty corpus names the file", "[catalogue][word2vec]") {
  TempDir dir;
  const std::string path = dir.path("empty.txt");
  write_file(path, "\n  \n");
  word2vec::Word2VecOptions options;
  options.dim = 4;
  options.min_count = 1;
  word2vec::Word2Vec model(options);
  REQUIRE_THROWS_MATCHES(model.train(path), ValueError, MessageHas({path, "no words"}));
  REQUIRE_FALSE(model.trained());
}
