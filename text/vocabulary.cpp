// vocabulary.cpp: building the id order from counts, and looking tokens up (with "did you
// mean" suggestions when a lookup fails). The word2vec sampling tables are in sampling.cpp.
#include "text/vocabulary.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "tensor/error.h"
#include "text/utf8.h"

namespace embedlab::text {

void add_count(TokenCounts& counts, std::string_view token) {
  const auto it = counts.find(token);
  if (it != counts.end()) {
    ++it->second;
  } else {
    counts.emplace(std::string(token), 1);
  }
}

namespace {

/// One token that survived min_count, before ids are given out.
struct Candidate {
  const std::string* token;
  int64_t count;
};

/// Checks the options and the counts; throws ValueError naming the bad value.
void check_build_input(const TokenCounts& counts, const VocabularyOptions& options) {
  if (options.min_count < 0) {
    throw ValueError(fmt::format("Vocabulary: min_count must be >= 0, got {}", options.min_count));
  }
  if (options.add_unk && options.max_size == 1) {
    throw ValueError(fmt::format("Vocabulary: max_size 1 leaves no room for tokens besides {}",
                                 options.unk_token));
  }
  for (const auto& [token, count] : counts) {
    if (count < 0) {
      throw ValueError(
          fmt::format("Vocabulary: token \"{}\" has a negative count {}", token, count));
    }
  }
}

/// The error for a corpus in which no token survives min_count.
ValueError empty_vocabulary_error(const TokenCounts& counts, const VocabularyOptions& options) {
  if (counts.empty()) {
    return ValueError(
        fmt::format("Vocabulary: the corpus is empty (0 distinct tokens seen, min_count {})",
                    options.min_count));
  }
  const auto most =
      std::max_element(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
        return a.second < b.second || (a.second == b.second && a.first > b.first);
      });
  return ValueError(fmt::format(
      "Vocabulary: no token reaches min_count {} ({} distinct tokens seen; the most frequent, "
      "\"{}\", occurs {} times)",
      options.min_count, counts.size(), most->first, most->second));
}

/// Phases 1 to 3 of build(): the kept tokens in id order, and the count left for <unk>.
std::vector<Candidate> select_tokens(const TokenCounts& counts, const VocabularyOptions& options,
                                     int64_t& unk_count) {
  // Phase 1: keep the tokens that reach min_count; everything else is counted towards <unk>.
  std::vector<Candidate> kept;
  unk_count = 0;
  for (const auto& [token, count] : counts) {
    if (options.add_unk && token == options.unk_token) {
      unk_count += count;  // a literal "<unk>" in the counts merges with the unknown token
    } else if (count >= options.min_count) {
      kept.push_back(Candidate{&token, count});
    } else {
      unk_count += count;
    }
  }
  // Phase 2: the deterministic id order, most frequent first, ties by the token's bytes.
  std::sort(kept.begin(), kept.end(), [](const Candidate& a, const Candidate& b) {
    return a.count != b.count ? a.count > b.count : *a.token < *b.token;
  });
  // Phase 3: cut to max_size, dropping the rarest tokens into <unk>.
  const std::size_t reserved = options.add_unk ? 1 : 0;
  if (options.max_size > 0 && kept.size() + reserved > options.max_size) {
    for (std::size_t i = options.max_size - reserved; i < kept.size(); ++i) {
      unk_count += kept[i].count;
    }
    kept.resize(options.max_size - reserved);
  }
  return kept;
}

}  // namespace

Vocabulary Vocabulary::build(const TokenCounts& counts, const VocabularyOptions& options) {
  check_build_input(counts, options);
  int64_t unk_count = 0;
  const std::vector<Candidate> kept = select_tokens(counts, options, unk_count);
  if (kept.empty()) throw empty_vocabulary_error(counts, options);

  // Phase 4: give out the ids.
  Vocabulary vocab;
  if (options.add_unk) {
    vocab.unk_id_ = 0;
    vocab.tokens_.push_back(options.unk_token);
    vocab.counts_.push_back(unk_count);
  }
  for (const Candidate& candidate : kept) {
    vocab.tokens_.push_back(*candidate.token);
    vocab.counts_.push_back(candidate.count);
  }
  vocab.ids_.reserve(vocab.tokens_.size());
  for (std::size_t i = 0; i < vocab.tokens_.size(); ++i) {
    vocab.ids_.emplace(vocab.tokens_[i], static_cast<int64_t>(i));
    vocab.total_count_ += vocab.counts_[i];
  }
  return vocab;
}

