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
