// to_dot: walks the graph from the root and writes one DOT node per tensor and per op.
#include "autograd/dot.h"

#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include "autograd/node.h"

namespace embedlab {

namespace {
std::string short_values(const Tensor& t, int64_t max_values) {
  if (!t.defined() || t.numel() > max_values || t.dtype() != DType::Float32) return "";
  std::string text;
  for (int64_t i = 0; i < t.numel(); ++i)
    text += fmt::format("{}{:.4g}", i ? " " : "", t.data()[i]);
  return text;
}

std::string tensor_label(const Tensor& t, int64_t max_values) {
  std::string label = "shape " + t.shape().to_string();
  if (t.dtype() != DType::Float32) label += " int64";
  const std::string values = short_values(t, max_values);
  if (!values.empty()) label += "\\ndata " + values;
  const std::string grads = short_values(t.grad(), max_values);
  if (!grads.empty()) label += "\\ngrad " + grads;
  return label;
}
}  // namespace

std::string to_dot(const Tensor& root, int64_t max_values) {
  std::string dot = "digraph embedlab {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n";
  std::unordered_set<const TensorImpl*> seen;
  std::vector<Tensor> pending{root};
  seen.insert(root.impl());
  while (!pending.empty()) {
    Tensor t = pending.back();
    pending.pop_back();
    const void* id = t.impl();
    dot += fmt::format("  t{} [shape=box, label=\"{}\"];\n", id, tensor_label(t, max_values));
    const Node* node = t.impl()->grad_fn.get();
    if (!node) continue;
    dot +=
        fmt::format("  op{} [shape=ellipse, style=filled, fillcolor=\"#e8f0fe\", label=\"{}\"];\n",
                    id, node->name);
    dot += fmt::format("  op{} -> t{};\n", id, id);
    for (const Edge& edge : node->inputs) {
      dot += fmt::format("  t{} -> op{};\n", static_cast<const void*>(edge.tensor.impl()), id);
      if (seen.insert(edge.tensor.impl()).second) pending.push_back(edge.tensor);
    }
  }
  return dot + "}\n";
}

}  // namespace embedlab
