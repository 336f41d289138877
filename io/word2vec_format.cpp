// The word2vec text format: a line-by-line parser that names the line of every problem, and a
// writer that formats rows into a buffer and streams it out.
#include "io/word2vec_format.h"

#include <algorithm>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <iterator>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "io/atomic_file.h"
#include "tensor/error.h"

namespace embedlab::io {
namespace {

// The writer refuses these characters in words, and the reader splits fields on them, so
// every word the reader returns can be written back.
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// Walks through the text one line at a time and counts lines from 1.
class LineReader {
 public:
  explicit LineReader(std::string_view text) : text_(text) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") text_.remove_prefix(3);  // UTF-8 byte order mark
  }

  // The next line without its end-of-line characters and trailing spaces; false at the end.
  bool next(std::string_view* line) {
    if (pos_ >= text_.size()) return false;
    size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos) end = text_.size();
    std::string_view raw = text_.substr(pos_, end - pos_);
    while (!raw.empty() && is_space(raw.back()))
      raw.remove_suffix(1);
    pos_ = end + 1;
    ++line_number_;
    *line = raw;
    return true;
  }

  int64_t line_number() const { return line_number_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  int64_t line_number_ = 0;
};

// Splits a line into fields separated by runs of whitespace (spaces, tabs, stray '\r'...).
void split_fields(std::string_view line, std::vector<std::string_view>* fields) {
  fields->clear();
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_space(line[i]))
      ++i;
    size_t start = i;
    while (i < line.size() && !is_space(line[i]))
      ++i;
    if (i > start) fields->push_back(line.substr(start, i - start));
  }
}

class Parser {
 public:
  Parser(std::string_view text, const std::string& source)
      : lines_(text), source_(source), text_size_(static_cast<int64_t>(text.size())) {}

  WordVectors parse();

 private:
  [[noreturn]] void fail(int64_t line, const std::string& what) const {
    throw FormatError(fmt::format("word2vec \"{}\": line {}: {}", source_, line, what));
  }
  void parse_header(int64_t* count);
  void parse_word_line(std::string_view line);
  float parse_value(std::string_view token) const;

  LineReader lines_;
  std::string source_;
  int64_t text_size_;
  std::vector<std::string_view> fields_;
  std::unordered_map<std::string_view, int64_t> first_line_of_;  // word -> line it appeared on
  WordVectors result_;
};

void Parser::parse_header(int64_t* count) {
  std::string_view line;
  if (!lines_.next(&line)) fail(1, "empty file, expected a header line \"count dim\"");
  split_fields(line, &fields_);
  int64_t numbers[2] = {-1, -1};
  bool ok = fields_.size() == 2;
  for (size_t i = 0; ok && i < 2; ++i) {
    auto [end, ec] =
        std::from_chars(fields_[i].data(), fields_[i].data() + fields_[i].size(), numbers[i]);
    ok = ec == std::errc() && end == fields_[i].data() + fields_[i].size() && numbers[i] >= 0;
  }
  std::string shown(line.substr(0, 60));
  if (line.empty())
    fail(1, "empty file or empty header line, expected \"count dim\" such as \"3 100\"");
  if (!ok)
    fail(1, fmt::format("bad header \"{}\", expected \"count dim\", two integers such as \"3 100\"",
                        shown));
  if (numbers[1] < 1)
    fail(1, fmt::format("header \"{}\": the dimension must be at least 1", shown));
  *count = numbers[0];
  result_.dim = numbers[1];
}

float Parser::parse_value(std::string_view token) const {
  const char* first = token.data();
  const char* last = token.data() + token.size();
  if (token.size() > 1 && token[0] == '+' && token[1] != '-') ++first;  // Python accepts "+1.5"
  float value = 0;
  auto [end, ec] = std::from_chars(first, last, value);
  if (ec == std::errc::result_out_of_range && end == last) {
    // Tell underflow (read as 0, as numpy's float32 cast does) from overflow (an error).
    long double wide = 0;
    auto [wide_end, wide_ec] = std::from_chars(first, last, wide);
    if (wide_ec != std::errc() || wide_end != last || std::fabs(wide) > FLT_MAX) {
      fail(lines_.line_number(), fmt::format("'{}' is out of range for float32", token));
    }
    return static_cast<float>(wide);
  }
  if (ec != std::errc() || end != last)
    fail(lines_.line_number(), fmt::format("'{}' is not a number", token));
  if (!std::isfinite(value)) {
    fail(lines_.line_number(),
         fmt::format("value '{}' is not finite (embedlab rejects NaN and infinity)", token));
  }
  return value;
}

