/// @file char_class.h
/// @brief What the tokenizer does with each code point: keep it in a word, split on it, or make it
/// a token.
///
/// These are small hand-written tables, not the full Unicode Character Database: they cover
/// the whitespace and punctuation of Latin, Greek, Cyrillic, Arabic, Hebrew, Devanagari and CJK
/// text, the CJK ideographs, and the common emoji blocks. A code point they do not list
/// counts as a word character, so letters of other scripts still form words; only their rarer
/// punctuation marks stay inside words. Case folding is equally small (see to_lower_code_point()).
#pragma once

namespace embedlab::text {

/// The role of one code point when text is cut into tokens.
enum class CharClass {
  /// Part of a word: letters, digits, combining marks, and anything not listed elsewhere.
  word,
  /// Ends the current word and is dropped: whitespace, punctuation, control characters.
  separator,
  /// Ends the current word and becomes a token by itself: CJK ideographs, emoji, pictographs.
  own_token,
  /// An apostrophe (' or U+2019): kept inside a word ("don't"), a separator elsewhere.
  apostrophe,
  /// Dropped without ending the word: soft hyphen, zero-width joiners, variation selectors, BOM.
  ignorable,
};

/// Classifies one code point for the tokenizer.
/// @param code_point a Unicode code point (U+FFFD, the replacement character, counts as a word
/// character)
/// @return its role; see CharClass
/// @code
/// classify_code_point(U'a');    // CharClass::word
/// classify_code_point(U'，');   // CharClass::separator
/// classify_code_point(U'乐');   // CharClass::own_token
/// @endcode
CharClass classify_code_point(char32_t code_point);

/// Tells whether a code point is a CJK ideograph (Han character), which the tokenizer splits one
/// per token.
///
/// Covers the unified ideographs U+4E00..U+9FFF, extension A U+3400..U+4DBF, the radicals
/// U+2E80..U+2FDF and strokes U+31C0..U+31EF, the compatibility ideographs U+F900..U+FAFF,
/// 々 〆 〇 and the Hangzhou numerals, and all of planes 2 and 3 (extensions B..H and the
/// compatibility supplement).
/// @param code_point a Unicode code point
/// @return true for a CJK ideograph
bool is_cjk_ideograph(char32_t code_point);

/// Returns the lowercase form of one code point, or the code point itself when it has none here.
///
/// Handled: ASCII A-Z, Latin-1 À..Þ (not ×), Latin Extended-A U+0100..U+017F (İ becomes a
/// plain i, Ÿ becomes ÿ), basic Greek and Cyrillic capitals, and fullwidth Ａ..Ｚ. Not handled:
/// other scripts and Latin Extended-B onwards, one-to-many mappings (ß stays ß), and
/// context rules such as Greek final sigma.
/// @param code_point a Unicode code point
/// @return its lowercase code point
/// @code
/// to_lower_code_point(U'Ä');  // U'ä'
/// to_lower_code_point(U'Ł');  // U'ł'
/// @endcode
char32_t to_lower_code_point(char32_t code_point);

}  // namespace embedlab::text
