/// @file corpus.h
/// @brief Streaming a text corpus from disk, sentence by sentence, and turning sentences into ids.
///
/// A corpus file holds one sentence per line. CorpusReader reads it in fixed-size blocks,
/// never the whole file, so a corpus larger than memory works, and even a file that is one
/// enormous line (like text8) is handed out in sentences of at most max_sentence_length
/// tokens (10,000, word2vec's MAX_SENTENCE_LENGTH). Training is two kinds of pass over the file:
/// one to count tokens (count_tokens(), then Vocabulary::build()), then one per epoch that reads
/// the file again (for_each_encoded_sentence()). Shuffling and subsampling are left to the trainer.
/// @code
/// TokenCounts counts = count_tokens("data/feelings_corpus.txt");
/// Vocabulary vocab = Vocabulary::build(counts, {.min_count = 2});
/// CorpusReader reader("data/feelings_corpus.txt");
/// reader.for_each_encoded_sentence(vocab, UnknownPolicy::drop, [](const std::vector<int64_t>& ids)
/// {
///   // train on ids
/// });
/// @endcode
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "text/tokenizer.h"
#include "text/vocabulary.h"

namespace embedlab::text {

/// The most tokens in one sentence; longer lines are cut into pieces of this size (as word2vec
/// does).
inline constexpr std::size_t kMaxSentenceLength = 10000;

/// What encoding does with a token the vocabulary does not know.
enum class UnknownPolicy {
  /// Leave it out of the id sentence (word2vec's behaviour).
  drop,
  /// Replace it by the id of `<unk>` (the vocabulary must have one).
  map_to_unk,
};

/// Reads a corpus file one sentence (line) at a time, tokenizing as it goes.
///
/// Each pass opens the file again, so the reader can be used for any number of epochs (a pipe
/// or a device can be read only once: a second pass over one throws IOError). Empty
/// lines give no sentence. Invalid UTF-8 throws a FormatError naming the file, the line and the
/// byte offset in the file, unless the tokenizer options ask for replacement.
class CorpusReader {
 public:
  /// The function called once per sentence; the vector is reused, so copy it to keep it.
  using SentenceCallback = std::function<void(const std::vector<std::string>& tokens)>;
  /// The function called once per encoded sentence; the vector is reused, so copy it to keep it.
  using IdSentenceCallback = std::function<void(const std::vector<int64_t>& ids)>;
  /// The function called after each block read, with the bytes read so far and the file size.
  using ProgressCallback = std::function<void(uint64_t bytes_read, uint64_t total_bytes)>;

  /// Opens (to check) the corpus file at `path`.
  /// @param path the corpus file, UTF-8, one sentence per line
  /// @param tokenizer_options how to tokenize each line
  /// @param max_sentence_length the most tokens per sentence; longer lines are cut into chunks
  /// @throws IOError naming the path when the file cannot be opened or is a directory
  /// @throws ValueError when max_sentence_length is 0
  explicit CorpusReader(std::string path, TokenizerOptions tokenizer_options = {},
                        std::size_t max_sentence_length = kMaxSentenceLength);

  /// Reads the whole file once, calling `on_sentence` with the tokens of each sentence.
  /// @param on_sentence called once per non-empty line (or chunk of a long line)
  /// @throws IOError when the file cannot be opened or read; FormatError on invalid UTF-8
  void for_each_sentence(const SentenceCallback& on_sentence);

  /// Reads the whole file once, calling `on_sentence` with each sentence turned into ids.
  ///
  /// Sentences left empty (every token unknown and dropped) are skipped.
  /// @param vocabulary the token -> id map
  /// @param policy drop unknown tokens, or map them to `<unk>`
  /// @param on_sentence called once per encoded sentence
  /// @throws ValueError for map_to_unk with a vocabulary without `<unk>`; IOError, FormatError as
  /// above
  void for_each_encoded_sentence(const Vocabulary& vocabulary, UnknownPolicy policy,
                                 const IdSentenceCallback& on_sentence);

  /// Reads the whole file once, calling `on_token` for every token, ignoring sentence ends.
  /// @param on_token called with each token; the view is valid only during the call
  /// @throws IOError, FormatError as above
  void for_each_token(const Tokenizer::TokenCallback& on_token);

