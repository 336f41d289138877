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
#include <vector>

#include "tensor/tensor.h"

namespace embedlab {

/// One input of a node: the tensor and the storage version it had when the op read it.
struct Edge {
  Tensor tensor;     ///< the input tensor
  uint64_t version;  ///< its storage version at record time (checked by backward)
};

/// What an op's backward needs besides its inputs, stored by name so gdb can print it.
struct Saved {
  float scalar = 0.0f;   ///< an exponent, a bound, a scalar operand, an eps
  float scalar2 = 0.0f;  ///< a second bound (clamp's max) or constant
  int axis = 0;          ///< the axis a reduction ran along
  bool keepdim = false;  ///< whether the reduction kept the axis
  Shape shape;           ///< an input shape to restore (reshape, sum)
  Tensor tensor;         ///< a saved tensor: ids, argmax positions, a mask, an output
  Tensor tensor2;        ///< a second saved tensor: offsets, argmax positions
};

struct Node;

/// The signature of every backward function: gets the gradient of the op's output.
using BackwardFn = void (*)(Node& node, const Tensor& grad_out, const Tensor& out);

/// One recorded op in the graph that `backward()` walks in reverse.
struct Node {
  const char* name;          ///< the op's name, as printed in `grad_fn=<name>`
  BackwardFn backward_fn;    ///< the op's named backward function
  std::vector<Edge> inputs;  ///< the tensors the op read, in argument order
  Saved saved;               ///< what the backward needs besides the inputs
  bool released = false;     ///< true once backward freed the saved values

  /// Makes a node for op `name` whose derivative is `backward_fn`.
  Node(const char* name, BackwardFn backward_fn);
  /// Frees the graph behind this node without deep recursion (long chains stay safe).
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  /// Returns input `i`, checking that it was not changed in place since the op read it.
  /// @throws AutogradError when the graph was freed or the input's storage version changed.
  const Tensor& input(size_t i) const;
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

/// Adds `grad_rows[i, :]` into row `ids[i]` of the (V, D) gradient of `input` and records the
/// rows it touched, so zero_grad and the optimisers can visit only those rows. For a leaf the
/// rows go to the compact block of `GradRows` (one row per distinct id), read through
/// `for_each_grad_row` or, added into the dense tensor, through `.grad()`.
///   grad_input[ids[i], :] += row_scale[i] * grad_rows[source_rows[i], :]
/// An empty `row_scale` means 1 for every i (a zero scale skips the id); an empty
/// `source_rows` means row i.
void accumulate_grad_rows(const Tensor& input, std::span<const int64_t> ids,
                          std::span<const float> grad_rows, std::span<const float> row_scale = {},
                          std::span<const int64_t> source_rows = {});

/// Throws AutogradError when `tensor` may not be changed in place now (a tensor that requires
/// grad, while recording is on); `op` names the in-place op in the message.
void check_inplace(const Tensor& tensor, const char* op);

}  // namespace embedlab
