// char_class.cpp: the code-point tables behind the tokenizer. ASCII is decided by a direct
// test; everything else goes through one sorted table of ranges, searched by bisection, so
// a Chinese corpus (one table lookup per character) stays fast.
#include "text/char_class.h"

#include <algorithm>
#include <array>
#include <cstddef>

namespace embedlab::text {
namespace {

/// A run of consecutive code points [first, last] that share one class.
struct CodePointRange {
  char32_t first;
  char32_t last;
  CharClass char_class;
};

constexpr CharClass kSep = CharClass::separator;
constexpr CharClass kOwn = CharClass::own_token;
constexpr CharClass kIgn = CharClass::ignorable;

// Non-ASCII code points that are not word characters, sorted by `first` and non-overlapping
// (checked by the static_assert below). CJK ideographs are tested before this table.
constexpr std::array kRanges{
    CodePointRange{0x0080, 0x00A9, kSep},  // C1 controls, NBSP, ¡ ¢ £ ¤ ¥ ¦ § ¨ ©
    CodePointRange{0x00AB, 0x00AC, kSep},  // « ¬
    CodePointRange{0x00AD, 0x00AD, kIgn},  // soft hyphen: invisible, keeps the word whole
    CodePointRange{0x00AE, 0x00B1, kSep},  // ® ¯ ° ±
    CodePointRange{0x00B4, 0x00B4, kSep},  // ´
    CodePointRange{0x00B6, 0x00B8, kSep},  // ¶ · ¸
    CodePointRange{0x00BB, 0x00BB, kSep},  // »
    CodePointRange{0x00BF, 0x00BF, kSep},  // ¿
    CodePointRange{0x00D7, 0x00D7, kSep},  // ×
    CodePointRange{0x00F7, 0x00F7, kSep},  // ÷
    CodePointRange{0x037E, 0x037E, kSep},  // Greek question mark
    CodePointRange{0x0387, 0x0387, kSep},  // Greek ano teleia
    CodePointRange{0x055A, 0x055F, kSep},  // Armenian punctuation
    CodePointRange{0x0589, 0x058A, kSep},  // Armenian full stop, hyphen
    CodePointRange{0x05BE, 0x05BE, kSep},  // Hebrew maqaf
    CodePointRange{0x05C0, 0x05C0, kSep},  // Hebrew paseq
    CodePointRange{0x05C3, 0x05C3, kSep},  // Hebrew sof pasuq
    CodePointRange{0x05F3, 0x05F4, kSep},  // Hebrew geresh, gershayim
    CodePointRange{0x060C, 0x060D, kSep},  // Arabic comma, date separator
    CodePointRange{0x061B, 0x061B, kSep},  // Arabic semicolon
    CodePointRange{0x061D, 0x061F, kSep},  // Arabic end of text, triple dot, question mark
    CodePointRange{0x066A, 0x066D, kSep},  // Arabic percent, decimal, thousands, star
    CodePointRange{0x06D4, 0x06D4, kSep},  // Arabic full stop
    CodePointRange{0x0964, 0x0965, kSep},  // Devanagari danda, double danda
    CodePointRange{0x0970, 0x0970, kSep},  // Devanagari abbreviation sign
    CodePointRange{0x1680, 0x1680, kSep},  // Ogham space
    CodePointRange{0x2000, 0x200B, kSep},  // en quad .. zero width space
    CodePointRange{0x200C, 0x200D, kIgn},  // zero width non-joiner, joiner
    CodePointRange{0x200E, 0x2018, kSep},  // direction marks, dashes, ‖ ‗ ‘
    CodePointRange{0x2019, 0x2019, CharClass::apostrophe},  // ’ (typographic apostrophe)
    CodePointRange{0x201A, 0x205F, kSep},  // “ ” † • … ‰ ′ ‹ › ‼ ⁇ ... medium math space
    CodePointRange{0x2060, 0x2064, kIgn},  // word joiner, invisible operators
    CodePointRange{0x2065, 0x206F, kSep},  // invisible formatting controls
    CodePointRange{0x20A0, 0x20CF, kSep},  // currency signs € ₹ ...
    CodePointRange{0x2190, 0x22FF, kSep},  // arrows, mathematical operators
    CodePointRange{0x2300, 0x23FF, kOwn},  // miscellaneous technical (⌚ ⏰ ...)
    CodePointRange{0x2400, 0x25FF, kSep},  // control pictures, ① ②, box drawing, ■ ▲ ●
    CodePointRange{0x2600, 0x27BF, kOwn},  // miscellaneous symbols and dingbats (☀ ☺ ☹ ❤)
    CodePointRange{0x27C0, 0x2AFF, kSep},  // mathematical symbols and arrows
    CodePointRange{0x2B00, 0x2BFF, kOwn},  // miscellaneous symbols and arrows (⭐)
    CodePointRange{0x2E00, 0x2E7F, kSep},  // supplemental punctuation
    CodePointRange{0x3000, 0x3004, kSep},  // ideographic space 、 。 〃 〄
    CodePointRange{0x3008, 0x3020, kSep},  // 〈 〉 《 》 「 」 『 』 【 】 〒 〓 〔 〕 ... 〠
    CodePointRange{0x3030, 0x3030, kSep},  // 〰
    CodePointRange{0x303D, 0x303D, kSep},  // 〽
    CodePointRange{0x30FB, 0x30FB, kSep},  // katakana middle dot ・
    CodePointRange{0xFE00, 0xFE0F, kIgn},  // variation selectors (emoji presentation)
    CodePointRange{0xFE10, 0xFE1F, kSep},  // vertical forms
    CodePointRange{0xFE30, 0xFE6F, kSep},  // CJK compatibility forms, small form variants
    CodePointRange{0xFEFF, 0xFEFF, kIgn},  // byte order mark
    CodePointRange{0xFF01, 0xFF0F, kSep},  // ！ ＂ ＃ ＄ ％ ＆ ＇ （ ） ＊ ＋ ， － ． ／
    CodePointRange{0xFF1A, 0xFF20, kSep},    // ： ； ＜ ＝ ＞ ？ ＠
    CodePointRange{0xFF3B, 0xFF40, kSep},    // ［ ＼ ］ ＾ ＿ ｀
    CodePointRange{0xFF5B, 0xFF65, kSep},    // ｛ ｜ ｝ ～ ｟ ｠ ｡ ｢ ｣ ､ ･
    CodePointRange{0xFFF9, 0xFFFC, kSep},    // interlinear annotation, object replacement
    CodePointRange{0x1F000, 0x1FAFF, kOwn},  // mahjong, cards, emoji, pictographs
    CodePointRange{0xE0000, 0xE007F, kIgn},  // tag characters (emoji flags)
    CodePointRange{0xE0100, 0xE01EF, kIgn},  // variation selectors supplement
};

constexpr bool ranges_are_sorted() {
  for (std::size_t i = 0; i < kRanges.size(); ++i) {
    if (kRanges[i].first > kRanges[i].last) return false;
    if (i > 0 && kRanges[i - 1].last >= kRanges[i].first) return false;
  }
  return true;
}
static_assert(ranges_are_sorted(), "kRanges must be sorted and non-overlapping");

CharClass classify_ascii(char32_t c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    return CharClass::word;
  }
  if (c == '\'') return CharClass::apostrophe;
  return CharClass::separator;  // controls, space, and every other ASCII punctuation mark
}

}  // namespace