void Parser::parse_word_line(std::string_view line) {
  int64_t line_number = lines_.line_number();
  split_fields(line, &fields_);
  if (fields_.empty())
    fail(line_number, fmt::format("empty line, expected a word and {} values", result_.dim));
  int64_t found = static_cast<int64_t>(fields_.size()) - 1;
  if (found != result_.dim) {
    fail(line_number,
         fmt::format("expected {} values after the word, found {}", result_.dim, found));
  }
  auto [it, inserted] = first_line_of_.emplace(fields_[0], line_number);
  if (!inserted) {
    fail(line_number,
         fmt::format("word \"{}\" already appeared on line {}", fields_[0], it->second));
  }
  result_.words.emplace_back(fields_[0]);
  for (size_t i = 1; i < fields_.size(); ++i)
    result_.values.push_back(parse_value(fields_[i]));
}

WordVectors Parser::parse() {
  int64_t count = 0;
  parse_header(&count);
  // A valid file needs at least 2 bytes per value, so a lying header cannot make us reserve
  // more than the text could hold.
  // count x dim is computed only when it cannot overflow (a header "9e18 9e18" would).
  const int64_t most = text_size_ / 2;
  const int64_t reserve = count > most / result_.dim ? most : count * result_.dim;
  result_.values.reserve(static_cast<size_t>(reserve));
  std::string_view line;
  while (static_cast<int64_t>(result_.words.size()) < count) {
    if (!lines_.next(&line)) {
      fail(lines_.line_number() + 1,
           fmt::format("the file ends, but the header announces {} words and "
                       "only {} were read",
                       count, result_.words.size()));
    }
    parse_word_line(line);
  }
  while (lines_.next(&line)) {
    split_fields(line, &fields_);
    if (!fields_.empty()) {
      fail(lines_.line_number(),
           fmt::format("more lines than the {} words the header announces", count));
    }
  }
  return std::move(result_);
}

}  // namespace

void check_word2vec_words(const WordVectors& vectors, const std::string& who) {
  std::unordered_set<std::string_view> seen;
  for (size_t i = 0; i < vectors.words.size(); ++i) {
    const std::string& word = vectors.words[i];
    if (word.empty()) throw ValueError(fmt::format("{}: word {} is empty", who, i));
    for (char c : word) {
      if (is_space(c)) {
        throw ValueError(
            fmt::format("{}: word {} \"{}\" contains whitespace, which the word2vec "
                        "formats cannot hold",
                        who, i, word));
      }
    }
    if (!seen.insert(word).second)
      throw ValueError(fmt::format("{}: word \"{}\" appears twice", who, word));
  }
}

void check_word_vectors(const WordVectors& vectors, const std::string& who) {
  if (vectors.dim < 1)
    throw ValueError(fmt::format("{}: dim is {}, must be at least 1", who, vectors.dim));
  size_t rows = vectors.words.size();
  size_t dim = static_cast<size_t>(vectors.dim);
  if (vectors.values.size() / dim != rows || vectors.values.size() % dim != 0) {
    throw ValueError(fmt::format("{}: {} words of dimension {} need {} values, found {}", who, rows,
                                 dim, rows * dim, vectors.values.size()));
  }
  for (size_t row = 0; row < rows; ++row) {
    for (size_t col = 0; col < dim; ++col) {
      float value = vectors.values[row * dim + col];
      if (!std::isfinite(value)) {
        throw ValueError(
            fmt::format("{}: word \"{}\" (row {}) has value {} in column {}; the file needs "
                        "finite numbers (did training diverge?)",
                        who, vectors.words[row], row, value, col));
      }
    }
  }
}

void write_word2vec_text(std::ostream& out, const WordVectors& vectors) {
  check_word_vectors(vectors, "save_word2vec_text");
  check_word2vec_words(vectors, "save_word2vec_text");
  size_t dim = static_cast<size_t>(vectors.dim);
  fmt::memory_buffer buffer;
  fmt::format_to(std::back_inserter(buffer), "{} {}\n", vectors.words.size(), dim);
  for (size_t row = 0; row < vectors.words.size(); ++row) {
    buffer.append(vectors.words[row]);
    for (size_t col = 0; col < dim; ++col) {
      fmt::format_to(std::back_inserter(buffer), " {}", vectors.values[row * dim + col]);
    }
    buffer.push_back('\n');
    if (buffer.size() > (1 << 16)) {
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      buffer.clear();
    }
  }
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
}

void save_word2vec_text(const std::string& path, const WordVectors& vectors) {
  check_word_vectors(vectors, "save_word2vec_text");  // before the file is touched
  check_word2vec_words(vectors, "save_word2vec_text");
  write_file_atomically(path, [&](std::ostream& out) { write_word2vec_text(out, vectors); });
}

WordVectors parse_word2vec_text(std::string_view text, const std::string& source) {
  Parser parser(text, source);
  return parser.parse();
}

WordVectors load_word2vec_text(const std::string& path) {
  return parse_word2vec_text(read_whole_file(path, "load_word2vec_text"), path);
}

}  // namespace embedlab::io
