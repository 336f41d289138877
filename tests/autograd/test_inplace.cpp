// In-place ops (fill_, zero_, copy_, add_, mul_): values, the refusal on tensors that require
// grad while recording, and the "changed in place" check of backward.
#include <catch2/catch.hpp>

#include "autograd_test_utils.h"

using namespace embedlab;
using embedlab::test::require_values;

TEST_CASE("in-place ops change the elements and return the tensor", "[autograd][inplace]") {
  Tensor x = tensor({1, 2, 3});
  require_values(fill_(x, 4.0f), {3}, {4, 4, 4});
  require_values(zero_(x), {3}, {0, 0, 0});
  require_values(copy_(x, tensor({1, 2, 3})), {3}, {1, 2, 3});
  require_values(add_(x, tensor({10, 10, 10}), 0.5f), {3}, {6, 7, 8});  // x + 0.5 * 10
  require_values(mul_(x, 2.0f), {3}, {12, 14, 16});
}

TEST_CASE("in-place ops bump the storage version", "[autograd][inplace]") {
  Tensor x = zeros({2});
  const uint64_t before = x.impl()->storage->version;
  add_(x, ones({2}));
  mul_(x, 2.0f);
  REQUIRE(x.impl()->storage->version == before + 2);
}

TEST_CASE("in-place ops on a tensor that requires grad are refused while recording",
          "[autograd][inplace][errors]") {
  Tensor w = tensor({1, 2}).requires_grad_();
  REQUIRE_THROWS_AS(add_(w, ones({2})), AutogradError);
  REQUIRE_THROWS_WITH(add_(w, ones({2})), Catch::Contains("add_: a tensor that requires grad") &&
                                              Catch::Contains("NoGradGuard"));
  REQUIRE_THROWS_WITH(mul_(w, 2.0f), Catch::Contains("mul_"));
  REQUIRE_THROWS_WITH(fill_(w, 0.0f), Catch::Contains("fill_"));
  REQUIRE_THROWS_WITH(copy_(w, ones({2})), Catch::Contains("copy_"));
  REQUIRE_THROWS_AS(zero_(w), AutogradError);
  require_values(w, {2}, {1, 2});  // nothing changed
}

TEST_CASE("under NoGradGuard in-place ops on parameters are allowed", "[autograd][inplace]") {
  Tensor w = tensor({1, 2}).requires_grad_();
  {
    NoGradGuard no_grad;
    add_(w, tensor({1, 1}), -0.5f);
    mul_(w, 2.0f);
  }
  require_values(w, {2}, {1, 3});  // (1 - 0.5) * 2, (2 - 0.5) * 2
  REQUIRE(w.requires_grad());
}

TEST_CASE("in-place ops check shapes and dtypes", "[autograd][inplace][errors]") {
  Tensor x = zeros({2});
  REQUIRE_THROWS_AS(copy_(x, zeros({3})), ShapeError);
  REQUIRE_THROWS_WITH(copy_(x, zeros({3})),
                      Catch::Contains("source shape (3) differs from destination shape (2)"));
  REQUIRE_THROWS_WITH(add_(x, zeros({2, 1})), Catch::Contains("(2, 1)"));
  Tensor ids = tensor({1, 2}, DType::Int64);
  REQUIRE_THROWS_AS(fill_(ids, 1.0f), TypeError);
}

TEST_CASE("backward refuses an input changed in place after an op saved it",
          "[autograd][inplace][errors]") {
  SECTION("a constant factor changed after mul read it") {
    Tensor x = tensor({1, 2}).requires_grad_();
    Tensor c = tensor({3, 4});
    Tensor y = (x * c).sum();
    mul_(c, 2.0f);  // c does not require grad, so this is allowed, but mul needs the old c
    REQUIRE_THROWS_WITH(y.backward(), Catch::Contains("changed in place") &&
                                          Catch::Contains("mul") && Catch::Contains("(2)"));
    // The check runs before any backward function, so the graph is intact and says it again.
    REQUIRE_THROWS_WITH(y.backward(), Catch::Contains("changed in place"));
  }
  SECTION("a parameter updated under NoGradGuard before backward") {
    Tensor w = tensor({1, 2}).requires_grad_();
    Tensor loss = (w * w).sum();
    {
      NoGradGuard no_grad;
      add_(w, ones({2}));
    }
    REQUIRE_THROWS_WITH(loss.backward(), Catch::Contains("changed in place"));
  }
  SECTION("a view shares the version of its storage") {
    Tensor x = tensor({1, 2, 3, 4}).requires_grad_();
    Tensor c = tensor({1, 2, 3, 4});
    Tensor view = c.reshape({2, 2});
    Tensor y = (x * c).sum();
    fill_(view, 0.0f);
    REQUIRE_THROWS_WITH(y.backward(), Catch::Contains("changed in place"));
  }
}

// ---- Every in-place write is seen by backward, whatever the grad mode ----

