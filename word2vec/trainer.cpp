// Word2Vec::train: count the corpus, build the vocabulary, initialise the two tables, read the
// corpus into memory as ids, then let one or more workers take SGD steps on batches of examples.
// A step is the same four lines as any embedlab training loop:
//   loss = sgns_loss(...);  loss.backward();  sgd.step();  sgd.zero_grad();
// With several threads each worker takes chunks of sentences from a shared cursor, keeps its own
// views of the two shared tables, and adds its rows into them without a lock (hogwild_sgd_step).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <ctime>
#include <exception>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "autograd/grad_rows.h"
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

// Corpora up to this many words (in the vocabulary) are read once and kept as ids, 4 bytes a
// word (400 MB at the limit); larger ones are read from disk again every epoch. Reading and
// tokenising a 3.5-million-word corpus every epoch took 10% of skip-gram's time
// (docs/performance.md); gensim keeps its corpus in memory as well.
constexpr int64_t kMaxWordsInMemory = 100'000'000;

// The corpus as word ids: sentence i is ids[starts[i] .. starts[i + 1]).
struct EncodedCorpus {
  std::vector<int32_t> ids;
  std::vector<int64_t> starts{0};
};

// How many words a worker reads before it adds its counts to the shared counters (word2vec.c
// does the same every 10,000 words). An atomic add on a cache line that another core wrote last
// waits for that line to come over: adding after every step and sentence moved the line between
// the cores several times per step (docs/performance.md, "Threads").
constexpr int64_t kPublishWords = 10'000;

// What the workers share: the counters the learning rate and the progress report read, and the
// first error a worker met (the others then stop at their next sentence). The counters lag
// behind by the words each other worker has not published yet (under kPublishWords each). The
// counters and the chunk cursor sit on cache lines of their own (64 bytes), away from each other.
struct SharedState {
  alignas(64) std::atomic<int64_t> words_done{0};
  std::atomic<int64_t> examples_done{0};
  std::atomic<int64_t> steps{0};
  alignas(64) std::atomic<int64_t> next_chunk{0};  // the next chunk of sentences, over all epochs
  std::atomic<bool> stop{false};
  alignas(64) std::mutex error_mutex;
  std::exception_ptr error;
};

// A worker's counts not yet added to SharedState's: the worker itself reads the shared count
// plus its own, so one thread sees exactly what it has done.
struct PendingCounts {
  int64_t words = 0;
  int64_t examples = 0;
  int64_t steps = 0;
};

// Hogwild's update (Recht et al. 2011): the lazy SGD step, p[row] -= lr * grad[row] for every
// row of the compact gradient, written straight into the storage the threads share, without a
// lock; then the gradient is emptied. Unlike optim::SGD it leaves the storage version alone: the
// other threads' graphs read these tables at this very moment, and their backward would refuse
// a changed version. The races with their reads and writes are intended (a row updated by two
// threads at once may lose one update, as in word2vec.c); tests/tsan.supp names this function
// so ThreadSanitizer accepts them (never inlined, so that its name is on the stack TSan reports).
[[gnu::noinline]] void hogwild_sgd_step(const Tensor& param, float lr) {
  const int64_t D = param.shape().cols();
  float* table = param.impl()->storage->values.data();
  for_each_grad_row(
      param,
      [&](int64_t row, const float* grad) {
        float* p = table + row * D;
        for (int64_t c = 0; c < D; ++c)
          p[c] -= lr * grad[c];
      },
      [&](int64_t ahead) { prefetch_row(table + ahead * D, D); });
  zero_grad(param);
}

// One training loop: its examples, batches and steps. With one thread it owns the tables; with
// several, `w_in` and `w_out` are this worker's views of the shared tables (detach() shares the
// storage and gives the view its own gradient).
class Worker {
 public:
  Worker(const Word2VecOptions& options, const text::Vocabulary& vocab, Tensor w_in, Tensor w_out,
         uint64_t seed, bool hogwild, SharedState& shared)
      : options_(options),
        builder_(vocab,
                 {.cbow = options.model == Model::Cbow,
                  .window = options.window,
                  .negative = options.negative,
                  .sample = options.sample},
                 seed),
        w_in_(std::move(w_in)),
        w_out_(std::move(w_out)),
        sgd_({w_in_, w_out_}, {.lr = options.start_lr()}),
        // word2vec's schedule: linear in the words read, from lr down to lr * 1e-4.
        schedule_(sgd_, std::max<int64_t>(1, vocab.total_count() * options.epochs), 1e-4),
        hogwild_(hogwild),
        shared_(shared) {}

