// Text helpers for the C writer: literals and comments that compile the
// same on any C compiler, whatever bytes a trace line carries.
#include <fmt/format.h>

#include "emit_c_internal.h"

namespace conncheck::emitc {

std::string c_literal(std::string_view s, bool printf_format) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '?': out += "\\?"; break;  // never a trigraph, whatever follows
      case '%': out += printf_format ? "%%" : "%"; break;
      default:
        // Octal, not \x: a hex escape would swallow a following hex digit.
        if (c >= 0x20 && c < 0x7f)
          out += ch;
        else
          out += fmt::format("\\{:03o}", c);
    }
  }
  return out + "\"";
}

std::string c_bytes(const std::vector<std::uint8_t>& b) {
  if (b.empty()) return "{0}";
  std::string out = "{";
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i) out += i % 12 == 0 ? ",\n      " : ", ";
    out += fmt::format("0x{:02x}", b[i]);
  }
  return out + "}";
}

std::string c_comment(std::string_view s) {
  std::string out;
  for (const char ch : s) out += (ch == '\n' || ch == '\r') ? ' ' : ch;
  if (!out.empty() && out.back() == '\\') out += '|';  // a trailing '\' would continue the comment
  return out;
}

}  // namespace conncheck::emitc
