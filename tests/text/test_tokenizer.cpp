// Tests of text/tokenizer.h and text/char_class.h: exact token lists for English, Chinese and
// mixed text, the apostrophe and number rules, lowercasing, invalid UTF-8 and streaming.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tensor/error.h"
#include "text/char_class.h"
#include "text/chinese_words.h"
#include "text/tokenizer.h"

using namespace embedlab;
using namespace embedlab::text;
using Tokens = std::vector<std::string>;

TEST_CASE("English text splits on whitespace and punctuation and is lowercased",
          "[text][tokenizer]") {
  CHECK(tokenize("The cat sat on the mat.") == Tokens{"the", "cat", "sat", "on", "the", "mat"});
  CHECK(tokenize("Hello,world!(yes)\"no\"\t\nok") == Tokens{"hello", "world", "yes", "no", "ok"});
  CHECK(tokenize("well-known e-mail") == Tokens{"well", "known", "e", "mail"});
  CHECK(tokenize("").empty());
  CHECK(tokenize("  ,.!?  \n").empty());
}

TEST_CASE("apostrophes inside words keep the word together", "[text][tokenizer]") {
  CHECK(tokenize("Don't worry, it's fine") == Tokens{"don't", "worry", "it's", "fine"});
  SECTION("the typographic apostrophe becomes the ASCII one") {
    CHECK(tokenize("don\u2019t") == Tokens{"don't"});
  }
  SECTION("quotes and trailing apostrophes are separators") {
    CHECK(tokenize("'hello' students' books") == Tokens{"hello", "students", "books"});
    CHECK(tokenize("\u2018quoted\u2019 rock 'n' roll") == Tokens{"quoted", "rock", "n", "roll"});
  }
}

TEST_CASE("digits stay inside words and decimal marks between digits stay too",
          "[text][tokenizer]") {
  CHECK(tokenize("mp3 word2vec 2024") == Tokens{"mp3", "word2vec", "2024"});
  CHECK(tokenize("pi is 3.14, about 1,000 times.") ==
        Tokens{"pi", "is", "3.14", "about", "1,000", "times"});
  CHECK(tokenize("end 3. Next") == Tokens{"end", "3", "next"});
}

TEST_CASE("Chinese is cut into dictionary words by ICU and Chinese punctuation is dropped",
          "[text][tokenizer][chinese]") {
  // The course's sentence, as ICU 72's dictionary cuts it: 挨着 is not in its dictionary.
  CHECK(tokenize("快乐和悲伤在字典里可能挨着") ==
        Tokens{"快乐", "和", "悲伤", "在", "字典", "里", "可能", "挨", "着"});
  CHECK(tokenize("今天，我很开心。你呢？") == Tokens{"今天", "我", "很", "开心", "你", "呢"});
  CHECK(tokenize("“快乐”（开心）《书》、；：！") == Tokens{"快乐", "开心", "书"});
  CHECK(tokenize("快乐快乐") == Tokens{"快乐", "快乐"});
  SECTION("extension planes and compatibility ideographs are characters too") {
    CHECK(tokenize("\U00020000\uF900") == Tokens{"\U00020000", "\uF900"});
  }
  SECTION("segment_chinese cuts a bare run the same way") {
    CHECK(segment_chinese("他今天非常开心") == Tokens{"他", "今天", "非常", "开心"});
    CHECK(segment_chinese("").empty());
  }
}

TEST_CASE("Chinese can still be cut one character per token, or kept as whole runs",
          "[text][tokenizer][chinese]") {
  TokenizerOptions characters;
  characters.chinese = ChineseSegmentation::characters;
  CHECK(tokenize("今天，我很开心。你呢？", characters) ==
        Tokens{"今", "天", "我", "很", "开", "心", "你", "呢"});
  CHECK(tokenize("I feel 快乐 today", characters) == Tokens{"i", "feel", "快", "乐", "today"});
  TokenizerOptions runs;
  runs.chinese = ChineseSegmentation::runs;
  CHECK(tokenize("我很快乐，ok", runs) == Tokens{"我很快乐", "ok"});
  SECTION("the command-line names read back") {
    CHECK(parse_chinese_segmentation("words") == ChineseSegmentation::words);
    CHECK(parse_chinese_segmentation("chars") == ChineseSegmentation::characters);
    CHECK(parse_chinese_segmentation("characters") == ChineseSegmentation::characters);
    CHECK(parse_chinese_segmentation("runs") == ChineseSegmentation::runs);
    CHECK(std::string(chinese_segmentation_name(ChineseSegmentation::characters)) == "chars");
    REQUIRE_THROWS_AS(parse_chinese_segmentation("jieba"), ValueError);
    REQUIRE_THROWS_WITH(parse_chinese_segmentation("jieba"),
                        Catch::Contains("words, chars or runs, got \"jieba\""));
  }
}

TEST_CASE("mixed Chinese and English text splits at the script boundary", "[text][tokenizer]") {
  CHECK(tokenize("我爱NLP和word2vec！") == Tokens{"我", "爱", "nlp", "和", "word2vec"});
  CHECK(tokenize("I feel 快乐 today") == Tokens{"i", "feel", "快乐", "today"});
  CHECK(tokenize("3.14是圆周率") == tokenize("3.14 是圆周率"));
}

