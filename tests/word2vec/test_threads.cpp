// Tests of threaded word2vec training (Word2VecOptions::threads, Hogwild updates): several
// threads learn the course's example as one thread does, every word of every epoch is counted
// once, errors in a worker thread reach the caller, and the option is checked. CTest label
// `threads`: the ThreadSanitizer preset runs these, with tests/tsan.supp naming the one function
// whose races are intended (the lock-free update of the shared tables).
//
// Threaded training is not reproducible bit for bit, so nothing here compares exact values:
// the margins are those of test_training.cpp (smallest gap over seeds 1 to 12: 0.47), and the
// threaded runs below were checked over seeds 1 to 10 with 2 and 4 threads.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <string>

#include "embedlab.h"
#include "word2vec/word2vec.h"

using namespace embedlab;
using namespace embedlab::word2vec;

namespace {

const std::string kCorpus = std::string(EMBEDLAB_SOURCE_DIR) + "/data/feelings_corpus.txt";

Word2VecOptions threaded_options(int64_t threads, uint64_t seed = 1) {
  Word2VecOptions options;
  options.dim = 16;
  options.window = 4;
  options.min_count = 2;
  options.epochs = 10;
  options.seed = seed;
  options.threads = threads;
  return options;
}

}  // namespace

TEST_CASE("two threads learn that happy is near glad and far from sad", "[word2vec][threads]") {
  for (const Model model : {Model::SkipGram, Model::Cbow}) {
    Word2VecOptions options = threaded_options(2);
    options.model = model;
    Word2Vec w2v(options);
    const TrainStats stats = w2v.train(kCorpus);
    INFO("model " << model_name(model));
    CHECK(stats.threads == 2);
    // Each word of each epoch is read by exactly one thread: 10 epochs of the corpus.
    CHECK(stats.words_done == stats.corpus_words * 10);
    CHECK(std::isfinite(stats.final_loss));
    CHECK(w2v.similarity("happy", "glad") > w2v.similarity("happy", "sad") + 0.3);
  }
}

TEST_CASE("four threads train the same tables the model keeps", "[word2vec][threads]") {
  Word2Vec w2v(threaded_options(4, 3));
  const TrainStats stats = w2v.train(kCorpus);
  CHECK(stats.threads == 4);
  CHECK(stats.examples > 0);
  // The vectors the model answers with are the shared table the threads wrote into.
  const Tensor v = w2v.vectors();
  CHECK(v.shape() == Shape{w2v.vocab().size(), 16});
  const auto nearest = w2v.most_similar("happy", 3);
  std::set<std::string> words;
  for (const auto& [word, cosine] : nearest)
    words.insert(word);
  CHECK(words.count("sad") == 0);
}

TEST_CASE("a worker thread's error reaches the caller", "[word2vec][threads][errors]") {
  Word2VecOptions options = threaded_options(2);
  options.lr = 1e6;  // diverges at once, in whichever thread steps first
  options.epochs = 1;
  REQUIRE_THROWS_WITH(Word2Vec(options).train(kCorpus), Catch::Contains("training diverged"));
}

TEST_CASE("the threads option is checked", "[word2vec][threads][errors]") {
  Word2VecOptions options = threaded_options(-1);
  REQUIRE_THROWS_WITH(Word2Vec(options), Catch::Contains("threads must be at least 0, got -1"));
  options.threads = 5000;
  REQUIRE_THROWS_WITH(Word2Vec(options), Catch::Contains("threads must be at most 1024, got 5000"));
  options.threads = 0;  // one per core
  CHECK(options.thread_count() >= 1);
  options.threads = 3;
  CHECK(options.thread_count() == 3);
}
