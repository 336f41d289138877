// The backward engine: topological order, then each node's named backward in reverse, with
// gradients accumulated by +=. Also grad mode, anomaly mode and node bookkeeping.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>

#include "autograd/grad_rows.h"
#include "autograd/node.h"
#include "autograd/ops.h"
#include "tensor/error.h"

namespace embedlab {

namespace {
thread_local bool g_grad_enabled = true;
thread_local bool g_anomaly_mode = false;
std::atomic<int64_t> g_live_nodes{0};

bool all_finite(std::span<const float> values) {
  for (float v : values) {
    if (!std::isfinite(v)) return false;
  }
  return true;
}

}  // namespace

bool grad_enabled() {
  return g_grad_enabled;
}
NoGradGuard::NoGradGuard() : previous_(g_grad_enabled) {
  g_grad_enabled = false;
}
NoGradGuard::~NoGradGuard() {
  g_grad_enabled = previous_;
}
bool anomaly_mode_enabled() {
  return g_anomaly_mode;
}
DetectAnomalyGuard::DetectAnomalyGuard() : previous_(g_anomaly_mode) {
  g_anomaly_mode = true;
}
DetectAnomalyGuard::~DetectAnomalyGuard() {
  g_anomaly_mode = previous_;
}
int64_t live_node_count() {
  return g_live_nodes.load(std::memory_order_relaxed);
}

Node::Node(const char* op_name, BackwardFn fn) : name(op_name), backward_fn(fn) {
  g_live_nodes.fetch_add(1, std::memory_order_relaxed);
}

Node::~Node() {
  // Destroying a long chain recursively (node -> input -> node ...) would overflow the stack,
  // so nodes that only this one keeps alive are detached and destroyed in a loop instead.
  std::vector<std::shared_ptr<Node>> pending;
  auto detach_inputs = [&pending](std::vector<Edge>& edges) {
    for (Edge& edge : edges) {
      TensorImpl* impl = edge.tensor.impl();
      if (impl && impl->grad_fn && edge.tensor.impl_ptr().use_count() == 1 &&
          impl->grad_fn.use_count() == 1) {
        pending.push_back(std::move(impl->grad_fn));
      }
    }
    edges.clear();
  };
  detach_inputs(inputs);
  while (!pending.empty()) {
    std::shared_ptr<Node> node = std::move(pending.back());
    pending.pop_back();
    detach_inputs(node->inputs);
  }
  g_live_nodes.fetch_sub(1, std::memory_order_relaxed);
}

const Tensor& Node::input(size_t i) const {
  if (released) {
    throw AutogradError(fmt::format(
        "backward through '{}' a second time: its saved values were freed after the first "
        "backward(); pass retain_graph=true to the first call",
        name));
  }
  const Edge& edge = inputs[i];
  const uint64_t now = edge.tensor.impl()->storage->version;
  if (now != edge.version) {
    throw AutogradError(fmt::format(
        "{}: input {} of shape {} was changed in place after the op read it (version {}, "
        "expected {}); its values are needed for backward",
        name, i, edge.tensor.shape().to_string(), now, edge.version));
  }
  return edge.tensor;
}

bool any_requires_grad(std::initializer_list<const Tensor*> inputs) {
  if (!g_grad_enabled) return false;
  for (const Tensor* t : inputs) {
    if (t->defined() && t->requires_grad()) return true;
  }
  return false;
}

namespace {
Node& record_inputs(Tensor& out, const char* name, BackwardFn backward_fn,
                    std::span<const Tensor> inputs) {
  if (g_anomaly_mode && out.dtype() == DType::Float32 && !all_finite(out.data())) {
    throw AutogradError(
        fmt::format("anomaly: forward of '{}' produced NaN or Inf in its output "
                    "of shape {}",
                    name, out.shape().to_string()));
  }
  auto node = std::make_shared<Node>(name, backward_fn);
  node->inputs.reserve(inputs.size());
  for (const Tensor& input : inputs) {
    node->inputs.push_back(Edge{input, input.impl()->storage->version});
  }
  TensorImpl* impl = out.impl();
  impl->requires_grad = true;
  impl->op = name;
  impl->grad_fn = std::move(node);
  return *impl->grad_fn;
}

}  // namespace

Node& record_op(Tensor& out, const char* name, BackwardFn backward_fn,
                std::initializer_list<Tensor> inputs) {
  return record_inputs(out, name, backward_fn,
                       std::span<const Tensor>(inputs.begin(), inputs.size()));
}

Node& record_op(Tensor& out, const char* name, BackwardFn backward_fn,
                const std::vector<Tensor>& inputs) {
  return record_inputs(out, name, backward_fn, std::span<const Tensor>(inputs));
}

void accumulate_grad(const Tensor& input, Tensor grad) {
  TensorImpl* impl = input.impl();
  if (!impl->requires_grad) return;
  if (grad.shape() != impl->shape) {
    throw AutogradError(fmt::format("gradient of shape {} does not match tensor of shape {}",
                                    grad.shape().to_string(), impl->shape.to_string()));
  }
  if (!impl->grad.defined()) {
    // Take the gradient over when nobody else holds it; otherwise keep a private copy. Rows
    // that backward already added (an embedding's block) are added in.
    impl->grad = grad.impl_ptr().use_count() == 1 ? std::move(grad) : grad.detach().clone();
    impl->grad.impl()->requires_grad = false;
    gather_grad_rows(*impl);
    impl->grad_rows.mark_all();
    return;
  }
  gather_grad_rows(*impl);
  std::span<float> sum = impl->grad.data();
  std::span<const float> add = grad.data();
  for (size_t i = 0; i < sum.size(); ++i)
    sum[i] += add[i];
  impl->grad_rows.mark_all();
}

void accumulate_grad_rows(const Tensor& input, std::span<const int64_t> ids,
                          std::span<const float> grad_rows, std::span<const float> row_scale,
                          std::span<const int64_t> source_rows) {
  TensorImpl* impl = input.impl();
  if (!impl->requires_grad) return;
  const int64_t num_rows = impl->shape.rows(), D = impl->shape.cols();
  GradRows& rows = impl->grad_rows;
  const bool leaf = impl->grad_fn == nullptr;
  if (!impl->grad.defined() && !rows.has_rows) {
    // The first gradient: row-sparse from here on, so zero_grad and step visit only the rows
    // used. A leaf keeps them in the compact block and gets its dense buffer when `.grad()` is
    // first read; a non-leaf's node reads its gradient as a plain tensor, so it gets one now.
    rows.clear();
    rows.has_rows = leaf;
    if (!leaf) impl->grad = zeros(impl->shape);
  }
  // A leaf's rows go to the compact block (see GradRows); a non-leaf's, and a dense
  // gradient's, add into the buffer.
  const bool compact = leaf && !rows.all;
  float* grad = compact ? nullptr : impl->grad.data().data();
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!compact && i + kPrefetchAhead < ids.size())
      prefetch_row(grad + ids[i + kPrefetchAhead] * D, D);
    const int64_t row = ids[i];
    const float scale = row_scale.empty() ? 1.0f : row_scale[i];
    if (scale == 0.0f) continue;  // padding ids and zero weights add nothing
    const int64_t source = source_rows.empty() ? static_cast<int64_t>(i) : source_rows[i];
    const float* src = grad_rows.data() + source * D;
    float* dst = compact ? rows.pending_row(row, D) : grad + row * D;
    for (int64_t c = 0; c < D; ++c)
      dst[c] += scale * src[c];
    if (!compact) rows.touch(row, num_rows);
  }
}