  // Takes chunks of `chunk` sentences, in corpus order and epoch after epoch, from the shared
  // cursor until none is left. With one thread that is the corpus in order, epochs times. With
  // several, the threads stay in the same part of the learning-rate schedule, as gensim's queue
  // of jobs keeps them: with a fixed slice each, a thread that got less processor time (a busy
  // machine) fell behind and trained its slice only at the end of the schedule, at a tiny lr.
  void run_chunks(const EncodedCorpus& corpus, int64_t chunk, int64_t epochs) {
    const auto sentences = static_cast<int64_t>(corpus.starts.size()) - 1;
    const int64_t per_epoch = (sentences + chunk - 1) / chunk;
    bool started = false;
    std::vector<int64_t> sentence;
    while (!shared_.stop.load(std::memory_order_relaxed)) {
      const int64_t c = shared_.next_chunk.fetch_add(1, std::memory_order_relaxed);
      if (c >= per_epoch * epochs) break;
      if (!started || c / per_epoch != epoch_) {
        if (started) finish_epoch();
        start_epoch(c / per_epoch);
        started = true;
      }
      const int64_t begin = (c % per_epoch) * chunk, end = std::min(sentences, begin + chunk);
      for (int64_t i = begin; i < end; ++i) {
        sentence.assign(corpus.ids.begin() + corpus.starts[i],
                        corpus.ids.begin() + corpus.starts[i + 1]);
        add_sentence(sentence);
      }
    }
    if (started) finish_epoch();
  }

  // One epoch for a corpus too large to keep: read from disk, every `stride`-th sentence from
  // number `first` on.
  void run_epoch(text::CorpusReader& reader, const text::Vocabulary& vocab, int64_t epoch,
                 int64_t first, int64_t stride) {
    start_epoch(epoch);
    int64_t index = 0;
    reader.for_each_encoded_sentence(vocab, text::UnknownPolicy::drop,
                                     [&](const std::vector<int64_t>& ids) {
                                       if (index++ % stride == first) add_sentence(ids);
                                     });
    finish_epoch();
  }

  // Mean loss per example in this worker's last epoch, and how many examples it had.
  double epoch_loss_sum() const { return epoch_loss_; }
  int64_t epoch_examples() const { return epoch_examples_; }

  // Called after every step of the first worker (the one that reports progress).
  void set_reporter(std::function<void(const Worker&)> report) { report_ = std::move(report); }
  double last_step_loss() const { return step_loss_; }
  int64_t epoch() const { return epoch_; }
  double lr() const { return sgd_.lr(); }
  const PendingCounts& pending() const { return pending_; }

 private:
  void start_epoch(int64_t epoch) {
    epoch_ = epoch;
    epoch_loss_ = 0.0;
    epoch_examples_ = 0;
  }

  void finish_epoch() {
    if (batch_.num_examples > 0) step();
    publish();
    if (report_) report_(*this);
  }

  // Adds this worker's pending counts to the shared ones.
  void publish() {
    shared_.words_done.fetch_add(pending_.words, std::memory_order_relaxed);
    shared_.examples_done.fetch_add(pending_.examples, std::memory_order_relaxed);
    shared_.steps.fetch_add(pending_.steps, std::memory_order_relaxed);
    pending_ = PendingCounts{};
  }

  void add_sentence(const std::vector<int64_t>& ids) {
    builder_.subsample(ids, kept_, positions_);
    const int64_t sentence_start =
        shared_.words_done.load(std::memory_order_relaxed) + pending_.words;
    for (size_t pos = 0; pos < kept_.size(); ++pos) {
      builder_.add_examples(kept_, pos, batch_);
      if (batch_.num_examples >= options_.batch_pairs) {
        words_now_ = sentence_start + positions_[pos] + 1;
        step();
      }
    }
    pending_.words += static_cast<int64_t>(ids.size());
    words_now_ = sentence_start + static_cast<int64_t>(ids.size());
    if (pending_.words >= kPublishWords) publish();
  }

