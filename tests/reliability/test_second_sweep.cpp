// The bad-input catalogue, second sweep: training on nothing, silent no-ops, parsers that must
// stay linear, extreme sizes, checkpoint fields, allocation failures that must name the call,
// and option checks found by the sweep. File errors and file names near NAME_MAX are in
// test_second_sweep_files.cpp; threads and lifetimes in test_threads_and_lifetimes.cpp. Each
// kind of bad input has its own section below.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "embedlab.h"
#include "io/safetensors.h"
#include "io/safetensors_header.h"
#include "io/word2vec_binary.h"
#include "io/word2vec_format.h"
#include "optim/checkpoint.h"
#include "reliability_test_utils.h"
#include "text/corpus.h"
#include "text/vocabulary.h"
#include "train/batches.h"
#include "word2vec/pca.h"
#include "word2vec/word2vec.h"

using namespace embedlab;
using embedlab::test::MessageHas;
using embedlab::test::TempDir;
using embedlab::test::write_file;

namespace {
constexpr int64_t kHuge = int64_t{1} << 32;
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

// One Adam step on sum(w^2), so the optimiser has moments and step counts to save.
void adam_step(optim::Adam& adam) {
  for (const Tensor& w : adam.params())
    sum(w * w).backward();
  adam.step();
  adam.zero_grad();
}

// Word2Vec options for a tiny run (designated initializers would have to name every field).
word2vec::Word2VecOptions tiny_options(int64_t min_count, int64_t epochs, double sample = 1e-3) {
  word2vec::Word2VecOptions options;
  options.dim = 4;
  options.min_count = min_count;
  options.epochs = epochs;
  options.sample = sample;
  return options;
}

// The default options with one field changed by `change`.
template <typename Change>
word2vec::Word2VecOptions options_with(Change change) {
  word2vec::Word2VecOptions options;
  change(options);
  return options;
}

// Saves `file` again with one metadata value or one array changed, and returns its path.
std::string rewritten(const io::SafetensorsFile& file, const std::string& path,
                      const std::map<std::string, std::string>& metadata) {
  std::vector<io::ArrayView> views;
  for (const io::NamedArray& array : file.arrays)
    views.push_back({array.name, array.dtype, array.shape, array.bytes});
  io::save_safetensors(path, views, metadata);
  return path;
}
}  // namespace

// ---- training on nothing ----

TEST_CASE("word2vec on sentences of one word is an error that says no pair fits the window",
          "[catalogue][word2vec][class3]") {
  TempDir dir;
  write_file(dir.path("one_word.txt"), "happy\nsad\nhappy\nsad\nhappy\n");
  word2vec::Word2Vec model(tiny_options(1, 2));
  REQUIRE_THROWS_MATCHES(model.train(dir.path("one_word.txt")), ValueError,
                         MessageHas({"no training examples", "one_word.txt", "10 words were read",
                                     "window", "min_count (1, 2 words"}));
  REQUIRE_FALSE(model.trained());  // no random vectors handed out as if trained
}

TEST_CASE("word2vec where min_count leaves one word per sentence says so",
          "[catalogue][word2vec][class3]") {
  // "the" occurs 4 times and survives min_count 3; every other word occurs once: each
  // sentence keeps one word, so no (centre, context) pair exists.
  TempDir dir;
  write_file(dir.path("rare.txt"), "the cat\nthe dog\nthe owl\nthe fox\n");
  word2vec::Word2Vec model(tiny_options(3, 1, 0.0));
  REQUIRE_THROWS_MATCHES(model.train(dir.path("rare.txt")), ValueError,
                         MessageHas({"no training examples", "min_count (3, 1 words"}));
}

TEST_CASE("word2vec refuses a corpus that is a pipe, which it could read only once",
          "[catalogue][word2vec][class3]") {
  TempDir dir;
  const std::string fifo = dir.path("corpus.fifo");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  word2vec::Word2Vec model(tiny_options(1, 5));
  REQUIRE_THROWS_MATCHES(
      model.train(fifo), ValueError,
      MessageHas({"corpus.fifo", "not a regular file", "read only once", "1 + epochs times"}));
}

TEST_CASE("CorpusReader refuses a second pass over a pipe instead of reading nothing",
          "[catalogue][text][class3]") {
  // /dev/null is a character device: like a pipe, it is not a file that can be re-read.
  text::CorpusReader reader("/dev/null");
  int64_t sentences = 0;
  reader.for_each_sentence([&](const std::vector<std::string>&) { ++sentences; });
  REQUIRE(sentences == 0);
  REQUIRE_THROWS_MATCHES(reader.for_each_sentence([](const std::vector<std::string>&) {}), IOError,
                         MessageHas({"/dev/null", "not a regular file", "cannot be read twice"}));
}

