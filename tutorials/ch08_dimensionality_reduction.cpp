// Chapter 8 — 作用 1: 降维 (dimensionality reduction): from V numbers per word to D, then to 2.
//
// The one idea, in two steps:
//   1. One-hot gives each word V numbers (V = vocabulary size), all 0 but one. An embedding
//      gives it D numbers (D = 128 against V = 10,000 in the course), every one of them used.
//      The sizes, and the cost of comparing two words, are computed below for --vocab and --dim.
//      One-hot vectors also carry no meaning: any two different words have cosine 0.
//   2. Trained vectors (D = 16 here, word2vec on data/feelings_corpus.txt) can be squeezed
//      further, to 2 numbers, for a picture. PCA finds the two directions along which the
//      words spread most; it is worked out here step by step with the framework's own ops:
//      centre, covariance by matmul, top eigenvectors by power iteration with deflation,
//      projection, explained variance. The result is checked against word2vec::pca.
//
// Run: ch08_dimensionality_reduction [--vocab 10000] [--dim 128] [--train-dim 16] [--epochs 5]
//      [--seed 1] [--happy-words ...] [--sad-words ...] [--other-words ...]   (--help lists all)
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "chapter.h"
#include "embedlab.h"

using namespace embedlab;

namespace {

// The vector of a word: the mean of the rows of its tokens (a Chinese word is several tokens
// when the tokenizer cuts Chinese into characters).
Tensor word_vector(const Tensor& table, const text::Vocabulary& vocab, const std::string& word) {
  std::vector<int64_t> ids;
  const std::vector<std::string> tokens = text::tokenize(word);
  if (tokens.empty()) {
    throw ValueError(
        fmt::format("the word '{}' has no tokens: every word in --happy-words, "
                    "--sad-words and --other-words must have letters",
                    word));
  }
  for (const std::string& token : tokens) {
    if (!vocab.contains(token)) {
      throw IndexError(fmt::format("'{}' (token '{}') is not in the {} words of the corpus", word,
                                   token, vocab.size()));
    }
    ids.push_back(vocab.id(token));
  }
  return mean(index_select(table, 0, from_ids(ids, {static_cast<int64_t>(ids.size())})), 0);
}

// The length of a vector, |v| = sqrt(v . v), as a plain number.
float length(const Tensor& v) {
  return std::sqrt(sum(v * v).item());
}

// Part 1: one sentence of `sentence` words as one-hot rows (V numbers each) and as embedding
// rows (D numbers each), built as tensors and measured side by side.
void compare_one_hot_and_dense(int64_t V, int64_t D, int64_t sentence, int64_t seed) {
  std::vector<int64_t> id_list;
  const int64_t spacing = std::max<int64_t>(1, V / sentence);  // ids spread over the vocabulary
  for (int64_t i = 0; i < sentence; ++i)
    id_list.push_back((i * spacing) % V);
  const Tensor ids = from_ids(id_list, {sentence});
  const Tensor hot = one_hot(ids, V);  // (sentence, V)
  Generator generator(static_cast<uint64_t>(seed));
  nn::Embedding embed(V, D, {}, generator);
  Tensor dense;
  {
    NoGradGuard no_grad;
    dense = embed(ids);  // (sentence, D)
  }
  int64_t hot_nonzero = 0;
  for (const float x : hot.data())
    hot_nonzero += x != 0.0f;
  const int64_t bytes = 4;  // float32
  fmt::print("one word, and a sentence of {} words, as one-hot rows and as embedding rows:\n",
             sentence);
  fmt::print("  {:<34} {:>16} {:>16}\n", "",
             fmt::format("one-hot (V={})", nn::with_thousands_separators(V)),
             fmt::format("dense (D={})", D));
  fmt::print("  {:<34} {:>16} {:>16}\n", "numbers per word",
             nn::with_thousands_separators(hot.size(1)),
             nn::with_thousands_separators(dense.size(1)));
  fmt::print("  {:<34} {:>16} {:>16}\n", "numbers that are not 0, per word",
             nn::with_thousands_separators(hot_nonzero / sentence),
             nn::with_thousands_separators(dense.size(1)));
  fmt::print("  {:<34} {:>16} {:>16}\n", "bytes per word (float32)",
             nn::with_thousands_separators(hot.size(1) * bytes),
             nn::with_thousands_separators(dense.size(1) * bytes));
  fmt::print("  {:<34} {:>16} {:>16}\n", fmt::format("bytes per sentence ({} words)", sentence),
             nn::with_thousands_separators(hot.numel() * bytes),
             nn::with_thousands_separators(dense.numel() * bytes));
  fmt::print("  {:<34} {:>16} {:>16}\n", "multiplications to compare 2 words",
             nn::with_thousands_separators(V), nn::with_thousands_separators(D));
  fmt::print("  {:<34} {:>16} {:>16}\n", "numbers stored once (the table)", "0",
             nn::with_thousands_separators(embed.weight.numel()));
  const float hot_cosine = cosine_similarity(hot[0], hot[1]).item();
  const float dense_cosine = cosine_similarity(dense[0], dense[1]).item();
  fmt::print("  {:<34} {:>16.2f} {:>16.2f}\n", "cosine of the first two words", hot_cosine,
             dense_cosine);
  fmt::print(
      "one-hot is {:.0f}x larger per word; and every two different one-hot words have cosine "
      "{:g}\n(their single 1s never meet), so one-hot says nothing about which words are alike.\n"
      "The price of dense rows is the table, V x D numbers kept once, not once per word; and its\n"
      "numbers here are still random: training is what puts meaning in them.\n\n",
      static_cast<double>(V) / static_cast<double>(D), hot_cosine);
}

// What the hand-made PCA finds.
struct Pca {
  Tensor coords;                   // (N, 2): each word on the map
  std::vector<Tensor> components;  // two (train_dim, 1) unit directions, largest first
  std::vector<float> eigenvalues;  // the variance along each
  float total_variance = 0.0f;     // trace of the covariance
};

// Part 3: PCA of the rows of X (N, train_dim) to 2-D, step by step with the framework's ops,
// printing each step. The power iteration starts from a random vector drawn from `seed`.
Pca pca_step_by_step(const Tensor& X, int64_t steps, int64_t seed) {
  const int64_t N = X.size(0), train_dim = X.size(1);
  // 3a. Centre: subtract the mean row, so the cloud of words sits around the origin.
  const Tensor mean_row = mean(X, 0, true);  // (1, train_dim)
  const Tensor Xc = X - mean_row;
  // Float rounding leaves about 1e-7 where exact arithmetic gives 0; its last digits differ
  // between builds, so the check prints a bound rather than the number.
  const float largest_mean = max(abs(mean(Xc, 0))).item();
  fmt::print(
      "PCA step 1, centre: Xc = X - mean row; every column mean of Xc is 0 (|mean| < 1e-5): "
      "{}\n",
      largest_mean < 1e-5f ? "yes" : "no");
  // 3b. Covariance C = Xc^T Xc / (N - 1): entry (a, b) is how coordinates a and b vary together;
  //     its diagonal holds each coordinate's variance, so trace(C) is the total variance.
  const Tensor C = matmul(transpose(Xc), Xc) / static_cast<float>(N - 1);
  const float total_variance = sum(C * eye(train_dim)).item();
  fmt::print(
      "PCA step 2, covariance: C = Xc^T Xc / (N - 1), shape {}, trace(C) = total variance "
      "= {:.4f}\n",
      C.shape().to_string(), total_variance);
  // 3c. Power iteration: v <- C v / |C v| multiplies v's part along each eigenvector by that
  //     eigenvector's eigenvalue, so the largest one takes over. Then deflation, C <- C -
  //     lambda v v^T, removes the direction found, and the same loop finds the next one.
  Generator start_generator(static_cast<uint64_t>(seed));
  Tensor C_left = C;
  std::vector<Tensor> components;
  std::vector<float> eigenvalues;
  for (int component = 1; component <= 2; ++component) {
    Tensor v = randn({train_dim, 1}, start_generator);
    v = v / length(v);
    float lambda = 0.0f;
    int64_t used = 0;
    for (int64_t step = 1; step <= steps; ++step) {
      const Tensor w = matmul(C_left, v);
      const float w_length = length(w);
      if (w_length == 0.0f) break;  // nothing left along any direction
      lambda = sum(v * w).item();   // the Rayleigh quotient v . C v, since |v| = 1
      const Tensor next = w / w_length;
      const float change = length(next - v);
      v = next;
      used = step;
      if (change < 1e-6f) break;
    }
    fmt::print(
        "PCA step 3, power iteration for component {}: {} steps, eigenvalue {:.4f} = "
        "{:.1f}% of the variance\n",
        component, used, lambda, 100 * lambda / total_variance);
    components.push_back(v);
    eigenvalues.push_back(lambda);
    C_left = C_left - lambda * matmul(v, transpose(v));  // deflation
  }
  const float orthogonal = sum(components[0] * components[1]).item();
  fmt::print("           the two directions are orthogonal (|v1 . v2| < 1e-4): {}\n",
             std::abs(orthogonal) < 1e-4f ? "yes" : "no");
  // 3d. Project: each word's coordinates are its centred row times each direction.
  const Tensor W = cat(components, 1);                                 // (train_dim, 2)
  Pca result{matmul(Xc, W), components, eigenvalues, total_variance};  // coordinates (N, 2)
  const Tensor& coords = result.coords;
  const double kept = (eigenvalues[0] + eigenvalues[1]) / total_variance;
  fmt::print(
      "PCA step 4, project: coordinates = Xc W, shape {}; the map keeps {:.1f}% of the "
      "variance, {:.1f}% is lost\n",
      coords.shape().to_string(), 100 * std::min(kept, 1.0), 100 * std::max(1 - kept, 0.0));
  return result;
}

// Checks the hand-made PCA against the library's word2vec::pca (double precision, its own start
// vector). Each direction is only defined up to its sign, so it compares |v . u|.
void check_against_library(const Tensor& X, const Pca& mine, int64_t steps) {
  const int64_t N = X.size(0), train_dim = X.size(1);
  const word2vec::PcaResult check = word2vec::pca(X, 2, steps);
  float worst = 0.0f;
  for (int c = 0; c < 2; ++c) {
    const Tensor u = check.components[c].reshape({train_dim, 1});
    const float agreement = std::abs(sum(mine.components[c] * u).item());
    const float sign = sum(mine.components[c] * u).item() < 0 ? -1.0f : 1.0f;
    for (int64_t i = 0; i < N; ++i)
      worst = std::max(worst, std::abs(mine.coords.at(i, c) - sign * check.coordinates.at(i, c)));
    fmt::print(
        "check against word2vec::pca, component {}: |v . u| = {:.4f}, explained {:.1f}% "
        "there\n",
        c + 1, agreement, 100 * check.explained_variance_ratio[c]);
  }
  fmt::print(
      "           largest coordinate difference (after matching signs) below 1e-4: {} -> {}\n\n",
      worst < 1e-4f ? "yes" : "no", worst < 1e-2f ? "same map" : "DIFFERENT");
}

// Part 4: what the map keeps. Is each word's nearest word in train_dim dimensions still its
// nearest on the map, and is its nearest word on the map one of its own group?
void report_what_the_map_keeps(const Tensor& X, const Tensor& coords,
                               const std::vector<std::string>& words,
                               const std::vector<std::string>& groups) {
  const int64_t N = X.size(0), train_dim = X.size(1);
  int64_t kept_neighbour = 0;
  std::vector<std::string> lost;
  for (int64_t i = 0; i < N; ++i) {
    int64_t near_full = -1, near_map = -1;
    float best_full = 1e30f, best_map = 1e30f;
    for (int64_t j = 0; j < N; ++j) {
      if (j == i) continue;
      const float full = length(X[i] - X[j]);
      const float map = length(coords[i] - coords[j]);
      if (full < best_full) best_full = full, near_full = j;
      if (map < best_map) best_map = map, near_map = j;
    }
    if (near_full == near_map) {
      ++kept_neighbour;
    } else {
      lost.push_back(fmt::format("{} ({} -> {})", words[i], words[near_full], words[near_map]));
    }
  }
  int64_t same_group = 0;
  for (int64_t i = 0; i < N; ++i) {
    int64_t nearest = -1;
    float best = 1e30f;
    for (int64_t j = 0; j < N; ++j) {
      if (j != i && length(coords[i] - coords[j]) < best)
        best = length(coords[i] - coords[j]), nearest = j;
    }
    same_group += groups[nearest] == groups[i];
  }
  fmt::print("on the 2-D map, {} of {} words keep their nearest word from {} dimensions",
             kept_neighbour, N, train_dim);
  if (!lost.empty()) fmt::print("; changed: {}", fmt::join(lost, ", "));
  fmt::print("\non the 2-D map, {} of {} words have a nearest word of their own group\n",
             same_group, N);
}

// What does each axis of the map separate? For two ways to split the words (by language, and
// happy against sad) compares the two sides' mean coordinate, in units of the axis's spread.
// Returns a name per axis such as "sad <-> happy", or "" when neither split stands out.
std::vector<std::string> name_axes(const Tensor& coords, const std::vector<std::string>& words,
                                   const std::vector<std::string>& groups) {
  const int64_t N = coords.size(0);
  const auto is_chinese = [](const std::string& word) {
    return std::any_of(word.begin(), word.end(), [](char c) { return (c & 0x80) != 0; });
  };
  std::vector<std::string> axis_names;
  for (int c = 0; c < 2; ++c) {
    double spread = 0.0;
    for (int64_t i = 0; i < N; ++i)
      spread += coords.at(i, c) * coords.at(i, c);  // coordinates are centred already
    spread = std::sqrt(spread / static_cast<double>(N));
    struct Split {
      std::string a, b;
      double gap = 0.0;
    };
    std::vector<Split> splits;
    for (const bool by_language : {true, false}) {
      double sum_a = 0, sum_b = 0;
      int64_t n_a = 0, n_b = 0;
      for (int64_t i = 0; i < N; ++i) {
        const bool in_a = by_language ? is_chinese(words[i]) : groups[i] == "happy";
        const bool in_b = by_language ? !is_chinese(words[i]) : groups[i] == "sad";
        if (in_a) sum_a += coords.at(i, c), ++n_a;
        if (in_b) sum_b += coords.at(i, c), ++n_b;
      }
      if (n_a == 0 || n_b == 0) continue;
      const double gap = (sum_a / static_cast<double>(n_a) - sum_b / static_cast<double>(n_b)) /
                         std::max(spread, 1e-12);
      splits.push_back({by_language ? "Chinese" : "happy", by_language ? "English" : "sad", gap});
    }
    std::sort(splits.begin(), splits.end(),
              [](const Split& x, const Split& y) { return std::abs(x.gap) > std::abs(y.gap); });
    std::string name;
    if (!splits.empty() && std::abs(splits[0].gap) > 1.0) {
      const Split& best = splits[0];
      // gap = mean of side a - mean of side b: positive when side a sits higher on the axis.
      const std::string low = best.gap > 0 ? best.b : best.a, high = best.gap > 0 ? best.a : best.b;
      name = fmt::format("{} <-> {}", low, high);
      fmt::print(
          "PC {} separates {} (low) from {} (high): their means differ by {:.1f} times the "
          "axis's spread\n",
          c + 1, low, high, std::abs(best.gap));
    } else {
      fmt::print("PC {} separates neither language nor happy from sad by more than its spread\n",
                 c + 1);
    }
    axis_names.push_back(name);
  }
  return axis_names;
}

}  // namespace

