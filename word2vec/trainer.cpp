// Word2Vec::train: count the corpus, build the vocabulary, initialise the two tables, then for
// every epoch stream the sentences, turn them into batches of examples and take one SGD step
// per batch. A step is the same four lines as any embedlab training loop:
//   loss = sgns_loss(...);  loss.backward();  sgd.step();  sgd.zero_grad();
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "nn/init.h"
#include "optim/scheduler.h"
#include "optim/sgd.h"
#include "tensor/creation.h"
#include "tensor/error.h"
#include "text/corpus.h"
#include "word2vec/examples.h"
#include "word2vec/sgns_op.h"
#include "word2vec/word2vec.h"

namespace embedlab::word2vec {

namespace {

using Clock = std::chrono::steady_clock;

// The training loop's state, so that each phase is a short method.
class Trainer {
 public:
  Trainer(const Word2VecOptions& options, const text::Vocabulary& vocab, Tensor w_in, Tensor w_out,
          const Word2Vec::ProgressCallback& on_progress)
      : options_(options),
        builder_(vocab,
                 {.cbow = options.model == Model::Cbow,
                  .window = options.window,
                  .negative = options.negative,
                  .sample = options.sample},
                 options.seed + 1),
        w_in_(std::move(w_in)),
        w_out_(std::move(w_out)),
        sgd_({w_in_, w_out_}, {.lr = options.start_lr()}),
        // word2vec's schedule: linear in the words read, from lr down to lr * 1e-4.
        schedule_(sgd_, std::max<int64_t>(1, vocab.total_count() * options.epochs), 1e-4),
        on_progress_(on_progress) {
    progress_.epochs = options.epochs;
    progress_.total_words = vocab.total_count() * options.epochs;
  }

  // Streams the corpus once; every sentence is subsampled and cut into batches.
  void run_epoch(text::CorpusReader& reader, const text::Vocabulary& vocab, int64_t epoch) {
    progress_.epoch = epoch;
    epoch_loss_ = 0.0;
    epoch_examples_ = 0;
    reader.for_each_encoded_sentence(
        vocab, text::UnknownPolicy::drop,
        [this](const std::vector<int64_t>& ids) { add_sentence(ids); });
    if (batch_.num_examples > 0) step();
    report();
  }

  TrainStats stats(const text::Vocabulary& vocab) const {
    TrainStats stats;
    stats.vocab_size = vocab.size();
    stats.corpus_words = vocab.total_count();
    stats.words_done = progress_.words_done;
    stats.examples = progress_.examples_done;
    stats.steps = steps_;
    stats.final_loss = progress_.epoch_loss;
    stats.seconds = progress_.seconds;
    stats.cpu_seconds = static_cast<double>(std::clock() - cpu_start_) / CLOCKS_PER_SEC;
    stats.words_per_second = progress_.words_per_second;
    return stats;
  }

 private:
  void add_sentence(const std::vector<int64_t>& ids) {
    builder_.subsample(ids, kept_, positions_);
    for (size_t pos = 0; pos < kept_.size(); ++pos) {
      builder_.add_examples(kept_, pos, batch_);
      if (batch_.num_examples >= options_.batch_pairs) {
        progress_.words_done = sentence_start_ + positions_[pos] + 1;
        step();
      }
    }
    sentence_start_ += static_cast<int64_t>(ids.size());
    progress_.words_done = sentence_start_;
  }

  // One SGD step on the batch: the loss op, backward, the lazy update, zero_grad.
  void step() {
    sgd_.set_lr(schedule_.lr_at(progress_.words_done));
    const double loss = batch_loss().item<float>();
    if (!std::isfinite(loss)) {
      throw ValueError(fmt::format(
          "Word2Vec: training diverged at step {} of epoch {} (the loss is {}); use smaller "
          "batches (batch_pairs is {}) or a smaller learning rate (lr is {:.3g})",
          steps_ + 1, progress_.epoch + 1, loss, options_.batch_pairs, sgd_.lr()));
    }
    sgd_.step();
    sgd_.zero_grad();
    progress_.step_loss = loss / static_cast<double>(batch_.num_examples);
    epoch_loss_ += loss;
    epoch_examples_ += batch_.num_examples;
    progress_.examples_done += batch_.num_examples;
    ++steps_;
    batch_.clear();
    report();
  }

  // Builds the batch's tensors, runs the loss and its backward; returns the (summed) loss.
  Tensor batch_loss() {
    const int64_t N = batch_.num_examples, S = 1 + options_.negative;
    const Tensor targets = from_ids(batch_.targets, Shape{N, S});
    const auto M = static_cast<int64_t>(batch_.inputs.size());
    const Tensor inputs = from_ids(batch_.inputs, Shape{M});
    Tensor loss;
    if (options_.model == Model::SkipGram) {
      loss = options_.fused ? sgns_loss(w_in_, w_out_, inputs, targets)
                            : sgns_loss_composed(w_in_, w_out_, inputs, targets);
    } else {
      const Tensor offsets = from_ids(batch_.offsets, Shape{N});
      loss = options_.fused
                 ? cbow_loss(w_in_, w_out_, inputs, offsets, targets, options_.cbow_context_grad)
                 : cbow_loss_composed(w_in_, w_out_, inputs, offsets, targets);
    }
    loss.backward();
    return loss;
  }

