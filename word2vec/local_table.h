/// @file local_table.h
/// @brief A training thread's private copy of a shared table, whose changes it adds into the
/// shared table every so many words (delayed merging, a variant of Hogwild).
///
/// With Hogwild (word2vec/trainer.cpp, `hogwild_sgd_step`) every SGD step writes its rows into
/// the storage all threads share. On a small vocabulary both threads write the same rows
/// constantly, and each write to a row the other core wrote last waits for its cache lines to
/// come over (30 to 260 ns each on this VM): with 5,323 rows, two threads spent 60% more CPU
/// time than one (docs/performance.md, "Threads"). A `LocalTable` keeps the rows in the
/// thread's own memory between merges, so a hot row crosses between the cores once per merge
/// instead of once per step. This is local SGD with delayed synchronisation: the other
/// threads' changes reach this copy only at merges.
#pragma once

#include <cstdint>
#include <vector>

#include "tensor/tensor.h"

namespace embedlab::word2vec {

/// A worker's private copy of a (V, D) table that several threads share: the loss ops read
/// `local()` and its gradient, `sgd_step` updates it, and `merge` adds what changed since the
/// last merge into the shared table and copies the shared table back.
///
/// The merge adds `local[row] - snapshot[row]` (the snapshot is the shared table as the last
/// merge left it) into every row this copy changed, so the other threads' changes to the same
/// row are kept, not overwritten. Merges of several threads run at the same time without a
/// lock, as Hogwild's updates do: two merges adding into one row at once may lose one of the
/// two changes (tests/tsan.supp names `merge`).
class LocalTable {
 public:
  /// Makes a private copy of `shared`, a float (V, D) table.
  /// @param shared the table the threads share (its storage is written by `merge`)
  /// @throws ValueError if `shared` is not a float matrix
  explicit LocalTable(const Tensor& shared);

  /// Returns the private table (requires grad): the tensor the loss ops read.
  const Tensor& local() const { return local_; }

  /// The lazy SGD step on the private table: local[row] -= lr * grad[row] for every row of its
  /// gradient, noting each row for the next merge; then zeroes the gradient.
  /// @param lr the learning rate
  void sgd_step(float lr);

  /// Adds the change of every row noted since the last merge into the shared table,
  /// shared[row] += local[row] - snapshot[row], then sets local = snapshot = shared (every row,
  /// so that the other threads' merged changes reach this copy).
  void merge();

  /// Returns how many rows changed since the last merge.
  int64_t changed_rows() const { return static_cast<int64_t>(changed_.size()); }

 private:
  Tensor shared_;
  Tensor local_;
  std::vector<float> snapshot_;      // the shared table as the last merge left it
  std::vector<int64_t> changed_;     // rows sgd_step wrote since the last merge, each once
  std::vector<uint8_t> is_changed_;  // is_changed_[row] == 1 when row is in changed_
};

}  // namespace embedlab::word2vec
