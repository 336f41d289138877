/// @file batches.h
/// @brief Batching for training loops: seeded shuffling of example indices, and padding
/// variable-length id sequences into one (B, L) id matrix.
///
/// A tiny stand-in for PyTorch's DataLoader: the dataset is whatever vector the caller keeps;
/// `BatchSampler` only decides which indices go together, so it works for any data.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "tensor/random.h"
#include "tensor/tensor.h"

namespace embedlab::train {

/// Splits example indices 0..N-1 into batches, reshuffled each epoch from a seed.
///
/// @code
/// train::BatchSampler sampler(60, 16, {.shuffle = true, .seed = 7});
/// for (int epoch = 0; epoch < 3; ++epoch) {
///   sampler.start_epoch();
///   for (int64_t b = 0; b < sampler.num_batches(); ++b) use(sampler.batch(b));
/// }
/// @endcode
class BatchSampler {
 public:
  /// How the sampler orders and cuts the indices.
  struct Options {
    bool shuffle = true;     ///< reshuffle at every start_epoch()
    uint64_t seed = 0;       ///< seed of the shuffling
    bool drop_last = false;  ///< leave out a last batch smaller than batch_size
  };

  /// Makes a sampler over `num_examples` examples in batches of `batch_size`.
  /// @throws ValueError when num_examples is 0 or batch_size < 1.
  BatchSampler(int64_t num_examples, int64_t batch_size, Options options);
  /// Begins a new epoch: reshuffles the order when shuffling is on.
  void start_epoch();
  /// Returns the number of batches in one epoch.
  int64_t num_batches() const;
  /// Returns the example indices of batch `b` of the current epoch.
  /// @throws IndexError when b is out of range.
  std::span<const int64_t> batch(int64_t b) const;
  /// Returns the number of epochs started so far.
  int64_t epoch() const { return epoch_; }

 private:
  std::vector<int64_t> order_;
  int64_t batch_size_;
  Options options_;
  Generator generator_;
  int64_t epoch_ = 0;
};

/// Makes a (B, L) int64 matrix from the sequences picked by `indices`: row b is sequence
/// indices[b], cut to `max_length` (0: the longest picked) and filled up with `pad_id`.
/// @throws ValueError when indices is empty or max_length is negative; IndexError for an index
/// out of range.
Tensor pad_sequences(const std::vector<std::vector<int64_t>>& sequences,
                     std::span<const int64_t> indices, int64_t pad_id, int64_t max_length = 0);

}  // namespace embedlab::train
