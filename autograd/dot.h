/// @file dot.h
/// @brief `to_dot`: draws the graph that produced a tensor, as Graphviz DOT text.
///
/// Like micrograd's `draw_dot`: boxes are tensors (shape, and values and gradients when small),
/// ellipses are ops. Render with `dot -Tsvg graph.dot -o graph.svg`.
#pragma once

#include <string>

#include "tensor/tensor.h"

namespace embedlab {

/// Returns the graph behind `root` in DOT format, inputs on the left, `root` on the right.
/// Tensors with at most `max_values` elements show their values and gradients.
/// Note: backward() without retain_graph frees the graph, so draw it before backward (or
/// call backward with retain_graph = true) to see the whole picture.
std::string to_dot(const Tensor& root, int64_t max_values = 6);

}  // namespace embedlab
