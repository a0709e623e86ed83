// The Spec cites the documents verbatim: every quote must be found in the
// file it names (whitespace runs collapsed, as man pages are justified),
// and every errno of each table must have its row.
#include <errno.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "program/outcome.h"
#include "spec/spec.h"

namespace conncheck {
namespace {

// docs/spec holds verbatim copies of ../shared/spec (so a clean clone is
// self-contained); CONNCHECK_SPEC_DIR points elsewhere, e.g. at the originals.
std::filesystem::path spec_dir() {
  if (const char* d = std::getenv("CONNCHECK_SPEC_DIR")) return d;
  return std::filesystem::path(__FILE__).parent_path().parent_path() / "docs" / "spec";
}

std::string squeeze(const std::string& s) {
  std::string out;
  for (char c : s) {
    const bool ws = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (ws && (out.empty() || out.back() == ' ')) continue;
    out += ws ? ' ' : c;
  }
  return out;
}

std::string read_squeezed(Source s) {
  std::ifstream f(spec_dir() / std::string(source_file(s)));
  std::stringstream ss;
  ss << f.rdbuf();
  return squeeze(ss.str());
}

void expect_cited(const Citation& c, std::string_view where) {
  if (c.quote.empty()) return;
  const std::string text = read_squeezed(c.source);
  ASSERT_FALSE(text.empty()) << "cannot read " << source_file(c.source) << " under " << spec_dir();
  EXPECT_NE(text.find(squeeze(std::string(c.quote))), std::string::npos)
      << where << ": quote not in " << source_file(c.source) << ": \"" << c.quote << "\"";
}

TEST(SpecQuotes, EveryCitationIsVerbatimInItsFile) {
  for (const DocumentedError& e : documented_errors())
    for (const Citation& c : e.cites) expect_cited(c, e.id);
  for (const Rule& r : rules())
    for (const Citation& c : r.cites) expect_cited(c, r.row);
}

TEST(SpecQuotes, AQuoteThatIsNotInTheFileIsCaught) {
  // The check above must be able to fail: a paraphrase is not found.
  const std::string text = read_squeezed(Source::kLinuxMan);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.find(squeeze("The socket is connected already.")), std::string::npos);
}

TEST(SpecTables, EveryLinuxErrnoHasALinuxRow) {
  for (int err :
       {EACCES, EPERM, EADDRINUSE, EAFNOSUPPORT, EAGAIN, EALREADY, EBADF, ECONNREFUSED, EFAULT,
        EINPROGRESS, EINTR, EISCONN, ENETUNREACH, ENOTSOCK, ETIMEDOUT, EADDRNOTAVAIL})
    EXPECT_NE(find_linux_documented(err), nullptr) << errno_name(err);
}

TEST(SpecTables, EveryFreeBsdErrnoHasAFreeBsdRow) {
  for (int err : {EBADF, ENOTSOCK, EADDRNOTAVAIL, EAFNOSUPPORT, EISCONN, ETIMEDOUT, ECONNREFUSED,
                  ENETUNREACH, EHOSTUNREACH, EADDRINUSE, EFAULT, EINPROGRESS, EALREADY, ENOTDIR,
                  ENAMETOOLONG, ENOENT, EACCES, ELOOP}) {
    bool found = false;
    for (const DocumentedError& e : documented_errors()) found |= e.err == err && e.in_freebsd();
    EXPECT_TRUE(found) << errno_name(err);
  }
}

TEST(SpecTables, EveryKnownOutcomeHasAReasonAndIsNotLinuxDocumentedWithTheSameMeaning) {
  for (const KnownOutcome& k : known_outcomes()) {
    EXPECT_FALSE(k.reason.empty()) << k.id;
    EXPECT_FALSE(k.condition.empty()) << k.id;
    EXPECT_NE(k.columns, 0) << k.id;
  }
  // The two disagreements the spec README names are recorded.
  EXPECT_NE(find_known(0, Column::kInetStream, Situation::kUnspecTcp), nullptr);
  EXPECT_NE(find_known(EADDRNOTAVAIL, Column::kInetStream, Situation::kPortsExhausted), nullptr);
}

}  // namespace
}  // namespace conncheck
