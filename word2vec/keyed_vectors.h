/// @file keyed_vectors.h
/// @brief `KeyedVectors`: a table of word vectors you can ask questions of (nearest words,
/// similarity, analogies), like gensim's KeyedVectors.
///
/// It holds the words, the (V, D) vectors, and a copy with every row scaled to length 1. A
/// nearest-neighbour query is then one matrix-vector product, unit table (V, D) times the
/// query's unit vector (D), which gives the V cosine similarities at once, followed by a
/// partial sort for the top k. That is the course's vectorisation (向量化) at work: one
/// operation over the whole table instead of a loop over words.
///
/// Left out: approximate search (fine for tables of up to about a million words on one core).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "io/word2vec_format.h"
#include "tensor/tensor.h"
#include "text/vocabulary.h"

namespace embedlab::word2vec {

/// One answer of a similarity query: a word and its cosine similarity to the query.
using Neighbor = std::pair<std::string, float>;

/// Word vectors with nearest-neighbour, similarity and analogy queries.
///
/// @code
/// KeyedVectors kv = KeyedVectors::load_word2vec_text("vectors.txt");
/// kv.most_similar("happy", 2);        // {{"glad", 0.93}, {"joyful", 0.91}}
/// kv.analogy("king", "man", "woman");  // "queen" first, if the corpus taught it
/// auto embed = nn::Embedding::from_pretrained(kv.vectors());   // frozen (V, D) layer
/// @endcode
class KeyedVectors {
 public:
  /// Makes the table from words and their (V, D) vectors (row i belongs to words[i]).
  /// @param words V distinct, non-empty words
  /// @param vectors a (V, D) float32 matrix; it is copied, so the table never changes
  /// @throws ValueError for no words, an empty or repeated word (named), or a NaN/Inf value;
  ///         ShapeError when `vectors` is not (V, D).
  KeyedVectors(std::vector<std::string> words, const Tensor& vectors);

  /// Makes the table from vectors loaded from (or made for) the word2vec text format.
  /// @param vectors the words and values
  /// @return the table
  /// @throws ValueError as the constructor.
  static KeyedVectors from_word_vectors(const io::WordVectors& vectors);
  /// Loads a word2vec text file (as written by gensim, word2vec.c or embedlab).
  /// @param path the file
  /// @return the table
  /// @throws IOError when it cannot be read; FormatError naming the bad line.
  static KeyedVectors load_word2vec_text(const std::string& path);
  /// Returns the table in the layout of the word2vec text format (original, unnormalised).
  io::WordVectors to_word_vectors() const;

  /// Returns V, the number of words.
  int64_t size() const { return static_cast<int64_t>(words_.size()); }
  /// Returns D, the length of each vector.
  int64_t dim() const { return vectors_.size(1); }
  /// Returns the words, in row order.
  const std::vector<std::string>& words() const { return words_; }
  /// Returns true when `word` has a vector.
  bool contains(std::string_view word) const { return vocab_.contains(word); }
  /// Returns the row of `word`.
  /// @throws IndexError naming the word and up to three close spellings.
  int64_t index(std::string_view word) const;
  /// Returns the (V, D) vectors, ready for `nn::Embedding::from_pretrained`.
  Tensor vectors() const { return vectors_; }
  /// Returns the (V, D) vectors scaled to length 1 (a zero row stays zero).
  Tensor unit_vectors() const { return unit_; }
  /// Returns a copy of the (D) vector of `word`.
  /// @throws IndexError when the word is unknown.
  Tensor vector(std::string_view word) const;

  /// Returns the `k` words with the highest cosine similarity to `word`, best first, without
  /// `word` itself.
  /// @throws IndexError when the word is unknown; ValueError when k < 1.
  std::vector<Neighbor> most_similar(std::string_view word, int64_t k = 10) const;
  /// Returns the `k` words with the highest cosine similarity to `query` (D), best first,
  /// leaving out the rows listed in `exclude`.
  /// @throws ShapeError when `query` is not (D); ValueError when k < 1.
  std::vector<Neighbor> most_similar_to_vector(const Tensor& query, int64_t k = 10,
                                               const std::vector<int64_t>& exclude = {}) const;
  /// Returns cos(a, b), the cosine similarity of two words' vectors (0 if one is all zero).
  /// @throws IndexError when a word is unknown.
  float similarity(std::string_view a, std::string_view b) const;
  /// Returns the `k` words closest to unit(a) - unit(b) + unit(c), leaving out a, b and c:
  /// analogy("king", "man", "woman") asks "man is to king as woman is to ?".
  /// @throws IndexError when a word is unknown; ValueError when k < 1.
  std::vector<Neighbor> analogy(std::string_view a, std::string_view b, std::string_view c,
                                int64_t k = 10) const;

 private:
  std::vector<std::string> words_;
  text::Vocabulary vocab_;  // word -> row (ids equal rows) and "did you mean" suggestions
  Tensor vectors_;          // (V, D) as given
  Tensor unit_;             // (V, D), each row divided by its length
};

}  // namespace embedlab::word2vec
