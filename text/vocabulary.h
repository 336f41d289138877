/// @file vocabulary.h
/// @brief The vocabulary (token <-> id, with counts) and the two word2vec tables built on counts.
///
/// Vocabulary maps each kept token to an integer id, the row it will own in an embedding
/// table of shape (V, D). Ids are deterministic: `<unk>` (when added) is id 0, then tokens by
/// descending count, ties broken by the token's bytes. On top of the counts sit the two
/// word2vec tools: frequent-word subsampling (keep_probability) and the unigram^0.75 table
/// that draws negative samples (UnigramTable). Tokenizing and reading files live in
/// tokenizer.h and corpus.h; this file only counts and looks up.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace embedlab::text {

/// A string hash that also accepts std::string_view, so lookups need no temporary std::string.
struct TokenHash {
  /// Marks the hash as transparent (heterogeneous lookup).
  using is_transparent = void;
  /// Hashes the bytes of a token.
  /// @param token the token
  /// @return its hash
  std::size_t operator()(std::string_view token) const {
    return std::hash<std::string_view>{}(token);
  }
};

/// How many times each token occurs; look it up with a std::string_view as well as a std::string.
using TokenCounts = std::unordered_map<std::string, int64_t, TokenHash, std::equal_to<>>;

/// Adds one occurrence of `token` to `counts` (allocates only the first time a token is seen).
/// @param counts the counts to update
/// @param token the token seen
void add_count(TokenCounts& counts, std::string_view token);

/// Settings for Vocabulary::build().
struct VocabularyOptions {
  /// Tokens seen fewer times than this are left out (word2vec's -min-count).
  int64_t min_count = 1;
  /// The largest number of ids, `<unk>` included; 0 means no limit. The rarest tokens go first.
  std::size_t max_size = 0;
  /// Reserve id 0 for the unknown token, which stands for every token left out.
  bool add_unk = true;
  /// The spelling of the unknown token.
  std::string unk_token = "<unk>";
};

/// Maps tokens to ids and back, and remembers how often each token occurred.
///
/// The count of `<unk>` is the number of corpus tokens that were left out (below min_count or
/// past max_size), and total_count() is the sum over all ids, so it equals the number of
/// tokens in the corpus when `<unk>` is present. With add_unk = false, left-out tokens are simply
/// not counted, as in word2vec.
/// @code
/// auto vocab = Vocabulary::build(tokenize("the cat saw the dog"));
/// vocab.size();       // 5: `<unk>`, the, cat, dog, saw
/// vocab.id("the");    // 1
/// vocab.token(2);     // "cat"
/// vocab.count(1);     // 2
/// @endcode
class Vocabulary {
 public:
  /// Builds a vocabulary from token counts.
  /// @param counts how many times each token occurred (counts must be >= 0)
  /// @param options min_count, max_size and the `<unk>` policy
  /// @return the vocabulary, ids ordered as described in the file comment
  /// @throws ValueError for a negative count or min_count, or when no token survives
  ///         (the message names min_count and the number of distinct tokens seen)
  static Vocabulary build(const TokenCounts& counts, const VocabularyOptions& options = {});

  /// Counts a stream of tokens, then builds the vocabulary from the counts.
  /// @param tokens the tokens of a corpus, in any order
  /// @param options min_count, max_size and the `<unk>` policy
  /// @return the vocabulary
  /// @throws ValueError when no token survives, as for the other build()
  static Vocabulary build(const std::vector<std::string>& tokens,
                          const VocabularyOptions& options = {});

  /// The number of ids, `<unk>` included: V, the rows of an embedding table.
  /// @return V
  int64_t size() const { return static_cast<int64_t>(tokens_.size()); }

  /// Returns the id of a token.
  ///
  /// A miss scans the vocabulary for suggestions, so in hot loops use find() or id_or_unk().
  /// @param token the token to look up
  /// @return its id in [0, size())
  /// @throws IndexError naming the token and up to 3 close spellings ("did you mean ...")
  int64_t id(std::string_view token) const;

  /// Returns the id of a token, or the id of `<unk>` when it is not in the vocabulary.
  /// @param token the token to look up
  /// @return its id, or unk_id()
  /// @throws ValueError when the token is unknown and the vocabulary has no `<unk>`
  int64_t id_or_unk(std::string_view token) const;

  /// Returns the id of a token, or -1 when it is not in the vocabulary.
  /// @param token the token to look up
  /// @return its id, or -1
  int64_t find(std::string_view token) const;

  /// Tells whether the vocabulary has an id for `token`.
  /// @param token the token
  /// @return true when find(token) >= 0
  bool contains(std::string_view token) const { return find(token) >= 0; }

  /// Returns the token that owns an id.
  /// @param id an id in [0, size())
  /// @return the token
  /// @throws IndexError with the id and the valid range
  const std::string& token(int64_t id) const;

  /// Returns how many times the token with this id occurred in the corpus.
  /// @param id an id in [0, size())
  /// @return its count
  /// @throws IndexError with the id and the valid range
  int64_t count(int64_t id) const;

  /// The sum of count(id) over all ids (T in the subsampling formula).
  /// @return the total count
  int64_t total_count() const { return total_count_; }

