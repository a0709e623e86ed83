// OutOfLine<T>: an optional T kept on the heap, with value semantics.
//
// Why not std::optional: Outcome is built on every call, and an inline
// optional<PostState> makes it 112 bytes that the compiler zero-fills with
// `rep stos` each time (measured: ~10 ns of a ~145 ns EBADF connect, when
// the wrapper's budget is 3%). Post-state costs three syscalls when it is
// read at all, so one allocation then is noise; when it is not read (the
// benchmark and fuzzing hot path) nothing is allocated and the Outcome is a
// few words. Copies are deep, so Outcomes still compare and copy as values.
//
// Example usage:
//   OutOfLine<PostState> post;           // empty
//   post = read_post_state(fd);          // engaged
//   if (post) use(post->so_error);
#pragma once

#include <memory>
#include <utility>

namespace conncheck {

template <typename T>
class OutOfLine {
 public:
  OutOfLine() = default;
  OutOfLine(const T& v) : p_(std::make_unique<T>(v)) {}        // NOLINT: implicit, like optional
  OutOfLine(T&& v) : p_(std::make_unique<T>(std::move(v))) {}  // NOLINT
  OutOfLine(const OutOfLine& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  OutOfLine(OutOfLine&&) noexcept = default;
  OutOfLine& operator=(const OutOfLine& o) {
    if (this != &o) p_ = o.p_ ? std::make_unique<T>(*o.p_) : nullptr;
    return *this;
  }
  OutOfLine& operator=(OutOfLine&&) noexcept = default;
  OutOfLine& operator=(T v) {
    p_ = std::make_unique<T>(std::move(v));
    return *this;
  }

  bool has_value() const { return p_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  void reset() { p_.reset(); }

  T& operator*() { return *p_; }
  const T& operator*() const { return *p_; }
  T* operator->() { return p_.get(); }
  const T* operator->() const { return p_.get(); }

  // Like optional: both empty, or both engaged with equal values.
  friend bool operator==(const OutOfLine& a, const OutOfLine& b) {
    if (a.has_value() != b.has_value()) return false;
    return !a.has_value() || *a == *b;
  }

 private:
  std::unique_ptr<T> p_;
};

}  // namespace conncheck