// ---- silent no-ops ----

TEST_CASE("an optimiser given a non-leaf tensor refuses it, as PyTorch does",
          "[catalogue][optim][class4]") {
  Tensor w = ones({3}).requires_grad_();
  Tensor doubled = w * 2.0f;
  REQUIRE_THROWS_MATCHES(
      (optim::SGD({doubled}, {.lr = 0.1})), ValueError,
      MessageHas({"SGD", "parameter 0", "not a leaf", "can't optimize a non-leaf tensor"}));
  REQUIRE_THROWS_MATCHES((optim::Adam({w, doubled})), ValueError,
                         MessageHas({"Adam", "parameter 1", "not a leaf"}));
}

TEST_CASE("an optimiser over tensors none of which requires grad says it would do nothing",
          "[catalogue][optim][class4]") {
  REQUIRE_THROWS_MATCHES((optim::SGD({zeros({2}), zeros({3})}, {.lr = 0.1})), ValueError,
                         MessageHas({"SGD", "none of the 2 parameters requires grad"}));
  // One trainable tensor among frozen ones is fine: a partly frozen model.
  Tensor trainable = zeros({2}).requires_grad_();
  REQUIRE_NOTHROW(optim::SGD({zeros({3}), trainable}, {.lr = 0.1}));
}

TEST_CASE("a negative or NaN max_norm, which flipped or skipped rows, is refused",
          "[catalogue][nn][class4]") {
  REQUIRE_THROWS_MATCHES(nn::Embedding(4, 2, {.max_norm = -1.0f}), ValueError,
                         MessageHas({"Embedding", "max_norm", "-1"}));
  REQUIRE_THROWS_MATCHES(nn::Embedding(4, 2, {.max_norm = std::numeric_limits<float>::quiet_NaN()}),
                         ValueError, MessageHas({"Embedding", "max_norm", "nan"}));
  REQUIRE_THROWS_MATCHES(nn::EmbeddingBag(4, 2, {.max_norm = 0.0f}), ValueError,
                         MessageHas({"EmbeddingBag", "max_norm", "0"}));
  Tensor weight = ones({2, 2});
  REQUIRE_THROWS_MATCHES(embedding_renorm_(weight, from_ids({0}, Shape{1}), -2.0f, 2.0f),
                         ValueError, MessageHas({"embedding_renorm_", "max_norm", "-2"}));
  REQUIRE(weight.data()[0] == 1.0f);  // untouched
}

TEST_CASE("a norm_type that is not positive is refused; infinity means the largest |x|",
          "[catalogue][nn][class4]") {
  REQUIRE_THROWS_MATCHES(nn::Embedding(4, 2, {.max_norm = 1.0f, .norm_type = 0.0f}), ValueError,
                         MessageHas({"Embedding", "norm_type", "0"}));
  REQUIRE_THROWS_MATCHES(
      nn::Embedding(4, 2, {.max_norm = 1.0f, .norm_type = std::numeric_limits<float>::quiet_NaN()}),
      ValueError, MessageHas({"norm_type", "nan"}));
  // Row (3, -4) has inf-norm 4: renormed to max_norm 2 it becomes (1.5, -2) (x 2 / 4, less
  // PyTorch's 1e-7 in the denominator).
  Tensor weight = from_vector({3.0f, -4.0f, 0.5f, 0.5f}, Shape{2, 2});
  embedding_renorm_(weight, from_ids({0, 1}, Shape{2}), 2.0f,
                    std::numeric_limits<float>::infinity());
  REQUIRE(weight.data()[0] == Approx(1.5f));
  REQUIRE(weight.data()[1] == Approx(-2.0f));
  REQUIRE(weight.data()[2] == 0.5f);  // inf-norm 0.5 <= 2: left alone
}

// ---- parsers linear in their input ----

TEST_CASE("a safetensors header of 20,000 tiny entries loads, and every key is found",
          "[catalogue][io][class5]") {
  // nlohmann's parser callback rescanned the parent object at every object end, so this
  // header took about 9 s of CPU (100,000 entries: minutes); the check pass is linear now.
  // (No timing here: tests/fuzz runs the loaders with -timeout.)
  constexpr int kEntries = 20000;
  std::string header = "{";
  for (int i = 0; i < kEntries; ++i) {
    header += fmt::format("{}\"t{}\":{{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[{},{}]}}",
                          i ? "," : "", i, 4 * i, 4 * i + 4);
  }
  header += "}";
  header.append((8 - header.size() % 8) % 8, ' ');
  std::string bytes(8, '\0');
  for (int i = 0; i < 8; ++i)
    bytes[i] = static_cast<char>((header.size() >> (8 * i)) & 0xff);
  bytes += header;
  bytes.append(4 * kEntries, '\0');
  const io::SafetensorsFile file =
      io::load_safetensors_from_bytes(test::as_byte_span(bytes), "many.safetensors");
  REQUIRE(file.arrays.size() == kEntries);
  REQUIRE(file.find("t0") != nullptr);
  REQUIRE(file.find("t19999")->shape == std::vector<int64_t>{1});
  REQUIRE(file.find("t20000") == nullptr);
}

