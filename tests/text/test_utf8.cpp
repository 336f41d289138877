// Tests of text/utf8.h: decoding, encoding, validation with byte offsets, and replacement.
#include <catch2/catch.hpp>

#include <string>

#include "text/utf8.h"

using namespace embedlab;
using namespace embedlab::text;

TEST_CASE("decode_utf8 reads code points of 1 to 4 bytes", "[text][utf8]") {
  const std::string text = "a\xC3\xA9\xE4\xB9\x90\xF0\x9F\x98\x80";  // a é 乐 😀
  DecodedCodePoint d = decode_utf8(text, 0);
  CHECK(d.code_point == U'a');
  CHECK(d.length == 1);
  CHECK(d.valid);
  d = decode_utf8(text, 1);
  CHECK(d.code_point == 0x00E9);
  CHECK(d.length == 2);
  d = decode_utf8(text, 3);
  CHECK(d.code_point == 0x4E50);
  CHECK(d.length == 3);
  d = decode_utf8(text, 6);
  CHECK(d.code_point == 0x1F600);
  CHECK(d.length == 4);
  CHECK(d.valid);
}

TEST_CASE("decode_utf8 reports each kind of malformed sequence", "[text][utf8]") {
  SECTION("a stray continuation byte") {
    const DecodedCodePoint d = decode_utf8("\x80", 0);
    CHECK_FALSE(d.valid);
    CHECK(d.code_point == kReplacementCharacter);
    CHECK(d.length == 1);
    CHECK(std::string(d.error) == "unexpected continuation byte");
  }
  SECTION("a truncated sequence at the end keeps its valid prefix as one unit") {
    const DecodedCodePoint d = decode_utf8("\xE4\xB9", 0);
    CHECK_FALSE(d.valid);
    CHECK(d.length == 2);
  }
  SECTION("a lead byte followed by ASCII is one invalid byte") {
    const DecodedCodePoint d = decode_utf8(
        "\xE4"
        "A",
        0);
    CHECK_FALSE(d.valid);
    CHECK(d.length == 1);
  }
  SECTION("overlong forms, surrogates and values above U+10FFFF") {
    CHECK_FALSE(decode_utf8("\xC0\xAF", 0).valid);          // '/' in 2 bytes
    CHECK_FALSE(decode_utf8("\xE0\x80\xAF", 0).valid);      // '/' in 3 bytes
    CHECK_FALSE(decode_utf8("\xED\xA0\x80", 0).valid);      // U+D800
    CHECK_FALSE(decode_utf8("\xF4\x90\x80\x80", 0).valid);  // U+110000
    CHECK_FALSE(decode_utf8("\xFF", 0).valid);
    CHECK(decode_utf8("\xF4\x8F\xBF\xBF", 0).code_point == 0x10FFFF);  // the largest is fine
  }
  SECTION("an offset past the end is invalid, not a crash") {
    CHECK_FALSE(decode_utf8("ab", 2).valid);
  }
}

TEST_CASE("validate_utf8 names the byte offset of the first invalid byte", "[text][utf8]") {
  CHECK_NOTHROW(validate_utf8("plain ASCII and 中文 and émoji \xF0\x9F\x98\x80"));
  REQUIRE_THROWS_WITH(validate_utf8("abcdefghijklmnopq\x80"),
                      "invalid UTF-8 at byte 17: unexpected continuation byte (next bytes: 80)");
  REQUIRE_THROWS_WITH(validate_utf8("ab\xE4\xB9"),
                      Catch::Contains("invalid UTF-8 at byte 2: truncated sequence at the end"));
  REQUIRE_THROWS_WITH(validate_utf8("\xE5\xBF\xAB"
                                    "x\xED\xA0\x80"),
                      Catch::Contains("at byte 4: UTF-16 surrogate"));
  REQUIRE_THROWS_AS(validate_utf8("\xC0\xAF"), FormatError);
  try {
    validate_utf8("12345\xFF");
    FAIL("no exception");
  } catch (const Utf8Error& error) {
    CHECK(error.byte_offset() == 5);
    CHECK_THAT(error.reason(), Catch::StartsWith("invalid lead byte"));
  }
}

TEST_CASE("replace_invalid_utf8 puts one U+FFFD per maximal invalid subpart", "[text][utf8]") {
  const std::string fffd = "\xEF\xBF\xBD";
  CHECK(replace_invalid_utf8("abc") == "abc");
  CHECK(replace_invalid_utf8("a\xE4\xB9"
                             "b") == "a" + fffd + "b");  // E4 B9: one subpart
  CHECK(replace_invalid_utf8("a\xC0\xAF"
                             "b") == "a" + fffd + fffd + "b");  // C0, AF: two
  CHECK(replace_invalid_utf8("\x80\x80") == fffd + fffd);
}

TEST_CASE("append_utf8 encodes what decode_utf8 decodes", "[text][utf8]") {
  for (const char32_t c : {U'a', U'\u00E9', U'\u4E50', U'\U0001F600', U'\U0010FFFF'}) {
    std::string bytes;
    append_utf8(bytes, c);
    const DecodedCodePoint d = decode_utf8(bytes, 0);
    CHECK(d.valid);
    CHECK(d.code_point == c);
    CHECK(d.length == bytes.size());
  }
  std::string surrogate;
  append_utf8(surrogate, 0xD800);
  CHECK(surrogate == "\xEF\xBF\xBD");
}

TEST_CASE("decode_utf8_string and count_code_points count code points, not bytes", "[text][utf8]") {
  CHECK(decode_utf8_string("我很快乐") == U"我很快乐");
  CHECK(count_code_points("我很快乐") == 4);
  CHECK(count_code_points("a\xFF"
                          "b") == 3);
  CHECK(decode_utf8_string("a\xFF"
                           "b",
                           true) == U"a\uFFFDb");
  REQUIRE_THROWS_WITH(decode_utf8_string("a\xFF"
                                         "b"),
                      Catch::Contains("at byte 1"));
}
