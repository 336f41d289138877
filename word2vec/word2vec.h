/// @file word2vec.h
/// @brief `Word2Vec`: trains word vectors on a text file with skip-gram or CBOW and negative
/// sampling, the way Mikolov's word2vec.c does, built from embedlab's own pieces.
///
/// The model is two embedding tables, W_in and W_out, both (V, D). Training reads the corpus
/// once to count words (Vocabulary, min_count), then once per epoch: each sentence loses some
/// frequent words (subsampling), each remaining word becomes a centre with a window shrunk at
/// random to 1..window, and the pairs (or CBOW bags) it makes are gathered into a batch of
/// about `batch_pairs` examples. One step is the fused loss op (sgns_op.h), `backward()`, and
/// lazy SGD, which updates only the rows the batch used. The learning rate falls linearly
/// from `lr` to lr * 1e-4 over all words of all epochs, as in word2vec.c.
///
/// What the batch changes: word2vec.c updates the tables after every pair; here the gradients
/// of a batch are summed before one update, so a row used many times in a batch (a frequent
/// word, drawn again and again as a negative) moves by many gradients computed at its old
/// value. Measured on the KJV Bible (the share of common words among the 10 nearest neighbours
/// of the words ranked 50 to 550, ours against gensim's; two gensim seeds share 0.64): 0.63
/// with 16 pairs per step (as with 4, nearly online), 0.61 with 128, 0.60 with 1024, and the
/// loss diverges with 8192. A step of 16 pairs (16 x 6 rows of D = 100) already costs far more
/// than the framework's bookkeeping: the fused op runs at about 2.1M pairs/s from 16 to 4096
/// pairs per step (bench/bench_word2vec.cpp). So the default is 16: within 15% of the speed of
/// large batches, with the quality of online SGD.
///
/// Threads (`threads` > 1): the threads take chunks of up to 1,000 sentences in turn, in corpus
/// order and epoch after epoch, and every thread runs the same loop on its chunks (its own
/// batches, fused op, backward and compact gradient) and adds its updates into the two shared
/// tables without a lock, "Hogwild" style (Recht et al. 2011), as word2vec.c and gensim do. Two
/// threads may update one row at the same moment and one update can then be lost; with thousands of
/// rows that is rare and it does not hurt the vectors (docs/performance.md measures it). The price:
/// threaded training is not reproducible bit for bit, since the interleaving of the threads changes
/// every run. One thread (the default) gives the same vectors for a seed every run.
///
/// Left out: hierarchical softmax, phrases.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "io/word2vec_format.h"
#include "tensor/tensor.h"
#include "text/tokenizer.h"
#include "text/vocabulary.h"
#include "word2vec/keyed_vectors.h"
#include "word2vec/sgns_op.h"

namespace embedlab::word2vec {

/// The two word2vec architectures.
enum class Model {
  SkipGram,  ///< the centre word predicts each context word (word2vec's -cbow 0)
  Cbow,      ///< the mean of the context words predicts the centre word (-cbow 1)
};

/// Returns "sg" or "cbow".
/// @param model the architecture
/// @return its short name, as the command line spells it
const char* model_name(Model model);

/// The settings of `Word2Vec`, named and defaulted as word2vec.c and gensim name them.
struct Word2VecOptions {
  Model model = Model::SkipGram;  ///< skip-gram or CBOW
  int64_t dim = 100;              ///< D, the length of each word vector
  int64_t window = 5;             ///< the largest distance between centre and context word
  int64_t negative = 5;           ///< K, negative samples per example
  int64_t min_count = 5;          ///< words seen fewer times are dropped from the corpus
  double sample = 1e-3;           ///< subsampling threshold s (0 keeps every word)
  int64_t epochs = 5;             ///< passes over the corpus
  std::optional<double> lr;       ///< starting learning rate; unset: 0.025 (sg) or 0.05 (cbow)
  uint64_t seed = 1;              ///< seeds initialisation, subsampling, windows and negatives
  int64_t batch_pairs = 16;       ///< examples (pairs, or CBOW bags) gathered per SGD step
  /// Threads that train at once on chunks of the corpus (Hogwild updates, not bit-reproducible);
  /// 1, the default, is reproducible; 0 means one per core (std::thread::hardware_concurrency).
  int64_t threads = 1;
  /// false: the composed ops (slower, for study): the same training for skip-gram, and for CBOW
  /// with CbowContextGrad::Mean (the composed CBOW always sends the true derivative).
  bool fused = true;
  /// CBOW only: word2vec.c's update of the context rows (the default) or the true derivative
  /// of the mean, which trains them n times more slowly (see CbowContextGrad).
  CbowContextGrad cbow_context_grad = CbowContextGrad::Word2Vec;
  text::TokenizerOptions tokenizer;  ///< how the corpus is cut into tokens