  /// Tells whether the vocabulary has an `<unk>` id.
  /// @return true when built with add_unk
  bool has_unk() const { return unk_id_ >= 0; }

  /// The id of `<unk>` (0), or -1 when the vocabulary has none.
  /// @return the id of the unknown token
  int64_t unk_id() const { return unk_id_; }

  /// All tokens in id order (tokens()[id] == token(id)).
  /// @return the tokens
  const std::vector<std::string>& tokens() const { return tokens_; }

  /// All counts in id order (counts()[id] == count(id)).
  /// @return the counts
  const std::vector<int64_t>& counts() const { return counts_; }

  /// Returns up to `max_suggestions` tokens of the vocabulary spelled close to `token`.
  ///
  /// Closeness is the edit distance in code points (at most 1 for tokens of up to 4
  /// characters, 2 otherwise); only tokens whose length is within that distance are compared,
  /// which keeps it cheap on large vocabularies. Closest first, then most frequent.
  /// @param token a (usually misspelt) token
  /// @param max_suggestions how many to return at most
  /// @return the suggestions, possibly none
  std::vector<std::string> suggestions(std::string_view token,
                                       std::size_t max_suggestions = 3) const;

  /// The probability that word2vec's subsampling keeps one occurrence of the token `id`.
  ///
  /// With f = count(id), T = total_count() and s = sample:
  ///   p_keep = (sqrt(f / (s*T)) + 1) * (s*T) / f, clamped to at most 1.
  /// Words rarer than about s*T are always kept; a word making up a fraction x of the corpus
  /// is kept with probability about sqrt(s/x). A count of 0 or sample 0 gives 1 (keep all).
  /// @param id an id in [0, size())
  /// @param sample s, word2vec's -sample (typically 1e-3 to 1e-5); 0 turns subsampling off
  /// @return p_keep in (0, 1]
  /// @throws IndexError for a bad id; ValueError for a negative or NaN sample
  double keep_probability(int64_t id, double sample) const;

  /// keep_probability() for every id, as a table indexed by id.
  /// @param sample s, as for keep_probability()
  /// @return size() probabilities
  /// @throws ValueError for a negative or NaN sample
  std::vector<double> keep_probabilities(double sample) const;

 private:
  /// Range-checks an id; `what` names the calling method in the message.
  void check_id(int64_t id, const char* what) const;

  std::vector<std::string> tokens_;                                           // id -> token
  std::vector<int64_t> counts_;                                               // id -> count
  std::unordered_map<std::string, int64_t, TokenHash, std::equal_to<>> ids_;  // token -> id
  int64_t total_count_ = 0;
  int64_t unk_id_ = -1;
};

/// The word2vec table for drawing negative samples: id i fills a share of slots proportional to
/// count(i)^power.
///
/// Drawing a uniformly random slot then gives P(i) = count(i)^0.75 / sum_j count(j)^0.75:
/// frequent words are drawn often, but less than in proportion to their count, so rare words
/// get a chance. `<unk>` gets no slot: it stands for many different rare words, not one word,
/// so it makes a poor "noise" word. Memory: table_size 32-bit ids (40 MB for 1e7).
/// @code
/// // counts a:16, b:1 -> weights 16^0.75 = 8 and 1 -> a fills 8 of 9 slots
/// UnigramTable table(vocab, 0.75, 9);
/// table.sample(rng());  // the id of "a" with probability 8/9
/// @endcode
class UnigramTable {
 public:
  /// Fills the table from the vocabulary's counts.
  /// @param vocabulary the vocabulary (only its counts are used; it may be destroyed afterwards)
  /// @param power the exponent on counts (0.75 in word2vec; 1 = plain unigram, 0 = uniform)
  /// @param table_size the number of slots; more slots follow the probabilities more closely
  /// @throws ValueError for table_size 0, a negative or NaN power, more than 2^31 ids, or
  ///         when no id other than `<unk>` has a positive count
  explicit UnigramTable(const Vocabulary& vocabulary, double power = 0.75,
                        std::size_t table_size = 10'000'000);

  /// Draws one id, given a uniformly random 64-bit number (for example from std::mt19937_64).
  /// @param random a uniformly distributed 64-bit random number
  /// @return the id stored in slot ((random >> 32) * table_size()) >> 32
  int64_t sample(uint64_t random) const {
    // Multiply-shift maps the top 32 random bits onto [0, size) without a 64-bit division,
    // which would dominate the cost of drawing negatives.
    return table_[static_cast<std::size_t>(((random >> 32) * table_.size()) >> 32)];
  }

  /// The exact probability of drawing `id`: count(id)^power / sum_j count(j)^power (0 for `<unk>`).
  /// @param id an id of the vocabulary
  /// @return the probability the table approximates
  /// @throws IndexError for an id outside [0, V)
  double probability(int64_t id) const;

  /// The number of slots.
  /// @return the table size
  std::size_t size() const { return table_.size(); }

  /// The slots themselves, each holding an id (for tests and for drawing pictures).
  /// @return the table
  const std::vector<int32_t>& table() const { return table_; }

 private:
  std::vector<int32_t> table_;         // slot -> id
  std::vector<double> probabilities_;  // id -> exact probability
};

}  // namespace embedlab::text
