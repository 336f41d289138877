// Uses the installed headers and libraries: one lookup and one backward, printed.
#include <embedlab.h>

#include <fmt/format.h>

int main() {
  using namespace embedlab;
  nn::Embedding embed(10000, 128);
  Tensor v = embed(tensor({1, 2}, DType::Int64));
  v.sum().backward();
  fmt::print("parameters {} grad rows {}\n", embed.num_parameters(), grad_row_count(embed.weight));
  return embed.num_parameters() == 1280000 && grad_row_count(embed.weight) == 2 ? 0 : 1;
}