TEST_CASE("a safetensors header with a duplicate key deep in a long header names the key",
          "[catalogue][io][class5]") {
  std::string header = R"({"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},)"
                       R"("b":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},)"
                       R"("a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}})";
  REQUIRE_THROWS_MATCHES(io::parse_safetensors_header(header, 0, "dup.safetensors"), FormatError,
                         MessageHas({"dup.safetensors", "duplicate key \"a\""}));
}

// ---- sizes at the extremes ----

TEST_CASE("a shape of 2^32 x 2^32 elements is refused before any product overflows",
          "[catalogue][tensor][class6]") {
  REQUIRE_THROWS_MATCHES((Shape{kHuge, kHuge}), ShapeError,
                         MessageHas({"(4294967296, 4294967296)", "overflows int64"}));
  REQUIRE_THROWS_MATCHES(zeros({kInt64Max, 2}), ShapeError, MessageHas({"overflows int64"}));
  REQUIRE_THROWS_MATCHES(nn::Embedding(kHuge, kHuge), ShapeError,
                         MessageHas({"Embedding(4294967296, 4294967296)", "overflows int64"}));
  REQUIRE_THROWS_MATCHES(nn::Linear(kHuge, kHuge), ShapeError,
                         MessageHas({"Linear(4294967296, 4294967296)", "overflows int64"}));
}

TEST_CASE("randint over the widest int64 range draws without overflowing high - low",
          "[catalogue][tensor][class6]") {
  Generator generator(1);
  const int64_t low = std::numeric_limits<int64_t>::min();
  for (int i = 0; i < 100; ++i) {
    const int64_t value = generator.integer(low, kInt64Max);
    REQUIRE(value < kInt64Max);
  }
  REQUIRE(generator.integer(kInt64Max - 1, kInt64Max) == kInt64Max - 1);
}

TEST_CASE("word2vec options far past any useful value are refused before any count overflows",
          "[catalogue][word2vec][class6]") {
  using word2vec::check_options;
  REQUIRE_THROWS_MATCHES(check_options(options_with([](auto& o) { o.negative = kInt64Max; })),
                         ValueError,
                         MessageHas({"negative", "at most 1000", "9223372036854775807"}));
  REQUIRE_THROWS_MATCHES(check_options(options_with([](auto& o) { o.window = kHuge; })), ValueError,
                         MessageHas({"window", "at most 10000", "longest sentence"}));
  REQUIRE_THROWS_MATCHES(check_options(options_with([](auto& o) { o.epochs = kInt64Max; })),
                         ValueError, MessageHas({"epochs", "at most 1000000"}));
  REQUIRE_THROWS_MATCHES(check_options(options_with([](auto& o) { o.batch_pairs = kHuge; })),
                         ValueError, MessageHas({"batch_pairs", "at most 16777216"}));
  REQUIRE_THROWS_MATCHES(check_options(options_with([](auto& o) { o.dim = kHuge; })), ValueError,
                         MessageHas({"dim", "at most 1048576"}));
}

TEST_CASE("word2vec file headers announcing 2^62 words of 2^62 values do not overflow",
          "[catalogue][io][class6]") {
  const std::string huge = "4611686018427387904 4611686018427387904\n";
  REQUIRE_THROWS_MATCHES(io::parse_word2vec_text(huge + "a 1\n", "huge.txt"), FormatError,
                         MessageHas({"huge.txt"}));
  REQUIRE_THROWS_MATCHES(io::parse_word2vec_binary(test::as_byte_span(huge + "a "), "huge.bin"),
                         FormatError, MessageHas({"huge.bin"}));
}

// ---- checkpoint fields ----

