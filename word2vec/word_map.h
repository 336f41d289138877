/// @file word_map.h
/// @brief Draws word vectors as a 2-D map: PCA of the chosen words' vectors, then an SVG scatter
/// plot with one labelled point per word (Chinese labels render too).
///
/// The picture the course's dimensionality-reduction chapter asks for: D numbers per word are
/// too many to see, but the two directions of largest spread (pca.h) keep the big structure,
/// so words used alike land near each other. The axis labels say how much of the spread each
/// axis keeps and what it separates: the words found at its two ends, such as
/// "PC 1, 40% of the variance: sad ← → happy". Left out: t-SNE and UMAP, which
/// keep neighbourhoods better but are not linear.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "word2vec/keyed_vectors.h"
#include "word2vec/pca.h"

namespace embedlab::word2vec {

/// How a word map looks.
struct WordMapOptions {
  std::string title = "Word vectors, PCA to 2-D";  ///< the title above the plot
  std::vector<std::string> groups;  ///< one group name per word (colours and legend), or none
  int width = 720;                  ///< picture width in pixels
  int height = 720;                 ///< picture height in pixels
};

/// Projects the vectors of `words` to 2-D with PCA and saves the labelled map as SVG.
/// @param vectors the word vectors
/// @param words the words to draw, at least 2, each in `vectors`
/// @param path the SVG file to write (replaced in one step)
/// @param options title, groups and size
/// @return the PCA of the words' vectors (coordinates in the order of `words`)
/// @throws IndexError naming an unknown word (with close spellings); ValueError for fewer than
///         2 words or a `groups` list of the wrong length; IOError when the file cannot be written.
/// @code
/// save_word_map(model.keyed_vectors(), {"happy", "glad", "sad", "快乐", "开心", "悲伤"},
/// "map.svg");
/// @endcode
PcaResult save_word_map(const KeyedVectors& vectors, const std::vector<std::string>& words,
                        const std::string& path, const WordMapOptions& options = {});

/// Returns the first `n` words of the table (all of them when there are fewer): the `n` most
/// frequent for vectors trained by Word2Vec or saved by word2vec tools, which sort by count.
/// @param vectors the word vectors
/// @param n how many words
/// @return the words, in row order
std::vector<std::string> top_words(const KeyedVectors& vectors, int64_t n);

}  // namespace embedlab::word2vec
