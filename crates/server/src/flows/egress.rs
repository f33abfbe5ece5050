//! Where a flow's HTTP steps may go. By default not to the server's own
//! networks (loopback, private, link-local, shared and unique-local
//! addresses): a flow author must not reach internal services through the
//! server (SSRF). The check runs on the URL's host, again on every address
//! the name resolves to when connecting (so a name that changes its answer
//! between the two gains nothing), and on each redirect.
//! `flow_http_internal = true` lifts it, for a flow that calls an intranet
//! service on purpose.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Whether an address belongs to the server's own networks rather than the
/// public internet.
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => internal_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => internal_v4(v4),
            None => internal_v6(v6),
        },
    }
}

fn internal_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || a == 0
        // 100.64.0.0/10: carrier-grade NAT, shared address space.
        || (a == 100 && (64..128).contains(&b))
        // 192.0.0.0/24: IETF protocol assignments.
        || (a == 192 && b == 0 && ip.octets()[2] == 0)
        // 198.18.0.0/15: benchmarking networks.
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240
}

fn internal_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_loopback()
        || ip.is_unspecified()
        // fc00::/7 unique local, fe80::/10 link local, fec0::/10 site local.
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || (first & 0xffc0) == 0xfec0
}

/// Why a URL may not be called, when its host is an internal address
/// written out (or `localhost`); names are checked when resolved.
pub fn refused_host(url: &reqwest::Url) -> Option<String> {
    let host = url.host_str()?;
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let lower = bare.to_ascii_lowercase();
    let internal = match bare.parse::<IpAddr>() {
        Ok(ip) => is_internal(ip),
        Err(_) => lower == "localhost" || lower.ends_with(".localhost"),
    };
    internal.then(|| format!("o endereço {bare} é da rede interna do servidor"))
}

/// The system resolver, keeping public addresses only.
struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| !is_internal(a.ip()))
                .collect();
            if found.is_empty() {
                return Err(format!("{host} só tem endereços da rede interna do servidor").into());
            }
            let addrs: Addrs = Box::new(found.into_iter());
            Ok(addrs)
        })
    }
}

/// The HTTP client of flows' `http` steps.
pub fn client(allow_internal: bool) -> reqwest::Client {
    let mut b =
        reqwest::Client::builder().user_agent(concat!("atende/", env!("CARGO_PKG_VERSION")));
    b = if allow_internal {
        b.redirect(reqwest::redirect::Policy::limited(3))
    } else {
        b.dns_resolver(PublicOnly)
            .redirect(reqwest::redirect::Policy::custom(|attempt| {
                if attempt.previous().len() >= 3 {
                    attempt.error("redirecionamentos demais")
                } else if let Some(why) = refused_host(attempt.url()) {
                    attempt.error(why)
                } else {
                    attempt.follow()
                }
            }))
    };
    b.build().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_servers_own_networks_are_internal() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.0.10",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(is_internal(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "8.8.8.8",
            "200.147.67.142",
            "100.128.0.1",
            "2001:4860:4860::8888",
        ] {
            assert!(!is_internal(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn internal_hosts_written_out_are_refused_by_name() {
        let refused = |u: &str| refused_host(&reqwest::Url::parse(u).unwrap());
        assert!(refused("http://127.0.0.1:8080/x").is_some());
        assert!(refused("http://[::1]/x").is_some());
        assert!(refused("http://LOCALHOST/x").is_some());
        assert!(refused("http://api.localhost/x").is_some());
        assert_eq!(
            refused("http://169.254.169.254/latest/meta-data").as_deref(),
            Some("o endereço 169.254.169.254 é da rede interna do servidor")
        );
        assert!(refused("https://api.example.com/pedidos").is_none());
        assert!(refused("http://8.8.8.8/").is_none());
    }

    #[tokio::test]
    async fn a_name_with_internal_addresses_only_does_not_resolve() {
        // `localhost` resolves from the hosts file: no network needed.
        let name: Name = "localhost".parse().unwrap();
        let err = match PublicOnly.resolve(name).await {
            Ok(addrs) => panic!("resolved to {:?}", addrs.collect::<Vec<_>>()),
            Err(e) => e.to_string(),
        };
        assert_eq!(
            err,
            "localhost só tem endereços da rede interna do servidor"
        );
    }
}
