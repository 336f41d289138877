// bench_word2vec: how fast word2vec trains. One training step (sgns_loss, backward, lazy SGD,
// zero_grad) at several batch sizes reports pairs/s; a whole epoch of Word2Vec::train on a
// synthetic corpus reports words/s, the number to hold against gensim (see
// scripts/compare_gensim.py for the side-by-side run on a real corpus).
//
// Run it from a Release build:
//   cmake --preset release && cmake --build --preset release --target bench_word2vec &&
//   ./build/release/bench/bench_word2vec --benchmark_min_time=0.5
//
// The synthetic corpus: 200,000 words drawn from a Zipf law over 10,000 word types (the shape
// of real text: a few very frequent words, a long tail), in sentences of 5 to 30 words, fixed
// seed. Left out: reading a corpus from the repository (the program needs no data files).
#include <benchmark/benchmark.h>

#include <unistd.h>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "embedlab.h"
#include "word2vec/sgns_op.h"
#include "word2vec/word2vec.h"

namespace {

using embedlab::Generator;
using embedlab::Shape;
using embedlab::Tensor;

constexpr int64_t kV = 10'000, kD = 100, kNegative = 5;

// Word ids drawn from a Zipf law, p(rank r) ~ 1 / r, by inverting its cumulative table.
std::vector<int64_t> zipf_ids(int64_t count, Generator& generator) {
  std::vector<double> cumulative(kV);
  double total = 0.0;
  for (int64_t r = 0; r < kV; ++r) {
    total += 1.0 / static_cast<double>(r + 1);
    cumulative[r] = total;
  }
  std::vector<int64_t> ids(count);
  for (int64_t& id : ids) {
    const double u = generator.uniform() * total;
    id = std::lower_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin();
    id = std::min(id, kV - 1);
  }
  return ids;
}

// One step on `pairs` random (centre, context) pairs with Zipf-distributed negatives.
void BM_SgnsStep(benchmark::State& state) {
  const int64_t N = state.range(0), S = 1 + kNegative;
  Generator generator(1);
  Tensor w_in = embedlab::rand({kV, kD}, generator);
  for (float& v : w_in.data())
    v = (v - 0.5f) / kD;
  w_in.requires_grad_();
  Tensor w_out = embedlab::zeros({kV, kD}).requires_grad_();
  embedlab::optim::SGD sgd({w_in, w_out}, {.lr = 0.025});
  const Tensor centers = embedlab::from_ids(zipf_ids(N, generator), Shape{N});
  const Tensor targets = embedlab::from_ids(zipf_ids(N * S, generator), Shape{N, S});
  for (auto _ : state) {
    Tensor loss = embedlab::word2vec::sgns_loss(w_in, w_out, centers, targets);
    loss.backward();
    sgd.step();
    sgd.zero_grad();
    benchmark::DoNotOptimize(loss.item());
  }
  state.counters["pairs/s"] =
      benchmark::Counter(static_cast<double>(N), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_SgnsStep)->Arg(16)->Arg(128)->Arg(1024)->Arg(4096)->Unit(benchmark::kMicrosecond);

// Writes the synthetic corpus once (words "w0".."w9999", one sentence per line).
const std::string& synthetic_corpus() {
  static const std::string path = [] {
    const std::string file = (std::filesystem::temp_directory_path() /
                              ("bench_word2vec_" + std::to_string(::getpid()) + ".txt"))
                                 .string();
    Generator generator(7);
    const std::vector<int64_t> ids = zipf_ids(200'000, generator);
    std::ofstream out(file);
    size_t i = 0;
    while (i < ids.size()) {
      const int64_t length = generator.integer(5, 31);
      for (int64_t k = 0; k < length && i < ids.size(); ++k, ++i)
        out << (k ? " w" : "w") << ids[i];
      out << '\n';
    }
    return file;
  }();
  return path;
}

// Word2Vec::train for one epoch (skip-gram or CBOW, word2vec's default settings); reports
// corpus words per second of the whole train() call, vocabulary counting included.
void BM_Word2VecEpoch(benchmark::State& state) {
  embedlab::word2vec::Word2VecOptions options;
  options.model =
      state.range(0) == 0 ? embedlab::word2vec::Model::SkipGram : embedlab::word2vec::Model::Cbow;
  options.epochs = 1;
  int64_t words = 0;
  for (auto _ : state) {
    embedlab::word2vec::Word2Vec model(options);
    words = model.train(synthetic_corpus()).corpus_words;
  }
  state.SetLabel(embedlab::word2vec::model_name(options.model));
  state.counters["words/s"] =
      benchmark::Counter(static_cast<double>(words), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Word2VecEpoch)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code ignored;
  std::filesystem::remove(synthetic_corpus(), ignored);
  return 0;
}
