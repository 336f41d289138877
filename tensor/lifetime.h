/// @file lifetime.h
/// @brief `Lifetime` and `LifetimeWatch`: how an object that keeps a reference to another (a
/// scheduler to its optimiser, a Dropout layer to its generator) notices that the other is gone.
///
/// A C++ reference cannot tell whether its object still exists, so a scheduler that outlives its
/// optimiser would read freed memory. The referred-to object owns a `Lifetime`; the referring
/// one keeps a `LifetimeWatch` and checks it before each use, turning the dangling use into an
/// error that names both objects. The check is one atomic load, cheap enough for every build.
#pragma once

#include <memory>

namespace embedlab {

/// Reports whether the object owning a `Lifetime` still exists.
class LifetimeWatch {
 public:
  /// Makes a watch of nothing, which reports expired.
  LifetimeWatch() = default;
  /// Returns true once the watched object has been destroyed.
  bool expired() const { return alive_.expired(); }

 private:
  friend class Lifetime;
  explicit LifetimeWatch(std::weak_ptr<const char> alive) : alive_(std::move(alive)) {}
  std::weak_ptr<const char> alive_;
};

/// A marker an object owns, so that objects referring to it can tell when it is destroyed.
///
/// A copied or moved owner is a new object: its Lifetime is a fresh one, and watches of the
/// original keep following the original.
class Lifetime {
 public:
  /// Starts a lifetime.
  Lifetime() : alive_(std::make_shared<const char>('\0')) {}
  /// Starts a new lifetime: the copy of an owner is another object.
  Lifetime(const Lifetime&) : Lifetime() {}
  /// Keeps this lifetime: assigning to an owner does not make it another object.
  Lifetime& operator=(const Lifetime&) { return *this; }
  /// Ends the lifetime: every watch reports expired from now on.
  ~Lifetime() = default;
  /// Returns a watch that reports when this lifetime has ended.
  LifetimeWatch watch() const { return LifetimeWatch(alive_); }

 private:
  std::shared_ptr<const char> alive_;
};

}  // namespace embedlab
