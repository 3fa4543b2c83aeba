//! Which IP addresses we never connect to on anyone's behalf (SSRF): the rule both the webhook
//! URL validation and the outbound guard apply.
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// true for addresses we never connect to.
///
/// Everything that is not globally routable unicast, plus the IPv6 transition ranges (NAT64,
/// 6to4, Teredo, IPv4-compatible) because they embed an IPv4 address that may be private and
/// a gateway on the path would translate to it.
pub fn is_forbidden_ip(ip: IpAddr) -> bool {
    match ip.to_canonical() {
        IpAddr::V4(v4) => is_forbidden_v4(v4),
        IpAddr::V6(v6) => is_forbidden_v6(v6),
    }
}

fn is_forbidden_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local() // includes the metadata service 169.254.169.254
        || ip.is_multicast()
        || a == 0 // "this network", includes 0.0.0.0
        || a >= 240 // reserved, includes 255.255.255.255
        || (a == 100 && (64..128).contains(&b)) // carrier-grade NAT
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2) // documentation
        || (a == 198 && b == 51 && c == 100) // documentation
        || (a == 203 && b == 0 && c == 113) // documentation
        || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast (deprecated)
}

fn is_forbidden_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    let aws_metadata = Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254);
    ip == aws_metadata
        || ip.is_multicast()
        // ::/96: ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
        || s[..6] == [0; 6]
        // ::ffff:0:a.b.c.d, IPv4-translated (SIIT); ::ffff:a.b.c.d was canonicalised already
        || s[..6] == [0, 0, 0, 0, 0xffff, 0]
        || (s[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
        || (s[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
        || (s[0] & 0xffc0) == 0xfec0 // site-local fec0::/10 (deprecated)
        || s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] // NAT64 64:ff9b::/96
        || s[..3] == [0x64, 0xff9b, 1] // local-use NAT64 64:ff9b:1::/48
        || s[0] == 0x2002 // 6to4
        || s[..2] == [0x2001, 0] // Teredo 2001::/32
        || s[..3] == [0x2001, 2, 0] // benchmarking 2001:2::/48
        || s[..2] == [0x2001, 0xdb8] // documentation
        || s[..4] == [0x100, 0, 0, 0] // discard-only 100::/64
}
