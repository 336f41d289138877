// Chapter 1 — Embedding 概念 (the concept): what is an embedding?
//
// The one idea: an embedding gives every word of a dictionary an id, and every id a row of
// numbers (a vector). Ids only name words: car = 2 and cat = 3 are neighbours in the dictionary
// yet mean nothing alike. Vectors can be compared: the distance and the cosine between two rows
// say how alike two words are, so similar words can sit close together.
//
// The table here is written by hand (3 numbers per word, chosen so you can check every result
// with pencil and paper); chapter 4 shows how a network learns such a table.
//
// Run: ch01_what_is_an_embedding [--data DIR] [--out DIR]   (reads and writes nothing)
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

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

}  // namespace

int main() try {
  // 1. A dictionary: 5 words in alphabetical order, each word's id is its position.
  const std::vector<std::string> words = {"apple", "banana", "car", "cat", "dog"};
  fmt::print("dictionary (id: word):");
  for (size_t id = 0; id < words.size(); ++id)
    fmt::print(" {}: {}", id, words[id]);
  fmt::print("\n");
  fmt::print("ids of car and cat differ by |2 - 3| = 1, yet the words mean nothing alike\n\n");

  // 2. The embedding table: one row of D = 3 numbers per id, a (V, D) = (5, 3) matrix.
  //    Read the columns as made-up features: (is an animal, is alive, is food).
  const Tensor table = tensor({{0, 1, 2},    // apple
                               {0, 2, 2},    // banana
                               {-2, 0, -1},  // car
                               {2, 1, 0},    // cat
                               {2, 2, 0}});  // dog
  fmt::print("embedding table, shape {}:\n{}\n", table.shape().to_string(), table);

  // 3. Looking a word up = taking its row. nn::Embedding does exactly this.
  auto embed = nn::Embedding::from_pretrained(table);
  const Tensor ids = tensor({3, 4, 2}, DType::Int64);  // cat, dog, car
  fmt::print("ids {} -> vectors\n{}\n\n", ids, embed->forward(ids));

  // 4. Distances are now computable: by hand (the loops above), then with the framework's ops.
  const Tensor cat = table[3], dog = table[4], car = table[2], apple = table[0];
  const std::vector<std::pair<std::string, std::pair<Tensor, Tensor>>> pairs = {
      {"cat, dog", {cat, dog}}, {"cat, car", {cat, car}}, {"cat, apple", {cat, apple}}};
  float largest_gap = 0.0f;
  for (const auto& [name, pair] : pairs) {
    const auto& [a, b] = pair;
    const float by_hand = distance_by_hand(a, b), by_ops = norm(a - b).item();
    const float cos_hand = cosine_by_hand(a, b), cos_ops = cosine_similarity(a, b).item();
    fmt::print("distance({}) = {:.4f} by hand, {:.4f} by norm(a - b);   ", name, by_hand, by_ops);
    fmt::print("cosine({}) = {:.4f} by hand, {:.4f} by cosine_similarity\n", name, cos_hand,
               cos_ops);
    largest_gap = std::max({largest_gap, std::abs(by_hand - by_ops), std::abs(cos_hand - cos_ops)});
  }
  fmt::print("hand and ops agree (max difference {:.1e} < 1e-6): {}\n", largest_gap,
             largest_gap < 1e-6f ? "yes" : "no");
  fmt::print(
      "check by hand: distance(cat, dog) = sqrt(0^2 + 1^2 + 0^2) = 1;"
      " cosine = (4 + 2 + 0) / (sqrt(5) sqrt(8)) = 0.9487\n\n");

  // 5. The nearest word to each word: the smallest distance over all other rows.
  for (int64_t i = 0; i < table.size(0); ++i) {
    int64_t nearest = -1;
    float best = INFINITY;
    for (int64_t j = 0; j < table.size(0); ++j) {
      const float d = norm(table[i] - table[j]).item();
      if (j != i && d < best) {
        best = d;
        nearest = j;
      }
    }
    fmt::print("nearest to {:<6}: {:<6} (distance {:.4f})\n", words[i], words[nearest], best);
  }
  fmt::print(
      "takeaway: an id only names a word; its vector places it, so closeness means "
      "likeness.\n");
  return 0;
} catch (const std::exception& error) {
  fmt::print(stderr, "ch01_what_is_an_embedding: {}\n", error.what());
  return 2;
}
