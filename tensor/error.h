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

/// A course-assignment task is still a stub: the student has not written this function yet.
///
/// The student copy of the repository (see docs/assignments.md) replaces each solution region
/// with a `throw` of this error, so it fires in Release builds too, unlike `assert(false)`.
/// The message names the task, the function, the file and the chapter that explains it:
/// `task 3.2: implement embedding_backward in autograd/ops_embedding.cpp; see chapter 4`.
class NotImplementedError : public Error {
 public:
  /// Builds the message from the task id ("3.2"), the function, its file and its chapter.
  NotImplementedError(const std::string& task, const std::string& function, const std::string& file,
                      int chapter)
      : Error("task " + task + ": implement " + function + " in " + file + "; see chapter " +
              std::to_string(chapter)),
        task_(task) {}

  /// The task id, such as "3.2", so a caller can say which task to finish first.
  const std::string& task() const { return task_; }

 private:
  std::string task_;
};

}  // namespace embedlab
