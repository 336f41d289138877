// The graph's bookkeeping: grad mode and anomaly mode, recording an op as a Node, and a
// node's lifetime (freeing long chains without deep recursion). The backward walk over these
// nodes is engine.cpp.
#include <atomic>
#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "autograd/node.h"
#include "tensor/error.h"

namespace embedlab {

namespace {
thread_local bool g_grad_enabled = true;
thread_local bool g_anomaly_mode = false;

// The count of live nodes, spread over cache lines so that threads do not fight over one: each
// thread adds to the slot it was given first (a node freed in another thread subtracts from that
// thread's slot; only the sum means anything). With a single counter, two word2vec threads that
// each record a node per step spent 10x the time of one thread on its `lock inc`, because the
// counter's cache line moved between the cores at every step (docs/performance.md, "Threads").
constexpr size_t kCountSlots = 64;
struct alignas(64) CountSlot {
  std::atomic<int64_t> count{0};
};
CountSlot g_live_nodes[kCountSlots];
std::atomic<size_t> g_next_slot{0};

std::atomic<int64_t>& live_nodes_slot() {
  thread_local const size_t slot =
      g_next_slot.fetch_add(1, std::memory_order_relaxed) % kCountSlots;
  return g_live_nodes[slot].count;
}
}  // namespace

bool detail::all_finite(std::span<const float> values) {
  for (float v : values) {
    if (!std::isfinite(v)) return false;
  }
  return true;
}

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
  int64_t total = 0;
  for (const CountSlot& slot : g_live_nodes)
    total += slot.count.load(std::memory_order_relaxed);
  return total;
}

Node::Node(const char* op_name, BackwardFn fn) : name(op_name), backward_fn(fn) {
  live_nodes_slot().fetch_add(1, std::memory_order_relaxed);
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
  live_nodes_slot().fetch_sub(1, std::memory_order_relaxed);
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
        "{}: input {} of shape {} was changed in place after the op read it (modified by an "
        "inplace operation: version {}, expected {}); its values are needed for backward",
        name, i, edge.tensor.shape().to_string(), now, edge.version));
  }
  return edge.tensor;
}

void Node::check_saved(const TensorImpl& out) const {
  for (size_t i = 0; i < inputs.size(); ++i)
    input(i);
  saved.check_versions(name);
  if (saved.output && out.storage->version != output_version) {
    throw AutogradError(fmt::format(
        "{}: its output of shape {} was changed in place after the op made it (modified by an "
        "inplace operation: version {}, expected {}); its values are needed for backward: "
        "change a clone() instead, or change it after backward",
        name, out.shape.to_string(), out.storage->version, output_version));
  }
}

SavedTensor& SavedTensor::operator=(const Tensor& t) {
  tensor = t;
  version = t.defined() ? t.impl()->storage->version : 0;
  return *this;
}

void Saved::check_versions(const char* op) const {
  const std::pair<const char*, const SavedTensor*> fields[] = {
      {"ids", &ids},   {"offsets", &offsets}, {"positions", &positions},
      {"mask", &mask}, {"errors", &errors},   {"means", &means}};
  for (const auto& [what, saved] : fields) {
    if (!saved->tensor.defined()) continue;
    const uint64_t now = saved->tensor.impl()->storage->version;
    if (now != saved->version) {
      throw AutogradError(fmt::format(
          "{}: its saved {} of shape {} was changed in place after the op saved it (modified by "
          "an inplace operation: version {}, expected {}); its values are needed for backward",
          op, what, saved->tensor.shape().to_string(), now, saved->version));
    }
  }
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
  if (g_anomaly_mode && out.dtype() == DType::Float32 && !detail::all_finite(out.data())) {
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
  node->output_version = out.impl()->storage->version;
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

void check_inplace(const Tensor& tensor, const char* op) {
  if (g_grad_enabled && tensor.requires_grad()) {
    throw AutogradError(fmt::format(
        "{}: a tensor that requires grad (shape {}) cannot be changed in place while gradients "
        "are recorded; do it under NoGradGuard, as optimisers do",
        op, tensor.shape().to_string()));
  }
}

}  // namespace embedlab
