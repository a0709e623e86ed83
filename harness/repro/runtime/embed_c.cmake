# cmake -DIN=runtime/x.c -DOUT=.../x_c.h -P embed_c.cmake
#
# Turns one runtime C file into a C++ header that holds its embedded sections
# byte for byte, for emit_c.cc. A line `// @embed: NAME` starts section NAME
# (up to the next such line or the end of the file); what comes before the
# first one (the comment, the #includes that let the file compile on its own)
# is not embedded. For runtime/sandbox_world.c the header is
#
#   namespace conncheck::emitc::embedded {
#   inline constexpr std::string_view sandbox_world_c_includes = R"...";
#   inline constexpr std::string_view sandbox_world_c_text = R"...";
#   }
#
# Sections a file does not have are empty, so every file has both names.
cmake_minimum_required(VERSION 3.25)
if(NOT DEFINED IN OR NOT DEFINED OUT)
  message(FATAL_ERROR "usage: cmake -DIN=file.c -DOUT=file.h -P embed_c.cmake")
endif()

get_filename_component(name "${IN}" NAME)
string(MAKE_C_IDENTIFIER "${name}" ident)  # sandbox_world.c -> sandbox_world_c
file(READ "${IN}" content)

# A raw string literal cannot hold its own closing delimiter.
set(delim "conncheck_c")
string(FIND "${content}" ")${delim}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN} contains the raw-string delimiter )${delim}\"")
endif()

set(marker "\n// @embed: ")
set(rest "\n${content}")  # so a marker on the first line is found too
set(section "")           # "" = the part that is not embedded
set(sec_includes "")
set(sec_text "")
set(seen "")
while(TRUE)
  string(FIND "${rest}" "${marker}" at)
  if(at EQUAL -1)
    set(body "${rest}")
  else()
    math(EXPR keep "${at} + 1")  # the newline that ends the section's last line
    string(SUBSTRING "${rest}" 0 ${keep} body)
  endif()
  if(NOT section STREQUAL "")
    set(sec_${section} "${body}")
  endif()
  if(at EQUAL -1)
    break()
  endif()
  string(LENGTH "${marker}" mlen)
  math(EXPR from "${at} + ${mlen}")
  string(SUBSTRING "${rest}" ${from} -1 rest)
  string(FIND "${rest}" "\n" eol)
  if(eol EQUAL -1)
    message(FATAL_ERROR "${IN}: nothing after the marker line `// @embed: ${rest}`")
  endif()
  string(SUBSTRING "${rest}" 0 ${eol} section)
  string(STRIP "${section}" section)
  if(NOT section MATCHES "^(includes|text)$")
    message(FATAL_ERROR "${IN}: unknown section `// @embed: ${section}` (includes or text)")
  endif()
  if(section IN_LIST seen)
    message(FATAL_ERROR "${IN}: section ${section} appears twice")
  endif()
  list(APPEND seen "${section}")
  math(EXPR eol "${eol} + 1")
  string(SUBSTRING "${rest}" ${eol} -1 rest)
endwhile()
if(NOT "text" IN_LIST seen)
  message(FATAL_ERROR "${IN}: no `// @embed: text` line")
endif()

set(out "// Generated from ${IN} by embed_c.cmake: do not edit.\n")
string(APPEND out "#pragma once\n\n#include <string_view>\n\n")
string(APPEND out "namespace conncheck::emitc::embedded {\n")
string(APPEND out "inline constexpr std::string_view ${ident}_includes = R\"${delim}(${sec_includes})${delim}\";\n")
string(APPEND out "inline constexpr std::string_view ${ident}_text = R\"${delim}(${sec_text})${delim}\";\n")
string(APPEND out "}  // namespace conncheck::emitc::embedded\n")

# Rewritten only when it changes, so a comment edit above the markers does
# not rebuild the emitter.
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
  if(old STREQUAL out)
    return()
  endif()
endif()
file(WRITE "${OUT}" "${out}")
