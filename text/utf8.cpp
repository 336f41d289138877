// utf8.cpp: the byte rules of UTF-8. Well-formed sequences follow Table 3-7 of the Unicode
// Standard; an invalid sequence is reported together with its "maximal subpart" (the longest
// prefix that could have started a valid sequence), which is the unit Unicode recommends to
// replace by one U+FFFD. Every read is bounds-checked against text.size().
#include "text/utf8.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace embedlab::text {

Utf8Error::Utf8Error(std::size_t byte_offset, std::string reason)
    : FormatError(fmt::format("invalid UTF-8 at byte {}: {}", byte_offset, reason)),
      byte_offset_(byte_offset),
      reason_(std::move(reason)) {}

namespace {

bool is_continuation(unsigned char byte) {
  return (byte & 0xC0) == 0x80;
}

/// The allowed range of the second byte, which is narrower than 80..BF after E0, ED, F0, F4.
struct SecondByteRange {
  unsigned char low;
  unsigned char high;
  const char* error;  // what it means when the second byte is a continuation byte outside the range
};

SecondByteRange second_byte_range(unsigned char lead) {
  if (lead == 0xE0) return {0xA0, 0xBF, "overlong 3-byte encoding"};
  if (lead == 0xED) return {0x80, 0x9F, "UTF-16 surrogate (U+D800..U+DFFF) encoded"};
  if (lead == 0xF0) return {0x90, 0xBF, "overlong 4-byte encoding"};
  if (lead == 0xF4) return {0x80, 0x8F, "code point above U+10FFFF"};
  return {0x80, 0xBF, ""};
}

DecodedCodePoint invalid(std::size_t length, const char* error) {
  return DecodedCodePoint{kReplacementCharacter, length, false, error};
}

}  // namespace

DecodedCodePoint decode_utf8(std::string_view text, std::size_t offset) {
  if (offset >= text.size()) return invalid(1, "offset past the end of the text");
  const auto lead = static_cast<unsigned char>(text[offset]);
  if (lead < 0x80) return DecodedCodePoint{lead, 1, true, ""};
  if (is_continuation(lead)) return invalid(1, "unexpected continuation byte");
  if (lead < 0xC2) return invalid(1, "overlong 2-byte encoding (lead byte 0xC0 or 0xC1)");
  if (lead > 0xF4) return invalid(1, "invalid lead byte (0xF5..0xFF never appear in UTF-8)");

  // Phase 1: the lead byte gives the length and the payload bits it carries.
  const std::size_t needed = lead < 0xE0 ? 2 : (lead < 0xF0 ? 3 : 4);
  char32_t code_point = lead & (needed == 2 ? 0x1F : (needed == 3 ? 0x0F : 0x07));

  // Phase 2: each following byte must be a continuation byte (the second one in a narrower
  // range for some leads); stop at the first that is not, which ends the maximal subpart.
  const SecondByteRange range = second_byte_range(lead);
  for (std::size_t i = 1; i < needed; ++i) {
    if (offset + i >= text.size()) return invalid(i, "truncated sequence at the end of the text");
    const auto byte = static_cast<unsigned char>(text[offset + i]);
    if (!is_continuation(byte)) return invalid(i, "truncated sequence (missing continuation byte)");
    if (i == 1 && (byte < range.low || byte > range.high)) return invalid(1, range.error);
    code_point = (code_point << 6) | (byte & 0x3F);
  }
  return DecodedCodePoint{code_point, needed, true, ""};
}

void append_utf8(std::string& out, char32_t code_point) {
  if (code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    code_point = kReplacementCharacter;
  }
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

Utf8Error make_utf8_error(std::string_view text, std::size_t offset,
                          const DecodedCodePoint& decoded) {
  std::string bytes;
  const std::size_t shown = std::min<std::size_t>(4, text.size() - offset);
  for (std::size_t i = 0; i < shown; ++i) {
    bytes +=
        fmt::format("{}{:02X}", i == 0 ? "" : " ", static_cast<unsigned char>(text[offset + i]));
  }
  return Utf8Error(offset, fmt::format("{} (next bytes: {})", decoded.error, bytes));
}

void validate_utf8(std::string_view text) {
  std::size_t offset = 0;
  while (offset < text.size()) {
    // ASCII needs no decoding: it is the common case in most corpora.
    if (static_cast<unsigned char>(text[offset]) < 0x80) {
      ++offset;
      continue;
    }
    const DecodedCodePoint decoded = decode_utf8(text, offset);
    if (!decoded.valid) throw make_utf8_error(text, offset, decoded);
    offset += decoded.length;
  }
}

std::string replace_invalid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t offset = 0;
  while (offset < text.size()) {
    const DecodedCodePoint decoded = decode_utf8(text, offset);
    if (decoded.valid) {
      out.append(text.substr(offset, decoded.length));
    } else {
      append_utf8(out, kReplacementCharacter);
    }
    offset += decoded.length;
  }
  return out;
}

std::u32string decode_utf8_string(std::string_view text, bool replace_invalid) {
  std::u32string out;
  out.reserve(text.size());
  std::size_t offset = 0;
  while (offset < text.size()) {
    const DecodedCodePoint decoded = decode_utf8(text, offset);
    if (!decoded.valid && !replace_invalid) throw make_utf8_error(text, offset, decoded);
    out.push_back(decoded.code_point);
    offset += decoded.length;
  }
  return out;
}

std::size_t count_code_points(std::string_view text) {
  std::size_t count = 0;
  std::size_t offset = 0;
  while (offset < text.size()) {
    offset += decode_utf8(text, offset).length;
    ++count;
  }
  return count;
}

}  // namespace embedlab::text
