// Chapter 1 — Embedding 概念 (the concept): what is an embedding?
//
// The one idea: an embedding gives every word of a dictionary an id, and every id a row of
// numbers (a vector). Ids only name words: two words with neighbouring ids may mean nothing
// alike. Vectors can be compared: the distance and the cosine between two rows say how alike
// two words are, so similar words can sit close together.
//
// The table here is written by hand (3 numbers per word, chosen so you can check every result
// with pencil and paper); chapter 4 shows how a network learns such a table. Every sentence
// printed below is computed from the table and the options, so it stays true for any --word,
// --compare or --ids.
//
// Run: ch01_what_is_an_embedding [--word cat] [--compare dog,car,apple] [--ids 3,4,2]
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "chapter.h"
#include "embedlab.h"

using namespace embedlab;

namespace {

// Euclidean distance written out: sqrt(sum over k of (a[k] - b[k])^2).
float distance_by_hand(const Tensor& a, const Tensor& b) {
  float total = 0.0f;
  for (int64_t k = 0; k < a.numel(); ++k) {
    const float difference = a.at(k) - b.at(k);
    total += difference * difference;
  }
  return std::sqrt(total);
}

// Cosine written out: (a . b) / (|a| |b|), the angle between the two arrows.
float cosine_by_hand(const Tensor& a, const Tensor& b) {
  float dot = 0.0f, norm_a = 0.0f, norm_b = 0.0f;
  for (int64_t k = 0; k < a.numel(); ++k) {
    dot += a.at(k) * b.at(k);
    norm_a += a.at(k) * a.at(k);
    norm_b += b.at(k) * b.at(k);
  }
  return dot / (std::sqrt(norm_a) * std::sqrt(norm_b));
}

// The position of `word` in the dictionary, or an error naming the words there are.
int64_t id_of(const std::vector<std::string>& words, const std::string& word) {
  const auto found = std::find(words.begin(), words.end(), word);
  if (found == words.end()) {
    throw IndexError(fmt::format("'{}' is not in the dictionary; its words are {}", word,
                                 fmt::join(words, ", ")));
  }
  return found - words.begin();
}

}  // namespace

