// Tests of threaded word2vec training (Word2VecOptions::threads, Hogwild updates or private
// copies of the tables merged every merge_words words, LocalTable): several
// threads learn the course's example as one thread does, every word of every epoch is counted
// once, errors in a worker thread reach the caller, and the option is checked. CTest label
// `threads`: the ThreadSanitizer preset runs these, with tests/tsan.supp naming the functions
// whose races are intended (the lock-free update or merge into the shared tables).
//
// Threaded training is not reproducible bit for bit, so nothing here compares exact values:
// the margins are those of test_training.cpp (smallest gap over seeds 1 to 12: 0.47), and the
// threaded runs below were checked over seeds 1 to 10 with 2 and 4 threads.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <string>

#include "autograd/grad_rows.h"
#include "embedlab.h"
#include "word2vec/local_table.h"
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
  // merge_words 0: Hogwild (every step writes the shared tables); 50: private copies of the
  // tables (LocalTable) merged every 50 words; 100,000: merged only at the end of each epoch.
  for (const int64_t merge_words : {int64_t{0}, int64_t{50}, int64_t{100'000}})
    for (const Model model : {Model::SkipGram, Model::Cbow}) {
      Word2VecOptions options = threaded_options(2);
      options.model = model;
      options.merge_words = merge_words;
      Word2Vec w2v(options);
      const TrainStats stats = w2v.train(kCorpus);
      INFO("model " << model_name(model) << ", merge_words " << merge_words);
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
  options.threads = 2;
  options.merge_words = -1;
  REQUIRE_THROWS_WITH(Word2Vec(options), Catch::Contains("merge_words must be at least 0, got -1"));
  options.merge_words = 0;
  options.threads = 0;  // one per core
  CHECK(options.thread_count() >= 1);
  options.threads = 3;
  CHECK(options.thread_count() == 3);
}

TEST_CASE("a local table's merge adds exactly its own change into the shared rows",
          "[word2vec][local]") {
  // Two workers' private copies of one shared 3x2 table. Worker a changes rows 0 and 2,
  // worker b row 0; after both merges, row 0 holds both changes, row 1 neither.
  Tensor shared = tensor({{1.0f, 2.0f}, {3.0f, 4.0f}, {5.0f, 6.0f}}).requires_grad_();
  LocalTable a(shared), b(shared);
  CHECK(a.local().requires_grad());
  CHECK(a.local().data()[5] == 6.0f);  // a copy of the shared values

  // a: rows 0 and 2 with gradients (1, 1) and (0.5, -1), lr 0.1.
  const std::vector<int64_t> rows_a{0, 2};
  const std::vector<float> grad_a{1.0f, 1.0f, 0.5f, -1.0f};
  accumulate_grad_rows(a.local(), rows_a, grad_a);
  a.sgd_step(0.1f);
  CHECK(a.changed_rows() == 2);
  // b: row 0 with gradient (2, 0), lr 0.5.
  const std::vector<int64_t> rows_b{0};
  const std::vector<float> grad_b{2.0f, 0.0f};
  accumulate_grad_rows(b.local(), rows_b, grad_b);
  b.sgd_step(0.5f);

  // Before any merge the shared table is untouched; a's copy has its own step only:
  // row 0 = (1 - 0.1 * 1, 2 - 0.1 * 1), row 2 = (5 - 0.1 * 0.5, 6 + 0.1 * 1).
  CHECK(shared.data()[0] == 1.0f);
  CHECK(a.local().data()[0] == Approx(0.9f));
  CHECK(a.local().data()[1] == Approx(1.9f));
  CHECK(a.local().data()[4] == Approx(4.95f));
  CHECK(a.local().data()[5] == Approx(6.1f));

  a.merge();  // shared rows 0 and 2 := a's rows (the snapshot was the shared table)
  CHECK(a.changed_rows() == 0);
  b.merge();  // row 0 += b's change (0 - 1, 2 - 2) = (-1, 0)
  const std::vector<float> expected{-0.1f, 1.9f, 3.0f, 4.0f, 4.95f, 6.1f};
  for (size_t i = 0; i < expected.size(); ++i) {
    INFO("element " << i);
    CHECK(shared.data()[i] == Approx(expected[i]));
    CHECK(b.local().data()[i] == Approx(expected[i]));  // b took a's change at its merge
  }
  // a still has its own row 0 until it merges again, with nothing changed: then it takes b's.
  CHECK(a.local().data()[0] == Approx(0.9f));
  a.merge();
  CHECK(a.local().data()[0] == Approx(-0.1f));
  CHECK(shared.data()[0] == Approx(-0.1f));  // a merge without changes adds nothing
}

TEST_CASE("a local table refuses what is not a float matrix", "[word2vec][local][errors]") {
  REQUIRE_THROWS_WITH(LocalTable(zeros(Shape{4})),
                      Catch::Contains("the shared table must be a float matrix, got (4)"));
}
