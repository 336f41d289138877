// KeyedVectors: word -> row lookup, the unit-length copy of the table, and the queries that
// rank every word by cosine similarity with one matrix-vector product.
#include "word2vec/keyed_vectors.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "autograd/node.h"
#include "autograd/ops.h"
#include "tensor/creation.h"
#include "tensor/error.h"

namespace embedlab::word2vec {

namespace {

// A vocabulary whose ids are the rows: counts V, V - 1, ..., 1 keep the given order (the
// vocabulary orders ids by descending count). Also rejects empty and repeated words.
text::Vocabulary row_vocabulary(const std::vector<std::string>& words) {
  if (words.empty()) throw ValueError("KeyedVectors: needs at least one word, got none");
  const auto V = static_cast<int64_t>(words.size());
  text::TokenCounts counts;
  for (int64_t row = 0; row < V; ++row) {
    if (words[row].empty()) throw ValueError(fmt::format("KeyedVectors: word {} is empty", row));
    const auto [it, added] = counts.emplace(words[row], V - row);
    if (!added) {
      throw ValueError(fmt::format("KeyedVectors: word \"{}\" appears twice (rows {} and {})",
                                   words[row], V - it->second, row));
    }
  }
  return text::Vocabulary::build(counts, {.min_count = 1, .add_unk = false});
}

// Copies a (V, D) float matrix, refusing NaN and infinity (they would poison every cosine).
Tensor checked_copy(const Tensor& vectors, int64_t V) {
  if (!vectors.defined() || vectors.dtype() != DType::Float32 || vectors.rank() != 2 ||
      vectors.size(0) != V || vectors.size(1) < 1) {
    throw ShapeError(fmt::format("KeyedVectors: vectors must be a float32 ({}, D) matrix, got {}",
                                 V, vectors.defined() ? vectors.shape().to_string() : "nothing"));
  }
  std::span<const float> values = vectors.data();
  for (size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      throw ValueError(fmt::format("KeyedVectors: row {} column {} is {}", i / vectors.size(1),
                                   i % vectors.size(1), values[i]));
    }
  }
  return from_vector(std::vector<float>(values.begin(), values.end()), vectors.shape());
}

// Each row divided by its Euclidean length; a zero row stays zero (its cosines are 0).
Tensor unit_rows(const Tensor& x) {
  const int64_t V = x.size(0), D = x.size(1);
  Tensor unit = zeros(x.shape());
  for (int64_t r = 0; r < V; ++r) {
    const float* row = x.data().data() + r * D;
    double squares = 0.0;
    for (int64_t c = 0; c < D; ++c)
      squares += double(row[c]) * row[c];
    if (squares == 0.0) continue;
    const auto inv_length = static_cast<float>(1.0 / std::sqrt(squares));
    for (int64_t c = 0; c < D; ++c)
      unit.data()[r * D + c] = row[c] * inv_length;
  }
  return unit;
}

void check_k(int64_t k) {
  if (k < 1) throw ValueError(fmt::format("KeyedVectors: k must be at least 1, got {}", k));
}

}  // namespace

KeyedVectors::KeyedVectors(std::vector<std::string> words, const Tensor& vectors)
    : words_(std::move(words)),
      vocab_(row_vocabulary(words_)),
      vectors_(checked_copy(vectors, static_cast<int64_t>(words_.size()))),
      unit_(unit_rows(vectors_)) {}

KeyedVectors KeyedVectors::from_word_vectors(const io::WordVectors& vectors) {
  io::check_word_vectors(vectors, "KeyedVectors::from_word_vectors");
  const auto V = static_cast<int64_t>(vectors.words.size());
  return KeyedVectors(vectors.words, from_vector(vectors.values, Shape{V, vectors.dim}));
}

KeyedVectors KeyedVectors::load_word2vec_text(const std::string& path) {
  return from_word_vectors(io::load_word2vec_text(path));
}

io::WordVectors KeyedVectors::to_word_vectors() const {
  std::span<const float> values = vectors_.data();
  return {words_, dim(), std::vector<float>(values.begin(), values.end())};
}

int64_t KeyedVectors::index(std::string_view word) const {
  const int64_t row = vocab_.find(word);
  if (row >= 0) return row;
  std::string hint;
  for (const std::string& close : vocab_.suggestions(word))
    hint += fmt::format("{}\"{}\"", hint.empty() ? "" : ", ", close);
  throw IndexError(fmt::format("word \"{}\" is not in the vocabulary ({} words){}", word, size(),
                               hint.empty() ? "" : fmt::format("; did you mean {}?", hint)));
}

Tensor KeyedVectors::vector(std::string_view word) const {
  const int64_t row = index(word);
  const float* begin = vectors_.data().data() + row * dim();
  return from_vector(std::vector<float>(begin, begin + dim()), Shape{dim()});
}

std::vector<Neighbor> KeyedVectors::most_similar(std::string_view word, int64_t k) const {
  const int64_t row = index(word);
  return most_similar_to_vector(select(unit_, row), k, {row});
}

std::vector<Neighbor> KeyedVectors::most_similar_to_vector(
    const Tensor& query, int64_t k, const std::vector<int64_t>& exclude) const {
  check_k(k);
  if (!query.defined() || query.dtype() != DType::Float32 || query.rank() != 1 ||
      query.size(0) != dim()) {
    throw ShapeError(fmt::format("KeyedVectors: the query must be a float32 ({}) vector, got {}",
                                 dim(), query.defined() ? query.shape().to_string() : "nothing"));
  }
  NoGradGuard no_grad;
  Tensor direction = unit_rows(reshape(query, Shape{1, dim()}));
  // Phase 1: all V cosines at once, (V, D) unit rows times the (D) unit query.
  Tensor scores = matmul(unit_, reshape(direction, Shape{dim()}));
  std::span<float> cosine = scores.data();
  for (int64_t row : exclude) {
    if (row >= 0 && row < size()) cosine[row] = -std::numeric_limits<float>::infinity();
  }
  // Phase 2: the k best rows by a partial sort (ties: the more frequent, lower row first).
  std::vector<int64_t> rows;
  rows.reserve(words_.size());
  for (int64_t row = 0; row < size(); ++row) {
    if (cosine[row] != -std::numeric_limits<float>::infinity()) rows.push_back(row);
  }
  const auto top = std::min(static_cast<size_t>(k), rows.size());
  std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(top), rows.end(),
                    [&](int64_t a, int64_t b) {
                      return cosine[a] > cosine[b] || (cosine[a] == cosine[b] && a < b);
                    });
  std::vector<Neighbor> result;
  for (size_t i = 0; i < top; ++i)
    result.emplace_back(words_[rows[i]], cosine[rows[i]]);
  return result;
}

float KeyedVectors::similarity(std::string_view a, std::string_view b) const {
  const float* x = unit_.data().data() + index(a) * dim();
  const float* y = unit_.data().data() + index(b) * dim();
  double total = 0.0;
  for (int64_t c = 0; c < dim(); ++c)
    total += double(x[c]) * y[c];
  return static_cast<float>(total);
}

std::vector<Neighbor> KeyedVectors::analogy(std::string_view a, std::string_view b,
                                            std::string_view c, int64_t k) const {
  const int64_t ia = index(a), ib = index(b), ic = index(c);
  NoGradGuard no_grad;
  Tensor target = select(unit_, ia) - select(unit_, ib) + select(unit_, ic);
  return most_similar_to_vector(target, k, {ia, ib, ic});
}

}  // namespace embedlab::word2vec
