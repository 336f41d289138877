// Chapter 5 — Embedding 示例 (the example): tensors of rank 0, 1 and 2; integer ids in, floats out.
//
// The one idea: a tensor is a scalar (rank 0), a vector (rank 1) or a matrix (rank 2), and an
// Embedding turns an integer tensor of ids into a float tensor of vectors: the course's
// nn.Embedding(num_embeddings=10000, embedding_dim=128) maps N ids to an (N, 128) matrix.
// embedlab stops at rank 2 on purpose, and says so when asked for more. The sizes and ids are
// options; every line below is computed from them.
//
// Run: ch05_tensors [--vocab 10000] [--dim 128] [--ids 4,8,15,16] [--seed 0]
#include <functional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "chapter.h"
#include "embedlab.h"

using namespace embedlab;

namespace {

// Prints a tensor's rank, shape and dtype, then its values as PyTorch would print them.
void describe(const std::string& name, const Tensor& t) {
  fmt::print("{}: rank {}, shape {}, dtype {}\n{}\n", name, t.rank(), t.shape().to_string(),
             dtype_name(t.dtype()), t);
}

// Runs `attempt`, which should throw, and prints the error's message.
void show_error(const std::string& what, const std::function<void()>& attempt) {
  try {
    attempt();
    fmt::print("{}: no error (unexpected)\n", what);
  } catch (const Error& e) {
    fmt::print("{}: caught, message: {}\n", what, e.what());
  }
}

}  // namespace

int main(int argc, char** argv) try {
  tutorial::Chapter chapter({5, "Embedding 示例", "the example: tensors of rank 0 to 2"},
                            "Integer ids of rank 0 or 1 go in, float vectors of rank 1 or 2 "
                            "come out of nn::Embedding(num_embeddings, embedding_dim).");
  int64_t V = 10000, D = 128, seed = 0;
  std::vector<int64_t> id_list = {4, 8, 15, 16};
  chapter.knob("--vocab", V, "num_embeddings: the vocabulary size V");
  chapter.knob("--dim", D, "embedding_dim: the numbers per word D");
  chapter.knob("--ids", id_list, "the ids to look up, each in [0, V)");
  chapter.knob("--seed", seed, "seed of the layer's random initial weights");
  if (const int code = chapter.parse(argc, argv); code >= 0) return code;
  const auto N = static_cast<int64_t>(id_list.size());

  // 1. Rank 0, 1, 2: one number, a row of numbers, a table of numbers.
  describe("scalar", tensor(3.5f));
  describe("vector", tensor({1, 2, 3}));
  describe("matrix", tensor({{1, 2, 3}, {4, 5, 6}}));
  fmt::print("element (1, 2) of the matrix = {:g}; it sits at 1 x 3 + 2 = 5 in row-major storage\n",
             tensor({{1, 2, 3}, {4, 5, 6}}).at(1, 2));

  // 2. Integers vs floats: word ids are whole numbers (int64); vectors are float32.
  describe("word ids", from_ids(id_list, {N}));
  std::vector<float> as_floats(id_list.begin(), id_list.end());
  describe("the same numbers as floats", from_vector(as_floats, Shape{N}));
  fmt::print("\n");

  // 3. The course's example: V words, D numbers each (10,000 and 128 in the course).
  manual_seed(static_cast<uint64_t>(seed));
  nn::Embedding embedding_layer(V, D);
  fmt::print("layer: {}, weight shape {}, {} = {} x {} parameters\n", embedding_layer.to_string(),
             embedding_layer.weight.shape().to_string(),
             nn::with_thousands_separators(embedding_layer.num_parameters()), V, D);
  const Tensor ids = from_ids(id_list, {N});
  const Tensor vectors = embedding_layer(ids);
  fmt::print("input:  rank {} {} tensor of shape {}\n", ids.rank(), dtype_name(ids.dtype()),
             ids.shape().to_string());
  fmt::print("output: rank {} {} tensor of shape {}\n", vectors.rank(), dtype_name(vectors.dtype()),
             vectors.shape().to_string());
  const int64_t single = id_list.front();
  const Tensor one = embedding_layer(tensor(static_cast<float>(single), DType::Int64));
  fmt::print("one id (rank 0) -> one vector: rank {}, shape {}\n", one.rank(),
             one.shape().to_string());
  bool rows_match = true;
  for (int64_t i = 0; i < N; ++i) {
    rows_match =
        rows_match &&
        max(abs(vectors.detach()[i] - embedding_layer.weight.detach()[id_list[i]])).item() == 0.0f;
  }
  fmt::print("row i of the output is row ids[i] of the weight, for all {} ids ({}): {}\n", N,
             fmt::join(id_list, ", "), rows_match ? "yes" : "no");
  fmt::print("\n");

  // 4. What the framework refuses, and what it says.
  show_error("rank-3 shape (2, 3, 4)", [] { Shape too_big{2, 3, 4}; });
  show_error(fmt::format("Embedding of (2, 3) ids, which would need a (2, 3, {}) output", D), [&] {
    embedding_layer(tensor({{0, 1, 0}, {1, 0, 1}}, DType::Int64));
  });
  show_error("Embedding of float ids", [&] { embedding_layer(tensor({0, 1})); });
  show_error(fmt::format("Embedding of id {} (V = {}, so ids run 0 to {})", V, V, V - 1), [&] {
    embedding_layer(from_ids({0, V}, {2}));
  });
  chapter.finish(
      "integer ids of rank 0 or 1 go in, float vectors of rank 1 or 2 come out; "
      "anything else is an error that says why.",
      {fmt::format("{} --vocab 50 --dim 3 --ids 7   (a small table: print it and find row 7)",
                   chapter.program()),
       fmt::format("{} --ids 3,3,3   (the same id three times: three equal rows)",
                   chapter.program()),
       fmt::format("{} --ids 10000   (an id equal to V: read the error)", chapter.program())});
  return 0;
} catch (const std::exception& error) {
  return embedlab::tutorial::Chapter::fail(error);
}
