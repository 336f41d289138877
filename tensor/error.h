/// @file error.h
/// @brief The exceptions embedlab throws: one base class, one subclass per kind of mistake.
///
/// Every message names the operation and the values involved, for example
/// `embedding: id 12 at position 3 out of range [0, 10)`. Catch `embedlab::Error` to catch them
/// all; each also is a `std::runtime_error`, so `e.what()` gives the message.
#pragma once

#include <stdexcept>
#include <string>

namespace embedlab {

/// The base of every exception embedlab throws on bad input.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A tensor has the wrong shape or rank for the operation (both shapes are in the message).
class ShapeError : public Error {
 public:
  using Error::Error;
};

/// An id or index lies outside its valid range (the message gives position, value and range).
class IndexError : public Error {
 public:
  using Error::Error;
};

/// A tensor has the wrong dtype, such as float values where integer ids are needed.
class TypeError : public Error {
 public:
  using Error::Error;
};

/// An argument has a bad value: a negative size, a NaN learning rate, an empty corpus.
class ValueError : public Error {
 public:
  using Error::Error;
};

/// A file or text is malformed, truncated or corrupt (the message says where).
class FormatError : public Error {
 public:
  using Error::Error;
};

/// A file cannot be opened, read or written.
class IOError : public Error {
 public:
  using Error::Error;
};

/// The autograd graph cannot do what was asked, such as backward() through a freed graph.
class AutogradError : public Error {
 public:
  using Error::Error;
};

}  // namespace embedlab