Vocabulary Vocabulary::build(const std::vector<std::string>& tokens,
                             const VocabularyOptions& options) {
  TokenCounts counts;
  for (const std::string& token : tokens) {
    add_count(counts, token);
  }
  return build(counts, options);
}

int64_t Vocabulary::find(std::string_view token) const {
  const auto it = ids_.find(token);
  return it == ids_.end() ? -1 : it->second;
}

int64_t Vocabulary::id(std::string_view token) const {
  const int64_t found = find(token);
  if (found >= 0) return found;
  const std::vector<std::string> close = suggestions(token);
  std::string hint;
  for (std::size_t i = 0; i < close.size(); ++i) {
    hint += fmt::format("{}\"{}\"", i == 0 ? "" : ", ", close[i]);
  }
  if (hint.empty()) {
    throw IndexError(fmt::format("Vocabulary: token \"{}\" not found ({} tokens in the vocabulary)",
                                 token, size()));
  }
  throw IndexError(
      fmt::format("Vocabulary: token \"{}\" not found (did you mean {}?)", token, hint));
}

int64_t Vocabulary::id_or_unk(std::string_view token) const {
  const int64_t found = find(token);
  if (found >= 0) return found;
  if (unk_id_ < 0) {
    throw ValueError(
        fmt::format("Vocabulary: token \"{}\" not found and the vocabulary has no unknown token "
                    "(build it with add_unk = true)",
                    token));
  }
  return unk_id_;
}

void Vocabulary::check_id(int64_t id, const char* what) const {
  if (id < 0 || id >= size()) {
    throw IndexError(fmt::format("Vocabulary::{}: id {} out of range [0, {})", what, id, size()));
  }
}

const std::string& Vocabulary::token(int64_t id) const {
  check_id(id, "token");
  return tokens_[static_cast<std::size_t>(id)];
}

int64_t Vocabulary::count(int64_t id) const {
  check_id(id, "count");
  return counts_[static_cast<std::size_t>(id)];
}

namespace {

/// Levenshtein distance between two code-point strings, with two reused rows of the table.
std::size_t edit_distance(const std::u32string& a, const std::u32string& b,
                          std::vector<std::size_t>& previous, std::vector<std::size_t>& current) {
  previous.resize(b.size() + 1);
  current.resize(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitute});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

}  // namespace

std::vector<std::string> Vocabulary::suggestions(std::string_view token,
                                                 std::size_t max_suggestions) const {
  const std::u32string query = decode_utf8_string(token, /*replace_invalid=*/true);
  const std::size_t max_distance = query.size() <= 4 ? 1 : 2;
  std::vector<std::pair<std::size_t, std::size_t>> scored;  // (distance, id)
  std::vector<std::size_t> previous;
  std::vector<std::size_t> current;
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    if (static_cast<int64_t>(i) == unk_id_) continue;
    // The distance is at least the difference in length, so most tokens are skipped cheaply.
    const std::size_t length = count_code_points(tokens_[i]);
    const std::size_t gap = length > query.size() ? length - query.size() : query.size() - length;
    if (gap > max_distance) continue;
    const std::u32string candidate = decode_utf8_string(tokens_[i], /*replace_invalid=*/true);
    const std::size_t distance = edit_distance(query, candidate, previous, current);
    if (distance <= max_distance) scored.emplace_back(distance, i);
  }
  std::sort(scored.begin(),
            scored.end());  // closest first; equal distance: smaller id = more frequent
  std::vector<std::string> result;
  for (std::size_t i = 0; i < scored.size() && i < max_suggestions; ++i) {
    result.push_back(tokens_[scored[i].second]);
  }
  return result;
}

}  // namespace embedlab::text
