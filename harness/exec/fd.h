// FileDescriptor: the one owner of every fd the harness opens.
//
// Example usage:
//   conncheck::FileDescriptor s(::socket(AF_INET, SOCK_STREAM, 0));
//   if (!s.valid()) ...;
//   ::connect(s.get(), ...);          // closed when `s` goes out of scope
//
// Movable, not copyable (the gVisor test/util FileDescriptor shape).
#pragma once

#include <utility>

namespace conncheck {

class FileDescriptor {
 public:
  FileDescriptor() = default;
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  FileDescriptor(FileDescriptor&& o) noexcept : fd_(o.release()) {}
  FileDescriptor& operator=(FileDescriptor&& o) noexcept {
    if (this != &o) reset(o.release());
    return *this;
  }
  ~FileDescriptor() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  // Gives up ownership without closing.
  int release() { return std::exchange(fd_, -1); }
  // Closes the current fd (if any) and takes `fd`.
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

}  // namespace conncheck
