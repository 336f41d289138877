/// @file tokenizer.h
/// @brief Cuts text into word tokens: words for alphabetic scripts, one token per Chinese
/// character.
///
/// The rules, in the order the tokenizer applies them to each code point:
/// - whitespace, control characters and punctuation (ASCII and Unicode, such as
///   ，。！？、；：“”‘’（）《》) end the current word and are dropped;
/// - a CJK ideograph (or an emoji / pictograph) ends the current word and is a token by
///   itself, so Chinese needs no word segmenter: 我很快乐 gives 我 / 很 / 快 / 乐;
/// - letters, digits and combining marks build words, so digits stay inside words (mp3, 2024);
/// - an apostrophe (' or ’) between two word characters stays in the word, and ’ is written
///   as ', so "don't" and "don’t" give the same token don't; elsewhere it is a separator;
/// - a '.' or ',' between two ASCII digits stays in the word, so 3.14 and 1,000 are one token;
/// - invisible format characters (soft hyphen, zero-width joiners, variation selectors, BOM)
///   are dropped without ending the word.
///
/// Lowercasing (on by default) covers ASCII, Latin-1, Latin Extended-A, basic Greek and
/// Cyrillic; see to_lower_code_point() for its limits. The tokenizer leaves out stemming,
/// Unicode normalisation and word segmentation of scripts written without spaces (Thai, Japanese
/// kana runs stay one token).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "text/utf8.h"

namespace embedlab::text {

/// Settings of the tokenizer.
struct TokenizerOptions {
  /// Lowercase letters (ASCII, Latin-1, Latin Extended-A, basic Greek and Cyrillic).
  bool lowercase = true;
  /// Replace invalid UTF-8 by U+FFFD (a word character) instead of throwing Utf8Error.
  bool replace_invalid_utf8 = false;
  /// Make every CJK ideograph its own token; when false, runs of ideographs form one token.
  bool split_cjk_chars = true;
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
/// // prints: [don't] [worry] [be] [happy] [我] [很] [快] [乐]
/// @endcode
class Tokenizer {
 public:
  /// The function called once per token, in text order.
  using TokenCallback = std::function<void(std::string_view token)>;

  /// Makes a tokenizer with the given options.
  /// @param options lowercasing, invalid-UTF-8 policy and CJK splitting
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

  TokenizerOptions options_;
  std::string word_;  // the word being built; reused, so steady-state tokenizing does not allocate
};

/// Returns the tokens of `text` (a one-call shortcut for Tokenizer::tokenize).
/// @param text UTF-8 text
/// @param options lowercasing, invalid-UTF-8 policy and CJK splitting
/// @return the tokens, in order
/// @throws Utf8Error (a FormatError) naming the byte offset of invalid UTF-8, unless
///         options.replace_invalid_utf8 is set
/// @code
/// tokenize("It's 3.14, not 3!");  // {"it's", "3.14", "not", "3"}
/// tokenize("今天，我很开心。");     // {"今", "天", "我", "很", "开", "心"}
/// @endcode
std::vector<std::string> tokenize(std::string_view text, const TokenizerOptions& options = {});

}  // namespace embedlab::text
