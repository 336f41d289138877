// sampling.cpp: the two word2vec tables that come from word counts. Subsampling decides how
// often a frequent word is skipped as a training centre; the unigram table decides how often
// a word is drawn as a negative ("noise") sample. Both only read the Vocabulary's counts.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "tensor/error.h"
#include "text/vocabulary.h"

namespace embedlab::text {
namespace {

void check_sample(double sample) {
  if (!(sample >= 0.0)) {  // also rejects NaN
    throw ValueError(fmt::format("Vocabulary: subsampling rate must be >= 0, got {}", sample));
  }
}

/// p_keep for a word seen f times in a corpus of T tokens, with rate s (see below).
double keep_probability_for(int64_t f, int64_t total, double sample) {
  if (f <= 0 || sample == 0.0) return 1.0;
  // word2vec.c (Mikolov et al. 2013), with t = s*T the count at which skipping starts:
  //   p_keep(w) = (sqrt(f / t) + 1) * t / f = sqrt(t / f) + t / f,   clamped to 1.
  // For f << t it exceeds 1 (always kept); for f >> t it falls like sqrt(t / f).
  const double threshold = sample * static_cast<double>(total);
  const double f_double = static_cast<double>(f);
  const double p = (std::sqrt(f_double / threshold) + 1.0) * threshold / f_double;
  return p < 1.0 ? p : 1.0;
}

}  // namespace

double Vocabulary::keep_probability(int64_t id, double sample) const {
  check_id(id, "keep_probability");
  check_sample(sample);
  return keep_probability_for(counts_[static_cast<std::size_t>(id)], total_count_, sample);
}

std::vector<double> Vocabulary::keep_probabilities(double sample) const {
  check_sample(sample);
  std::vector<double> table(counts_.size());
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    table[i] = keep_probability_for(counts_[i], total_count_, sample);
  }
  return table;
}

namespace {

/// Checks the UnigramTable arguments; throws ValueError naming the bad one.
void check_table_arguments(const Vocabulary& vocabulary, double power, std::size_t table_size) {
  if (table_size == 0) throw ValueError("UnigramTable: table_size must be > 0, got 0");
  if (!(power >= 0.0) || !std::isfinite(power)) {
    throw ValueError(fmt::format("UnigramTable: power must be finite and >= 0, got {}", power));
  }
  if (vocabulary.size() > std::numeric_limits<int32_t>::max()) {
    throw ValueError(
        fmt::format("UnigramTable: {} ids do not fit the table's 32-bit slots", vocabulary.size()));
  }
}

}  // namespace

UnigramTable::UnigramTable(const Vocabulary& vocabulary, double power, std::size_t table_size) {
  check_table_arguments(vocabulary, power, table_size);
  const std::size_t V = static_cast<std::size_t>(vocabulary.size());

  // Phase 1: the weights count^power and their sum; <unk> and unseen ids weigh 0.
  probabilities_.assign(V, 0.0);
  double sum = 0.0;
  std::size_t first = V;  // the first and last ids with a positive weight
  std::size_t last = 0;
  for (std::size_t i = 0; i < V; ++i) {
    const int64_t count = vocabulary.counts()[i];
    if (static_cast<int64_t>(i) == vocabulary.unk_id() || count <= 0) continue;
    probabilities_[i] = std::pow(static_cast<double>(count), power);
    sum += probabilities_[i];
    first = std::min(first, i);
    last = i;
  }
  if (first == V || !(sum > 0.0) || !std::isfinite(sum)) {
    throw ValueError(fmt::format(
        "UnigramTable: no id other than <unk> has a usable weight count^{} ({} ids)", power, V));
  }
  for (std::size_t i = 0; i < V; ++i) {
    probabilities_[i] /= sum;
  }

  // Phase 2: slot a, whose centre is at (a + 0.5) / N on [0, 1), goes to the id whose
  // cumulative-probability interval contains that point, so id i fills about N * P(i) slots.
  try {
    table_.resize(table_size);
  } catch (const std::exception&) {  // std::bad_alloc or std::length_error
    throw ValueError(
        fmt::format("UnigramTable: cannot allocate a table of {} slots ({} bytes each)", table_size,
                    sizeof(table_[0])));
  }
  std::size_t id = first;
  double cumulative = probabilities_[first];
  for (std::size_t a = 0; a < table_size; ++a) {
    const double position = (static_cast<double>(a) + 0.5) / static_cast<double>(table_size);
    while (position > cumulative && id < last) {
      ++id;
      cumulative += probabilities_[id];
    }
    table_[a] = static_cast<int32_t>(id);
  }
}

double UnigramTable::probability(int64_t id) const {
  if (id < 0 || id >= static_cast<int64_t>(probabilities_.size())) {
    throw IndexError(fmt::format("UnigramTable::probability: id {} out of range [0, {})", id,
                                 probabilities_.size()));
  }
  return probabilities_[static_cast<std::size_t>(id)];
}

}  // namespace embedlab::text