int main(int argc, char** argv) try {
  tutorial::Chapter chapter({1, "Embedding 概念", "what is an embedding"},
                            "An id only names a word; a vector places it, so closeness between "
                            "vectors can mean likeness between words.");
  std::string probe = "cat";
  std::vector<std::string> compare = {"dog", "car", "apple"};
  std::vector<int64_t> id_list = {3, 4, 2};
  chapter.knob("--word", probe, "the word whose distances to the others are worked out");
  chapter.knob("--compare", compare, "the words compared with --word, comma-separated");
  chapter.knob("--ids", id_list, "ids to look up in the table, each in [0, 5)");
  if (const int code = chapter.parse(argc, argv); code >= 0) return code;

  // 1. A dictionary: 5 words in alphabetical order, each word's id is its position.
  const std::vector<std::string> words = {"apple", "banana", "car", "cat", "dog"};
  fmt::print("dictionary (id: word):");
  for (size_t id = 0; id < words.size(); ++id)
    fmt::print(" {}: {}", id, words[id]);
  fmt::print("\n\n");

  // 2. The embedding table: one row of D = 3 numbers per id, a (V, D) = (5, 3) matrix.
  //    Read the columns as made-up features: (is an animal, is alive, is food).
  const Tensor table = tensor({{0, 1, 2},    // apple
                               {0, 2, 2},    // banana
                               {-2, 0, -1},  // car
                               {2, 1, 0},    // cat
                               {2, 2, 0}});  // dog
  const int64_t V = table.size(0), D = table.size(1);
  fmt::print(
      "embedding table, shape {} (row = id, columns = is an animal, is alive, is food):\n{}\n",
      table.shape().to_string(), table);

  // 3. Ids next to each other in the dictionary: how alike are their vectors? The id's number
  //    is only a position in an alphabetical list, so it cannot say.
  int64_t least = 0, most = 0;
  for (int64_t i = 0; i + 1 < V; ++i) {
    const float c = cosine_similarity(table[i], table[i + 1]).item();
    if (c < cosine_similarity(table[least], table[least + 1]).item()) least = i;
    if (c > cosine_similarity(table[most], table[most + 1]).item()) most = i;
  }
  fmt::print("ids {} ({}) and {} ({}) differ by 1, cosine of their vectors {:.4f}\n", least,
             words[least], least + 1, words[least + 1],
             cosine_similarity(table[least], table[least + 1]).item());
  fmt::print("ids {} ({}) and {} ({}) differ by 1 too, cosine of their vectors {:.4f}\n", most,
             words[most], most + 1, words[most + 1],
             cosine_similarity(table[most], table[most + 1]).item());
  fmt::print("so the gap between two ids says nothing about meaning; the vectors do\n\n");

  // 4. Looking a word up = taking its row. nn::Embedding does exactly this.
  auto embed = nn::Embedding::from_pretrained(table);
  const Tensor ids = from_ids(id_list, {static_cast<int64_t>(id_list.size())});
  std::vector<std::string> named;
  for (const int64_t id : id_list)
    named.push_back(id >= 0 && id < V ? words[id] : "?");
  fmt::print("ids {} ({}) -> vectors\n{}\n\n", ids, fmt::join(named, ", "), embed->forward(ids));

  // 5. Distances are now computable: by hand (the loops above), then with the framework's ops.
  const int64_t p = id_of(words, probe);
  float largest_gap = 0.0f;
  for (const std::string& other : compare) {
    const int64_t o = id_of(words, other);
    const Tensor a = table[p], b = table[o];
    const float by_hand = distance_by_hand(a, b), by_ops = norm(a - b).item();
    const float cos_hand = cosine_by_hand(a, b), cos_ops = cosine_similarity(a, b).item();
    fmt::print("distance({}, {}) = {:.4f} by hand, {:.4f} by norm(a - b);   ", probe, other,
               by_hand, by_ops);
    fmt::print("cosine = {:.4f} by hand, {:.4f} by cosine_similarity\n", cos_hand, cos_ops);
    largest_gap = std::max({largest_gap, std::abs(by_hand - by_ops), std::abs(cos_hand - cos_ops)});
  }
  fmt::print("hand and ops agree (max difference {:.1e} < 1e-6): {}\n", largest_gap,
             largest_gap < 1e-6f ? "yes" : "no");

  // The first comparison written out with its numbers, to check with pencil and paper.
  if (!compare.empty()) {
    const int64_t o = id_of(words, compare.front());
    std::vector<std::string> squares, products;
    float dot = 0.0f, aa = 0.0f, bb = 0.0f, total = 0.0f;
    for (int64_t k = 0; k < D; ++k) {
      const float x = table.at(p, k), y = table.at(o, k);
      squares.push_back(fmt::format("({:g} - {:g})^2", x, y));
      products.push_back(fmt::format("{:g} x {:g}", x, y));
      total += (x - y) * (x - y);
      dot += x * y;
      aa += x * x;
      bb += y * y;
    }
    fmt::print("check by hand: distance({}, {}) = sqrt({}) = sqrt({:g}) = {:.4f}\n", probe,
               compare.front(), fmt::join(squares, " + "), total, std::sqrt(total));
    fmt::print("               cosine = ({}) / (sqrt({:g}) sqrt({:g})) = {:.4f}\n\n",
               fmt::join(products, " + "), aa, bb, dot / (std::sqrt(aa) * std::sqrt(bb)));
  }

  // 6. The nearest word to each word: the smallest distance over all other rows.
  for (int64_t i = 0; i < V; ++i) {
    int64_t nearest = -1;
    float best = INFINITY;
    for (int64_t j = 0; j < V; ++j) {
      const float d = norm(table[i] - table[j]).item();
      if (j != i && d < best) {
        best = d;
        nearest = j;
      }
    }
    fmt::print("nearest to {:<6}: {:<6} (distance {:.4f})\n", words[i], words[nearest], best);
  }

  chapter.finish(
      "an id only names a word; its vector places it, so closeness means likeness.",
      {fmt::format("{} --word banana --compare apple,dog   (is the fruit closer to the fruit?)",
                   chapter.program()),
       fmt::format("{} --ids 0,0,4   (the same id twice gives the same row twice)",
                   chapter.program()),
       fmt::format("{} --word tiger   (a word outside the dictionary: read the error)",
                   chapter.program())});
  return 0;
} catch (const std::exception& error) {
  return embedlab::tutorial::Chapter::fail(error);
}