  /// Sets a function to call after each block is read, for showing progress.
  /// @param on_progress called with (bytes_read, total_bytes); pass {} to remove it
  void set_progress_callback(ProgressCallback on_progress) {
    on_progress_ = std::move(on_progress);
  }

  /// Sets how many bytes are read from disk at a time (1 MiB by default).
  /// @param block_size bytes per read, at least 1 and at most 1 GiB
  /// @throws ValueError when block_size is 0 or above 1 GiB
  void set_block_size(std::size_t block_size);

  /// The bytes read so far in the current (or last) pass.
  /// @return bytes read; equals total_bytes() after a full pass
  uint64_t bytes_read() const { return bytes_read_; }

  /// The size of the file in bytes, as of the last pass (or of construction).
  /// @return the file size
  uint64_t total_bytes() const { return total_bytes_; }

  /// The number of sentences handed out by the current (or last) pass.
  /// @return sentences delivered
  int64_t sentences_read() const { return sentences_read_; }

  /// The path of the corpus file.
  /// @return the path given to the constructor
  const std::string& path() const { return path_; }

 private:
  /// Reads the file block by block; calls on_token per token and on_line_end at each line end.
  void read_file(const Tokenizer::TokenCallback& on_token,
                 const std::function<void()>& on_line_end);

  /// Tokenizes one piece of the buffer, turning a Utf8Error into one that names the file and line.
  void tokenize_piece(std::string_view piece, uint64_t file_offset, int64_t line,
                      const Tokenizer::TokenCallback& on_token);

  std::string path_;
  Tokenizer tokenizer_;
  std::size_t max_sentence_length_;
  std::size_t block_size_ = std::size_t{1} << 20;
  ProgressCallback on_progress_;
  bool regular_file_ = true;  // false for a pipe or a device, which gives its bytes only once
  int64_t passes_ = 0;        // passes started
  uint64_t bytes_read_ = 0;
  uint64_t total_bytes_ = 0;
  int64_t sentences_read_ = 0;
};

/// Counts every token of a corpus file in one streaming pass.
/// @param path the corpus file
/// @param options how to tokenize
/// @return token -> count, ready for Vocabulary::build()
/// @throws IOError naming the path when it cannot be opened; FormatError on invalid UTF-8
TokenCounts count_tokens(const std::string& path, const TokenizerOptions& options = {});

/// Turns tokens into ids, reusing the caller's vector (it is cleared first).
/// @param tokens the tokens of one sentence
/// @param vocabulary the token -> id map
/// @param policy drop unknown tokens, or map them to `<unk>`
/// @param ids receives the ids
/// @throws ValueError for map_to_unk with a vocabulary without `<unk>`
void encode(const std::vector<std::string>& tokens, const Vocabulary& vocabulary,
            UnknownPolicy policy, std::vector<int64_t>& ids);

/// Turns tokens into ids.
/// @param tokens the tokens of one sentence
/// @param vocabulary the token -> id map
/// @param policy drop unknown tokens (the default), or map them to `<unk>`
/// @return the ids
/// @throws ValueError for map_to_unk with a vocabulary without `<unk>`
std::vector<int64_t> encode(const std::vector<std::string>& tokens, const Vocabulary& vocabulary,
                            UnknownPolicy policy = UnknownPolicy::drop);

/// Tokenizes a sentence and turns its tokens into ids, in one call.
/// @param text the sentence
/// @param vocabulary the token -> id map
/// @param policy drop unknown tokens, or map them to `<unk>`
/// @param options how to tokenize
/// @return the ids
/// @throws ValueError for map_to_unk without `<unk>`; FormatError on invalid UTF-8
/// @code
/// encode_text("I am happy!", vocab, UnknownPolicy::map_to_unk);  // {0, 0, 7} if only "happy" is
/// known (id 7)
/// @endcode
std::vector<int64_t> encode_text(std::string_view text, const Vocabulary& vocabulary,
                                 UnknownPolicy policy = UnknownPolicy::drop,
                                 const TokenizerOptions& options = {});

}  // namespace embedlab::text
