/// @file word2vec_format.h
/// @brief Word vectors in the word2vec text format, the one gensim and most tools read.
///
/// The format (from Mikolov's word2vec tool):
///
///     3 2            <- header: number of words V, dimension D
///     the 0.1 -0.25  <- one line per word: the word, then D numbers, separated by spaces
///     cat 1 2.5
///     dog -0 3e-05
///
/// Written files load in Python with `gensim.models.KeyedVectors.load_word2vec_format(path,
/// binary=False)`. embedlab writes each float in its shortest form that reads back to the same
/// float32 (fmt's `{}`), single spaces, `\n` line ends and a final newline.
///
/// Reading is tolerant where it is harmless: any run of whitespace (spaces, tabs, a stray CR)
/// between fields, trailing spaces (Mikolov's tool writes one), CRLF line ends, a UTF-8 byte order
/// mark, a leading '+', blank lines after the last word, and numbers too small for float32 (read as
/// 0). It is strict where a silent guess would hurt: every error names the line.
///
/// Decision on NaN and infinity: rejected both when saving (ValueError) and when loading
/// (FormatError). A NaN in word vectors almost always means training diverged, and it would
/// silently poison every similarity computed from the file.
///
/// Left out: checking that words are valid UTF-8. The binary variant is in word2vec_binary.h.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace embedlab::io {

/// A table of word vectors: V words and a (V, D) matrix of floats, row i belonging to words[i].
struct WordVectors {
  std::vector<std::string> words;  ///< The V words, in row order.
  int64_t dim = 0;                 ///< D, the length of each vector.
  std::vector<float> values;       ///< The (V, D) matrix in row-major order: row * dim + col.
};

/// Checks that word vectors are consistent: D >= 1, V * D values, every value finite.
/// @param vectors the table to check.
/// @param who the function name that starts error messages.
/// @throws ValueError naming the word, row and column of the first problem.
void check_word_vectors(const WordVectors& vectors, const std::string& who);

/// Checks that words can be stored in a word2vec file: non-empty, unique, free of whitespace.
/// @param vectors the table whose words to check.
/// @param who the function name that starts error messages.
/// @throws ValueError naming the first bad word and its row.
void check_word2vec_words(const WordVectors& vectors, const std::string& who);

/// Writes word vectors in the word2vec text format to a stream.
/// @param out the stream.
/// @param vectors the table; words must be non-empty, unique and free of whitespace.
/// @throws ValueError if the table is inconsistent (see check_word_vectors()) or a word is
///   empty, repeated or holds whitespace, which the format cannot represent.
void write_word2vec_text(std::ostream& out, const WordVectors& vectors);

/// Saves word vectors to a word2vec text file, atomically (see atomic_file.h).
/// @param path the file to create or replace.
/// @param vectors the table.
/// @throws ValueError as write_word2vec_text(), before the file is touched.
/// @throws IOError if the file cannot be written.
/// @code
///   io::WordVectors vectors{{"cat", "dog"}, 3, {0.5f, -1, 2, 0.25f, 0, 1e-05f}};
///   io::save_word2vec_text("vectors.txt", vectors);
///   // vectors.txt: "2 3\ncat 0.5 -1 2\ndog 0.25 0 1e-05\n"
/// @endcode
void save_word2vec_text(const std::string& path, const WordVectors& vectors);

/// Parses text in the word2vec text format.
/// @param text the whole content.
/// @param source the name used in error messages, such as the file name.
/// @return the words in file order and their vectors.
/// @throws FormatError naming the line: empty text, bad header, wrong number of values, a value
///   that is not a number, out of float32 range or not finite, a repeated word, or fewer or more
///   word lines than the header announces.
WordVectors parse_word2vec_text(std::string_view text, const std::string& source = "<text>");

/// Loads a word2vec text file.
/// @param path the file to read.
/// @return the words in file order and their vectors.
/// @throws IOError if the file cannot be read.
/// @throws FormatError as parse_word2vec_text(), with the file name and line.
WordVectors load_word2vec_text(const std::string& path);

}  // namespace embedlab::io
