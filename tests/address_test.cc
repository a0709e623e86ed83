// Address: builders lay out the bytes the kernel expects, the printer
// renders any Address strace-style (malformed ones included) from the bytes
// it owns only, and the compact and JSON forms round-trip.
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "exec/address_memory.h"
#include "program/address.h"

namespace conncheck {
namespace {

TEST(AddressPrint, Inet) {
  EXPECT_EQ(to_string(Address::inet("10.255.0.1", 80)),
            "{sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"10.255.0.1\")}");
  EXPECT_EQ(Address::inet("10.255.0.1", 80).addrlen, sizeof(sockaddr_in));
}

TEST(AddressPrint, Inet6WithFlowinfoAndScope) {
  EXPECT_EQ(to_string(Address::inet6("fe80::1", 443, 7, 3)),
            "{sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(7), "
            "inet_pton(AF_INET6, \"fe80::1\", &sin6_addr), sin6_scope_id=3}");
  EXPECT_EQ(to_string(Address::inet6_v4mapped("127.0.0.1", 1)),
            "{sa_family=AF_INET6, sin6_port=htons(1), sin6_flowinfo=htonl(0), "
            "inet_pton(AF_INET6, \"::ffff:127.0.0.1\", &sin6_addr), sin6_scope_id=0}");
}

TEST(AddressPrint, Inet6Rfc2133LengthHasNoScopeField) {
  EXPECT_EQ(to_string(Address::inet6("::1", 1).with_addrlen(24)),
            "{sa_family=AF_INET6, sin6_port=htons(1), sin6_flowinfo=htonl(0), "
            "inet_pton(AF_INET6, \"::1\", &sin6_addr)}");
}

TEST(AddressPrint, UnixForms) {
  EXPECT_EQ(to_string(Address::unix_path("/tmp/s")), "{sa_family=AF_UNIX, sun_path=\"/tmp/s\"}");
  EXPECT_EQ(to_string(Address::unix_abstract("a\x01z")),
            "{sa_family=AF_UNIX, sun_path=@\"a\\x01z\"}");
  EXPECT_EQ(to_string(Address::unix_unnamed()), "{sa_family=AF_UNIX}");
  const Address u = Address::unix_unterminated();
  EXPECT_EQ(u.addrlen, sizeof(sockaddr_un));
  EXPECT_NE(to_string(u).find("/* not NUL-terminated */"), std::string::npos) << to_string(u);
  const Address o = Address::unix_overlong(200);
  EXPECT_NE(to_string(o).find("201-byte sun_path, longer than 108"), std::string::npos)
      << to_string(o);
}

TEST(AddressPrint, ShortAddrlenShowsOnlyWhatTheKernelReads) {
  EXPECT_EQ(to_string(Address::inet("127.0.0.1", 80).with_addrlen(4)),
            "{sa_family=AF_INET, sa_data=\"\\x00P\"}");
  EXPECT_EQ(to_string(Address::inet("127.0.0.1", 80).with_addrlen(1)),
            "{sa_data=\"\\x02\" /* shorter than sa_family */}");
  EXPECT_EQ(to_string(Address::inet("127.0.0.1", 80).with_addrlen(0)),
            "{sa_data=\"\" /* shorter than sa_family */}");
}

TEST(AddressPrint, AddrlenLongerThanBytesIsSaid) {
  const Address a = Address::raw(AF_INET, {0, 80}).with_addrlen(16);
  EXPECT_EQ(to_string(a),
            "{sa_family=AF_INET, sa_data=\"\\x00P\"} /* addrlen 16 > 4 bytes owned, then zeros */");
  EXPECT_EQ(to_string(a.at(Placement::kGuardEnd)),
            "{sa_family=AF_INET, sa_data=\"\\x00P\"} /* addrlen 16 > 4 bytes owned, then the guard "
            "page */");
  EXPECT_EQ(
      to_string(Address::inet("127.0.0.1", 1).with_addrlen(0xffffffffu))
          .find("addrlen 4294967295 > 16"),
      std::string("{sa_family=AF_INET, sin_port=htons(1), sin_addr=inet_addr(\"127.0.0.1\")} /* ")
          .size());
}

TEST(AddressPrint, UnknownFamilyAndUnspec) {
  EXPECT_EQ(to_string(Address::raw(0x2a, {1, 2})),
            "{sa_family=0x2a /* AF_??? */, sa_data=\"\\x01\\x02\"}");
  EXPECT_EQ(to_string(Address::unspec(2)), "{sa_family=AF_UNSPEC, sa_data=\"\"}");
  EXPECT_EQ(Address::unspec().addrlen, sizeof(sockaddr));
}

TEST(AddressPrint, Placements) {
  EXPECT_EQ(to_string(Address::inet("127.0.0.1", 1).at(Placement::kNull)), "NULL");
  EXPECT_EQ(to_string(Address::inet("127.0.0.1", 1).at(Placement::kUnmapped)),
            "UNMAPPED /* 16 bytes not placed */");
  EXPECT_NE(to_string(Address::inet("127.0.0.1", 1).at(Placement::kGuardEnd))
                .find("ends at a guard page"),
            std::string::npos);
}

// Every prefix of every builder's bytes, with every addrlen up to past the
// end: the printer must cope (the fuzz build runs this under ASan, which
// would report any read past the owned bytes).
TEST(AddressPrint, EveryTruncationPrints) {
  for (const Address& full :
       {Address::inet("1.2.3.4", 5), Address::inet6("::1", 5, 1, 2), Address::unix_path("/x/y"),
        Address::unix_abstract("n"), Address::unix_overlong(150), Address::unspec()}) {
    for (std::size_t n = 0; n <= full.bytes.size(); ++n) {
      Address a = full;
      a.bytes.resize(n);
      a.bytes.shrink_to_fit();
      for (socklen_t len : {socklen_t{0}, socklen_t(n), socklen_t(n + 1), socklen_t{128}}) {
        a.addrlen = len;
        EXPECT_FALSE(to_string(a).empty());
      }
    }
  }
}

TEST(AddressSpec, RoundTripsWellFormedAddresses) {
  for (const char* spec :
       {"10.0.0.1:80", "[::1]:8080", "[fe80::1%3]:1", "unix:/tmp/sock", "abstract:name", "unnamed",
        "unspec", "raw:42:0102ff", "raw:netlink:00", "[::ffff:127.0.0.1]:9"}) {
    Address a;
    std::string err;
    ASSERT_TRUE(parse_spec(spec, &a, &err)) << spec << ": " << err;
    EXPECT_EQ(to_spec(a), spec);
  }
}

TEST(AddressSpec, MalformedBytesBecomeRawAndRoundTrip) {
  Address a = Address::inet("1.2.3.4", 5);
  a.bytes.resize(7);
  a.addrlen = 7;
  const std::string spec = to_spec(a);
  EXPECT_EQ(spec, "raw:inet:0005010203");
  Address back;
  std::string err;
  ASSERT_TRUE(parse_spec(spec, &back, &err)) << err;
  EXPECT_EQ(back, a);
}

TEST(AddressSpec, BadSpecsSayWhatIsWrong) {
  Address a;
  std::string err;
  EXPECT_FALSE(parse_spec("1.2.3.4", &a, &err));
  EXPECT_NE(err.find("expected ip:port"), std::string::npos) << err;
  EXPECT_FALSE(parse_spec("[::1]:99999", &a, &err));
  EXPECT_FALSE(parse_spec("300.1.1.1:1", &a, &err));
  EXPECT_NE(err.find("not an IPv4 address"), std::string::npos) << err;
  EXPECT_FALSE(parse_spec("raw:inet:abc", &a, &err));
  EXPECT_FALSE(parse_spec("", &a, &err));
}

TEST(AddressJson, RoundTripsBytesLengthAndPlacement) {
  for (const Address& a :
       {Address::inet("127.0.0.1", 1).with_addrlen(3).at(Placement::kGuardEnd),
        Address::unix_overlong(300), Address::raw(255, {}).at(Placement::kUnmapped)}) {
    const nlohmann::json j = a;
    EXPECT_EQ(j.get<Address>(), a) << j.dump();
  }
}

TEST(AddressJson, RejectsBadHex) {
  nlohmann::json j = Address::inet("127.0.0.1", 1);
  j["bytes"] = "0g";
  EXPECT_THROW(j.get<Address>(), std::exception);
}

TEST(AddressMemory, GuardEndPutsLastByteRightBeforeAProtNonePage) {
  const Address a = Address::inet("127.0.0.1", 1).at(Placement::kGuardEnd);
  AddressMemory m(a);
  const ArenaLayout l = arena_layout();
  EXPECT_EQ(reinterpret_cast<const std::uint8_t*>(m.ptr()) + a.bytes.size(), l.guard_page);
  // mincore succeeds on mapped pages (the guard is mapped, PROT_NONE) and
  // fails with ENOMEM on the hole.
  unsigned char vec;
  const long page = ::sysconf(_SC_PAGESIZE);
  EXPECT_EQ(::mincore(const_cast<void*>(l.guard_page), page, &vec), 0);
  EXPECT_EQ(::mincore(const_cast<void*>(l.hole), page, &vec), -1);
  EXPECT_EQ(errno, ENOMEM);
}

TEST(AddressMemory, NormalPadsWithZeros) {
  const Address a = Address::raw(AF_INET, {0xff}).with_addrlen(16);
  AddressMemory m(a);
  const auto* p = reinterpret_cast<const std::uint8_t*>(m.ptr());
  EXPECT_EQ(p[2], 0xff);
  for (int i = 3; i < 128; ++i) ASSERT_EQ(p[i], 0) << i;
  EXPECT_EQ(AddressMemory(a.at(Placement::kNull)).ptr(), nullptr);
}

}  // namespace
}  // namespace conncheck
