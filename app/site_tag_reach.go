package app

import (
	"net/netip"
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"

	"copylab/views"
)

// tagReach says whether visitors of a site (its domain as stored) can
// load its tag from copylab's public URL, which the tag's URL is built
// on and which defaults to the address copylab listens on: the zero
// value when they can, as far as the addresses and names tell. The site
// page's install card and the API's answer to a site saved warn of it
// (views.UnreachableTag); the tag is offered all the same, since testing
// on this computer or network is what such a setup is for.
//
// A loopback address (hostKind) is, to every browser, its own computer:
// only a site on this computer too (localhost while a developer tests)
// is visited from where the tag loads, and any other is warned, be it on
// the office network or the internet. A private address reaches copylab
// from its network only, and an internal site's visitors are on that
// network: only a site on a public name or address (publicSite) is
// warned, not wiki.corp or 10.1.2.3.
func tagReach(publicURL, domain string) views.UnreachableTag {
	u, err := url.Parse(publicURL)
	if err != nil {
		return views.UnreachableTag{}
	}
	switch hostKind(u.Host) {
	case hostLoopback:
		if hostKind(domain) == hostLoopback {
			return views.UnreachableTag{}
		}
	case hostPrivate:
		if !publicSite(domain) {
			return views.UnreachableTag{}
		}
	default:
		return views.UnreachableTag{}
	}
	return views.UnreachableTag{Origin: u.Scheme + "://" + u.Host, Private: hostKind(u.Host) == hostPrivate}
}

// The kinds of host hostKind tells apart.
const (
	hostPublic   = iota // any other: a name, or an address browsers elsewhere may reach
	hostLoopback        // this computer: localhost, *.localhost, 127.0.0.0/8, ::1, and 0.0.0.0 and ::
	hostPrivate         // a private network's: 10/8, 172.16/12, 192.168/16, fc00::/7, 100.64/10, and link-local
)

// sharedSpace is 100.64.0.0/10, the shared address space of RFC 6598:
// carrier-grade NAT, and the addresses Tailscale gives a tailnet's
// machines. Like a private network's, only machines on that network
// reach them; netip's IsPrivate leaves them out.
var sharedSpace = netip.MustParsePrefix("100.64.0.0/10")

// hostKind is which kind of host host (with or without a port) names.
// Only addresses and the names RFC 6761 keeps for loopback are judged:
// what another name resolves to is the visitor's resolver's business,
// not copylab's. The unspecified address (0.0.0.0, ::) counts as this
// computer: browsers that connect to it at all reach their own.
func hostKind(host string) int {
	if loopbackHost(host) { // session.go
		return hostLoopback
	}
	a, ok := hostAddr(host)
	if !ok {
		return hostPublic
	}
	switch {
	case a.IsUnspecified():
		return hostLoopback
	case a.IsPrivate(), a.IsLinkLocalUnicast(), sharedSpace.Contains(a):
		return hostPrivate
	}
	return hostPublic
}

// hostAddr is host's IP address, without its port, brackets or zone,
// and IPv4 for an IPv4-mapped one; ok is false for a name.
func hostAddr(host string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(hostName(host))
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap().WithZone(""), true
}

// hostName is host without its port and brackets, in lower case and
// without the dot a fully qualified name may end with.
func hostName(host string) string {
	return strings.TrimSuffix(strings.ToLower((&url.URL{Host: host}).Hostname()), ".")
}

// publicSite tells whether a site's domain is one the internet's
// browsers visit: a public address, or a name registered under a
// suffix of ICANN's part of the Public Suffix List (shop.com, shop.co.uk,
// and shop.blogspot.com, whose blogspot.com is in the list's private
// part but under .com). A name under no such suffix (wiki.corp,
// intranet.local, app.internal, host.lan, the reserved .example and
// .test) is an internal network's, as is one under home.arpa, which
// ICANN's part lists but RFC 8375 keeps for home networks; so is a
// private or loopback address.
func publicSite(domain string) bool {
	if _, ok := hostAddr(domain); ok {
		return hostKind(domain) == hostPublic
	}
	if loopbackHost(domain) {
		return false
	}
	name := hostName(domain)
	suffix := icannSuffix(name)
	return suffix != "" && suffix != "home.arpa" && strings.HasSuffix(name, "."+suffix)
}

// icannSuffix is the longest suffix of name that ICANN's part of the
// Public Suffix List holds, "" when none does. publicsuffix answers the
// longest of either part, and for a name under no listed suffix its last
// label, as not ICANN's: a suffix from the private part (blogspot.com) is
// looked up again without its first label (com).
func icannSuffix(name string) string {
	for name != "" {
		s, icann := publicsuffix.PublicSuffix(name)
		if icann {
			return s
		}
		_, parent, ok := strings.Cut(s, ".")
		if !ok {
			return ""
		}
		name = parent
	}
	return ""
}
