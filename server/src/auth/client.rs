//! Who the client is, by address: the socket peer — or, when the peer is one of the reverse
//! proxies the operator named (`--trusted-proxy`), the address that proxy says it forwarded
//! for. Throttling keys on it, so it must not be a header anyone can write.
//!
//! `X-Forwarded-For` lists addresses left to right as proxies appended them; only the right
//! end is written by proxies we trust. Walking from the right, every trusted proxy is skipped
//! and the first address that is not one is the client. An unreadable entry ends the walk at
//! the last trusted hop (nothing left of a forged entry is believed).

use std::net::IpAddr;

use ipnet::IpNet;

/// A proxy address or network as an operator writes it: `10.0.0.5`, `10.0.0.0/8`, `fd00::/8`.
pub fn parse_proxy(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("not an IP address or network: {text:?}"))
}

/// The client's address for a request from `peer` carrying these `X-Forwarded-For` values.
pub fn client_ip<'a>(
    peer: IpAddr,
    forwarded_for: impl IntoIterator<Item = &'a str>,
    trusted: &[IpNet],
) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<&str> = forwarded_for
        .into_iter()
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.into_iter().rev() {
        let Ok(ip) = hop.parse::<IpAddr>() else {
            break;
        };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_header_is_believed_only_from_a_trusted_proxy() {
        let proxies = [
            parse_proxy("10.0.0.0/8").unwrap(),
            parse_proxy("192.0.2.1").unwrap(),
        ];
        // Served directly: whatever the header says, the peer is the client.
        assert_eq!(
            client_ip(ip("203.0.113.9"), ["198.51.100.1"], &proxies),
            ip("203.0.113.9")
        );
        // Behind the proxy: the address it appended.
        assert_eq!(
            client_ip(ip("10.0.0.5"), ["198.51.100.7"], &proxies),
            ip("198.51.100.7")
        );
        // A client writing its own header: only the right end, written by the proxy, counts.
        assert_eq!(
            client_ip(ip("10.0.0.5"), ["1.2.3.4, 198.51.100.7"], &proxies),
            ip("198.51.100.7")
        );
        // Two proxies in a row (both trusted), headers split over two lines.
        assert_eq!(
            client_ip(
                ip("192.0.2.1"),
                ["6.6.6.6, 198.51.100.8", "10.0.0.5"],
                &proxies
            ),
            ip("198.51.100.8")
        );
        // No header, or one that cannot be read: the last trusted hop.
        assert_eq!(client_ip(ip("10.0.0.5"), [], &proxies), ip("10.0.0.5"));
        assert_eq!(
            client_ip(ip("10.0.0.5"), ["nonsense"], &proxies),
            ip("10.0.0.5")
        );
        assert_eq!(
            client_ip(ip("10.0.0.5"), ["198.51.100.7, unknown"], &proxies),
            ip("10.0.0.5")
        );
        // Nothing configured: the peer.
        assert_eq!(
            client_ip(ip("10.0.0.5"), ["198.51.100.7"], &[]),
            ip("10.0.0.5")
        );
        assert!(parse_proxy("10.0.0.0/33").is_err() && parse_proxy("proxy").is_err());
        assert_eq!(parse_proxy(" fd00::/8 ").unwrap().to_string(), "fd00::/8");
    }
}
