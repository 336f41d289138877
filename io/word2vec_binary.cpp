// The word2vec binary format: a text header, then per word its text, a space and D raw
// float32 values. Errors name the word number and the byte offset, since there are no lines.
#include "io/word2vec_binary.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <iterator>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "io/atomic_file.h"
#include "tensor/error.h"

namespace embedlab::io {

static_assert(std::endian::native == std::endian::little,
              "the word2vec binary code copies little-endian float32 values as they are");

namespace {

bool is_field_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// A word for an error message, cut short: in a corrupt file it may run for megabytes.
std::string shown(std::string_view word) {
  return word.size() > 40 ? std::string(word.substr(0, 37)) + "..." : std::string(word);
}

bool parse_count(std::string_view token, int64_t* value) {
  auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), *value);
  return ec == std::errc() && end == token.data() + token.size() && *value >= 0;
}

class BinaryParser {
 public:
  BinaryParser(std::string_view data, const std::string& source) : data_(data), source_(source) {}

  WordVectors parse();

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw FormatError(fmt::format("word2vec binary \"{}\": {}", source_, what));
  }
  int64_t parse_header();
  void parse_word(int64_t index);

  std::string_view data_;
  std::string source_;
  size_t pos_ = 0;
  std::unordered_map<std::string_view, int64_t> first_index_of_;  // word -> its first index
  int64_t count_ = 0;                                             // words the header announces
  WordVectors result_;
};

int64_t BinaryParser::parse_header() {
  if (data_.empty()) fail("empty file, expected a header line \"count dim\"");
  size_t end = data_.find('\n');
  if (end == std::string_view::npos || end > 64) {
    fail("no header line \"count dim\" in the first 64 bytes (is this really the binary format?)");
  }
  std::string_view line = data_.substr(0, end);
  while (!line.empty() && is_field_space(line.back()))
    line.remove_suffix(1);
  size_t space = line.find(' ');
  int64_t count = -1;
  bool ok = space != std::string_view::npos && parse_count(line.substr(0, space), &count) &&
            parse_count(line.substr(line.find_first_not_of(' ', space)), &result_.dim);
  if (!ok) fail(fmt::format("bad header \"{}\", expected \"count dim\" such as \"3 100\"", line));
  if (result_.dim < 1) fail(fmt::format("header \"{}\": the dimension must be at least 1", line));
  pos_ = end + 1;
  return count;
}

void BinaryParser::parse_word(int64_t index) {
  while (pos_ < data_.size() && data_[pos_] == '\n')
    ++pos_;  // newline after the last vector
  size_t space = data_.find(' ', pos_);
  if (space == std::string_view::npos) {
    fail(fmt::format(
        "word {} (byte {}): the file ends before the space that ends the word (the header "
        "announces {} words)",
        index, pos_, count_));
  }
  std::string_view word = data_.substr(pos_, space - pos_);
  if (word.empty()) fail(fmt::format("word {} (byte {}): empty word", index, pos_));
  for (char c : word) {
    if (is_field_space(c)) {
      fail(
          fmt::format("word {} (byte {}): \"{}\" holds whitespace (is this really the binary "
                      "format?)",
                      index, pos_, shown(word)));
    }
  }
  auto [it, inserted] = first_index_of_.emplace(word, index);
  if (!inserted) {
    fail(fmt::format("word {} (byte {}): \"{}\" already appeared as word {}", index, pos_,
                     shown(word), it->second));
  }
  pos_ = space + 1;
  size_t dim = static_cast<size_t>(result_.dim);
  size_t left = data_.size() - pos_;
  if (dim > left / sizeof(float)) {
    fail(
        fmt::format("word {} \"{}\" (byte {}): the file ends inside its vector of {} float32 "
                    "values (4 bytes each); {} bytes are left",
                    index, shown(word), pos_, result_.dim, left));
  }
  size_t row_start = result_.values.size();
  result_.values.resize(row_start + dim);
  std::memcpy(result_.values.data() + row_start, data_.data() + pos_, dim * sizeof(float));
  for (size_t col = 0; col < dim; ++col) {
    if (!std::isfinite(result_.values[row_start + col])) {
      fail(
          fmt::format("word {} \"{}\": value {} in column {} is not finite (embedlab rejects "
                      "NaN and infinity)",
                      index, shown(word), result_.values[row_start + col], col));
    }
  }
  result_.words.emplace_back(word);
  pos_ += dim * sizeof(float);
}

WordVectors BinaryParser::parse() {
  const int64_t count = parse_header();
  count_ = count;
  // Each value takes 4 bytes, so a lying header cannot make us reserve more than the file holds.
  int64_t size = static_cast<int64_t>(data_.size());
  // count x dim is computed only when it cannot overflow (a header "9e18 9e18" would).
  const int64_t most = size / 4;
  const int64_t reserve =
      result_.dim > 0 && count > most / result_.dim ? most : count * result_.dim;
  result_.values.reserve(static_cast<size_t>(reserve));
  for (int64_t index = 0; index < count; ++index)
    parse_word(index);
  size_t rest = pos_;
  while (rest < data_.size() && is_field_space(data_[rest]))
    ++rest;
  if (rest < data_.size()) {
    fail(fmt::format("{} bytes after the {} words the header announces (byte {})",
                     data_.size() - pos_, count, pos_));
  }
  return std::move(result_);
}

}  // namespace

void write_word2vec_binary(std::ostream& out, const WordVectors& vectors) {
  check_word_vectors(vectors, "save_word2vec_binary");
  check_word2vec_words(vectors, "save_word2vec_binary");
  size_t dim = static_cast<size_t>(vectors.dim);
  fmt::memory_buffer buffer;
  fmt::format_to(std::back_inserter(buffer), "{} {}\n", vectors.words.size(), dim);
  for (size_t row = 0; row < vectors.words.size(); ++row) {
    buffer.append(vectors.words[row]);
    buffer.push_back(' ');
    const char* values = reinterpret_cast<const char*>(vectors.values.data() + row * dim);
    buffer.append(values, values + dim * sizeof(float));
    buffer.push_back('\n');
    if (buffer.size() > (1 << 16)) {
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      buffer.clear();
    }
  }
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
}

void save_word2vec_binary(const std::string& path, const WordVectors& vectors) {
  check_word_vectors(vectors, "save_word2vec_binary");  // before the file is touched
  check_word2vec_words(vectors, "save_word2vec_binary");
  write_file_atomically(path, [&](std::ostream& out) { write_word2vec_binary(out, vectors); });
}

WordVectors parse_word2vec_binary(std::span<const std::byte> bytes, const std::string& source) {
  BinaryParser parser(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
                      source);
  return parser.parse();
}

WordVectors load_word2vec_binary(const std::string& path) {
  std::string content = read_whole_file(path, "load_word2vec_binary");
  return parse_word2vec_binary(std::as_bytes(std::span<const char>(content)), path);
}

}  // namespace embedlab::io
