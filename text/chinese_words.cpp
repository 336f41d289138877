// chinese_words.cpp: the only file that talks to ICU. ICU reads the run in place through a
// UTF-8 UText, so its break positions are byte offsets into the run and no UTF-16 copy is made.
#include "text/chinese_words.h"

#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include <fmt/format.h>

#include "tensor/error.h"

namespace embedlab::text {

ChineseWordBreaker::~ChineseWordBreaker() {
  if (iterator_ != nullptr) ubrk_close(iterator_);
  if (text_ != nullptr) utext_close(text_);
}

void ChineseWordBreaker::open_iterator() {
  if (iterator_ != nullptr) return;
  UErrorCode status = U_ZERO_ERROR;
  // The word rules are the same for every locale; "zh" only documents the intent (ICU answers
  // with the warning U_USING_DEFAULT_WARNING, which is not a failure).
  iterator_ = ubrk_open(UBRK_WORD, "zh", nullptr, 0, &status);
  if (U_FAILURE(status)) {
    iterator_ = nullptr;
    throw Error(
        fmt::format("Chinese word segmentation: ICU cannot open its word BreakIterator "
                    "({}); is ICU's data library (libicudata) installed?",
                    u_errorName(status)));
  }
}

void ChineseWordBreaker::for_each_word(std::string_view run, const WordCallback& on_word) {
  if (run.empty()) return;
  open_iterator();
  UErrorCode status = U_ZERO_ERROR;
  text_ = utext_openUTF8(text_, run.data(), static_cast<int64_t>(run.size()), &status);
  ubrk_setUText(iterator_, text_, &status);
  if (U_FAILURE(status)) {
    throw Error(fmt::format("Chinese word segmentation: ICU cannot read a run of {} bytes ({})",
                            run.size(), u_errorName(status)));
  }
  // Consecutive boundaries delimit one word each; on a run of ideographs every piece is a word.
  int32_t start = ubrk_first(iterator_);
  for (int32_t end = ubrk_next(iterator_); end != UBRK_DONE; end = ubrk_next(iterator_)) {
    on_word(run.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(end - start)));
    start = end;
  }
}

std::vector<std::string> segment_chinese(std::string_view run) {
  ChineseWordBreaker breaker;
  std::vector<std::string> words;
  breaker.for_each_word(run, [&words](std::string_view word) { words.emplace_back(word); });
  return words;
}

}  // namespace embedlab::text
