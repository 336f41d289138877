// tokenizer.cpp: one pass over the bytes, one code point at a time. The word being built
// lives in a reused std::string (word_), Chinese words and characters are handed out as views
// of the input, and ASCII never goes through the UTF-8 decoder, so tokenizing a large corpus
// allocates almost nothing after the first few words. A run of Chinese characters is found
// here and cut into words by ICU (chinese_words.cpp).
#include "text/tokenizer.h"

#include <fmt/format.h>

#include "tensor/error.h"
#include "text/char_class.h"
#include "text/utf8.h"

namespace embedlab::text {
namespace {

bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_ascii_alnum(char c) {
  return is_ascii_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

/// Tells whether `code_point` is a '.' or ',' sitting between a digit that ends `word` and a
/// digit at text[next], as in 3.14 or 1,000.
bool joins_digits(const std::string& word, char32_t code_point, std::string_view text,
                  std::size_t next) {
  const bool decimal_mark = code_point == '.' || code_point == ',';
  return decimal_mark && !word.empty() && is_ascii_digit(word.back()) && next < text.size() &&
         is_ascii_digit(text[next]);
}

/// Decodes the code point at `offset`; ASCII takes the short path. Invalid bytes throw unless
/// `replace` is set, in which case they come back as an invalid U+FFFD.
DecodedCodePoint decode_at(std::string_view text, std::size_t offset, bool replace) {
  const auto byte = static_cast<unsigned char>(text[offset]);
  if (byte < 0x80) return DecodedCodePoint{byte, 1, true, ""};
  DecodedCodePoint decoded = decode_utf8(text, offset);
  if (!decoded.valid && !replace) throw make_utf8_error(text, offset, decoded);
  return decoded;
}

/// The class of a decoded code point; U+FFFD from invalid bytes is a word character.
CharClass class_of(const DecodedCodePoint& decoded) {
  return decoded.valid ? classify_code_point(decoded.code_point) : CharClass::word;
}

/// Tells whether the code point at `offset` (if any) is a word character. Invalid bytes count
/// as a word character only in replace mode; in strict mode the main loop throws on them next.
bool word_follows(std::string_view text, std::size_t offset, bool replace) {
  if (offset >= text.size()) return false;
  const DecodedCodePoint next = decode_utf8(text, offset);
  if (!next.valid) return replace;
  return classify_code_point(next.code_point) == CharClass::word;
}

/// Tells whether a decoded code point is a valid CJK ideograph.
bool is_ideograph(const DecodedCodePoint& decoded) {
  return decoded.valid && is_cjk_ideograph(decoded.code_point);
}

}  // namespace

const char* chinese_segmentation_name(ChineseSegmentation segmentation) {
  switch (segmentation) {
    case ChineseSegmentation::words:
      return "words";
    case ChineseSegmentation::characters:
      return "chars";
    case ChineseSegmentation::runs:
      return "runs";
  }
  return "?";
}

ChineseSegmentation parse_chinese_segmentation(std::string_view name) {
  if (name == "words") return ChineseSegmentation::words;
  if (name == "chars" || name == "characters") return ChineseSegmentation::characters;
  if (name == "runs") return ChineseSegmentation::runs;
  throw ValueError(
      fmt::format("Chinese segmentation must be words, chars or runs, got \"{}\"", name));
}

Tokenizer::Tokenizer(TokenizerOptions options) : options_(options) {}

void Tokenizer::flush_word(const TokenCallback& on_token) {
  if (word_.empty()) return;
  on_token(std::string_view(word_));
  word_.clear();  // keeps the capacity for the next word
}

void Tokenizer::append_to_word(std::string_view bytes, char32_t code_point) {
  if (!options_.lowercase) {
    word_.append(bytes);
    return;
  }
  if (code_point < 0x80) {
    word_.push_back(static_cast<char>(to_lower_code_point(code_point)));
    return;
  }
  const char32_t lower = to_lower_code_point(code_point);
  if (lower == code_point) {
    word_.append(bytes);
  } else {
    append_utf8(word_, lower);
  }
}

void Tokenizer::for_each_token(std::string_view text, const TokenCallback& on_token) {
  word_.clear();  // a previous call may have thrown halfway through a word
  std::size_t offset = 0;
  while (offset < text.size()) {
    // Fast path: ASCII letters and digits, the bulk of English text.
    if (is_ascii_alnum(text[offset])) {
      word_.push_back(options_.lowercase ? ascii_lower(text[offset]) : text[offset]);
      ++offset;
      continue;
    }
    const DecodedCodePoint decoded = decode_at(text, offset, options_.replace_invalid_utf8);
    if (options_.chinese == ChineseSegmentation::words && is_ideograph(decoded)) {
      flush_word(on_token);
      offset = segment_chinese_run(text, offset, on_token);
      continue;
    }
    handle_code_point(text, offset, decoded, on_token);
    offset += decoded.length;
  }
  flush_word(on_token);
}

std::size_t Tokenizer::segment_chinese_run(std::string_view text, std::size_t offset,
                                           const TokenCallback& on_token) {
  std::size_t end = offset;
  while (end < text.size()) {
    const DecodedCodePoint decoded = decode_utf8(text, end);
    if (!is_ideograph(decoded)) break;  // punctuation, Latin, invalid bytes: the run ends
    end += decoded.length;
  }
  chinese_words_.for_each_word(text.substr(offset, end - offset), on_token);
  return end;
}

void Tokenizer::handle_code_point(std::string_view text, std::size_t offset,
                                  const DecodedCodePoint& decoded, const TokenCallback& on_token) {
  const std::size_t next = offset + decoded.length;
  // Invalid bytes are written as the 3-byte U+FFFD, never copied through.
  const std::string_view bytes =
      decoded.valid ? text.substr(offset, decoded.length) : std::string_view("\xEF\xBF\xBD");
  switch (class_of(decoded)) {
    case CharClass::word:
      append_to_word(bytes, decoded.code_point);
      break;
    case CharClass::separator:
      // A decimal point or thousands comma between two ASCII digits keeps "3.14" whole.
      if (joins_digits(word_, decoded.code_point, text, next)) {
        word_.push_back(static_cast<char>(decoded.code_point));
      } else {
        flush_word(on_token);
      }
      break;
    case CharClass::own_token:
      if (options_.chinese == ChineseSegmentation::runs && is_cjk_ideograph(decoded.code_point)) {
        append_to_word(bytes, decoded.code_point);
      } else {
        flush_word(on_token);
        on_token(bytes);
      }
      break;
    case CharClass::apostrophe:
      // Inside a word ("don't", "don’t") it stays, written as the ASCII apostrophe.
      if (!word_.empty() && word_follows(text, next, options_.replace_invalid_utf8)) {
        word_.push_back('\'');
      } else {
        flush_word(on_token);
      }
      break;
    case CharClass::ignorable:
      break;
  }
}

std::vector<std::string> Tokenizer::tokenize(std::string_view text) {
  std::vector<std::string> tokens;
  for_each_token(text, [&tokens](std::string_view token) { tokens.emplace_back(token); });
  return tokens;
}

std::vector<std::string> tokenize(std::string_view text, const TokenizerOptions& options) {
  Tokenizer tokenizer(options);
  return tokenizer.tokenize(text);
}

}  // namespace embedlab::text