TEST_CASE("an optimiser checkpoint with a negative per-parameter step count is refused",
          "[catalogue][optim][class9]") {
  TempDir dir;
  Tensor w = ones({2}).requires_grad_();
  optim::Adam adam({w}, {.lr = 0.1});
  adam_step(adam);
  optim::save(adam, dir.path("adam.st"));
  io::SafetensorsFile file = io::load_safetensors(dir.path("adam.st"));
  io::NamedArray* steps = const_cast<io::NamedArray*>(file.find("steps"));
  const int64_t negative = -5;
  std::memcpy(steps->bytes.data(), &negative, sizeof(negative));
  rewritten(file, dir.path("bad.st"), file.metadata);
  const std::vector<float> before(w.data().begin(), w.data().end());
  REQUIRE_THROWS_MATCHES(optim::load(adam, dir.path("bad.st")), FormatError,
                         MessageHas({"bad.st", "'steps' [0] = -5", "[0, 1]"}));
  adam_step(adam);  // the state was not touched: the next step is a normal second step
  REQUIRE(std::isfinite(w.data()[0]));
  REQUIRE(w.data()[0] < before[0]);
  REQUIRE(adam.step_count() == 2);
}

TEST_CASE("an optimiser checkpoint with a negative or NaN second moment is refused",
          "[catalogue][optim][class9]") {
  TempDir dir;
  Tensor w = ones({2}).requires_grad_();
  optim::Adam adam({w});
  adam_step(adam);
  optim::save(adam, dir.path("adam.st"));
  io::SafetensorsFile file = io::load_safetensors(dir.path("adam.st"));
  auto* moment = const_cast<io::NamedArray*>(file.find("0.exp_avg_sq"));
  const float negative = -1.0f;
  std::memcpy(moment->bytes.data() + 4, &negative, sizeof(negative));
  rewritten(file, dir.path("negative.st"), file.metadata);
  REQUIRE_THROWS_MATCHES(optim::load(adam, dir.path("negative.st")), FormatError,
                         MessageHas({"'0.exp_avg_sq' element 1 is -1", ">= 0"}));
  const float nan = std::numeric_limits<float>::quiet_NaN();
  auto* average = const_cast<io::NamedArray*>(file.find("0.exp_avg"));
  std::memcpy(moment->bytes.data() + 4, &nan, sizeof(nan));
  std::memcpy(average->bytes.data(), &nan, sizeof(nan));
  rewritten(file, dir.path("nan.st"), file.metadata);
  REQUIRE_THROWS_MATCHES(optim::load(adam, dir.path("nan.st")), FormatError,
                         MessageHas({"'0.exp_avg' element 0 is nan", "finite"}));
}

TEST_CASE("optimiser checkpoint numbers must be whole numbers, not a prefix of the text",
          "[catalogue][optim][class9]") {
  TempDir dir;
  Tensor w = ones({2}).requires_grad_();
  optim::SGD sgd({w}, {.lr = 0.5});
  optim::save(sgd, dir.path("sgd.st"));
  const io::SafetensorsFile file = io::load_safetensors(dir.path("sgd.st"));
  const auto with = [&](const std::string& key, const std::string& value) {
    std::map<std::string, std::string> metadata = file.metadata;
    metadata[key] = value;
    return rewritten(file, dir.path("bad.st"), metadata);
  };
  optim::SGD other({ones({2}).requires_grad_()}, {.lr = 0.25});
  REQUIRE_THROWS_MATCHES(optim::load(other, with("lr", "0.1abc")), FormatError,
                         MessageHas({"metadata 'lr' is \"0.1abc\", not a number"}));
  REQUIRE_THROWS_MATCHES(optim::load(other, with("step_count", "7 steps")), FormatError,
                         MessageHas({"'step_count' is \"7 steps\", not an integer"}));
  REQUIRE_THROWS_MATCHES(optim::load(other, with("step_count", " 7")), FormatError,
                         MessageHas({"not an integer"}));
  REQUIRE_THROWS_MATCHES(optim::load(other, with("step_count", "-3")), FormatError,
                         MessageHas({"step_count -3", "out of range"}));
  REQUIRE(other.lr() == 0.25);  // nothing changed
  REQUIRE(other.step_count() == 0);
  REQUIRE_THROWS_MATCHES(other.set_step_count(-1), ValueError,
                         MessageHas({"SGD", "step count -1", ">= 0"}));
}

// ---- allocation failures name the call and the size ----

TEST_CASE("an embedding too large for memory names the layer and the size",
          "[catalogue][nn][class11]") {
  // 2^31 x 2^29 floats = 4 EiB: the count fits int64, the bytes do not fit any machine.
  if (test::kAllocationFailureAborts) return;
  REQUIRE_THROWS_MATCHES(nn::Embedding(int64_t{1} << 31, int64_t{1} << 29), ValueError,
                         MessageHas({"Embedding(2147483648, 536870912)", "tensor of shape"}));
}

