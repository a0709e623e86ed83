// Private to the library: the few rtnetlink operations the sandbox needs,
// on top of libnl-route-3. Each throws EnvironmentError naming what it did.
#pragma once

#include <string>

struct nl_sock;

namespace conncheck::netlink {

class Socket {
 public:
  Socket();
  ~Socket();
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  nl_sock* get() const { return sock_; }

 private:
  nl_sock* sock_;
};

int ifindex(Socket& s, const std::string& name);
void link_up(Socket& s, const std::string& name);
void add_veth(Socket& s, const std::string& name, const std::string& peer);
// cidr "10.254.0.1/24"; broadcast may be empty. IPv6 addresses are added
// with IFA_F_NODAD so they are usable at once, not "tentative".
void add_address(Socket& s, const std::string& dev, const std::string& cidr,
                 const std::string& broadcast = "");
// type is RTN_UNREACHABLE, RTN_PROHIBIT or RTN_BLACKHOLE
void add_typed_route(Socket& s, int type, const std::string& cidr);

}  // namespace conncheck::netlink