TEST_CASE("an output its backward reads, changed under NoGradGuard, makes backward refuse",
          "[autograd][inplace][errors][reliability]") {
  // y = exp(x) keeps y for its backward (d e^x / dx = e^x = y). Doubling y in place would
  // silently double the gradient; as in PyTorch, backward refuses and names op and versions.
  Tensor x = tensor({0.0f, 1.0f}).requires_grad_();
  Tensor y = exp(x);
  {
    NoGradGuard no_grad;
    mul_(y, 2.0f);
  }
  REQUIRE_THROWS_AS(sum(y).backward(), AutogradError);
  REQUIRE_THROWS_WITH(sum(y).backward(), Catch::Contains("exp: its output of shape (2)") &&
                                             Catch::Contains("modified by an inplace operation") &&
                                             Catch::Contains("version 1, expected 0"));
  SECTION("every op whose backward reads its output checks it") {
    for (auto op :
         {+[](const Tensor& t) { return sqrt(t); }, +[](const Tensor& t) { return tanh(t); },
          +[](const Tensor& t) { return sigmoid(t); },
          +[](const Tensor& t) { return softmax(t, 0); },
          +[](const Tensor& t) { return log_softmax(t, 0); },
          +[](const Tensor& t) { return norm(t); }, +[](const Tensor& t) { return norm(t, 0); }}) {
      Tensor out = op(tensor({1.0f, 2.0f}).requires_grad_());
      {
        NoGradGuard no_grad;
        fill_(out, 0.5f);
      }
      REQUIRE_THROWS_WITH(sum(out).backward(), Catch::Contains("modified by an inplace operation"));
    }
  }
  SECTION("an op whose backward does not read its output still runs, as in PyTorch") {
    Tensor z = x * 3.0f;
    {
      NoGradGuard no_grad;
      mul_(z, 2.0f);
    }
    sum(z).backward();
    require_values(x.grad(), {2}, {3, 3});  // d(3x)/dx, whatever z holds now
  }
}

TEST_CASE("a saved tensor changed in place makes backward refuse, naming what was saved",
          "[autograd][inplace][errors][reliability]") {
  Tensor w = zeros({4, 2}).requires_grad_();
  Tensor ids = tensor({1, 3}, DType::Int64);
  Tensor out = embedding(w, ids);
  ids.ids()[0] = 2;   // a raw write, made visible as the contract asks
  bump_version(ids);  // (every in-place op does this itself)
  REQUIRE_THROWS_WITH(out.sum().backward(),
                      Catch::Contains("embedding: its saved ids of shape (2)") &&
                          Catch::Contains("version 1, expected 0"));
}

TEST_CASE("every in-place writer bumps the version, whatever the grad mode",
          "[autograd][inplace][reliability]") {
  auto version = [](const Tensor& t) { return t.impl()->storage->version; };
  Tensor x = zeros({2, 2});
  uint64_t v = version(x);
  SECTION("in-place ops under NoGradGuard too") {
    NoGradGuard no_grad;
    fill_(x, 1.0f);
    zero_(x);
    copy_(x, ones({2, 2}));
    add_(x, ones({2, 2}));
    mul_(x, 3.0f);
    REQUIRE(version(x) == v + 5);
  }
  SECTION("a detached view shares the counter, so backward sees writes through it") {
    Tensor w = tensor({1.0f, 2.0f}).requires_grad_();
    Tensor loss = (w * w).sum();
    Tensor view = w.detach();
    add_(view, ones({2}));
    REQUIRE_THROWS_WITH(loss.backward(), Catch::Contains("changed in place"));
  }
  SECTION("max_norm's renorm, once per lookup that changed a row") {
    Tensor w = tensor({{3.0f, 4.0f}, {0.3f, 0.4f}}).requires_grad_();
    v = version(w);
    embedding(w, tensor({1}, DType::Int64), EmbeddingFuncOptions{.max_norm = 1.0f});
    REQUIRE(version(w) == v);  // row 1 has norm 0.5: nothing to do
    Tensor first = embedding(w, tensor({0}, DType::Int64));
    embedding(w, tensor({0, 0}, DType::Int64), EmbeddingFuncOptions{.max_norm = 1.0f});
    REQUIRE(version(w) == v + 1);
    // Row 0 (norm 5) is now [0.6, 0.8] (just under norm 1); the earlier lookup saw [3, 4].
    REQUIRE(w.at(0, 0) == Approx(0.6f).epsilon(1e-5));
    REQUIRE_THROWS_WITH(first.sum().backward(), Catch::Contains("embedding: input 0"));
  }
  SECTION("optimiser steps") {
    Tensor p = ones({2}).requires_grad_();
    optim::SGD sgd({p}, {.lr = 0.1});
    (p * p).sum().backward();
    v = version(p);
    sgd.step();
    REQUIRE(version(p) == v + 1);
  }
}