void check_inplace(const Tensor& tensor, const char* op) {
  if (g_grad_enabled && tensor.requires_grad()) {
    throw AutogradError(fmt::format(
        "{}: a tensor that requires grad (shape {}) cannot be changed in place while gradients "
        "are recorded; do it under NoGradGuard, as optimisers do",
        op, tensor.shape().to_string()));
  }
}

namespace {

// Phase 1 of backward: every tensor with a node reachable from `root`, inputs before outputs.
std::vector<std::shared_ptr<TensorImpl>> topological_order(const Tensor& root) {
  std::vector<std::shared_ptr<TensorImpl>> order;
  std::unordered_set<TensorImpl*> visited;
  std::vector<std::pair<std::shared_ptr<TensorImpl>, size_t>> stack;  // (tensor, next input)
  stack.emplace_back(root.impl_ptr(), 0);
  visited.insert(root.impl());
  while (!stack.empty()) {
    auto& [impl, next] = stack.back();
    Node* node = impl->grad_fn.get();
    if (node->released) node->input(0);  // throws the "second time" error
    if (next < node->inputs.size()) {
      const Tensor& input = node->inputs[next++].tensor;
      TensorImpl* child = input.impl();
      if (child->grad_fn && visited.insert(child).second) stack.emplace_back(input.impl_ptr(), 0);
      continue;
    }
    // Check every saved input before any backward runs, so an error leaves the graph intact.
    for (size_t i = 0; i < node->inputs.size(); ++i)
      node->input(i);
    order.push_back(std::move(impl));
    stack.pop_back();
  }
  return order;
}

void check_gradients_finite(const Node& node) {
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    const Tensor grad = node.inputs[i].tensor.grad();
    if (grad.defined() && !all_finite(grad.data())) {
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
  std::vector<Tensor> retained(order.size());
  for (size_t k = 0; k < order.size(); ++k) {
    if (order[k]->retains_grad) retained[k] = std::exchange(order[k]->grad, Tensor());
  }
  accumulate_grad(*this, seed);
  // Phase 2: outputs before inputs, each node turns its output's gradient into its inputs'.
  for (size_t k = order.size(); k-- > 0;) {
    TensorImpl* impl = order[k].get();
    Node& node = *impl->grad_fn;
    Tensor grad_out = impl->grad;
    impl->grad = retained[k];
    if (!grad_out.defined()) continue;  // no path from the root reached this tensor
    if (impl->retains_grad) accumulate_grad(Tensor(order[k]), grad_out);
    node.backward_fn(node, grad_out, Tensor(order[k]));
    if (g_anomaly_mode) check_gradients_finite(node);
    if (!retain_graph) {
      // Free what only backward needed: saved values and the edges (intermediate tensors).
      node.released = true;
      node.saved = Saved();
      node.inputs.clear();
    }
  }
}

}  // namespace embedlab

namespace embedlab {

void settle_grad_rows(const Tensor& param) {
  TensorImpl* impl = param.impl();
  if (impl->grad_rows.pending_rows.empty()) return;
  if (impl->grad_rows.all || !impl->grad_rows.rows.empty()) gather_grad_rows(*impl);
}

void reset_grad(const Tensor& param) {
  TensorImpl* impl = param.impl();
  impl->grad = Tensor();
  impl->grad_rows = GradRows();
}

std::span<const int64_t> listed_grad_rows(const Tensor& param) {
  TensorImpl* impl = param.impl();
  if (!has_grad(param)) return {};
  settle_grad_rows(param);
  const GradRows& rows = impl->grad_rows;
  if (!rows.pending_rows.empty()) return rows.pending_rows;
  if (rows.all) return {};
  return rows.rows;
}

void zero_grad(const Tensor& param) {
  TensorImpl* impl = param.impl();
  if (!impl->grad.defined()) {
    impl->grad_rows.clear_pending();  // rows only: the block is the whole gradient
    return;
  }
  std::span<float> grad = impl->grad.data();
  if (impl->grad_rows.all) {
    std::fill(grad.begin(), grad.end(), 0.0f);
  } else {
    // Only the listed rows of the buffer (none in a plain training loop, whose rows stay in
    // the compact block), which sit at random places in the (V, D) buffer: prefetched.
    const int64_t D = impl->shape.cols();
    const std::vector<int64_t>& rows = impl->grad_rows.rows;
    for (size_t k = 0; k < rows.size(); ++k) {
      if (k + kPrefetchAhead < rows.size()) prefetch_row(&grad[rows[k + kPrefetchAhead] * D], D);
      std::fill_n(&grad[rows[k] * D], D, 0.0f);
    }
  }
  impl->grad_rows.clear();  // drops the compact block too
}

int64_t grad_row_count(const Tensor& param) {
  const TensorImpl* impl = param.impl();
  if (!has_grad(param)) return 0;
  settle_grad_rows(param);
  const GradRows& rows = impl->grad_rows;
  if (rows.all) return impl->shape.rows();
  return static_cast<int64_t>(rows.rows.size() + rows.pending_rows.size());
}

}  // namespace embedlab
