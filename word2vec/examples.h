/// @file examples.h
/// @brief From sentences of word ids to word2vec training examples: subsampling, the shrunk
/// window, and negative samples, gathered into a `Batch` in the layout the loss ops take.
///
/// The steps follow word2vec.c, in its order:
/// 1. Subsampling: each occurrence of word w is kept with Vocabulary::keep_probability(w, s),
///    so "the" and "and" mostly disappear and rare words always stay.
/// 2. For each kept word (the centre) a window size b is drawn from 1..window, so near words
///    are used more often than far ones (on average, a word at distance d with weight
///    (window - d + 1) / window).
/// 3. Skip-gram makes one example per context word within b: input the centre, target the
///    context word. CBOW makes one example per centre: input the bag of context words, target
///    the centre. Each example gets K negatives drawn from the unigram^0.75 table.
///
/// Differs from word2vec.c: its skip-gram loop uses the context word as input and the centre
/// as target; the pairs are the same, only turned around, and we follow the textbook
/// ("the centre predicts its context"), which trains the same thing on average.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "tensor/random.h"
#include "text/vocabulary.h"

namespace embedlab::word2vec {

/// The examples of one training step, as plain id vectors (turned into tensors by the trainer).
struct Batch {
  std::vector<int64_t> inputs;   ///< skip-gram: (N) centre ids; CBOW: (M) context ids, bag by bag
  std::vector<int64_t> offsets;  ///< CBOW: (N) start of each bag in `inputs`; empty for skip-gram
  std::vector<int64_t> targets;  ///< (N, 1 + K) row-major: the true word, then K negatives
  int64_t num_examples = 0;      ///< N

  /// Empties the batch, keeping the vectors' memory for the next one.
  void clear();
};

/// The settings `ExampleBuilder` needs (a subset of Word2VecOptions).
struct ExampleOptions {
  bool cbow = false;     ///< CBOW bags instead of skip-gram pairs
  int64_t window = 5;    ///< the largest window
  int64_t negative = 5;  ///< K, negatives per example
  double sample = 1e-3;  ///< the subsampling threshold (0 keeps every word)
};

/// Turns sentences into training examples with its own seeded random numbers.
///
/// @code
/// ExampleBuilder builder(vocab, {.window = 2, .negative = 3}, 42);
/// std::vector<int64_t> kept;
/// Batch batch;
/// builder.subsample(sentence, kept);
/// for (size_t pos = 0; pos < kept.size(); ++pos) builder.add_examples(kept, pos, batch);
/// @endcode
class ExampleBuilder {
 public:
  /// Prepares the keep probabilities and the negative-sampling table of `vocab`.
  /// @param vocab the vocabulary (its counts); ids in sentences index it
  /// @param options window, negatives, subsampling and the architecture
  /// @param seed the seed of every random choice the builder makes
  /// @throws ValueError for window < 1, negative < 0, a bad sample, or a vocabulary whose
  ///         words all have count 0.
  ExampleBuilder(const text::Vocabulary& vocab, ExampleOptions options, uint64_t seed);

  /// Copies the words of `sentence` that survive subsampling into `kept` (cleared first);
  /// `positions` receives where each kept word stood in `sentence`.
  /// @param sentence the word ids of one sentence
  /// @param kept receives the kept ids, in order
  /// @param positions receives each kept word's index in `sentence`
  void subsample(std::span<const int64_t> sentence, std::vector<int64_t>& kept,
                 std::vector<int64_t>& positions);

  /// Adds the examples whose centre is `kept[pos]` to `batch`.
  /// @param kept a subsampled sentence
  /// @param pos the centre's position in it
  /// @param batch receives the examples
  /// @return the number of examples added (0 for CBOW when the centre has no context)
  int64_t add_examples(std::span<const int64_t> kept, size_t pos, Batch& batch);

  /// Returns the table the negatives come from.
  const text::UnigramTable& unigram_table() const { return table_; }

 private:
  void add_negatives(int64_t positive, Batch& batch);

  ExampleOptions options_;
  std::vector<float> keep_;  // id -> probability of keeping one occurrence
  text::UnigramTable table_;
  Generator random_;
  // The table slots of the next K negatives, drawn one example early and prefetched: the table
  // (20 slots a word, 1.4 MB for 17,000 words) is larger than the L2 cache, and waiting for
  // each slot took 15% of skip-gram's time (docs/performance.md).
  std::vector<uint64_t> next_slots_;
};

}  // namespace embedlab::word2vec
