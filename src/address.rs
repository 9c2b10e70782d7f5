//! What kind of network an IP address belongs to: the one home of "private
//! address" (the Atlas private-route diagnosis and the checklist's
//! network-exposure item both ask here). An IPv4-mapped IPv6 address
//! (`::ffff:10.0.0.5`) is judged as the IPv4 address it carries.

use std::net::IpAddr;

/// The address itself, an IPv4-mapped IPv6 address as its IPv4 address.
pub fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

/// Reachable only from inside a private network: RFC 1918, the carrier-grade
/// NAT range 100.64.0.0/10 (used by some peering setups), and IPv6 unique-local
/// addresses (fc00::/7). A client outside that network cannot reach them.
pub fn is_private(ip: IpAddr) -> bool {
    match canonical(ip) {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_private() || (a == 100 && (64..128).contains(&b))
        }
        IpAddr::V6(v6) => (v6.segments()[0] & 0xfe00) == 0xfc00,
    }
}

/// This machine or its link only: loopback and link-local addresses.
pub fn is_local(ip: IpAddr) -> bool {
    match canonical(ip) {
        IpAddr::V4(v4) => v4.is_loopback() || v4.is_link_local(),
        IpAddr::V6(v6) => v6.is_loopback() || (v6.segments()[0] & 0xffc0) == 0xfe80,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 19 item 4: two homes of "private address", one of which called
    /// `::ffff:10.0.0.5` public.
    #[test]
    fn r19_private_and_local_addresses() {
        let table = [
            ("10.0.0.5", true, false),
            ("172.16.3.4", true, false),
            ("192.168.1.1", true, false),
            ("100.64.0.1", true, false),
            ("100.127.255.254", true, false),
            ("100.128.0.1", false, false),
            ("fd12::1", true, false),
            ("::ffff:10.0.0.5", true, false),
            ("::ffff:192.168.1.1", true, false),
            ("127.0.0.1", false, true),
            ("::1", false, true),
            ("::ffff:127.0.0.1", false, true),
            ("169.254.1.1", false, true),
            ("fe80::1", false, true),
            ("203.0.113.7", false, false),
            ("2001:db8::1", false, false),
            ("::ffff:203.0.113.7", false, false),
        ];
        for (ip, private, local) in table {
            let ip: IpAddr = ip.parse().unwrap();
            assert_eq!((is_private(ip), is_local(ip)), (private, local), "{ip}");
        }
    }
}
