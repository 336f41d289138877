// BatchSampler (Fisher-Yates shuffling from a seeded Generator) and pad_sequences.
#include "train/batches.h"

#include <algorithm>

#include <fmt/format.h>

#include "tensor/creation.h"
#include "tensor/error.h"

namespace embedlab::train {

BatchSampler::BatchSampler(int64_t num_examples, int64_t batch_size, Options options)
    : batch_size_(batch_size), options_(options), generator_(options.seed) {
  if (num_examples <= 0 || batch_size < 1) {
    throw ValueError(
        fmt::format("BatchSampler: need at least one example and batch_size >= 1, "
                    "got {} examples and batch_size {}",
                    num_examples, batch_size));
  }
  try {
    order_.resize(static_cast<std::size_t>(num_examples));
  } catch (const std::exception&) {  // std::bad_alloc or std::length_error
    throw ValueError(
        fmt::format("BatchSampler: cannot allocate the order of {} examples ({} bytes each)",
                    num_examples, sizeof(int64_t)));
  }
  for (int64_t i = 0; i < num_examples; ++i)
    order_[i] = i;
}

void BatchSampler::start_epoch() {
  ++epoch_;
  if (!options_.shuffle) return;
  // Fisher-Yates: every order equally likely, and the same one for the same seed.
  for (int64_t i = static_cast<int64_t>(order_.size()) - 1; i > 0; --i) {
    std::swap(order_[i], order_[generator_.integer(0, i + 1)]);
  }
}

int64_t BatchSampler::num_batches() const {
  const auto n = static_cast<int64_t>(order_.size());
  // Not (n + batch_size - 1) / batch_size: that overflows for a batch_size near INT64_MAX.
  return n / batch_size_ + (!options_.drop_last && n % batch_size_ != 0 ? 1 : 0);
}

std::span<const int64_t> BatchSampler::batch(int64_t b) const {
  if (b < 0 || b >= num_batches()) {
    throw IndexError(fmt::format("BatchSampler: batch {} out of range [0, {})", b, num_batches()));
  }
  const int64_t begin = b * batch_size_;
  const int64_t end = std::min(begin + batch_size_, static_cast<int64_t>(order_.size()));
  return {order_.data() + begin, static_cast<size_t>(end - begin)};
}

Tensor pad_sequences(const std::vector<std::vector<int64_t>>& sequences,
                     std::span<const int64_t> indices, int64_t pad_id, int64_t max_length) {
  if (indices.empty()) throw ValueError("pad_sequences: no sequences picked");
  if (max_length < 0) {  // it used to mean "no limit" silently, like 0
    throw ValueError(fmt::format(
        "pad_sequences: max_length must be >= 0 (0: the longest sequence picked), got {}",
        max_length));
  }
  int64_t length = 0;
  for (int64_t index : indices) {
    if (index < 0 || index >= static_cast<int64_t>(sequences.size())) {
      throw IndexError(
          fmt::format("pad_sequences: index {} out of range [0, {})", index, sequences.size()));
    }
    length = std::max(length, static_cast<int64_t>(sequences[index].size()));
  }
  if (max_length > 0) length = std::min(length, max_length);
  length = std::max<int64_t>(length, 1);
  const auto B = static_cast<int64_t>(indices.size());
  Tensor out = make_tensor(Shape{B, length}, DType::Int64);
  std::fill(out.ids().begin(), out.ids().end(), pad_id);
  for (int64_t b = 0; b < B; ++b) {
    const std::vector<int64_t>& sequence = sequences[indices[b]];
    const int64_t n = std::min(length, static_cast<int64_t>(sequence.size()));
    std::copy_n(sequence.begin(), n, out.ids().begin() + b * length);
  }
  return out;
}

}  // namespace embedlab::train
