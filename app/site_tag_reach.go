package app

import (
	"net/netip"
	"net/url"
	"strings"

	"copylab/views"
)

// tagReach says whether visitors of a site (its domain as stored) can
// load its tag from copylab's public URL, which the tag's URL is built
// on and which defaults to the address copylab listens on: the zero
// value when they can, as far as the address tells. A loopback or
// private address (hostKind) reaches copylab only from this computer or
// its network, so a site on a public domain gets a tag its visitors'
// browsers never load. A site that is itself on such a host (localhost
// while a developer tests, a server on the office network) is visited
// from there, and is not warned. The site page's install card and the
// API's answer to a site saved warn of it (views.UnreachableTag); the tag
// is offered all the same, since testing on this computer is what such
// a setup is for.
func tagReach(publicURL, domain string) views.UnreachableTag {
	u, err := url.Parse(publicURL)
	if err != nil {
		return views.UnreachableTag{}
	}
	kind := hostKind(u.Host)
	if kind == hostPublic || hostKind(domain) != hostPublic {
		return views.UnreachableTag{}
	}
	return views.UnreachableTag{Origin: u.Scheme + "://" + u.Host, Private: kind == hostPrivate}
}

// The kinds of host hostKind tells apart.
const (
	hostPublic   = iota // any other: a name, or an address browsers elsewhere may reach
	hostLoopback        // this computer: localhost, *.localhost, 127.0.0.0/8, ::1, and 0.0.0.0 and ::
	hostPrivate         // a private network's: 10/8, 172.16/12, 192.168/16, fc00::/7, and link-local
)

// hostKind is which kind of host host (with or without a port) names.
// Only addresses and the names RFC 6761 keeps for loopback are judged:
// what another name resolves to is the visitor's resolver's business,
// not copylab's. The unspecified address (0.0.0.0, ::) counts as this
// computer: browsers that connect to it at all reach their own.
func hostKind(host string) int {
	if loopbackHost(host) { // session.go
		return hostLoopback
	}
	h := strings.TrimSuffix((&url.URL{Host: host}).Hostname(), ".")
	a, err := netip.ParseAddr(h)
	if err != nil {
		return hostPublic
	}
	a = a.Unmap().WithZone("")
	switch {
	case a.IsUnspecified():
		return hostLoopback
	case a.IsPrivate(), a.IsLinkLocalUnicast():
		return hostPrivate
	}
	return hostPublic
}
