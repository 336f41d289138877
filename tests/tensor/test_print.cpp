// Printing: to_string() follows PyTorch's repr (scalars, whole numbers, 4 decimals,
// scientific notation, elision, NaN and Inf, dtype and autograd suffixes).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "embedlab.h"

using namespace embedlab;

TEST_CASE("a scalar prints with four decimals", "[tensor][print]") {
  REQUIRE(tensor(3.5f).to_string() == "tensor(3.5000)");
  REQUIRE(tensor(2.0f).to_string() == "tensor(2.)");
}

TEST_CASE("a vector of whole numbers prints them with a trailing dot", "[tensor][print]") {
  REQUIRE(tensor({1.0f, 2.0f, 3.0f}).to_string() == "tensor([1., 2., 3.])");
  REQUIRE(tensor({-1.0f, 10.0f}).to_string() == "tensor([-1., 10.])");
}

TEST_CASE("a matrix prints one row per line, aligned under the first", "[tensor][print]") {
  REQUIRE(tensor({{1, 2}, {3, 4}}).to_string() ==
          "tensor([[1., 2.],\n"
          "        [3., 4.]])");
}

TEST_CASE("fractions print with 4 decimals, right-aligned to one width", "[tensor][print]") {
  REQUIRE(tensor({1.5f, -2.25f}).to_string() == "tensor([ 1.5000, -2.2500])");
  REQUIRE(tensor({{0.1f, 12.0f}, {3.25f, 4.0f}}).to_string() ==
          "tensor([[ 0.1000, 12.0000],\n"
          "        [ 3.2500,  4.0000]])");
}

TEST_CASE("values spanning more than 1000x print in scientific notation", "[tensor][print]") {
  REQUIRE(tensor({1e-5f, 1.0f}).to_string() == "tensor([1.0000e-05, 1.0000e+00])");
  REQUIRE(tensor({0.5f, 1000.5f}).to_string() == "tensor([5.0000e-01, 1.0005e+03])");
  REQUIRE(tensor({1.0f, 2000.0f}).to_string() == "tensor([1.0000e+00, 2.0000e+03])");
}

TEST_CASE("an int64 tensor prints its ids and its dtype", "[tensor][print]") {
  REQUIRE(tensor({3, 1, 4}, DType::Int64).to_string() == "tensor([3, 1, 4], dtype=int64)");
  REQUIRE(tensor({10, -2}, DType::Int64).to_string() == "tensor([10, -2], dtype=int64)");
}

TEST_CASE("autograd state is printed after the values", "[tensor][print]") {
  Tensor a = tensor({1.0f, 2.0f}).requires_grad_();
  REQUIRE(a.to_string() == "tensor([1., 2.], requires_grad=true)");
  REQUIRE((a + a).to_string() == "tensor([2., 4.], grad_fn=<add>)");
}

TEST_CASE("a tensor of more than 1000 elements is elided with ...", "[tensor][print]") {
  Tensor big = arange(0.0, 10000.0).reshape({100, 100});
  const std::string text = big.to_string();
  REQUIRE(text.find("...") != std::string::npos);
  SECTION("it shows three rows and columns at each end, as PyTorch does") {
    REQUIRE(text.rfind("tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 9.7000e+01,", 0) == 0);
    REQUIRE(text.find("\n        ...,\n") != std::string::npos);
    REQUIRE(text.find("9.9990e+03]])") != std::string::npos);
    REQUIRE(std::count(text.begin(), text.end(), '\n') == 6);
  }
  SECTION("a 1000-element tensor is not elided") {
    REQUIRE(zeros({1000}).to_string().find("...") == std::string::npos);
  }
}

TEST_CASE("NaN and infinities print as nan, inf and -inf", "[tensor][print]") {
  const float inf = std::numeric_limits<float>::infinity();
  REQUIRE(tensor({1.0f, std::nanf(""), inf, -inf}).to_string() == "tensor([1., nan, inf, -inf])");
  REQUIRE(tensor({1.5f, std::nanf("")}).to_string() == "tensor([1.5000,    nan])");
}

TEST_CASE("empty tensors print like PyTorch's", "[tensor][print]") {
  REQUIRE(zeros({0}).to_string() == "tensor([])");
  REQUIRE(zeros({0, 3}).to_string() == "tensor([], size=(0, 3))");
}

TEST_CASE("fmt::format and operator<< print the same text as to_string()", "[tensor][print]") {
  Tensor m = tensor({{1.5f, 2.0f}, {3.0f, 4.0f}});
  REQUIRE(fmt::format("{}", m) == m.to_string());
  std::ostringstream out;
  out << m;
  REQUIRE(out.str() == m.to_string());
}

TEST_CASE("print_options().precision changes the number of decimals", "[tensor][print]") {
  const int saved = print_options().precision;
  print_options().precision = 2;
  const std::string text = tensor({1.2345f}).to_string();
  print_options().precision = saved;
  REQUIRE(text == "tensor([1.23])");
}
