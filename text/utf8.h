/// @file utf8.h
/// @brief Decoding and encoding UTF-8, one code point at a time, with strict validation.
///
/// This file holds the byte-level rules of UTF-8 (RFC 3629) that the tokenizer builds on:
/// decode one code point, append one code point, check a whole string. It rejects every
/// malformed sequence (stray continuation bytes, truncated sequences, overlong forms,
/// UTF-16 surrogates, values above U+10FFFF) and never reads past the end of its input, so any
/// byte sequence is safe to pass in. It leaves out normalisation (NFC/NFD) and any notion of
/// letters or punctuation: those live in tokenizer.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tensor/error.h"

namespace embedlab::text {

/// The code point that stands in for bytes that are not valid UTF-8 (shown as a "?" in a box).
inline constexpr char32_t kReplacementCharacter = U'\uFFFD';

/// The result of decoding one code point: its value, how many bytes it took, and whether it was
/// valid.
///
/// When `valid` is false, `code_point` is U+FFFD, `length` covers the maximal invalid
/// subpart (at least 1 byte, the Unicode-recommended unit for one replacement character)
/// and `error` says what was wrong.
struct DecodedCodePoint {
  /// The code point, or U+FFFD for an invalid sequence.
  char32_t code_point = 0;
  /// How many bytes the code point (or the invalid subpart) occupies, from 1 to 4.
  std::size_t length = 1;
  /// True when the bytes form a well-formed UTF-8 sequence.
  bool valid = true;
  /// Why the sequence is invalid, such as "unexpected continuation byte 0x80"; empty when valid.
  const char* error = "";
};

/// Thrown for invalid UTF-8; a FormatError that also remembers the byte offset and the reason.
///
/// The message reads `invalid UTF-8 at byte 17: truncated sequence (lead byte 0xE4 needs 3
/// bytes, 1 available)`. Callers that know more (a file name, an offset inside a file) can
/// catch it and rethrow with their own context, using byte_offset() and reason().
class Utf8Error : public FormatError {
 public:
  /// Builds the error for the invalid sequence at `byte_offset` of the decoded text.
  /// @param byte_offset offset of the first invalid byte, counted from the start of the text
  /// @param reason what was wrong, such as "invalid lead byte 0xFF"
  Utf8Error(std::size_t byte_offset, std::string reason);

  /// The offset of the first invalid byte, counted from the start of the decoded text.
  /// @return the byte offset
  std::size_t byte_offset() const { return byte_offset_; }

  /// What was wrong with the bytes, without the offset.
  /// @return the reason, such as "overlong encoding of U+002F in 2 bytes"
  const std::string& reason() const { return reason_; }

 private:
  std::size_t byte_offset_;
  std::string reason_;
};

/// Decodes the code point that starts at byte `offset` of `text`.
///
/// Never reads outside `text`. Invalid bytes give `valid == false` and U+FFFD rather
/// than an exception, so the caller chooses between failing and replacing.
/// @param text the UTF-8 bytes
/// @param offset where the code point starts; must be less than text.size()
/// @return the code point, its length in bytes, and whether it was valid
/// @code
/// decode_utf8(u8"é!", 0);  // {U+00E9, 2 bytes, valid}
/// decode_utf8("\xFF", 0);  // {U+FFFD, 1 byte, invalid, "invalid lead byte 0xFF"}
/// @endcode
DecodedCodePoint decode_utf8(std::string_view text, std::size_t offset);

/// Builds the Utf8Error for an invalid sequence found by decode_utf8(), quoting its first bytes in
/// hex.
/// @param text the decoded text
/// @param offset where the invalid sequence starts
/// @param decoded what decode_utf8(text, offset) returned
/// @return the error, with a message such as `invalid UTF-8 at byte 3: unexpected continuation byte
/// (next bytes: 80 41)`
Utf8Error make_utf8_error(std::string_view text, std::size_t offset,
                          const DecodedCodePoint& decoded);

/// Appends the UTF-8 encoding of one code point to `out`.
/// @param out the string to append to
/// @param code_point a Unicode scalar value; surrogates and values above U+10FFFF become U+FFFD
void append_utf8(std::string& out, char32_t code_point);

/// Checks that all of `text` is well-formed UTF-8.
/// @param text the bytes to check
/// @throws Utf8Error (a FormatError) naming the offset of the first invalid byte
void validate_utf8(std::string_view text);

/// Returns a copy of `text` in which every invalid sequence is replaced by U+FFFD.
/// @param text the bytes to repair
/// @return valid UTF-8; equal to `text` when it already was valid
std::string replace_invalid_utf8(std::string_view text);

/// Decodes all of `text` into code points.
/// @param text the UTF-8 bytes
/// @param replace_invalid true to turn invalid sequences into U+FFFD instead of throwing
/// @return one char32_t per code point
/// @throws Utf8Error (a FormatError) on the first invalid sequence when replace_invalid is false
std::u32string decode_utf8_string(std::string_view text, bool replace_invalid = false);

/// Counts the code points of `text` (invalid subparts count as one each).
/// @param text the UTF-8 bytes
/// @return the number of code points
std::size_t count_code_points(std::string_view text);

}  // namespace embedlab::text