bool is_cjk_ideograph(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x3FFFF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0x2E80 && c <= 0x2FDF) || (c >= 0x31C0 && c <= 0x31EF) ||
         (c >= 0x3005 && c <= 0x3007) || (c >= 0x3021 && c <= 0x3029);
}

CharClass classify_code_point(char32_t c) {
  if (c < 0x80) return classify_ascii(c);
  if (is_cjk_ideograph(c)) return CharClass::own_token;
  // The first range whose last code point is >= c is the only one that can contain it.
  const auto* it = std::lower_bound(
      kRanges.begin(), kRanges.end(), c,
      [](const CodePointRange& range, char32_t value) { return range.last < value; });
  if (it != kRanges.end() && it->first <= c) return it->char_class;
  return CharClass::word;
}

char32_t to_lower_code_point(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 0x20 : c;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;  // À..Þ except ×
  if (c >= 0x0100 && c <= 0x017F) {
    // Latin Extended-A pairs capital and small letters; which of the pair is even flips twice.
    if (c == 0x0130) return U'i';    // İ: Turkish dotted capital I, simplified to a plain i
    if (c == 0x0178) return 0x00FF;  // Ÿ -> ÿ, whose small form lives in Latin-1
    const bool even_upper = (c <= 0x0137) || (c >= 0x014A && c <= 0x0177);
    const bool odd_upper = (c >= 0x0139 && c <= 0x0148) || (c >= 0x0179 && c <= 0x017E);
    if (even_upper && c % 2 == 0 && c != 0x0130) return c + 1;
    if (odd_upper && c % 2 == 1) return c + 1;
    return c;
  }
  if (c >= 0x0391 && c <= 0x03AB && c != 0x03A2) return c + 0x20;  // Greek Α..Ϋ
  if (c == 0x0386) return 0x03AC;                                  // Ά
  if (c >= 0x0388 && c <= 0x038A) return c + 0x25;                 // Έ Ή Ί
  if (c == 0x038C) return 0x03CC;                                  // Ό
  if (c == 0x038E || c == 0x038F) return c + 0x3F;                 // Ύ Ώ
  if (c >= 0x0410 && c <= 0x042F) return c + 0x20;                 // Cyrillic А..Я
  if (c >= 0x0400 && c <= 0x040F) return c + 0x50;                 // Cyrillic Ѐ..Џ
  if (c >= 0xFF21 && c <= 0xFF3A) return c + 0x20;                 // fullwidth Ａ..Ｚ
  return c;
}

}  // namespace embedlab::text