TEST_CASE("helpers that allocate from a count say so when it cannot be allocated",
          "[catalogue][class11]") {
  REQUIRE_THROWS_MATCHES(
      train::BatchSampler(int64_t{1} << 61, 4, {}), ValueError,
      MessageHas({"BatchSampler", "cannot allocate", "2305843009213693952 examples"}));
  text::CorpusReader reader(EMBEDLAB_SOURCE_DIR "/data/feelings_corpus.txt");
  REQUIRE_THROWS_MATCHES(reader.set_block_size(std::size_t{1} << 40), ValueError,
                         MessageHas({"block_size", "1099511627776"}));
  // A (2, 2^22) matrix is 32 MiB, its 2^22 x 2^22 covariance 128 TiB.
  if (test::kAllocationFailureAborts) return;
  REQUIRE_THROWS_MATCHES(word2vec::pca(zeros({2, int64_t{1} << 22}), 2), ValueError,
                         MessageHas({"pca", "4194304 x 4194304 covariance"}));
}

// ---- the sweep: module graphs, numerics at the edges ----

TEST_CASE("a module that would contain itself is refused instead of recursing forever",
          "[catalogue][nn][sweep]") {
  auto outer = std::make_shared<nn::Sequential>();
  auto inner = outer->push_back("inner", std::make_shared<nn::Sequential>());
  inner->push_back("linear", std::make_shared<nn::Linear>(2, 2));
  REQUIRE_THROWS_MATCHES(outer->push_back("self", outer), ValueError,
                         MessageHas({"Sequential::register_module", "'self'", "contain itself"}));
  REQUIRE_THROWS_MATCHES(inner->push_back("loop", outer), ValueError,
                         MessageHas({"'loop'", "contain itself"}));
  // Sharing one layer in two places is allowed (its parameters are listed once).
  auto shared = std::make_shared<nn::Linear>(2, 2);
  outer->push_back("a", shared);
  inner->push_back("b", shared);
  REQUIRE(outer->parameters().size() == 4);  // inner.linear (w, b) and the shared layer (w, b)
}

TEST_CASE("gradients of powers at 0 follow PyTorch: 0 for x^2 and x^3, 1 for x^1",
          "[catalogue][autograd][sweep]") {
  // d/dx x^p = p x^(p-1): at x = 0 that is 0 for p = 2 and 3, and 1 for p = 1.
  // (p = 0 gives NaN, 0 x 0^-1, where PyTorch gives 0: autograd/ belongs to the engine work,
  // reported there.)
  for (const auto& [exponent, expected] :
       std::vector<std::pair<float, float>>{{2.0f, 0.0f}, {1.0f, 1.0f}, {3.0f, 0.0f}}) {
    Tensor x = zeros({1}).requires_grad_();
    sum(pow(x, exponent)).backward();
    INFO("exponent " << exponent);
    REQUIRE(x.grad().data()[0] == expected);
  }
}

TEST_CASE("a sum of float values of mixed magnitude keeps the small ones",
          "[catalogue][autograd][sweep]") {
  // In float, 1e8 + 1 rounds to 1e8 (spacing 8 there), so a float accumulator gives 0 for
  // 1e8 + 1 - 1e8; the sum accumulates in double and gives 1.
  Tensor x = from_vector({1e8f, 1.0f, -1e8f}, Shape{3});
  REQUIRE(sum(x).item<float>() == 1.0f);
  REQUIRE(mean(x).item<float>() == Approx(1.0f / 3.0f));
}

TEST_CASE("a negative max_length, which meant no limit without a word, is refused",
          "[catalogue][train][sweep]") {
  const std::vector<std::vector<int64_t>> sequences = {{1, 2, 3}, {4}};
  const std::vector<int64_t> picked = {0, 1};
  REQUIRE_THROWS_MATCHES(train::pad_sequences(sequences, picked, 0, -2), ValueError,
                         MessageHas({"pad_sequences", "max_length", "-2"}));
  REQUIRE(train::pad_sequences(sequences, picked, 0, 2).shape() == Shape{2, 2});
}

TEST_CASE("a batch size near INT64_MAX gives one batch instead of an overflowing count",
          "[catalogue][train][class6]") {
  train::BatchSampler sampler(5, kInt64Max, {.shuffle = false});
  REQUIRE(sampler.num_batches() == 1);
  REQUIRE(sampler.batch(0).size() == 5);
  train::BatchSampler dropping(5, kInt64Max, {.shuffle = false, .drop_last = true});
  REQUIRE(dropping.num_batches() == 0);
  train::BatchSampler three(7, 3, {.shuffle = false});
  REQUIRE(three.num_batches() == 3);  // 3 + 3 + 1
}
