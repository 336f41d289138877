/// @file word2vec_binary.h
/// @brief Word vectors in the word2vec binary format, the default output of Mikolov's tool.
///
/// The format:
///
///     "3 2\n"                        <- header in text: number of words V, dimension D
///     "the " + 2 float32 + "\n"      <- per word: the word, one space, D little-endian
///     "cat " + 2 float32 + "\n"         float32 values (4 bytes each), then a newline
///
/// Written files load in Python with `gensim.models.KeyedVectors.load_word2vec_format(path,
/// binary=True)`. The reader also accepts files without the newline after each vector (gensim
/// writes them so): newlines before a word are skipped. Values are copied bit for bit, so the
/// host must be little-endian (as in safetensors.h). NaN and infinity are rejected, for the
/// reason given in word2vec_format.h.
///
/// Left out: reading only the first N words (gensim's `limit`) and non-UTF-8 repair.
#pragma once

#include <cstddef>
#include <ostream>
#include <span>
#include <string>

#include "io/word2vec_format.h"

namespace embedlab::io {

/// Writes word vectors in the word2vec binary format to a stream.
/// @param out the stream, opened in binary mode.
/// @param vectors the table; words must be non-empty, unique and free of whitespace.
/// @throws ValueError as write_word2vec_text().
void write_word2vec_binary(std::ostream& out, const WordVectors& vectors);

/// Saves word vectors to a word2vec binary file, atomically (see atomic_file.h).
/// @param path the file to create or replace.
/// @param vectors the table.
/// @throws ValueError as write_word2vec_text(), before the file is touched.
/// @throws IOError if the file cannot be written.
/// @code
///   io::WordVectors vectors{{"cat"}, 2, {1.0f, -2.0f}};
///   io::save_word2vec_binary("vectors.bin", vectors);
///   // vectors.bin: "1 2\ncat " 00 00 80 3f 00 00 00 c0 "\n"
/// @endcode
void save_word2vec_binary(const std::string& path, const WordVectors& vectors);

/// Parses bytes in the word2vec binary format.
/// @param bytes the whole content.
/// @param source the name used in error messages, such as the file name.
/// @return the words in file order and their vectors.
/// @throws FormatError naming the word number and byte offset: bad header, a file that ends
///   inside a word or a vector, an empty or repeated word, a value that is not finite, or
///   bytes left after the last word.
WordVectors parse_word2vec_binary(std::span<const std::byte> bytes,
                                  const std::string& source = "<bytes>");

/// Loads a word2vec binary file.
/// @param path the file to read.
/// @return the words in file order and their vectors.
/// @throws IOError if the file cannot be read.
/// @throws FormatError as parse_word2vec_binary(), with the file name.
WordVectors load_word2vec_binary(const std::string& path);

}  // namespace embedlab::io
