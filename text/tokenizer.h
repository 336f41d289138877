/// @file tokenizer.h
/// @brief Cuts text into word tokens: words for alphabetic scripts, dictionary words for Chinese.
///
/// The rules, in the order the tokenizer applies them to each code point:
/// - whitespace, control characters and punctuation (ASCII and Unicode, such as
///   ，。！？、；：“”‘’（）《》) end the current word and are dropped;
/// - a run of CJK ideographs ends the current word and is cut into Chinese words by ICU's
///   dictionary (chinese_words.h): 我很快乐 gives 我 / 很 / 快乐. With
///   ChineseSegmentation::characters every ideograph is a token (我 / 很 / 快 / 乐), with
///   ChineseSegmentation::runs the whole run is one token;
/// - an emoji or pictograph ends the current word and is a token by itself;
/// - letters, digits and combining marks build words, so digits stay inside words (mp3, 2024);
/// - an apostrophe (' or ’) between two word characters stays in the word, and ’ is written
///   as ', so "don't" and "don’t" give the same token don't; elsewhere it is a separator;
/// - a '.' or ',' between two ASCII digits stays in the word, so 3.14 and 1,000 are one token;
/// - invisible format characters (soft hyphen, zero-width joiners, variation selectors, BOM)
///   are dropped without ending the word.
///
/// Lowercasing (on by default) covers ASCII, Latin-1, Latin Extended-A, basic Greek and
/// Cyrillic; see to_lower_code_point() for its limits. The tokenizer leaves out stemming,
/// Unicode normalisation and word segmentation of the other scripts written without spaces
/// (Thai, Japanese kana runs stay one token).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "text/chinese_words.h"
#include "text/utf8.h"

namespace embedlab::text {

/// How the tokenizer cuts a run of Chinese characters (CJK ideographs).
enum class ChineseSegmentation {
  /// Into dictionary words with ICU's word breaker: 我很快乐 gives 我 / 很 / 快乐 (the default).
  words,
  /// One token per character: 我很快乐 gives 我 / 很 / 快 / 乐.
  characters,
  /// The whole run is one token: 我很快乐 gives 我很快乐.
  runs,
};

/// Returns "words", "chars" or "runs", the command-line name of a segmentation.
/// @param segmentation the segmentation
/// @return its short name
const char* chinese_segmentation_name(ChineseSegmentation segmentation);

/// Reads a segmentation from its command-line name.
/// @param name "words", "chars" (or "characters") or "runs"
/// @return the segmentation
/// @throws ValueError naming the value and the accepted names
ChineseSegmentation parse_chinese_segmentation(std::string_view name);

/// Settings of the tokenizer.
struct TokenizerOptions {
  /// Lowercase letters (ASCII, Latin-1, Latin Extended-A, basic Greek and Cyrillic).
  bool lowercase = true;
  /// Replace invalid UTF-8 by U+FFFD (a word character) instead of throwing Utf8Error.
  bool replace_invalid_utf8 = false;
  /// How runs of CJK ideographs are cut: dictionary words (default), characters, or whole runs.
  ChineseSegmentation chinese = ChineseSegmentation::words;
};

/// A reusable tokenizer that hands each token to a callback, so long texts need no token vector.
///
/// The callback receives a std::string_view that stays valid only during the call (it points
/// into the tokenizer's reused buffer or into the input text); copy it to keep it.
/// @code
/// Tokenizer tokenizer;
/// tokenizer.for_each_token("Don't worry, be HAPPY! 我很快乐", [](std::string_view token) {
///   fmt::print("[{}] ", token);
/// });
/// // prints: [don't] [worry] [be] [happy] [我] [很] [快乐]
/// @endcode
class Tokenizer {
 public:
  /// The function called once per token, in text order.
  using TokenCallback = std::function<void(std::string_view token)>;

  /// Makes a tokenizer with the given options.
  /// @param options lowercasing, invalid-UTF-8 policy and Chinese segmentation
  explicit Tokenizer(TokenizerOptions options = {});

  /// Calls `on_token` for every token of `text`, in order.
  /// @param text UTF-8 text of any length
  /// @param on_token called with each token; the view is valid only during the call
  /// @throws Utf8Error (a FormatError) with the byte offset of the first invalid sequence,
  ///         unless options().replace_invalid_utf8 is set; tokens before it have been delivered
  void for_each_token(std::string_view text, const TokenCallback& on_token);

  /// Returns all tokens of `text` as strings.
  /// @param text UTF-8 text
  /// @return the tokens, in order
  /// @throws Utf8Error (a FormatError) on invalid UTF-8 unless replacement is on
  std::vector<std::string> tokenize(std::string_view text);

  /// The options this tokenizer was made with.
  /// @return the options
  const TokenizerOptions& options() const { return options_; }

 private:
  /// Hands the word being built (if any) to `on_token` and empties the buffer.
  void flush_word(const TokenCallback& on_token);

  /// Applies the rules of the file comment to one decoded (non-fast-path) code point at `offset`.
  void handle_code_point(std::string_view text, std::size_t offset, const DecodedCodePoint& decoded,
                         const TokenCallback& on_token);

  /// Appends one word code point to the word buffer, lowercased when the options say so.
  void append_to_word(std::string_view bytes, char32_t code_point);

  /// Hands out the Chinese words of the run of ideographs starting at `offset`; returns the
  /// offset just past the run (invalid bytes end the run, and the main loop reports them).
  std::size_t segment_chinese_run(std::string_view text, std::size_t offset,
                                  const TokenCallback& on_token);

  TokenizerOptions options_;
  std::string word_;  // the word being built; reused, so steady-state tokenizing does not allocate
  ChineseWordBreaker chinese_words_;  // ICU's word breaker, opened at the first Chinese run
};

/// Returns the tokens of `text` (a one-call shortcut for Tokenizer::tokenize).
/// @param text UTF-8 text
/// @param options lowercasing, invalid-UTF-8 policy and Chinese segmentation
/// @return the tokens, in order
/// @throws Utf8Error (a FormatError) naming the byte offset of invalid UTF-8, unless
///         options.replace_invalid_utf8 is set
/// @code
/// tokenize("It's 3.14, not 3!");  // {"it's", "3.14", "not", "3"}
/// tokenize("今天，我很开心。");     // {"今天", "我", "很", "开心"}
/// @endcode
std::vector<std::string> tokenize(std::string_view text, const TokenizerOptions& options = {});

}  // namespace embedlab::text
