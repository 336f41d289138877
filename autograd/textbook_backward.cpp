// textbook_backward: micrograd's backward() on embedlab's graph, for the course assignment
// (task 2.1). Tensor::backward in engine.cpp is the walk the framework runs; this one is the
// same algorithm with nothing but the algorithm, and tests/autograd/test_textbook_backward.cpp
// holds the two to the same gradients.
#include "autograd/textbook_backward.h"

#include <functional>
#include <memory>
#include <unordered_set>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "autograd/node.h"
#include "tensor/creation.h"
#include "tensor/error.h"

namespace embedlab {

void textbook_backward(const Tensor& root) {
  if (!root.requires_grad() || root.numel() != 1) {
    throw AutogradError(
        fmt::format("textbook_backward: needs a one-element tensor that requires grad, got "
                    "shape {} with requires_grad = {}",
                    root.shape().to_string(), root.requires_grad()));
  }
  NoGradGuard no_grad;  // derivatives are computed, not recorded
  // BEGIN SOLUTION task 2.1
  // Phase 1: topological order. A tensor joins `order` after every tensor its node reads, so
  // the inputs of each node come before it; `visited` keeps a tensor used twice from joining
  // twice.
  std::vector<std::shared_ptr<TensorImpl>> order;
  std::unordered_set<TensorImpl*> visited;
  std::function<void(const std::shared_ptr<TensorImpl>&)> visit =
      [&](const std::shared_ptr<TensorImpl>& tensor) {
        if (!tensor->grad_fn || !visited.insert(tensor.get()).second) return;
        for (const Edge& edge : tensor->grad_fn->inputs)
          visit(edge.tensor.impl_ptr());
        order.push_back(tensor);
      };
  visit(root.impl_ptr());
  // Phase 2: seed d root / d root = 1, then outputs before inputs: each node turns its output's
  // gradient into its inputs' gradients (accumulate_grad adds with +=).
  accumulate_grad(root, ones(root.shape()));
  for (size_t k = order.size(); k-- > 0;) {
    Node& node = *order[k]->grad_fn;
    const Tensor grad_out = std::exchange(order[k]->grad, Tensor());  // a non-leaf keeps none
    if (grad_out.defined()) node.backward_fn(node, grad_out, Tensor(order[k]));
  }
  // END SOLUTION
}

}  // namespace embedlab
