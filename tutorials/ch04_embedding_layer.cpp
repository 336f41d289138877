// Chapter 4 — Embedding 层 (the Embedding layer): a lookup is row selection.
//
// The one idea: an Embedding layer is a trainable (V, D) weight matrix W, and looking ids up
// means taking rows of W. That is the same as multiplying one-hot rows by W (the textbook
// picture), minus the V x D multiplications. Backward goes the same way in reverse: only the
// rows that were looked up get a gradient, so an optimiser step changes only those rows.
//
// Numbers: V = 5 words, D = 3; W holds 0, 1, ..., 14 so row r is (3r, 3r + 1, 3r + 2).
//
// Run: ch04_embedding_layer [--data DIR] [--out DIR]   (reads and writes nothing)
#include <string>
#include <vector>

#include <fmt/format.h>

#include "embedlab.h"

using namespace embedlab;

int main() try {
  // 1. The layer: a (V, D) table. from_pretrained(..., freeze = false) keeps it trainable.
  const int64_t V = 5, D = 3;
  auto embed = nn::Embedding::from_pretrained(arange(0, 15, 1).reshape({V, D}), false);
  fmt::print("layer: {}, weight W of shape {}:\n{}\n\n", embed->to_string(),
             embed->weight.shape().to_string(), embed->weight);

  // 2. Forward: the ids pick rows. Id 1 appears twice, so row 1 is copied twice.
  const Tensor ids = tensor({1, 3, 1, 4}, DType::Int64);
  const Tensor looked_up = embed->forward(ids);
  fmt::print("ids {} -> rows 1, 3, 1, 4 of W, shape {}:\n{}\n", ids, looked_up.shape().to_string(),
             looked_up);

  // 3. The same thing as a matrix product: one_hot(ids) is (N, V) with a single 1 per row,
  //    and (one_hot x W)[i, :] = sum over v of one_hot[i, v] W[v, :] = W[ids[i], :].
  const Tensor hot = one_hot(ids, V);
  Tensor product;
  {
    NoGradGuard no_grad;
    product = matmul(hot, embed->weight);
  }
  fmt::print("one_hot(ids), shape {}:\n{}\n", hot.shape().to_string(), hot);
  const float difference = max(abs(looked_up.detach() - product)).item();
  fmt::print("lookup == one_hot(ids) x W: max difference {:g}\n", difference);
  fmt::print(
      "cost: the product does N x V x D = {} multiplications, the lookup copies N x D = {}"
      " numbers\n\n",
      4 * V * D, 4 * D);

  // 4. Backward. Take loss = sum of every looked-up number; d loss / d looked_up = 1 everywhere,
  //    and grad_W[ids[i], :] += 1 for each i: row 1 gets 2 (looked up twice), rows 3 and 4 get 1.
  Tensor loss = looked_up.sum();
  loss.backward();
  fmt::print("loss = sum of the looked-up rows = {:g}\n", loss.item());
  fmt::print("gradient of W:\n{}\n", embed->weight.grad());
  fmt::print("rows touched: {} (the gradient's non-zero rows are 1, 3 and 4)\n",
             grad_row_count(embed->weight));
  std::vector<int64_t> zero_rows;
  for (int64_t row = 0; row < V; ++row) {
    if (sum(abs(embed->weight.grad()[row])).item() == 0.0f) zero_rows.push_back(row);
  }
  fmt::print("rows with zero gradient: {}\n\n", fmt::join(zero_rows, ", "));

  // 5. One SGD step, W[row] -= lr * grad[row], visits only the touched rows.
  const Tensor before = embed->weight.detach().clone();
  optim::SGD sgd(embed->parameters(), {.lr = 0.5});
  sgd.step();
  fmt::print("after one SGD step (lr = 0.5), W:\n{}\n", embed->weight);
  std::vector<int64_t> changed;
  for (int64_t row = 0; row < V; ++row) {
    if (max(abs(embed->weight.detach()[row] - before[row])).item() > 0.0f) changed.push_back(row);
  }
  fmt::print("rows changed by SGD: {} (row 1 moved by 0.5 x 2 = 1, rows 3 and 4 by 0.5)\n",
             fmt::join(changed, ", "));
  fmt::print(
      "takeaway: an Embedding is a weight matrix read by rows; a batch trains only the "
      "rows it read.\n");
  return 0;
} catch (const std::exception& error) {
  fmt::print(stderr, "ch04_embedding_layer: {}\n", error.what());
  return 2;
}
