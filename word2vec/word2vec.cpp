// Word2Vec: the options and their checks, and the questions asked of a trained model (which
// KeyedVectors answers). The training loop itself is in trainer.cpp.
#include "word2vec/word2vec.h"

#include <algorithm>
#include <cmath>
#include <thread>

#include <fmt/format.h>

#include "tensor/error.h"
#include "text/corpus.h"

namespace embedlab::word2vec {

const char* model_name(Model model) {
  return model == Model::SkipGram ? "sg" : "cbow";
}

double Word2VecOptions::start_lr() const {
  if (lr) return *lr;
  return model == Model::SkipGram ? 0.025 : 0.05;
}

namespace {
// More threads than this is a typo, not a machine.
constexpr int64_t kMaxThreads = 1024;
}  // namespace

int64_t Word2VecOptions::thread_count() const {
  if (threads > 0) return threads;
  return std::max<int64_t>(1, static_cast<int64_t>(std::thread::hardware_concurrency()));
}

void check_options(const Word2VecOptions& options) {
  const auto at_least = [](const char* name, int64_t value, int64_t low) {
    if (value < low) {
      throw ValueError(fmt::format("Word2Vec: {} must be at least {}, got {}", name, low, value));
    }
  };
  at_least("dim", options.dim, 1);
  at_least("window", options.window, 1);
  at_least("negative", options.negative, 0);
  at_least("min_count", options.min_count, 1);
  at_least("epochs", options.epochs, 1);
  at_least("batch_pairs", options.batch_pairs, 1);
  // Upper limits keep every count computed from the options (examples per step x (1 +
  // negative), words x epochs, 2 x window) far from int64 overflow; each is already far beyond
  // any useful value.
  const auto at_most = [](const char* name, int64_t value, int64_t high, const char* why) {
    if (value > high) {
      throw ValueError(
          fmt::format("Word2Vec: {} must be at most {} ({}), got {}", name, high, why, value));
    }
  };
  at_most("dim", options.dim, int64_t{1} << 20, "about a million");
  at_most("window", options.window, static_cast<int64_t>(text::kMaxSentenceLength),
          "the longest sentence");
  at_most("negative", options.negative, 1000, "word2vec uses 5-20");
  at_most("epochs", options.epochs, 1000000, "a million passes");
  at_most("batch_pairs", options.batch_pairs, int64_t{1} << 24, "16,777,216 examples per step");
  at_least("threads", options.threads, 0);
  if (options.threads > kMaxThreads) {
    throw ValueError(
        fmt::format("Word2Vec: threads must be at most {}, got {}", kMaxThreads, options.threads));
  }
  if (!(options.sample >= 0.0) || !std::isfinite(options.sample)) {
    throw ValueError(
        fmt::format("Word2Vec: sample must be finite and >= 0, got {}", options.sample));
  }
  const double lr = options.start_lr();
  if (!(lr > 0.0) || !std::isfinite(lr)) {
    throw ValueError(fmt::format("Word2Vec: lr must be finite and > 0, got {}", lr));
  }
}

Word2Vec::Word2Vec(Word2VecOptions options) : options_(std::move(options)) {
  check_options(options_);
}

void Word2Vec::require_trained(const char* what) const {
  if (!trained()) {
    throw ValueError(
        fmt::format("Word2Vec::{}: the model is not trained yet; call train() first", what));
  }
}

const text::Vocabulary& Word2Vec::vocab() const {
  require_trained("vocab");
  return *vocab_;
}

Tensor Word2Vec::vectors() const {
  require_trained("vectors");
  return w_in_;
}

Tensor Word2Vec::output_vectors() const {
  require_trained("output_vectors");
  return w_out_;
}

const KeyedVectors& Word2Vec::keyed_vectors() const {
  require_trained("keyed_vectors");
  return *keyed_;
}

std::vector<std::pair<std::string, float>> Word2Vec::most_similar(const std::string& word,
                                                                  int64_t k) const {
  return keyed_vectors().most_similar(word, k);
}

float Word2Vec::similarity(const std::string& a, const std::string& b) const {
  return keyed_vectors().similarity(a, b);
}

std::vector<std::pair<std::string, float>> Word2Vec::analogy(const std::string& a,
                                                             const std::string& b,
                                                             const std::string& c,
                                                             int64_t k) const {
  return keyed_vectors().analogy(a, b, c, k);
}

io::WordVectors Word2Vec::to_word_vectors() const {
  return keyed_vectors().to_word_vectors();
}

}  // namespace embedlab::word2vec
