/// @file projector.h
/// @brief Export of word vectors for the TensorBoard Embedding Projector
/// (projector.tensorflow.org).
///
/// Two files, loaded with "Load" in the projector:
/// - vectors.tsv: one row per word, the D floats separated by tabs, no header.
/// - metadata.tsv: one row per word, in the same order. With a single column (the words) there
///   is NO header row; with two or more columns the first row holds the column names. This is
///   the projector's rule: it takes the first line as a header exactly when it contains a tab.
///
/// Labels are cleaned so that each row stays one row: tabs, newlines and carriage returns inside
/// a label become spaces, and an empty or all-blank word becomes "<empty>" (the projector skips
/// blank lines, which would shift every later label onto the wrong point). Extra columns may
/// hold empty cells, which the projector shows as missing values.
///
/// Left out: the projector_config.pbtxt that TensorBoard's own plugin reads, and sprite images.
#pragma once

#include <string>
#include <vector>

#include "io/word2vec_format.h"

namespace embedlab::io {

/// One extra metadata column, such as the word's frequency or part of speech.
struct MetadataColumn {
  std::string name;                 ///< The column's header, such as "count".
  std::vector<std::string> values;  ///< One value per word, in row order.
};

/// Writes vectors.tsv and metadata.tsv for the Embedding Projector, each atomically.
/// @param vectors_tsv_path the file for the (V, D) floats.
/// @param metadata_tsv_path the file for the labels.
/// @param vectors the words and their vectors; D must be at least 2 (the projector refuses 1).
/// @param extra_columns more metadata columns after the word column, each with V values.
/// @throws ValueError if the vectors are inconsistent or not finite, D < 2, or a column does
///   not have one value per word.
/// @throws IOError if a file cannot be written.
/// @code
///   io::WordVectors vectors{{"cat", "dog"}, 2, {0.5f, -1, 2, 0.25f}};
///   io::save_projector_files("vectors.tsv", "metadata.tsv", vectors, {{"count", {"7", "3"}}});
///   // vectors.tsv:  "0.5\t-1\n2\t0.25\n"
///   // metadata.tsv: "word\tcount\ncat\t7\ndog\t3\n"
/// @endcode
void save_projector_files(const std::string& vectors_tsv_path, const std::string& metadata_tsv_path,
                          const WordVectors& vectors,
                          const std::vector<MetadataColumn>& extra_columns = {});

/// Cleans a label for a TSV cell: tabs, newlines and carriage returns become spaces.
/// @param label the raw label.
/// @return the label, safe to place between tabs.
std::string clean_tsv_label(const std::string& label);

}  // namespace embedlab::io
