// save_word_map: PCA of the chosen rows, then viz::ScatterMap with axes named after the
// variance each principal component keeps and the words at its two ends.
#include "word2vec/word_map.h"

#include <algorithm>

#include <fmt/format.h>

#include "tensor/creation.h"
#include "tensor/error.h"
#include "viz/scatter_map.h"

namespace embedlab::word2vec {
namespace {

// What an axis separates, read off the map: the words at its two ends (lowest and highest
// coordinate). "" when they coincide.
std::string axis_ends(const Tensor& coordinates, int64_t column,
                      const std::vector<std::string>& words) {
  size_t lo = 0, hi = 0;
  for (size_t i = 1; i < words.size(); ++i) {
    const auto row = static_cast<int64_t>(i);
    if (coordinates.at(row, column) < coordinates.at(static_cast<int64_t>(lo), column)) lo = i;
    if (coordinates.at(row, column) > coordinates.at(static_cast<int64_t>(hi), column)) hi = i;
  }
  if (lo == hi) return "";
  return fmt::format(": {} ← → {}", words[lo], words[hi]);
}

}  // namespace

PcaResult save_word_map(const KeyedVectors& vectors, const std::vector<std::string>& words,
                        const std::string& path, const WordMapOptions& options) {
  if (words.size() < 2) {
    throw ValueError(fmt::format("save_word_map: needs at least 2 words, got {}", words.size()));
  }
  if (!options.groups.empty() && options.groups.size() != words.size()) {
    throw ValueError(fmt::format("save_word_map: {} groups for {} words; give one per word",
                                 options.groups.size(), words.size()));
  }
  // The (N, D) matrix of the chosen words' vectors, in the order given.
  const int64_t N = static_cast<int64_t>(words.size()), D = vectors.dim();
  std::vector<float> rows(N * D);
  const float* table = vectors.vectors().data().data();
  for (int64_t i = 0; i < N; ++i) {
    const int64_t row = vectors.index(words[i]);
    std::copy(table + row * D, table + (row + 1) * D, rows.begin() + i * D);
  }
  PcaResult result = pca(from_vector(std::move(rows), Shape{N, D}), std::min<int64_t>(2, D));

  viz::ScatterMap map(options.title);
  const bool one_axis = D == 1;  // a 1-D table: put every point on the x axis
  for (int64_t i = 0; i < N; ++i) {
    const double x = result.coordinates.at(i, 0);
    const double y = one_axis ? 0.0 : result.coordinates.at(i, 1);
    map.add_point(x, y, words[i], options.groups.empty() ? "" : options.groups[i]);
  }
  // Each axis is named with the share of the spread it keeps and the words at its two ends,
  // since a principal component has no meaning of its own.
  const auto& ratio = result.explained_variance_ratio;
  map.set_axis_labels(fmt::format("PC 1, {:.0f}% of the variance{}", 100 * ratio[0],
                                  axis_ends(result.coordinates, 0, words)),
                      one_axis ? ""
                               : fmt::format("PC 2, {:.0f}%{}", 100 * ratio[1],
                                             axis_ends(result.coordinates, 1, words)));
  map.set_equal_aspect(true);
  map.save(path, options.width, options.height);
  return result;
}

std::vector<std::string> top_words(const KeyedVectors& vectors, int64_t n) {
  const auto count = static_cast<size_t>(std::clamp<int64_t>(n, 0, vectors.size()));
  return std::vector<std::string>(vectors.words().begin(), vectors.words().begin() + count);
}

}  // namespace embedlab::word2vec
