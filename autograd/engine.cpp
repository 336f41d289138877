// The backward engine, as micrograd's backward(): put the graph in topological order, then
// run each node's named backward from the output back to the leaves, gradients accumulating
// with +=. Recording the graph and grad modes are node.cpp; row-sparse gradients grad_rows.cpp.
#include <atomic>
#include <utility>

#include <fmt/format.h>

#include "autograd/grad_rows.h"
#include "autograd/node.h"
#include "autograd/ops.h"
#include "tensor/error.h"

namespace embedlab {

void accumulate_grad(const Tensor& input, Tensor grad) {
  TensorImpl* impl = input.impl();
  if (!impl->requires_grad) return;
  if (grad.shape() != impl->shape) {
    throw AutogradError(fmt::format("gradient of shape {} does not match tensor of shape {}",
                                    grad.shape().to_string(), impl->shape.to_string()));
  }
  detail::check_grad_shape(*impl);
  // A dense gradient makes every row of the buffer count; an embedding's compact block of
  // rows, if any, is folded into the buffer first.
  if (!impl->grad.defined()) {
    // Take the gradient over when nobody else holds it; otherwise keep a private copy.
    impl->grad = grad.impl_ptr().use_count() == 1 ? std::move(grad) : grad.detach().clone();
    impl->grad.impl()->requires_grad = false;
    if (impl->grad_rows) {
      fold_grad_rows(*impl);
      impl->grad_rows->mark_all();
    }
    return;
  }
  if (impl->grad_rows) {
    fold_grad_rows(*impl);
    impl->grad_rows->mark_all();
  }
  std::span<float> sum = impl->grad.data();
  std::span<const float> add = grad.data();
  for (size_t i = 0; i < sum.size(); ++i)
    sum[i] += add[i];
}

namespace {

// Every backward walk gets a number no other walk has had (threads take them in blocks, so they
// do not share a counter's cache line at every call). A node keeps the number of the last walk
// that reached it: that is the walk's "visited" mark, with no set to allocate (textbook_backward
// uses micrograd's set; this one runs at every training step).
std::atomic<uint64_t> g_next_walk_block{1};  // 0 is the mark of a node never walked

uint64_t new_walk_id() {
  constexpr uint64_t kBlock = uint64_t{1} << 16;
  thread_local uint64_t next = 0, end = 0;
  if (next == end) {
    next = g_next_walk_block.fetch_add(kBlock, std::memory_order_relaxed);
    end = next + kBlock;
  }
  return next++;
}

// Phase 1 of backward: every tensor with a node reachable from `root`, inputs before outputs.
std::vector<std::shared_ptr<TensorImpl>> topological_order(const Tensor& root) {
  const uint64_t walk = new_walk_id();
  std::vector<std::shared_ptr<TensorImpl>> order;
  std::vector<std::pair<std::shared_ptr<TensorImpl>, size_t>> stack;  // (tensor, next input)
  order.reserve(16);  // a training step's graph: one allocation each, not one per doubling
  stack.reserve(16);
  stack.emplace_back(root.impl_ptr(), 0);
  root.impl()->grad_fn->walk = walk;
  while (!stack.empty()) {
    auto& [impl, next] = stack.back();
    Node* node = impl->grad_fn.get();
    if (node->released) node->input(0);  // throws the "second time" error
    if (next < node->inputs.size()) {
      const Tensor& input = node->inputs[next++].tensor;
      Node* child = input.impl()->grad_fn.get();
      if (child && child->walk != walk) {
        child->walk = walk;
        stack.emplace_back(input.impl_ptr(), 0);
      }
      continue;
    }
    // Check every saved value before any backward runs, so an error leaves the graph intact.
    node->check_saved(*impl);
    order.push_back(std::move(impl));
    stack.pop_back();
  }
  return order;
}

void check_gradients_finite(const Node& node) {
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    const Tensor grad = node.inputs[i].tensor.grad();
    if (grad.defined() && !detail::all_finite(grad.data())) {
      throw AutogradError(
          fmt::format("anomaly: backward of '{}' produced NaN or Inf in the "
                      "gradient of input {} (shape {})",
                      node.name, i, grad.shape().to_string()));
    }
  }
}

}  // namespace

void Tensor::backward(const Tensor& gradient, bool retain_graph) const {
  if (!requires_grad()) {
    throw AutogradError(fmt::format(
        "backward(): this tensor of shape {} does not require grad and has no grad_fn; did you "
        "call requires_grad_() on the parameters, or run the forward under NoGradGuard?",
        shape().to_string()));
  }
  if (!gradient.defined() && numel() != 1) {
    throw AutogradError(fmt::format(
        "backward(): tensor of shape {} is not a scalar; pass a gradient of that shape or "
        "reduce it first (e.g. sum())",
        shape().to_string()));
  }
  if (gradient.defined() && gradient.shape() != shape()) {
    throw ShapeError(
        fmt::format("backward(): gradient of shape {} does not match tensor of shape {}",
                    gradient.shape().to_string(), shape().to_string()));
  }
  NoGradGuard no_grad;  // derivatives are computed, not recorded
  Tensor seed = gradient.defined() ? gradient.clone() : ones(shape());
  if (is_leaf()) {
    accumulate_grad(*this, seed);
    return;
  }
  std::vector<std::shared_ptr<TensorImpl>> order = topological_order(*this);
  // A retained gradient from an earlier backward is set aside, so that its node sends back
  // only this call's gradient; it is added to again once the node has run.
  std::vector<Tensor> retained;  // allocated only when some tensor retains its gradient
  for (size_t k = 0; k < order.size(); ++k) {
    if (!order[k]->retains_grad) continue;
    if (retained.empty()) retained.resize(order.size());
    retained[k] = std::exchange(order[k]->grad, Tensor());
  }
  accumulate_grad(*this, seed);
  // Phase 2: outputs before inputs, each node turns its output's gradient into its inputs'.
  for (size_t k = order.size(); k-- > 0;) {
    TensorImpl* impl = order[k].get();
    Node& node = *impl->grad_fn;
    Tensor grad_out = std::move(impl->grad);
    impl->grad = retained.empty() ? Tensor() : std::move(retained[k]);
    if (!grad_out.defined()) continue;  // no path from the root reached this tensor
    if (impl->retains_grad) accumulate_grad(Tensor(order[k]), grad_out);
    node.backward_fn(node, grad_out, Tensor(order[k]));
    if (anomaly_mode_enabled()) check_gradients_finite(node);
    if (!retain_graph) {
      // Free what only backward needed: saved values and the edges (intermediate tensors).
      node.released = true;
      node.saved = Saved();
      node.inputs.clear();
    }
  }
}

}  // namespace embedlab
