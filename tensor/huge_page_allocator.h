/// @file huge_page_allocator.h
/// @brief `HugePageAllocator`: the allocator of float tensor storage, which asks Linux to back
/// blocks of 2 MB and more with 2 MB pages.
///
/// Why: a lookup in a large embedding table reads rows at random addresses, and with 4 KB pages
/// almost every row also needs a page-table walk (a 512 MB table spans 131,072 pages, far more
/// than the TLB holds). With 2 MB pages the same table is 256 pages. Linux gives them only where
/// asked ("transparent huge pages" in `madvise` mode, the default of many distributions), so
/// blocks of at least kHugePageBytes are aligned to 2 MB, rounded up to whole 2 MB pages and
/// marked with madvise(MADV_HUGEPAGE) before the vector writes its first element.
/// Smaller blocks go to the ordinary `operator new`. The storage stays a `std::vector` that gdb
/// prints as before. Left out: explicit hugetlbfs pages, other systems (there the
/// allocator only aligns).
#pragma once

#include <cstddef>
#include <new>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace embedlab {

/// Blocks of at least this many bytes get 2 MB alignment and the huge-page hint.
inline constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;

/// A `std::allocator` that asks for 2 MB pages for blocks of 2 MB and more (see the file
/// comment); all instances are interchangeable.
template <typename T>
struct HugePageAllocator {
  using value_type = T;  ///< the element type

  /// Makes an allocator (it holds no state).
  HugePageAllocator() noexcept = default;
  /// Converts from the allocator of another element type (used by containers).
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>& /*other*/) noexcept {}

  /// Returns uninitialised room for `n` elements.
  /// @throws std::bad_array_new_length when n * sizeof(T) overflows; std::bad_alloc when the
  ///         memory is not there.
  T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T) - kHugePageBytes) {
      throw std::bad_array_new_length();
    }
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kHugePageBytes) return static_cast<T*>(::operator new(bytes));
    const std::size_t rounded = (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
    void* block = ::operator new (rounded, std::align_val_t{kHugePageBytes});
#if defined(__linux__)
    // Only a hint: where huge pages are off (or the call fails) the block keeps 4 KB pages.
    madvise(block, rounded, MADV_HUGEPAGE);
#endif
    return static_cast<T*>(block);
  }

  /// Gives back a block that `allocate(n)` returned.
  void deallocate(T* block, std::size_t n) noexcept {
    if (n * sizeof(T) < kHugePageBytes) {
      ::operator delete(block);
    } else {
      ::operator delete (block, std::align_val_t{kHugePageBytes});
    }
  }

  /// Returns true: any instance frees what another allocated.
  template <typename U>
  bool operator==(const HugePageAllocator<U>& /*other*/) const noexcept {
    return true;
  }
};

/// The float storage of a tensor: a `std::vector` whose large blocks sit on 2 MB pages.
using FloatBuffer = std::vector<float, HugePageAllocator<float>>;

}  // namespace embedlab
