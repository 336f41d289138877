// Ids and indices above 2^24 (16,777,216, the last integer float holds exactly after which
// 16,777,217 rounds to 16,777,216) stay exact on every engine path: saved state (padding_idx),
// module options, select / x[i], index_select, slice and embedding_bag. Issue 11 and issue 14,
// class 2. Each table is (16,777,219, 1) floats: 64 MB.
#include <catch2/catch.hpp>

#include "embedlab.h"

using namespace embedlab;

namespace {
constexpr int64_t kRows = 16'777'219;
constexpr int64_t kPad = 16'777'217;        // rounds to 16,777,216 through float
constexpr int64_t kNeighbour = 16'777'216;  // the row a float padding_idx would hit

// A (kRows, 1) table whose row r holds r mod 1000 (so each row says where it came from).
Tensor numbered_table() {
  Tensor w = make_tensor(Shape{kRows, 1});
  for (int64_t r = 0; r < kRows; ++r)
    w.data()[r] = static_cast<float>(r % 1000);
  return w;
}
}  // namespace

TEST_CASE(
    "padding_idx above 2^24 is saved exactly: the padding row gets no gradient, its "
    "neighbour does",
    "[autograd][embedding][int64][reliability]") {
  const Tensor ids = tensor({kPad, kNeighbour, kPad}, DType::Int64);
  SECTION("functional embedding") {
    Tensor w = zeros({kRows, 1}).requires_grad_();
    embedding(w, ids, EmbeddingFuncOptions{.padding_idx = kPad}).sum().backward();
    REQUIRE(w.grad().at(kPad) == 0.0f);
    REQUIRE(w.grad().at(kNeighbour) == 1.0f);
    REQUIRE(grad_row_count(w) == 1);
  }
  SECTION("nn::Embedding's padding_idx option, given from the end as PyTorch allows") {
    auto embed = nn::Embedding::from_pretrained(zeros({kRows, 1}), /*freeze=*/false,
                                                {.padding_idx = kPad - kRows});
    (*embed)(ids).sum().backward();
    REQUIRE(embed->weight.grad().at(kPad) == 0.0f);
    REQUIRE(embed->weight.grad().at(kNeighbour) == 1.0f);
  }
  SECTION("embedding_bag, Sum and Mean") {
    for (BagMode mode : {BagMode::Sum, BagMode::Mean}) {
      Tensor w = zeros({kRows, 1}).requires_grad_();
      embedding_bag(w, ids, tensor({0}, DType::Int64), mode, Tensor(), kPad).sum().backward();
      REQUIRE(w.grad().at(kPad) == 0.0f);
      REQUIRE(w.grad().at(kNeighbour) == 1.0f);  // the only kept id of the bag
    }
  }
}

TEST_CASE("select and x[i] take element 16,777,217, not 16,777,216",
          "[autograd][index][int64][reliability]") {
  Tensor w = numbered_table();  // row r holds r mod 1000: 217 and 216 here
  REQUIRE(select(w, kPad).item() == 217.0f);
  REQUIRE(w[kPad].item() == 217.0f);
  const Tensor column = reshape(w, Shape{kRows});
  REQUIRE(column[kPad].item() == 217.0f);
  REQUIRE(column[-2].item() == 217.0f);  // kRows - 2 == kPad
  SECTION("and the gradient goes back to that element") {
    Tensor v = zeros({kRows}).requires_grad_();
    v[kPad].backward();
    REQUIRE(v.grad().at(kPad) == 1.0f);
    REQUIRE(v.grad().at(kNeighbour) == 0.0f);
  }
  SECTION("an int64 vector too") {
    Tensor ids = arange(kRows);
    REQUIRE(ids[kPad].item<int64_t>() == kPad);
  }
}

TEST_CASE("index_select and slice keep indices above 2^24",
          "[autograd][index][int64][reliability]") {
  Tensor w = numbered_table();
  const Tensor picked = index_select(w, 0, tensor({kPad, kNeighbour}, DType::Int64));
  REQUIRE(picked.at(0, 0) == 217.0f);
  REQUIRE(picked.at(1, 0) == 216.0f);
  const Tensor range = slice(w, 0, kPad, kPad + 2);
  REQUIRE(range.shape() == Shape{2, 1});
  REQUIRE(range.at(0, 0) == 217.0f);
  REQUIRE(range.at(1, 0) == 218.0f);
}
