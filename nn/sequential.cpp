// Sequential: the chain of children, run in registration order.
#include "nn/sequential.h"

#include <fmt/format.h>

#include "tensor/error.h"

namespace embedlab::nn {

Sequential::Sequential(std::initializer_list<std::shared_ptr<Module>> modules) {
  for (const std::shared_ptr<Module>& module : modules)
    push_back(module);
}

Tensor Sequential::forward(const Tensor& input) {
  Tensor x = input;
  for (const auto& [name, layer] : named_children())
    x = layer->forward(x);
  return x;
}

const std::shared_ptr<Module>& Sequential::at(size_t index) const {
  if (index >= size()) {
    throw IndexError(fmt::format("Sequential: index {} out of range [0, {})", index, size()));
  }
  return named_children()[index].second;
}

}  // namespace embedlab::nn
