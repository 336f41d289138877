// LocalTable: a thread's private copy of a shared table, its SGD step, and the merge that adds
// the copy's change into the shared table (see local_table.h for why).
#include "word2vec/local_table.h"

#include <algorithm>

#include <fmt/format.h>

#include "autograd/grad_rows.h"
#include "tensor/creation.h"
#include "tensor/error.h"

namespace embedlab::word2vec {

LocalTable::LocalTable(const Tensor& shared) : shared_(shared) {
  if (shared.dtype() != DType::Float32 || shared.shape().rank() != 2) {
    throw ValueError(fmt::format("LocalTable: the shared table must be a float matrix, got {} {}",
                                 shared.shape().to_string(), dtype_name(shared.dtype())));
  }
  local_ = zeros(shared.shape()).requires_grad_();
  snapshot_.assign(static_cast<size_t>(shared.numel()), 0.0f);
  is_changed_.assign(static_cast<size_t>(shared.size(0)), 0);
  merge();  // no row changed yet: copies the shared table (inside merge, which may race)
}

void LocalTable::sgd_step(float lr) {
  const int64_t D = local_.shape().cols();
  float* table = local_.data().data();
  for_each_grad_row(
      local_,
      [&](int64_t row, const float* grad) {
        float* p = table + row * D;
        for (int64_t c = 0; c < D; ++c)
          p[c] -= lr * grad[c];
        if (!is_changed_[row]) {
          is_changed_[row] = 1;
          changed_.push_back(row);
        }
      },
      [&](int64_t ahead) { prefetch_row(table + ahead * D, D); });
  zero_grad(local_);
  bump_version(local_);  // private: no other graph reads it, but a retained one must refuse it
}

// Never inlined, so that its name is on the stack ThreadSanitizer reports: the reads and writes
// of the shared storage race with the other threads' merges on purpose (tests/tsan.supp).
[[gnu::noinline]] void LocalTable::merge() {
  const int64_t D = local_.shape().cols();
  float* shared = shared_.impl()->storage->values.data();
  float* local = local_.data().data();
  float* snapshot = snapshot_.data();
  for (const int64_t row : changed_) {
    float* s = shared + row * D;
    const float* l = local + row * D;
    const float* before = snapshot + row * D;
    for (int64_t c = 0; c < D; ++c)
      s[c] += l[c] - before[c];
    is_changed_[row] = 0;
  }
  changed_.clear();
  const size_t n = snapshot_.size();
  for (size_t i = 0; i < n; ++i)
    snapshot[i] = shared[i];
  std::copy(snapshot, snapshot + n, local);
  bump_version(local_);
}

}  // namespace embedlab::word2vec
