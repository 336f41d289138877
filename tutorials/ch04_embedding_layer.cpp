// Chapter 4 — Embedding 层 (the Embedding layer): a lookup is row selection.
//
// The one idea: an Embedding layer is a trainable (V, D) weight matrix W, and looking ids up
// means taking rows of W. That is the same as multiplying one-hot rows by W (the textbook
// picture), minus the V x D multiplications. Backward goes the same way in reverse: only the
// rows that were looked up get a gradient, so an optimiser step changes only those rows.
//
// Numbers (the defaults): V = 5 words, D = 3; W holds 0, 1, ..., V*D - 1 so row r is
// (rD, rD + 1, ..., rD + D - 1); ids 1, 3, 1, 4. Every line below is computed from these, so
// it stays true when --rows, --dim, --ids or --lr change.
//
// Run: ch04_embedding_layer [--rows V] [--dim D] [--ids 1,3,1,4] [--lr 0.5]   (--help lists all)
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "chapter.h"
#include "embedlab.h"

using namespace embedlab;

int main(int argc, char** argv) try {
  tutorial::Chapter chapter({4, "Embedding 层", "the Embedding layer"},
                            "A lookup is row selection; backward and the optimiser touch only "
                            "the rows that were read.");
  int64_t V = 5, D = 3;
  std::vector<int64_t> id_list = {1, 3, 1, 4};
  double lr = 0.5;
  chapter.knob("--rows", V, "V: rows of the weight table (the vocabulary size)");
  chapter.knob("--dim", D, "D: columns of the table (the embedding dimension)");
  chapter.knob("--ids", id_list, "the ids to look up, comma-separated, each in [0, V)");
  chapter.knob("--lr", lr, "learning rate of the one SGD step");
  if (const int code = chapter.parse(argc, argv); code >= 0) return code;
  const auto N = static_cast<int64_t>(id_list.size());

  // 1. The layer: a (V, D) table. from_pretrained(..., freeze = false) keeps it trainable.
  auto embed = nn::Embedding::from_pretrained(
      arange(0, static_cast<double>(V * D), 1).reshape({V, D}), false);
  fmt::print("layer: {}, weight W of shape {}:\n{}\n\n", embed->to_string(),
             embed->weight.shape().to_string(), embed->weight);

  // 2. Forward: the ids pick rows; an id given twice copies its row twice.
  const Tensor ids = from_ids(id_list, {N});
  const Tensor looked_up = embed->forward(ids);
  fmt::print("ids {} -> rows {} of W, shape {}:\n{}\n", ids, fmt::join(id_list, ", "),
             looked_up.shape().to_string(), looked_up);

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
      N * V * D, N * D);

  // 4. Backward. Take loss = sum of every looked-up number; d loss / d looked_up = 1 everywhere,
  //    and grad_W[ids[i], :] += 1 for each i: a row gets 1 for every time it was looked up.
  std::map<int64_t, int64_t> times_read;  // row -> how many ids named it, in row order
  for (const int64_t id : id_list)
    ++times_read[id];
  Tensor loss = looked_up.sum();
  loss.backward();
  fmt::print("loss = sum of the looked-up rows = {:g}\n", loss.item());
  fmt::print("gradient of W:\n{}\n", embed->weight.grad());
  std::vector<std::string> expected;
  for (const auto& [row, count] : times_read)
    expected.push_back(fmt::format("{} ({})", row, count));
  fmt::print("rows touched: {} (each looked-up row gets 1 per time it was read: {})\n",
             grad_row_count(embed->weight), fmt::join(expected, ", "));
  std::vector<int64_t> zero_rows;
  for (int64_t row = 0; row < V; ++row) {
    if (sum(abs(embed->weight.grad()[row])).item() == 0.0f) zero_rows.push_back(row);
  }
  fmt::print("rows with zero gradient: {}\n\n", fmt::join(zero_rows, ", "));

  // 5. One SGD step, W[row] -= lr * grad[row], visits only the touched rows.
  const Tensor before = embed->weight.detach().clone();
  optim::SGD sgd(embed->parameters(), {.lr = lr});
  sgd.step();
  fmt::print("after one SGD step (lr = {:g}), W:\n{}\n", lr, embed->weight);
  std::vector<int64_t> changed;
  for (int64_t row = 0; row < V; ++row) {
    if (max(abs(embed->weight.detach()[row] - before[row])).item() > 0.0f) changed.push_back(row);
  }
  std::vector<std::string> moves;
  for (const auto& [row, count] : times_read) {
    moves.push_back(fmt::format("row {} by {:g} x {} = {:g}", row, lr, count, lr * count));
  }
  fmt::print("rows changed by SGD: {} ({})\n", fmt::join(changed, ", "), fmt::join(moves, ", "));

  chapter.finish(
      "an Embedding is a weight matrix read by rows; a batch trains only the rows it read.",
      {fmt::format("{} --ids 0,0,0   (one row read three times: what does its gradient hold?)",
                   chapter.program()),
       fmt::format("{} --rows 1000 --dim 4   (the lookup's cost stays N x D; the product's grows "
                   "with V)",
                   chapter.program()),
       fmt::format("{} --ids 7   (an id outside [0, V): read the error)", chapter.program())});
  return 0;
} catch (const std::exception& error) {
  return embedlab::tutorial::Chapter::fail(error);
}