int main(int argc, char** argv) try {
  tutorial::Chapter chapter(
      {8, "作用 1: 降维", "dimensionality reduction"},
      "One-hot needs V numbers per word, an embedding D; PCA takes trained vectors down to 2.");
  int64_t V = 10000, D = 128, sentence = 20, train_dim = 16, epochs = 5, seed = 1, steps = 500;
  std::vector<std::string> happy = {"happy", "joyful", "glad", "cheerful", "快乐", "开心"};
  std::vector<std::string> sad = {"sad", "unhappy", "sorrowful", "gloomy", "悲伤", "难过"};
  std::vector<std::string> other = {"noodles", "dumplings", "rice",    "soup",
                                    "mother",  "father",    "brother", "sister"};
  chapter.knob("--vocab", V, "V: vocabulary size for the one-hot against dense sizes");
  chapter.knob("--dim", D, "D: embedding dimension for the one-hot against dense sizes");
  chapter.knob("--sentence", sentence, "words per sentence, for the size of one sentence");
  chapter.knob("--train-dim", train_dim, "dimension of the word2vec vectors trained for the map");
  chapter.knob("--epochs", epochs, "word2vec epochs over data/feelings_corpus.txt");
  chapter.knob("--seed", seed, "seed of word2vec and of the power iteration's start vector");
  chapter.knob("--steps", steps, "most power-iteration steps per component");
  chapter.knob("--happy-words", happy, "words drawn in the 'happy' colour");
  chapter.knob("--sad-words", sad, "words drawn in the 'sad' colour");
  chapter.knob("--other-words", other, "everyday words drawn in a third colour");
  if (const int code = chapter.parse(argc, argv); code >= 0) return code;
  if (V < 2 || D < 1 || sentence < 1 || train_dim < 2 || epochs < 1 || steps < 1) {
    throw ValueError(fmt::format(
        "need --vocab >= 2, --dim >= 1, --sentence >= 1, "
        "--train-dim >= 2 (a map has two axes), --epochs >= 1 and --steps >= 1; got {}, {}, {}, "
        "{}, {} and {}",
        V, D, sentence, train_dim, epochs, steps));
  }

  // 1. One-hot against dense.
  compare_one_hot_and_dense(V, D, sentence, seed);

  // 2. Trained vectors: word2vec on the bundled corpus, D = train_dim.
  word2vec::Word2VecOptions options;
  options.dim = train_dim;
  options.window = 4;
  options.min_count = 2;
  options.epochs = epochs;
  options.seed = static_cast<uint64_t>(seed);
  word2vec::Word2Vec w2v(options);
  const word2vec::TrainStats stats = w2v.train(chapter.data_file("feelings_corpus.txt").string());
  const Tensor table = w2v.vectors().detach();
  fmt::print(
      "word2vec (skip-gram) on feelings_corpus.txt: {} words, {} epochs -> a table of {} "
      "x {}\n",
      stats.vocab_size, epochs, table.size(0), table.size(1));

  std::vector<std::string> words, groups;
  for (const auto& [group, list] :
       {std::pair<std::string, const std::vector<std::string>*>{"happy", &happy},
        {"sad", &sad},
        {"everyday", &other}}) {
    for (const std::string& word : *list) {
      words.push_back(word);
      groups.push_back(group);
    }
  }
  const auto N = static_cast<int64_t>(words.size());
  if (N < 3) {
    throw ValueError(fmt::format("a map needs at least 3 words, got {}", N));
  }
  std::vector<Tensor> rows;
  for (const std::string& word : words)
    rows.push_back(word_vector(table, w2v.vocab(), word));
  const Tensor X = stack(rows);  // (N, train_dim): one word per row
  fmt::print("the map's {} words: X of shape {}\n\n", N, X.shape().to_string());

  // 3. PCA, step by step, checked against the library.
  const Pca pca = pca_step_by_step(X, steps, seed);
  const Tensor& coords = pca.coords;
  const std::vector<float>& eigenvalues = pca.eigenvalues;
  const float total_variance = pca.total_variance;
  check_against_library(X, pca, steps);

  // 4. What the map keeps, and what its axes separate.
  report_what_the_map_keeps(X, coords, words, groups);
  const std::vector<std::string> axis_names = name_axes(coords, words, groups);

  // 5. The picture.
  viz::ScatterMap map(fmt::format("{} words: word2vec D = {} -> PCA 2-D", N, train_dim));
  for (int64_t i = 0; i < N; ++i)
    // Rounded to 3 decimals, so the picture's bytes do not depend on the float rounding of the
    // build (debug and release differ around the 6th decimal).
    map.add_point(std::round(coords.at(i, 0) * 1000) / 1000,
                  std::round(coords.at(i, 1) * 1000) / 1000, words[i], groups[i]);
  map.set_axis_labels(
      fmt::format("PC 1 ({:.0f}% of the variance){}", 100 * eigenvalues[0] / total_variance,
                  axis_names[0].empty() ? "" : ": " + axis_names[0]),
      fmt::format("PC 2 ({:.0f}% of the variance){}", 100 * eigenvalues[1] / total_variance,
                  axis_names[1].empty() ? "" : ": " + axis_names[1]));
  map.set_equal_aspect(true);
  const std::filesystem::path svg = chapter.output_file("ch08_pca_map.svg");
  map.save(svg.string(), 760, 760);
  fmt::print("wrote {}\n", svg.filename().string());  // the folder: --out (the tour's by default)

  chapter.finish(
      "an embedding stores a word in D numbers instead of V, and PCA can draw those D numbers in "
      "2 while keeping most of their spread.",
      {fmt::format("{} --vocab 50000 --dim 300   (word2vec's classic sizes: how much smaller?)",
                   chapter.program()),
       fmt::format("{} --train-dim 2   (already 2-D: how much variance does PCA keep?)",
                   chapter.program()),
       fmt::format("{} --other-words rice,soup,fish,eggs,park,garden,school,street   (do food "
                   "and places separate?)",
                   chapter.program())});
  return 0;
} catch (const std::exception& error) {
  return embedlab::tutorial::Chapter::fail(error);
}
