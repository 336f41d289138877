// corpus.cpp: the streaming reader. The file is read in blocks into one reused buffer; each
// block is cut after its last complete line, or failing that after its last ASCII whitespace,
// so no token and no UTF-8 sequence is ever split between two blocks (the tokenizer's
// look-ahead for "don't" and "3.14" never crosses whitespace either). The rest of the block
// waits in the buffer for the next read.
#include "text/corpus.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "tensor/error.h"
#include "text/utf8.h"

namespace embedlab::text {
namespace {

/// Opens a corpus file for binary reading; throws IOError naming the path when it cannot.
std::ifstream open_corpus(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    throw IOError(fmt::format("CorpusReader: \"{}\" is a directory, not a corpus file", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw IOError(fmt::format("CorpusReader: cannot open \"{}\": {}", path, std::strerror(errno)));
  }
  return in;
}

uint64_t file_size_or_zero(const std::string& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  return error ? 0 : static_cast<uint64_t>(size);
}

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/// Where to cut the unfinished last line `tail` so that no token is split: just after its last
/// ASCII whitespace; or, for a run of non-space bytes filling a whole block, after its last
/// complete code point. Returns 0 when the tail should wait for more bytes.
std::size_t safe_cut(std::string_view tail, std::size_t block_size) {
  for (std::size_t i = tail.size(); i > 0; --i) {
    if (is_ascii_space(tail[i - 1])) return i;
  }
  if (tail.size() < block_size) return 0;
  std::size_t cut = 0;
  while (cut < tail.size()) {
    const DecodedCodePoint decoded = decode_utf8(tail, cut);
    // A sequence cut short by the end of the block may still complete in the next block.
    if (!decoded.valid && cut + decoded.length == tail.size()) break;
    cut += decoded.length;
  }
  return cut;
}

}  // namespace

CorpusReader::CorpusReader(std::string path, TokenizerOptions tokenizer_options,
                           std::size_t max_sentence_length)
    : path_(std::move(path)),
      tokenizer_(tokenizer_options),
      max_sentence_length_(max_sentence_length) {
  if (max_sentence_length_ == 0) {
    throw ValueError("CorpusReader: max_sentence_length must be > 0, got 0");
  }
  open_corpus(path_);  // fail early, with the path in the message
  total_bytes_ = file_size_or_zero(path_);
  std::error_code error;
  regular_file_ = std::filesystem::is_regular_file(path_, error);
}

void CorpusReader::set_block_size(std::size_t block_size) {
  // The buffer holds a block and the unfinished line before it: a block past 1 GiB would only
  // fail to allocate.
  constexpr std::size_t kMaxBlockSize = std::size_t{1} << 30;
  if (block_size == 0 || block_size > kMaxBlockSize) {
    throw ValueError(fmt::format("CorpusReader: block_size must lie in [1, {}] bytes, got {}",
                                 kMaxBlockSize, block_size));
  }
  block_size_ = block_size;
}

void CorpusReader::tokenize_piece(std::string_view piece, uint64_t file_offset, int64_t line,
                                  const Tokenizer::TokenCallback& on_token) {
  try {
    tokenizer_.for_each_token(piece, on_token);
  } catch (const Utf8Error& error) {
    throw FormatError(fmt::format("CorpusReader: \"{}\" line {}: invalid UTF-8 at byte {}: {}",
                                  path_, line, file_offset + error.byte_offset(), error.reason()));
  }
}

void CorpusReader::read_file(const Tokenizer::TokenCallback& on_token,
                             const std::function<void()>& on_line_end) {
  if (!regular_file_ && passes_ > 0) {
    // A second pass over a pipe would silently read nothing: an epoch trained on no words.
    throw IOError(fmt::format(
        "CorpusReader: \"{}\" is not a regular file (a pipe or a device?) and was read once "
        "already; it cannot be read twice: write it to a file first",
        path_));
  }
  ++passes_;
  std::ifstream in = open_corpus(path_);
  total_bytes_ = file_size_or_zero(path_);
  bytes_read_ = 0;
  sentences_read_ = 0;
  std::string buffer;      // unprocessed bytes: the rest of the previous block, then the new block
  uint64_t buffer_at = 0;  // file offset of buffer[0]
  int64_t line = 1;
  bool at_end = false;
  while (!at_end) {
    // Phase 1: append one block to what is left of the previous one.
    const std::size_t kept = buffer.size();
    buffer.resize(kept + block_size_);
    in.read(buffer.data() + kept, static_cast<std::streamsize>(block_size_));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (in.bad()) {
      throw IOError(fmt::format("CorpusReader: error reading \"{}\" after {} bytes: {}", path_,
                                bytes_read_, std::strerror(errno)));
    }
    buffer.resize(kept + got);
    bytes_read_ += got;
    at_end = got == 0;
    // Phase 2: hand out every complete line.
    const std::string_view view(buffer);
    std::size_t start = 0;
    for (std::size_t newline = view.find('\n'); newline != std::string_view::npos;
         newline = view.find('\n', start)) {
      tokenize_piece(view.substr(start, newline - start), buffer_at + start, line, on_token);
      on_line_end();
      ++line;
      start = newline + 1;
    }
    // Phase 3: the unfinished last line: all of it at the end of the file, else up to a safe cut.
    const std::string_view tail = view.substr(start);
    const std::size_t cut = at_end ? tail.size() : safe_cut(tail, block_size_);
    if (cut > 0) tokenize_piece(tail.substr(0, cut), buffer_at + start, line, on_token);
    if (at_end && !tail.empty()) on_line_end();
    buffer.erase(0, start + cut);
    buffer_at += start + cut;
    if (on_progress_ && got > 0) on_progress_(bytes_read_, total_bytes_);
  }
}

void CorpusReader::for_each_token(const Tokenizer::TokenCallback& on_token) {
  read_file(on_token, [] {});
}

void CorpusReader::for_each_sentence(const SentenceCallback& on_sentence) {
  std::vector<std::string> sentence;
  auto emit = [&] {
    if (sentence.empty()) return;
    ++sentences_read_;
    on_sentence(sentence);
    sentence.clear();
  };
  read_file(
      [&](std::string_view token) {
        sentence.emplace_back(token);
        if (sentence.size() == max_sentence_length_) emit();
      },
      emit);
}

namespace {

void check_policy(const Vocabulary& vocabulary, UnknownPolicy policy) {
  if (policy == UnknownPolicy::map_to_unk && !vocabulary.has_unk()) {
    throw ValueError(
        "encode: UnknownPolicy::map_to_unk needs a vocabulary with an unknown token "
        "(build it with add_unk = true)");
  }
}

/// Appends the id of one token to `ids` according to the policy (check_policy() came first).
void append_id(std::string_view token, const Vocabulary& vocabulary, UnknownPolicy policy,
               std::vector<int64_t>& ids) {
  const int64_t id = vocabulary.find(token);
  if (id >= 0) {
    ids.push_back(id);
  } else if (policy == UnknownPolicy::map_to_unk) {
    ids.push_back(vocabulary.unk_id());
  }
}

}  // namespace

void CorpusReader::for_each_encoded_sentence(const Vocabulary& vocabulary, UnknownPolicy policy,
                                             const IdSentenceCallback& on_sentence) {
  check_policy(vocabulary, policy);
  std::vector<int64_t> ids;
  auto emit = [&] {
    if (ids.empty()) return;
    ++sentences_read_;
    on_sentence(ids);
    ids.clear();
  };
  read_file(
      [&](std::string_view token) {
        append_id(token, vocabulary, policy, ids);
        if (ids.size() == max_sentence_length_) emit();
      },
      emit);
}

TokenCounts count_tokens(const std::string& path, const TokenizerOptions& options) {
  CorpusReader reader(path, options);
  TokenCounts counts;
  reader.for_each_token([&counts](std::string_view token) { add_count(counts, token); });
  return counts;
}

void encode(const std::vector<std::string>& tokens, const Vocabulary& vocabulary,
            UnknownPolicy policy, std::vector<int64_t>& ids) {
  check_policy(vocabulary, policy);
  ids.clear();
  for (const std::string& token : tokens) {
    append_id(token, vocabulary, policy, ids);
  }
}

std::vector<int64_t> encode(const std::vector<std::string>& tokens, const Vocabulary& vocabulary,
                            UnknownPolicy policy) {
  std::vector<int64_t> ids;
  encode(tokens, vocabulary, policy, ids);
  return ids;
}

std::vector<int64_t> encode_text(std::string_view text, const Vocabulary& vocabulary,
                                 UnknownPolicy policy, const TokenizerOptions& options) {
  check_policy(vocabulary, policy);
  std::vector<int64_t> ids;
  Tokenizer tokenizer(options);
  tokenizer.for_each_token(
      text, [&](std::string_view token) { append_id(token, vocabulary, policy, ids); });
  return ids;
}

}  // namespace embedlab::text