TEST_CASE("emoji are tokens of their own and invisible marks are dropped", "[text][tokenizer]") {
  CHECK(tokenize("happy\U0001F600day \u2764\uFE0F") ==
        Tokens{"happy", "\U0001F600", "day", "\u2764"});
  CHECK(tokenize("co\u00ADoperate \uFEFFstart") == Tokens{"cooperate", "start"});
  CHECK(tokenize("a\u3000b\u00A0c") == Tokens{"a", "b", "c"});  // ideographic space, NBSP
}

TEST_CASE("lowercasing covers Latin-1, Latin Extended-A, Greek and Cyrillic", "[text][tokenizer]") {
  CHECK(tokenize("ÀÉÎÕÜ Łódź ŸES İstanbul Straße") ==
        Tokens{"àéîõü", "łódź", "ÿes", "istanbul", "straße"});
  CHECK(tokenize("ΑΒΓ Άλφα Привет ЁЖ ＡＢＣ") == Tokens{"αβγ", "άλφα", "привет", "ёж", "ａｂｃ"});
  TokenizerOptions keep_case;
  keep_case.lowercase = false;
  CHECK(tokenize("Hello ÀB", keep_case) == Tokens{"Hello", "ÀB"});
}

TEST_CASE("to_lower_code_point and classify_code_point on single code points",
          "[text][tokenizer]") {
  CHECK(to_lower_code_point(U'A') == U'a');
  CHECK(to_lower_code_point(U'\u00D7') == U'\u00D7');  // × is not a letter
  CHECK(to_lower_code_point(U'\u0100') == U'\u0101');  // Ā ā
  CHECK(to_lower_code_point(U'\u0139') == U'\u013A');  // Ĺ ĺ (odd capitals)
  CHECK(to_lower_code_point(U'\u0138') == U'\u0138');  // ĸ has no capital
  CHECK(to_lower_code_point(U'\u4E50') == U'\u4E50');
  CHECK(classify_code_point(U'a') == CharClass::word);
  CHECK(classify_code_point(U'\uFF0C') == CharClass::separator);  // ，
  CHECK(classify_code_point(U'\u3002') == CharClass::separator);  // 。
  CHECK(classify_code_point(U'\u4E50') == CharClass::own_token);  // 乐
  CHECK(classify_code_point(U'\u2019') == CharClass::apostrophe);
  CHECK(classify_code_point(U'\u00AD') == CharClass::ignorable);
  CHECK(classify_code_point(U'\u00B2') == CharClass::word);  // ² stays in words
  CHECK(is_cjk_ideograph(U'\u3400'));
  CHECK_FALSE(is_cjk_ideograph(U'\u3042'));  // hiragana あ is a word character
}

TEST_CASE("invalid UTF-8 throws with its byte offset, or becomes U+FFFD on request",
          "[text][tokenizer][utf8]") {
  REQUIRE_THROWS_WITH(tokenize("good text then \xFF bad"),
                      Catch::Contains("invalid UTF-8 at byte 15"));
  REQUIRE_THROWS_AS(tokenize("\xE4\xB9"), FormatError);
  REQUIRE_THROWS_WITH(tokenize("don'\x80"), Catch::Contains("at byte 4"));
  TokenizerOptions replace;
  replace.replace_invalid_utf8 = true;
  CHECK(tokenize("ab\xFF"
                 "cd \xE4\xB9",
                 replace) == Tokens{"ab\uFFFDcd", "\uFFFD"});
  CHECK(tokenize("x'\x80", replace) == Tokens{"x'\uFFFD"});
  SECTION("invalid bytes end a Chinese run: its words come first, then the same error") {
    // 我很快乐 is 12 bytes, so the bad byte sits at offset 12.
    Tokenizer tokenizer;
    Tokens before;
    REQUIRE_THROWS_WITH(tokenizer.for_each_token(
                            "我很快乐\xFF", [&](std::string_view t) { before.emplace_back(t); }),
                        Catch::Contains("invalid UTF-8 at byte 12"));
    CHECK(before == Tokens{"我", "很", "快乐"});
    CHECK(tokenize("快乐\xFF悲伤", replace) == Tokens{"快乐", "\uFFFD", "悲伤"});
  }
}

TEST_CASE("the streaming tokenizer hands out the same tokens one at a time", "[text][tokenizer]") {
  Tokenizer tokenizer;
  const std::string text = "Don't stop 我很快乐! 3.14";
  Tokens streamed;
  tokenizer.for_each_token(text, [&](std::string_view token) { streamed.emplace_back(token); });
  CHECK(streamed == tokenize(text));
  SECTION("the tokenizer can be reused, even after an error") {
    CHECK_THROWS_AS(tokenizer.tokenize("abc\xFF"), FormatError);
    CHECK(tokenizer.tokenize("again") == Tokens{"again"});
  }
  SECTION("tokens before an invalid byte have been delivered") {
    Tokens before;
    CHECK_THROWS(tokenizer.for_each_token(
        "one two \xFF", [&](std::string_view token) { before.emplace_back(token); }));
    CHECK(before == Tokens{"one", "two"});
  }
}
