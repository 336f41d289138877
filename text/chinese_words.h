/// @file chinese_words.h
/// @brief Cuts a run of Chinese characters into words with ICU's dictionary-based word breaker.
///
/// Chinese is written without spaces, so "快乐和悲伤" gives no hint where one word ends. ICU
/// (International Components for Unicode, Debian's libicu) ships a dictionary of Chinese words
/// with their frequencies and cuts a run of ideographs into the most likely sequence of
/// dictionary words: 快乐和悲伤在字典里可能挨着 becomes 快乐 | 和 | 悲伤 | 在 | 字典 | 里 | 可能 |
/// 挨 | 着. Characters the dictionary does not join stay single (挨, 着 above).
///
/// The tokenizer (tokenizer.h) hands this class only runs of CJK ideographs; punctuation,
/// Latin words and numbers never reach ICU.
///
/// Cost: words are slower than characters. count_tokens over data/chinese_poems.txt (2 MB,
/// short runs between punctuation) takes a median 0.31 s of CPU with words against 0.033 s per
/// character (9x); over data/feelings_corpus.txt 3.2 ms against 0.8 ms (4x) (release build,
/// 7 runs each, a throwaway program timing count_tokens with std::clock). Word2vec tokenizes
/// its corpus once per epoch, so on the poems this is about a fifth of a 3-epoch run. The cost
/// is ICU's dictionary search per character, not the call per run: handing ICU whole sentences
/// (punctuation included) instead of runs measured the same 0.31 s. Left out: ICU's other break
/// rules (Thai, Khmer, Japanese kana), user dictionaries, and segmentation of traditional-only word
/// forms ICU lacks.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

// ICU's C types, declared here so that including this header does not pull in ICU's headers.
struct UBreakIterator;
struct UText;

namespace embedlab::text {

/// Splits runs of Chinese characters into words, using ICU's dictionary-based BreakIterator.
///
/// The ICU iterator is opened on first use and reused for every later run, so a corpus costs
/// one dictionary load. Not thread-safe: give each thread its own instance. Copying gives a new
/// instance that opens its own iterator.
/// @code
/// ChineseWordBreaker breaker;
/// breaker.for_each_word("我很快乐", [](std::string_view word) { fmt::print("[{}] ", word); });
/// // prints: [我] [很] [快乐]
/// @endcode
class ChineseWordBreaker {
 public:
  /// The function called once per word, in text order, with a view into the run.
  using WordCallback = std::function<void(std::string_view word)>;

  /// Makes a breaker; ICU is opened lazily, on the first run.
  ChineseWordBreaker() = default;
  /// Makes a new breaker (the ICU iterator is not shared between copies).
  ChineseWordBreaker(const ChineseWordBreaker& /*other*/) {}
  /// Keeps this breaker's own iterator.
  ChineseWordBreaker& operator=(const ChineseWordBreaker& /*other*/) { return *this; }
  /// Closes the ICU iterator and text.
  ~ChineseWordBreaker();

  /// Calls `on_word` with each word of `run`, in order.
  /// @param run valid UTF-8 made of CJK ideographs only (the tokenizer checks this)
  /// @param on_word called with each word; the view points into `run`
  /// @throws Error naming ICU's error code when ICU cannot open its word iterator or dictionary
  void for_each_word(std::string_view run, const WordCallback& on_word);

 private:
  /// Opens the ICU word iterator when it is not open yet.
  void open_iterator();

  UBreakIterator* iterator_ = nullptr;  // ICU's word BreakIterator, opened on first use
  UText* text_ = nullptr;               // ICU's view of the current run (UTF-8, no copy)
};

/// Returns the words of a run of Chinese characters (a one-call shortcut for ChineseWordBreaker).
/// @param run valid UTF-8 made of CJK ideographs only
/// @return the words, in order
/// @throws Error when ICU cannot open its word iterator
std::vector<std::string> segment_chinese(std::string_view run);

}  // namespace embedlab::text