  // One SGD step on the batch: the loss op, backward, the lazy update, zero_grad.
  void step() {
    sgd_.set_lr(schedule_.lr_at(words_now_));
    const double loss = batch_loss().item<float>();
    if (!std::isfinite(loss)) {
      throw ValueError(fmt::format(
          "Word2Vec: training diverged at step {} of epoch {} (the loss is {}); use smaller "
          "batches (batch_pairs is {}) or a smaller learning rate (lr is {:.3g})",
          shared_.steps.load() + pending_.steps + 1, epoch_ + 1, loss, options_.batch_pairs,
          sgd_.lr()));
    }
    if (hogwild_) {
      hogwild_sgd_step(w_in_, static_cast<float>(sgd_.lr()));
      hogwild_sgd_step(w_out_, static_cast<float>(sgd_.lr()));
    } else {
      sgd_.step();
      sgd_.zero_grad();
    }
    step_loss_ = loss / static_cast<double>(batch_.num_examples);
    epoch_loss_ += loss;
    epoch_examples_ += batch_.num_examples;
    pending_.examples += batch_.num_examples;
    ++pending_.steps;
    batch_.clear();
    if (report_) report_(*this);
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

  const Word2VecOptions options_;  // a copy, in this worker's memory, read at every example
  ExampleBuilder builder_;
  Tensor w_in_, w_out_;
  optim::SGD sgd_;
  optim::LinearDecayLR schedule_;
  bool hogwild_;
  SharedState& shared_;
  PendingCounts pending_;
  std::function<void(const Worker&)> report_;
  Batch batch_;
  std::vector<int64_t> kept_, positions_;  // the subsampled sentence, and where each word stood
  int64_t words_now_ = 0;                  // words read by all workers, as this step sees it
  double step_loss_ = 0.0;
  int64_t epoch_ = 0;
  double epoch_loss_ = 0.0;
  int64_t epoch_examples_ = 0;
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

EncodedCorpus encode_corpus(text::CorpusReader& reader, const text::Vocabulary& vocab) {
  // The ids are stored in 4 bytes each (memory, see kMaxWordsInMemory): refuse, rather than
  // wrap, an id that does not fit (the negative-sampling table has the same limit).
  if (vocab.size() - 1 > std::numeric_limits<int32_t>::max()) {
    throw ValueError(fmt::format(
        "word2vec: {} words in the vocabulary; ids above {} do not fit the 32-bit corpus",
        vocab.size(), std::numeric_limits<int32_t>::max()));
  }
  EncodedCorpus corpus;
  corpus.ids.reserve(static_cast<size_t>(vocab.total_count()));
  reader.for_each_encoded_sentence(
      vocab, text::UnknownPolicy::drop, [&](const std::vector<int64_t>& ids) {
        corpus.ids.insert(corpus.ids.end(), ids.begin(), ids.end());
        corpus.starts.push_back(static_cast<int64_t>(corpus.ids.size()));
      });
  return corpus;
}

// Runs `work(t)` on `threads` threads (the calling thread is the first) and rethrows the first
// exception any of them threw.
void run_on_threads(int64_t threads, SharedState& shared,
                    const std::function<void(int64_t)>& work) {
  const auto guarded = [&](int64_t t) {
    try {
      work(t);
    } catch (...) {
      const std::lock_guard<std::mutex> lock(shared.error_mutex);
      if (!shared.error) shared.error = std::current_exception();
      shared.stop = true;
    }
  };
  std::vector<std::jthread> others;
  for (int64_t t = 1; t < threads; ++t)
    others.emplace_back(guarded, t);
  guarded(0);
  others.clear();  // joins
  if (shared.error) std::rethrow_exception(shared.error);
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

  const Clock::time_point start = Clock::now();
  const std::clock_t cpu_start = std::clock();
  const bool in_memory = vocab->total_count() <= kMaxWordsInMemory;
  const EncodedCorpus corpus = in_memory ? encode_corpus(reader, *vocab) : EncodedCorpus{};
  const auto sentences = static_cast<int64_t>(corpus.starts.size()) - 1;
  const int64_t threads =
      in_memory ? std::clamp<int64_t>(options_.thread_count(), 1, std::max<int64_t>(1, sentences))
                : options_.thread_count();
  const bool hogwild = threads > 1;

  SharedState shared;
  // Each worker is built by its own thread (below), so that everything it allocates comes from
  // that thread's malloc arena: built one after the other by this thread, a worker's table
  // views sat next to the other worker's state, and the reference counts each step changes
  // shared cache lines with what the other thread wrote (docs/performance.md, "Threads").
  std::vector<std::unique_ptr<Worker>> workers(static_cast<size_t>(threads));
  TrainProgress progress;
  progress.epochs = options_.epochs;
  progress.total_words = vocab->total_count() * options_.epochs;
  const auto seconds_since_start = [&] {
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  const auto report = [&](const Worker& worker) {
    progress.words_done =
        shared.words_done.load(std::memory_order_relaxed) + worker.pending().words;
    progress.examples_done =
        shared.examples_done.load(std::memory_order_relaxed) + worker.pending().examples;
    progress.epoch = worker.epoch();
    progress.step_loss = worker.last_step_loss();
    progress.epoch_loss =
        worker.epoch_examples() > 0 ? worker.epoch_loss_sum() / worker.epoch_examples() : 0.0;
    progress.lr = worker.lr();
    progress.seconds = seconds_since_start();
    progress.words_per_second = progress.seconds > 0 ? progress.words_done / progress.seconds : 0.0;
    on_progress(progress);
  };

  run_on_threads(threads, shared, [&](int64_t t) {
    // Worker 0 draws from seed + 1, as the one-thread trainer always has.
    workers[t] = std::make_unique<Worker>(
        options_, *vocab, hogwild ? w_in.detach().requires_grad_() : w_in,
        hogwild ? w_out.detach().requires_grad_() : w_out, options_.seed + 1 + t, hogwild, shared);
    Worker& worker = *workers[t];
    if (t == 0 && on_progress) worker.set_reporter(report);
    std::unique_ptr<text::CorpusReader> own_reader;  // a worker streaming the file reads it itself
    if (!in_memory && t > 0)
      own_reader = std::make_unique<text::CorpusReader>(corpus_path, options_.tokenizer);
    if (in_memory) {
      // Chunks of up to 1,000 sentences, at least 8 per thread and epoch on a small corpus.
      worker.run_chunks(corpus, std::clamp<int64_t>(sentences / (8 * threads), 1, 1000),
                        options_.epochs);
      return;
    }
    for (int64_t epoch = 0; epoch < options_.epochs && !shared.stop; ++epoch)
      worker.run_epoch(t == 0 ? reader : *own_reader, *vocab, epoch, t, threads);
  });

  TrainStats stats;
  stats.vocab_size = vocab->size();
  stats.corpus_words = vocab->total_count();
  stats.words_done = shared.words_done.load();
  stats.examples = shared.examples_done.load();
  stats.steps = shared.steps.load();
  double loss_sum = 0.0;
  int64_t examples = 0;
  for (const auto& worker : workers) {  // all built: a failed one would have thrown above
    loss_sum += worker->epoch_loss_sum();
    examples += worker->epoch_examples();
  }
  stats.final_loss = examples > 0 ? loss_sum / static_cast<double>(examples) : 0.0;
  stats.seconds = seconds_since_start();
  stats.cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  stats.words_per_second = stats.seconds > 0 ? stats.words_done / stats.seconds : 0.0;
  stats.threads = threads;
  if (stats.examples == 0) throw no_examples_error(corpus_path, stats, options_);

  vocab_ = vocab;
  w_in_ = w_in;
  w_out_ = w_out;
  keyed_ = std::make_shared<KeyedVectors>(vocab_->tokens(), w_in_);
  return stats;
}

}  // namespace embedlab::word2vec
