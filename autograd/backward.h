/// @file backward.h
/// @brief The named backward function of every op: the derivatives, one function each.
///
/// The engine calls these through `Node::backward_fn`; learners call them by name in gdb
/// (`break embedlab::embedding_backward`), and an assignment can blank any one out. Each gets
/// the node (inputs and saved values), the gradient arriving at the op's output (`grad_out`)
/// and the output itself, and adds its inputs' gradients with `accumulate_grad` (or, for rows
/// of a table, `accumulate_grad_rows`). Listed by file below: every backward of the project,
/// the six that live beside their forwards in nn/ and word2vec/ included (at the end).
#pragma once

#include <span>

#include "autograd/node.h"
#include "autograd/ops.h"

namespace embedlab {

// ---- autograd/ops_binary.cpp ----

/// Backward of `add`: both inputs get grad_out, summed over broadcast dims.
void add_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// Backward of `sub`: grad_a = grad_out, grad_b = -grad_out.
void sub_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// Backward of `mul`: grad_a = grad_out * b, grad_b = grad_out * a.
void mul_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// Backward of `div`: grad_a = grad_out / b, grad_b = -grad_out * a / b^2.
void div_backward(Node& node, const Tensor& grad_out, const Tensor& out);

// ---- autograd/ops_unary.cpp ----

/// Backward of `neg`: grad_x = -grad_out.
void neg_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// Backward of `pow`: grad_x = grad_out * p * x^(p-1).
void pow_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// Backward of `exp`: grad_x = grad_out * e^x.
void exp_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// Backward of `log`: grad_x = grad_out / x.
void log_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// Backward of `sqrt`: grad_x = grad_out / (2 sqrt x).
void sqrt_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// Backward of `abs`: grad_x = grad_out * sign(x).
void abs_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// Backward of `clamp`: grad_out where the limits did not apply, else 0.
void clamp_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// Backward of `tanh`: grad_x = grad_out * (1 - tanh(x)^2).
void tanh_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// Backward of `sigmoid`: grad_x = grad_out * s (1 - s).
void sigmoid_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// Backward of `relu`: grad_out where x > 0, else 0.
void relu_backward(Node& node, const Tensor& grad_out, const Tensor& out);

// ---- autograd/ops_reduce.cpp ----

/// Backward of `sum` over all elements: every element gets grad_out.
void sum_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// Backward of `sum` along a dim: each element gets the gradient of its sum.
void sum_dim_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// Backward of `max` over all elements: the (first) largest element gets grad_out.
void max_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// Backward of `min` over all elements: the (first) smallest element gets grad_out.
void min_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// Backward of `max` along a dim: the element each index names gets its value's gradient.
void max_dim_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// Backward of `min` along a dim: the element each index names gets its value's gradient.
void min_dim_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// Backward of `softmax`: grad_x = y * (grad_out - sum(grad_out * y)).
void softmax_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// Backward of `log_softmax`: grad_x = grad_out - softmax(x) * sum(grad_out).
void log_softmax_backward(Node& node, const Tensor& grad_out, const Tensor& out);

// ---- autograd/ops_matmul.cpp ----

/// Backward of `matmul`: grad_a = grad_out . b^T, grad_b = a^T . grad_out.
void matmul_backward(Node& node, const Tensor& grad_out, const Tensor& out);

// ---- autograd/ops_embedding.cpp ----

/// Backward of `embedding`: grad_weight[ids[i], :] += grad_out[i, :], touching only those rows.
void embedding_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// The textbook form of `embedding_backward`, one += per id into a dense (V, D) gradient.
///
/// The course assignment's task 3.2: grad_weight[ids[i], :] += scale * grad_out[i, :], with
/// scale 0 for the padding id and 1 / frequency with scale_grad_by_freq. Returned, not
/// accumulated: what the fast path, which touches only the rows used, is checked against.
/// @throws IndexError for an id outside [0, num_embeddings).
/// @throws ShapeError when grad_out is not an (N, D) matrix for the N ids.
Tensor embedding_backward_reference(std::span<const int64_t> ids, const Tensor& grad_out,
                                    int64_t num_embeddings,
                                    const EmbeddingFuncOptions& grad_options);

// ---- autograd/ops_embedding_bag.cpp ----

/// Backward of `embedding_bag`: each bag's gradient goes to the rows in the bag (see the file).
void embedding_bag_backward(Node& node, const Tensor& grad_out, const Tensor& out);

// ---- autograd/ops_index.cpp ----

/// Backward of `select`: grad_out goes to the row (or element) the forward took.
void select_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// Backward of `slice`: grad_out goes to the range the forward copied, zeros elsewhere.
void slice_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// Backward of `index_select`: grad_x[ids[j]] += grad_out[j] along the dim.
void index_select_backward(Node& node, const Tensor& grad_out, const Tensor& out);

// ---- autograd/ops_similarity.cpp ----

/// Backward of `rowwise_dot`: grad_a[i] = grad_out[i] * b[i], grad_b[i] = grad_out[i] * a[i].
void rowwise_dot_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// Backward of `norm` over all elements: grad_x = grad_out * x / |x| (0 when x is all zero).
void norm_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// Backward of `norm` along a dim: grad_x = grad_out * x / |x| per row (0 for a zero row).
void norm_dim_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// Backward of `cosine_similarity` (see the formula in ops_similarity.cpp).
void cosine_similarity_backward(Node& node, const Tensor& grad_out, const Tensor& out);

// ---- autograd/ops_shape.cpp ----

/// Backward of `reshape`: the gradient viewed with the input's shape.
void reshape_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// Backward of `transpose`: the gradient transposed back.
void transpose_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// Backward of `cat`: each input gets its slice of the gradient.
void cat_backward(Node& node, const Tensor& grad_out, const Tensor& out);
/// Backward of `clone`: grad_x = grad_out.
void clone_backward(Node& node, const Tensor& grad_out, const Tensor& out);

// ---- Ops outside autograd/, declared beside their forwards (same signature, same rules) ----
//
// nn/linear.cpp (nn/linear.h)         nn::linear_backward      y = x W^T + b
// nn/loss.cpp (nn/loss.h)             nn::nll_loss_backward    the picked log-probabilities
//                                     nn::bce_with_logits_backward
// nn/activation.cpp (nn/activation.h) nn::dropout_backward     the kept elements, scaled
// word2vec/sgns_op.cpp (sgns_op.h)    word2vec::sgns_backward  skip-gram negative sampling
// word2vec/cbow_op.cpp (sgns_op.h)    word2vec::cbow_backward  CBOW negative sampling

}  // namespace embedlab
