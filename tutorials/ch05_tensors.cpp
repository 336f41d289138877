// Chapter 5 — Embedding 示例 (the example): tensors of rank 0, 1 and 2; integer ids in, floats out.
//
// The one idea: a tensor is a scalar (rank 0), a vector (rank 1) or a matrix (rank 2), and an
// Embedding turns an integer tensor of ids into a float tensor of vectors: the course's
// nn.Embedding(num_embeddings=10000, embedding_dim=128) maps N ids to an (N, 128) matrix.
// embedlab stops at rank 2 on purpose, and says so when asked for more.
//
// Run: ch05_tensors [--data DIR] [--out DIR]   (reads and writes nothing)
#include <functional>
#include <string>

#include <fmt/format.h>

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

int main() try {
  // 1. Rank 0, 1, 2: one number, a row of numbers, a table of numbers.
  describe("scalar", tensor(3.5f));
  describe("vector", tensor({1, 2, 3}));
  describe("matrix", tensor({{1, 2, 3}, {4, 5, 6}}));
  fmt::print("element (1, 2) of the matrix = {:g}; it sits at 1 x 3 + 2 = 5 in row-major storage\n",
             tensor({{1, 2, 3}, {4, 5, 6}}).at(1, 2));

  // 2. Integers vs floats: word ids are whole numbers (int64); vectors are float32.
  describe("word ids", tensor({4, 8, 15, 16}, DType::Int64));
  describe("the same numbers as floats", tensor({4, 8, 15, 16}));
  fmt::print("\n");

  // 3. The course's example: 10,000 words, 128 numbers each.
  manual_seed(0);
  nn::Embedding embedding_layer(10000, 128);
  fmt::print("layer: {}, weight shape {}, {} = 10000 x 128 parameters\n",
             embedding_layer.to_string(), embedding_layer.weight.shape().to_string(),
             nn::with_thousands_separators(embedding_layer.num_parameters()));
  const Tensor ids = tensor({4, 8, 15, 16}, DType::Int64);
  const Tensor vectors = embedding_layer(ids);
  fmt::print("input:  rank {} {} tensor of shape {}\n", ids.rank(), dtype_name(ids.dtype()),
             ids.shape().to_string());
  fmt::print("output: rank {} {} tensor of shape {}\n", vectors.rank(), dtype_name(vectors.dtype()),
             vectors.shape().to_string());
  const Tensor one = embedding_layer(tensor(42.0f, DType::Int64));
  fmt::print("one id (rank 0) -> one vector: rank {}, shape {}\n", one.rank(),
             one.shape().to_string());
  fmt::print("row 0 of the output is row 4 of the weight: {}\n",
             max(abs(vectors.detach()[0] - embedding_layer.weight.detach()[4])).item() == 0.0f
                 ? "yes"
                 : "no");
  fmt::print("\n");

  // 4. What the framework refuses, and what it says.
  show_error("rank-3 shape (2, 3, 4)", [] { Shape too_big{2, 3, 4}; });
  show_error("Embedding of (2, 3) ids, which would need a (2, 3, 128) output", [&] {
    embedding_layer(tensor({{1, 2, 3}, {4, 5, 6}}, DType::Int64));
  });
  show_error("Embedding of float ids", [&] { embedding_layer(tensor({4, 8})); });
  show_error("Embedding of id 10000", [&] { embedding_layer(tensor({4, 10000}, DType::Int64)); });
  fmt::print(
      "takeaway: integer ids of rank 0 or 1 go in, float vectors of rank 1 or 2 come out; "
      "anything else is an error that says why.\n");
  return 0;
} catch (const std::exception& error) {
  fmt::print(stderr, "ch05_tensors: {}\n", error.what());
  return 2;
}
