/// @file textbook_backward.h
/// @brief The backward walk written as micrograd writes it: the course assignment's task 2.1.
///
/// `Tensor::backward()` (autograd/engine.cpp) is the walk the framework runs. This is the same
/// walk in its textbook form, which students write in the course assignment
/// (docs/assignments.md); the tests hold both to the same gradients.
#pragma once

#include "tensor/tensor.h"

namespace embedlab {

/// Runs backward from a scalar the way micrograd does: a recursive depth-first search puts the
/// graph in topological order, then each node's backward runs from the output back to the leaves.
///
/// Gradients accumulate with `+=` into the leaves' `.grad()`, exactly as `root.backward()`
/// would give them. The differences are in what is left out: the graph is kept (as with
/// `retain_graph = true`), retained gradients of non-leaves are not kept, there are no anomaly
/// checks, and a very long chain of ops (tens of thousands) can overflow the call stack, which
/// `Tensor::backward()` avoids with an explicit stack.
/// @param root a one-element tensor that requires grad, such as a loss.
/// @throws AutogradError when `root` does not require grad or has more than one element.
/// @code
/// Tensor x = tensor({2.0f}).requires_grad_();
/// textbook_backward((x * x).sum());
/// fmt::print("{}\n", x.grad().item());   // 4
/// @endcode
void textbook_backward(const Tensor& root);

}  // namespace embedlab
