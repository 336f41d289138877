// ExampleBuilder: subsampling, the randomly shrunk window and negative sampling, in the order
// word2vec.c applies them. Everything here is integer bookkeeping; the floating-point work is
// in the loss ops.
#include "word2vec/examples.h"

#include <algorithm>

#include <fmt/format.h>

#include "tensor/error.h"

namespace embedlab::word2vec {

namespace {

// Slots of the unigram table: about 100 per word, at least 1e6 (so rare words keep a fair
// share) and at most 1e7 (40 MB). word2vec.c uses 1e8 slots; a table that fits the L3 cache
// makes each draw a cache hit instead of a trip to memory.
std::size_t table_size_for(int64_t V) {
  return static_cast<std::size_t>(std::clamp<int64_t>(V * 20, 100'000, 10'000'000));
}

std::vector<float> keep_table(const text::Vocabulary& vocab, double sample) {
  const std::vector<double> keep = vocab.keep_probabilities(sample);
  return std::vector<float>(keep.begin(), keep.end());
}

// A number in [0, range) from 64 random bits, by a multiply and a shift (Lemire's method)
// instead of `random % range`: a 64-bit division costs tens of cycles, and word2vec draws one
// number per negative sample. Uses the top 32 bits, so range must stay below 2^32.
uint64_t below(uint64_t random, uint64_t range) {
  return ((random >> 32) * range) >> 32;
}

ExampleOptions checked(ExampleOptions options) {
  if (options.window < 1 || options.negative < 0) {
    throw ValueError(
        fmt::format("ExampleBuilder: window must be >= 1 and negative >= 0, got "
                    "window {} and negative {}",
                    options.window, options.negative));
  }
  return options;
}

}  // namespace

void Batch::clear() {
  inputs.clear();
  offsets.clear();
  targets.clear();
  num_examples = 0;
}

ExampleBuilder::ExampleBuilder(const text::Vocabulary& vocab, ExampleOptions options, uint64_t seed)
    : options_(checked(options)),
      keep_(keep_table(vocab, options.sample)),
      table_(vocab, 0.75, table_size_for(vocab.size())),
      random_(seed),
      next_slots_(static_cast<size_t>(options_.negative)) {
  for (uint64_t& slot : next_slots_)
    slot = below(random_.next_u64(), table_.table().size());
}

void ExampleBuilder::subsample(std::span<const int64_t> sentence, std::vector<int64_t>& kept,
                               std::vector<int64_t>& positions) {
  kept.clear();
  positions.clear();
  for (size_t i = 0; i < sentence.size(); ++i) {
    const float keep = keep_[sentence[i]];
    if (keep < 1.0f && random_.uniform() >= keep) continue;  // skipped this time
    kept.push_back(sentence[i]);
    positions.push_back(static_cast<int64_t>(i));
  }
}

void ExampleBuilder::add_negatives(int64_t positive, Batch& batch) {
  // table_.sample(r) picks slot r % size; the same uniform slot choice, without the division.
  // Each negative uses the slot drawn one example ago and draws (and prefetches) the next.
  const std::vector<int32_t>& slots = table_.table();
  batch.targets.push_back(positive);
  for (uint64_t& slot : next_slots_) {
    batch.targets.push_back(slots[slot]);
    slot = below(random_.next_u64(), slots.size());
    __builtin_prefetch(slots.data() + slot);
  }
}

int64_t ExampleBuilder::add_examples(std::span<const int64_t> kept, size_t pos, Batch& batch) {
  // The effective window b is 1..window, drawn per centre as word2vec.c does.
  const auto b = options_.window - static_cast<int64_t>(below(random_.next_u64(), options_.window));
  const auto n = static_cast<int64_t>(kept.size()), center = static_cast<int64_t>(pos);
  const int64_t first = std::max<int64_t>(0, center - b), last = std::min(n - 1, center + b);
  if (!options_.cbow) {
    for (int64_t j = first; j <= last; ++j) {
      if (j == center) continue;
      batch.inputs.push_back(kept[pos]);
      add_negatives(kept[j], batch);
    }
    const int64_t added = last - first;  // every position in the window but the centre
    batch.num_examples += added;
    return added;
  }
  if (last == first) return 0;  // a one-word sentence: no context to average
  batch.offsets.push_back(static_cast<int64_t>(batch.inputs.size()));
  for (int64_t j = first; j <= last; ++j) {
    if (j != center) batch.inputs.push_back(kept[j]);
  }
  add_negatives(kept[pos], batch);
  batch.num_examples += 1;
  return 1;
}

}  // namespace embedlab::word2vec
