// Helpers for the reliability tests: a matcher for exception messages, a temporary directory,
// and raw file writing for corrupt-file cases.
//
// Why a matcher of our own: Catch2 2.13's `Catch::Matchers::Contains` matches strings, not
// exceptions, so `REQUIRE_THROWS_MATCHES(expr, ValueError, Contains("..."))` does not compile.
// `MessageHas({"end -3", "negative"})` is the same check on `e.what()`, for several parts at once.
#pragma once

#include <stdlib.h>

#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "io/io_test_utils.h"  // TempDir, read_file, write_file

namespace embedlab::test {

// AddressSanitizer's operator new aborts the program on an allocation it cannot satisfy
// instead of throwing std::bad_alloc, so cases that make an allocation fail run only in the
// other builds.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAllocationFailureAborts = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAllocationFailureAborts = true;
#else
inline constexpr bool kAllocationFailureAborts = false;
#endif
#else
inline constexpr bool kAllocationFailureAborts = false;
#endif

/// Matches an exception whose message contains every one of the given parts.
class MessageHas : public Catch::MatcherBase<std::exception> {
 public:
  /// Takes the parts the message must contain (the values and names it should mention).
  MessageHas(std::initializer_list<std::string> parts) : parts_(parts) {}
  /// Returns true when `e.what()` contains every part.
  bool match(const std::exception& e) const override {
    const std::string message = e.what();
    for (const std::string& part : parts_) {
      if (message.find(part) == std::string::npos) return false;
    }
    return true;
  }
  /// Describes the expectation for Catch's failure report.
  std::string describe() const override {
    std::string text = "has a message containing";
    for (const std::string& part : parts_)
      text += " \"" + part + "\"";
    return text;
  }

 private:
  std::vector<std::string> parts_;
};

}  // namespace embedlab::test