  /// Returns the starting learning rate: `lr` when set, else the architecture's default.
  /// @return 0.025 for skip-gram, 0.05 for CBOW, unless `lr` is set
  double start_lr() const;
  /// Returns the number of threads training uses: `threads`, or the number of cores for 0.
  int64_t thread_count() const;
};

/// Throws ValueError naming the first option outside its range (dim, window, negative,
/// min_count >= 1, except negative >= 0; sample >= 0; epochs >= 1; lr > 0 and finite;
/// batch_pairs >= 1; threads between 0 and 1024; at most: dim 2^20, window 10,000,
/// negative 1,000, epochs 10^6, batch_pairs 2^24, so no count computed from them can overflow).
/// @param options the options to check
/// @throws ValueError naming the option and its value.
void check_options(const Word2VecOptions& options);

/// Where training is, handed to the progress callback after every step (of the first thread,
/// when several train: the counts are then those of all threads together).
struct TrainProgress {
  int64_t epoch = 0;            ///< the current epoch, from 0
  int64_t epochs = 0;           ///< the number of epochs
  int64_t words_done = 0;       ///< corpus words read so far, over all epochs (kept or not)
  int64_t total_words = 0;      ///< corpus words in all epochs (the vocabulary's words x epochs)
  int64_t examples_done = 0;    ///< training examples (pairs or bags) so far
  double step_loss = 0.0;       ///< mean loss per example of the last step
  double epoch_loss = 0.0;      ///< mean loss per example since the epoch began
  double lr = 0.0;              ///< the learning rate of the last step
  double seconds = 0.0;         ///< time since the first epoch began
  double words_per_second = 0;  ///< words_done / seconds
};

/// What a finished `train()` reports.
struct TrainStats {
  int64_t vocab_size = 0;       ///< V
  int64_t corpus_words = 0;     ///< words of the corpus in the vocabulary, one epoch
  int64_t words_done = 0;       ///< words read over all epochs
  int64_t examples = 0;         ///< training examples over all epochs
  int64_t steps = 0;            ///< SGD steps
  double final_loss = 0.0;      ///< mean loss per example in the last epoch
  double seconds = 0.0;         ///< time of the epoch passes (vocabulary counting excluded)
  double cpu_seconds = 0.0;     ///< processor time of the same passes (std::clock)
  double words_per_second = 0;  ///< words_done / seconds
  int64_t threads = 1;          ///< threads that trained
};

/// Trains word vectors on a text file and answers similarity questions about them.
///
/// @code
/// Word2Vec model({.dim = 32, .window = 4, .min_count = 2, .epochs = 5});
/// model.train("data/feelings_corpus.txt");
/// for (const auto& [word, cosine] : model.most_similar("happy", 3))
///   fmt::print("{} {:.2f}\n", word, cosine);   // joyful 0.99, glad 0.99, cheerful 0.99
/// @endcode
class Word2Vec {
 public:
  /// The function called after every training step.
  using ProgressCallback = std::function<void(const TrainProgress& progress)>;

  /// Makes an untrained model with the given settings.
  /// @param options the settings
  /// @throws ValueError for an option out of range (see check_options()).
  explicit Word2Vec(Word2VecOptions options = {});

  /// Builds the vocabulary from `corpus_path` and trains both tables from scratch.
  /// @param corpus_path a UTF-8 text file, one sentence per line
  /// @param on_progress called after every step (may be empty)
  /// @return what the training did and how fast
  /// @throws IOError when the file cannot be read; FormatError on invalid UTF-8;
  ///         ValueError when the corpus has no words, or none seen min_count times, or when
  ///         training diverges (the loss becomes NaN or infinite: lower batch_pairs or lr);
  ///         ValueError when the file is a pipe or device (it can be read only once) or when
  ///         training found no example (no sentence keeps two words within the window).
  TrainStats train(const std::string& corpus_path, const ProgressCallback& on_progress = {});

  /// Returns true once `train()` has finished.
  bool trained() const { return vocab_ != nullptr; }
  /// Returns the vocabulary: row i of the tables belongs to vocab().token(i).
  /// @throws ValueError before training.
  const text::Vocabulary& vocab() const;
  /// Returns W_in, the (V, D) word vectors (shares storage with the model).
  /// @throws ValueError before training.
  Tensor vectors() const;
  /// Returns W_out, the (V, D) output vectors used only during training.
  /// @throws ValueError before training.
  Tensor output_vectors() const;
  /// Returns the trained vectors as a `KeyedVectors` (built once after training).
  /// @throws ValueError before training.
  const KeyedVectors& keyed_vectors() const;
  /// Returns the `k` words closest to `word` by cosine similarity (see KeyedVectors).
  /// @throws IndexError naming the word and close spellings when it is not in the vocabulary.
  std::vector<std::pair<std::string, float>> most_similar(const std::string& word,
                                                          int64_t k = 10) const;
  /// Returns the cosine similarity of two words' vectors.
  /// @throws IndexError when a word is not in the vocabulary.
  float similarity(const std::string& a, const std::string& b) const;
  /// Returns the `k` words closest to a - b + c, leaving out a, b and c.
  /// @throws IndexError when a word is not in the vocabulary.
  std::vector<std::pair<std::string, float>> analogy(const std::string& a, const std::string& b,
                                                     const std::string& c, int64_t k = 10) const;
  /// Returns the words and W_in in the layout of the word2vec text format.
  /// @throws ValueError before training.
  io::WordVectors to_word_vectors() const;
  /// Returns the settings.
  const Word2VecOptions& options() const { return options_; }

 private:
  void require_trained(const char* what) const;

  Word2VecOptions options_;
  std::shared_ptr<text::Vocabulary> vocab_;
  Tensor w_in_;
  Tensor w_out_;
  std::shared_ptr<KeyedVectors> keyed_;
};

}  // namespace embedlab::word2vec