  void report() {
    progress_.epoch_loss = epoch_examples_ > 0 ? epoch_loss_ / epoch_examples_ : 0.0;
    progress_.lr = sgd_.lr();
    progress_.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    progress_.words_per_second =
        progress_.seconds > 0 ? progress_.words_done / progress_.seconds : 0.0;
    if (on_progress_) on_progress_(progress_);
  }

  const Word2VecOptions& options_;
  ExampleBuilder builder_;
  Tensor w_in_, w_out_;
  optim::SGD sgd_;
  optim::LinearDecayLR schedule_;
  const Word2Vec::ProgressCallback& on_progress_;
  Batch batch_;
  std::vector<int64_t> kept_, positions_;  // the subsampled sentence, and where each word stood
  int64_t sentence_start_ = 0;             // words read before the current sentence
  double epoch_loss_ = 0.0;
  int64_t epoch_examples_ = 0;
  int64_t steps_ = 0;
  TrainProgress progress_;
  Clock::time_point start_ = Clock::now();
  std::clock_t cpu_start_ = std::clock();
};

// The vocabulary of the corpus, with a clear error for a file without words.
text::Vocabulary build_vocabulary(const std::string& path, const Word2VecOptions& options) {
  const text::TokenCounts counts = text::count_tokens(path, options.tokenizer);
  if (counts.empty()) {
    throw ValueError(fmt::format("Word2Vec: the corpus \"{}\" has no words", path));
  }
  return text::Vocabulary::build(counts, {.min_count = options.min_count, .add_unk = false});
}

// Training reads the corpus 1 + epochs times; a pipe or a device gives its bytes only once,
// so every epoch after counting would train on nothing (and exit 0 with random vectors).
void check_readable_twice(const std::string& path) {
  std::error_code error;
  if (std::filesystem::exists(path, error) && !std::filesystem::is_regular_file(path, error)) {
    throw ValueError(fmt::format(
        "Word2Vec: the corpus \"{}\" is not a regular file (a pipe or a device?), which can be "
        "read only once, but training reads it 1 + epochs times; write it to a file first "
        "(embedlab-word2vec copies such an input to a temporary file itself)",
        path));
  }
}

// A run that trained on no example: say why, instead of returning untrained random vectors.
ValueError no_examples_error(const std::string& path, const TrainStats& stats,
                             const Word2VecOptions& options) {
  if (stats.words_done == 0) {
    return ValueError(fmt::format(
        "Word2Vec: counting found {} words in \"{}\", but the training passes read none: the "
        "file changed, or it cannot be read twice",
        stats.corpus_words, path));
  }
  return ValueError(fmt::format(
      "Word2Vec: no training examples in \"{}\": {} words were read over {} epochs, but no "
      "sentence kept two words within the window ({}) after min_count ({}, {} words in the "
      "vocabulary) and subsampling (sample {}); lower min_count or sample, or use a corpus "
      "with longer sentences",
      path, stats.words_done, options.epochs, options.window, options.min_count, stats.vocab_size,
      options.sample));
}

}  // namespace

TrainStats Word2Vec::train(const std::string& corpus_path, const ProgressCallback& on_progress) {
  check_readable_twice(corpus_path);
  text::CorpusReader reader(corpus_path, options_.tokenizer);
  auto vocab = std::make_shared<text::Vocabulary>(build_vocabulary(corpus_path, options_));
  const int64_t V = vocab->size(), D = options_.dim;
  // word2vec.c's initialisation: small random input vectors, zero output vectors.
  Generator generator(options_.seed);
  Tensor w_in = zeros(Shape{V, D});
  nn::init::uniform_(w_in, -0.5f / static_cast<float>(D), 0.5f / static_cast<float>(D), generator);
  w_in.requires_grad_();
  Tensor w_out = zeros(Shape{V, D}).requires_grad_();

  Trainer trainer(options_, *vocab, w_in, w_out, on_progress);
  for (int64_t epoch = 0; epoch < options_.epochs; ++epoch)
    trainer.run_epoch(reader, *vocab, epoch);
  const TrainStats stats = trainer.stats(*vocab);
  if (stats.examples == 0) throw no_examples_error(corpus_path, stats, options_);

  vocab_ = vocab;
  w_in_ = w_in;
  w_out_ = w_out;
  keyed_ = std::make_shared<KeyedVectors>(vocab_->tokens(), w_in_);
  return stats;
}

}  // namespace embedlab::word2vec
