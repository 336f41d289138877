/// @file node.h
/// @brief The autograd graph: `Node` (one recorded op), grad mode and anomaly mode.
///
/// Every op that reads a tensor which requires grad makes one `Node`. The node keeps the op's
/// name, the input tensors (the graph's edges), what its backward needs (`Saved`), and a pointer
/// to the op's named backward function. So in gdb, `break embedlab::matmul_backward` stops in
/// the matmul derivative, and `p *t.impl_->grad_fn` shows the node.
///
/// What is left out: higher-order gradients (backward itself is never recorded).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "tensor/tensor.h"

namespace embedlab {

/// One input of a node: the tensor and the storage version it had when the op read it.
struct Edge {
  Tensor tensor;     ///< the input tensor
  uint64_t version;  ///< its storage version at record time (checked by backward)
};

/// How `embedding_bag` pools each bag of looked-up rows.
enum class BagMode { Sum, Mean, Max };

/// A tensor an op saved for its backward, with the storage version it had then: backward
/// refuses to run when the values changed in place since (as PyTorch's saved-variable check).
struct SavedTensor {
  Tensor tensor;         ///< the saved tensor (shares storage with what the op saw)
  uint64_t version = 0;  ///< its storage version when saved

  /// Saves `t` and remembers its storage version.
  SavedTensor& operator=(const Tensor& t);
  /// Returns the saved tensor.
  const Tensor& operator*() const { return tensor; }
  /// Reaches the saved tensor's members: `node.saved.ids->ids()`.
  const Tensor* operator->() const { return &tensor; }
};

/// What an op's backward needs besides its inputs, each field named and typed for what it
/// holds, so `p node.saved` in gdb reads like the op's derivative. An op fills only its own.
struct Saved {
  // Numbers.
  float exponent = 0.0f;            ///< pow: the exponent p
  float min = 0.0f;                 ///< clamp: the lower bound (-inf when none)
  float max = 0.0f;                 ///< clamp: the upper bound (+inf when none)
  float eps = 0.0f;                 ///< cosine_similarity: the smallest denominator
  float scale = 0.0f;               ///< losses: 1 / (count averaged over), or 1 for a sum
  int dim = 0;                      ///< the dim a reduction or softmax ran along
  int64_t index = 0;                ///< select: the row (or element) taken; slice: the first one
  int64_t padding_idx = -1;         ///< embedding, embedding_bag: the id whose row gets no gradient
  int64_t ignore_index = -100;      ///< nll_loss: the target id that adds no loss and no gradient
  bool scale_grad_by_freq = false;  ///< embedding: divide by each id's count in the batch
  BagMode bag_mode = BagMode::Sum;  ///< embedding_bag: how each bag was pooled
  bool context_mean = false;        ///< cbow_loss: context rows get the mean's gradient (1/count)
  /// The backward reads the op's output (exp, sigmoid, softmax, ...): backward refuses to run
  /// when the output changed in place after the op made it (`Node::output_version`).
  bool output = false;
  // Tensors (each checked for in-place changes before backward runs).
  SavedTensor ids;        ///< embedding, embedding_bag, index_select, nll_loss: the ids read
  SavedTensor offsets;    ///< embedding_bag: where each bag starts
  SavedTensor positions;  ///< max, embedding_bag (Max): where each largest value came from
  SavedTensor mask;       ///< dropout: the kept-element mask divided by (1 - p)
  SavedTensor errors;     ///< sgns_loss, cbow_loss: sigmoid(score) - label per sample
  SavedTensor means;      ///< cbow_loss: the (N, D) context means h

  /// Throws AutogradError naming `op` when a saved tensor changed in place after it was saved.
  void check_versions(const char* op) const;
};

struct Node;

/// The signature of every backward function: gets the gradient of the op's output.
using BackwardFn = void (*)(Node& node, const Tensor& grad_out, const Tensor& out);

/// One recorded op in the graph that `backward()` walks in reverse.
struct Node {
  const char* name;             ///< the op's name, as printed in `grad_fn=<name>`
  BackwardFn backward_fn;       ///< the op's named backward function
  std::vector<Edge> inputs;     ///< the tensors the op read, in argument order
  Saved saved;                  ///< what the backward needs besides the inputs
  uint64_t output_version = 0;  ///< the output's storage version when the op made it
  bool released = false;        ///< true once backward freed the saved values
  uint64_t walk = 0;  ///< the number of the last backward walk that reached this node (its mark)

  /// Makes a node for op `name` whose derivative is `backward_fn`.
  Node(const char* name, BackwardFn backward_fn);
  /// Frees the graph behind this node without deep recursion (long chains stay safe).
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  /// Returns input `i`, checking that it was not changed in place since the op read it.
  /// @throws AutogradError when the graph was freed or the input's storage version changed.
  const Tensor& input(size_t i) const;
  /// Checks every value the backward will read: each input, each saved tensor, and the output
  /// `out` when the backward reads it; throws AutogradError naming the op and the versions
  /// when one was modified by an in-place operation after the op saw it.
  void check_saved(const TensorImpl& out) const;
};

/// Returns how many graph nodes are alive (for leak tests: zero after a training loop ends).
int64_t live_node_count();

/// Returns true while ops record a graph (the default; false under `NoGradGuard`).
bool grad_enabled();

/// Turns graph recording off for its lifetime, like `torch::NoGradGuard`.
/// @code
/// { NoGradGuard no_grad; w.data()[0] -= 0.1f * w.grad().data()[0]; }
/// @endcode
class NoGradGuard {
 public:
  /// Turns recording off and remembers the previous state.
  NoGradGuard();
  /// Restores the previous state.
  ~NoGradGuard();
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};

/// Returns true while anomaly mode checks every recorded op for NaN or Inf.
bool anomaly_mode_enabled();

/// Turns anomaly mode on for its lifetime, like `torch.autograd.detect_anomaly`: the first op
/// whose forward output or backward gradient holds NaN or Inf throws an AutogradError naming it.
class DetectAnomalyGuard {
 public:
  /// Turns anomaly checks on and remembers the previous state.
  DetectAnomalyGuard();
  /// Restores the previous state.
  ~DetectAnomalyGuard();
  DetectAnomalyGuard(const DetectAnomalyGuard&) = delete;
  DetectAnomalyGuard& operator=(const DetectAnomalyGuard&) = delete;

 private:
  bool previous_;
};

/// Returns true when recording is on and any of `inputs` requires grad.
bool any_requires_grad(std::initializer_list<const Tensor*> inputs);

/// Makes `out` the output of a new node for op `name` over `inputs`; returns the node so the
/// op can fill `node.saved`. Call only when `any_requires_grad` said yes.
Node& record_op(Tensor& out, const char* name, BackwardFn backward_fn,
                std::initializer_list<Tensor> inputs);
/// Same as above for a list of inputs whose length is known only at run time (cat, stack).
Node& record_op(Tensor& out, const char* name, BackwardFn backward_fn,
                const std::vector<Tensor>& inputs);

/// Adds `grad` into the gradient of `input` (no-op when it does not require grad).
/// The first gradient is taken over without a copy when nobody else holds it.
void accumulate_grad(const Tensor& input, Tensor grad);

namespace detail {
/// Returns true when no value is NaN or Inf (anomaly mode's check).
bool all_finite(std::span<const float> values);
}  // namespace detail

/// Throws AutogradError when `tensor` may not be changed in place now (a tensor that requires
/// grad, while recording is on); `op` names the in-place op in the message.
void check_inplace(const Tensor& tensor, const char* op);

}  // namespace embedlab
