// Package netguard is how copylab connects to URLs that people configure
// (a model's base URL, a notification webhook): never to link-local or
// cloud metadata addresses, whatever DNS says, never following redirects,
// and always bounded in time.
//
// Whether loopback and private addresses may be reached depends on who
// set the URL, so it is a Guard's setting. A model on localhost or on the
// office network (Ollama, vLLM, LM Studio) is a first-class setup, and its
// base URL is set by whoever runs copylab: the package functions (Blocked,
// CheckHost, NewClient) allow them. A webhook is set by any member of
// copylab, and what answers at an address on copylab's own host or
// network must not become theirs to probe: the zero Guard refuses
// loopback, private, shared (CGNAT), unspecified and other special-purpose
// addresses too, and the host's own, unless whoever runs copylab allows
// them (AllowPrivate). What no one should
// reach through copylab is the host's cloud metadata service, which hands
// out credentials.
//
// A request goes through the proxy that HTTPS_PROXY or HTTP_PROXY names,
// unless NO_PROXY exempts its host (the rules of http.ProxyFromEnvironment:
// loopback hosts never go through a proxy). A direct request is judged when
// it is dialled, by the address actually connected to. A request for a
// proxy cannot be judged that way, since copylab dials only the proxy, so
// its target is judged before the proxy is asked: a metadata service's name
// is refused by name, an address as written, and any other name is looked
// up by copylab and refused if one of its addresses is blocked. A name
// copylab cannot resolve is left to the proxy: behind an egress proxy the
// host often has no DNS for outside names at all, and that is the setup a
// proxy is for. A name outside ASCII is refused (write it in its xn--
// form): net/http sends the proxy its punycode form, which copylab would
// have to look up instead. The proxy itself is the operator's, and is
// dialled even on a private address.
//
// What the proxy is still trusted with: it looks the name up again, and a
// name can answer differently the second time (DNS rebinding, a proxy that
// sees other DNS than copylab does, or a name only the proxy can resolve),
// so a proxy that may reach a metadata service, or the internal network,
// must refuse those destinations itself, as egress proxies usually do.
// copylab never asks a proxy for one knowingly.
package netguard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"
)

// DialTimeout bounds connecting and the TLS handshake.
const DialTimeout = 10 * time.Second

// metadataHosts are the names cloud providers give their instance
// metadata services. They resolve to link-local addresses, which the
// dialer refuses anyway; refusing the names too gives a clear error when
// the URL is saved, before any lookup.
var metadataHosts = map[string]bool{
	"metadata.google.internal":   true,
	"metadata.goog":              true,
	"metadata":                   true,
	"instance-data":              true,
	"instance-data.ec2.internal": true,
}

var (
	awsMetadataV6     = netip.MustParseAddr("fd00:ec2::254")
	alibabaMetadataV4 = netip.MustParseAddr("100.100.100.200")
	// Azure's WireServer, which hands a VM's guest agent its configuration
	// (and, with the right headers, its extension settings): a public
	// address that Azure routes to the host.
	azureWireServerV4 = netip.MustParseAddr("168.63.129.16")
	// Google Cloud's and Oracle Cloud's metadata services over IPv6: unique
	// local addresses, which the guard otherwise lets through (a model
	// server on the LAN may have one).
	gcpMetadataV6    = netip.MustParseAddr("fd20:ce::254")
	oracleMetadataV6 = netip.MustParseAddr("fd00:c1::a9fe:a9fe")

	// IPv6 ranges whose addresses carry an IPv4 address, which a NAT64
	// gateway, a 6to4 or Teredo relay, or the kernel itself may turn back
	// into a connection to that IPv4 address. IPv4-mapped addresses
	// (::ffff:0:0/96) are unwrapped by netip's Unmap.
	v4Compatible = netip.MustParsePrefix("::/96")           // RFC 4291, deprecated but still parsed
	v4Translated = netip.MustParsePrefix("::ffff:0:0:0/96") // RFC 2765 (SIIT): ::ffff:0:a.b.c.d
	nat64        = netip.MustParsePrefix("64:ff9b::/96")    // RFC 6052 well-known prefix
	nat64Local   = netip.MustParsePrefix("64:ff9b:1::/48")  // RFC 8215, prefix length up to the operator
	sixToFour    = netip.MustParsePrefix("2002::/16")       // RFC 3056
	teredo       = netip.MustParsePrefix("2001::/32")       // RFC 4380
)

// localRanges are the ranges a Guard refuses unless AllowPrivate, besides
// loopback, private (RFC 1918, and fc00::/7 unique local) and unspecified
// addresses, which netip knows: the IANA special-purpose ranges where no
// public web server can be, so that a webhook there can only reach
// something on copylab's own host or network (a documentation network
// may well be a real one's, as 192.0.2.0/24 is on some test machines).
// An IPv6 address that carries an IPv4 one (64:ff9b::192.0.2.1) is
// judged by it too (anyForm).
var localRanges = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // RFC 1122 "this network": Linux connects 0.x.x.x to this host
	netip.MustParsePrefix("100.64.0.0/10"),   // RFC 6598 shared address space (carrier-grade NAT): a provider's internal network
	netip.MustParsePrefix("192.0.0.0/24"),    // RFC 6890 IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // RFC 5737 TEST-NET-1
	netip.MustParsePrefix("198.18.0.0/15"),   // RFC 2544 benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // RFC 5737 TEST-NET-2
	netip.MustParsePrefix("203.0.113.0/24"),  // RFC 5737 TEST-NET-3
	netip.MustParsePrefix("240.0.0.0/4"),     // RFC 1112 reserved, and 255.255.255.255, the limited broadcast
	netip.MustParsePrefix("100::/64"),        // RFC 6666 discard-only
	netip.MustParsePrefix("2001:db8::/32"),   // RFC 3849 documentation
	netip.MustParsePrefix("fec0::/10"),       // RFC 3879, deprecated site-local, still routed by some
}

// BlockedError is a refused host or address.
type BlockedError struct {
	Host string
	// Private: refused as an address on copylab's own host or network
	// (loopback, private, shared, unspecified, special-purpose, or one of
	// the host's own), which a Guard without AllowPrivate refuses; else a link-local or metadata address, which
	// every guard refuses.
	Private bool
}

func (e *BlockedError) Error() string {
	if e.Private {
		return "refusing to connect to " + e.Host + ": loopback, private or unspecified address (or another of this host's, or a special-purpose one)"
	}
	return "refusing to connect to " + e.Host + ": link-local or cloud metadata address"
}

// Guard is what a client connects to (NewClient) and which hosts
// CheckHost refuses, beyond link-local and metadata addresses, which are
// always refused. The zero Guard is the strict one, for URLs that members
// of copylab set (a webhook): it also refuses loopback, private (RFC 1918,
// unique local fc00::/7), unspecified (0.0.0.0, ::) and special-purpose
// (localRanges: shared 100.64.0.0/10, documentation, benchmarking,
// reserved) addresses, the host's own (its interfaces'), each in any IPv6
// form that carries one (::ffff:127.0.0.1), and the name localhost. AllowPrivate lets those through: for a chat server
// on the internal network, when whoever runs copylab says so.
type Guard struct {
	AllowPrivate bool
}

// local is the guard for URLs whoever runs copylab sets: local servers
// allowed.
var local = Guard{AllowPrivate: true}

// Local says whether ip is on this host or a private network, or where no
// public server can be, by its range: loopback, private, unspecified or
// in localRanges, or an IPv6 address that carries one of these
// (IPv4-mapped, NAT64, 6to4, Teredo). A NAT64 gateway turns
// 64:ff9b::10.0.0.1 into a connection to 10.0.0.1, on the gateway's own
// network. The host's other addresses are not in it: a Guard reads them
// from its interfaces (hostAddrs).
func Local(ip netip.Addr) bool { return anyForm(ip, localAddr) }

func localAddr(ip netip.Addr) bool {
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() {
		return true
	}
	for _, r := range localRanges {
		if r.Contains(ip) {
			return true
		}
	}
	return false
}

// refusal is why g refuses ip, or nil: a *BlockedError, or, when g must
// know whether ip is one of this host's addresses and cannot read them,
// an error that refuses it all the same.
func (g Guard) refusal(ip netip.Addr, host string) error {
	switch {
	case Blocked(ip):
		return &BlockedError{Host: host}
	case g.AllowPrivate:
		return nil
	case Local(ip):
		return &BlockedError{Host: host, Private: true}
	}
	own, err := hostAddrs.has(ip)
	if err != nil {
		return fmt.Errorf("refusing to connect to %s: %w", host, err)
	}
	if own {
		return &BlockedError{Host: host, Private: true}
	}
	return nil
}

// hostAddrs are this host's own addresses. A webhook at the host's
// network address (its eth0's) reaches copylab's own computer as one on
// 127.0.0.1 does, and no range says which addresses those are: they are
// the interfaces'. A Guard without AllowPrivate refuses them.
var hostAddrs = &interfaceAddrs{read: net.InterfaceAddrs}

// hostAddrsFor is how long hostAddrs keeps what it read: an interface may
// get a new address (DHCP, a VPN coming up), and a dial is rare enough
// that reading them every few seconds costs nothing.
const hostAddrsFor = 5 * time.Second

// interfaceAddrs caches the addresses read finds for hostAddrsFor.
type interfaceAddrs struct {
	read func() ([]net.Addr, error)

	mu  sync.Mutex
	at  time.Time
	set map[netip.Addr]bool
}

// has says whether ip, or an IPv4 address it carries (anyForm), is one of
// the addresses. When they cannot be read it returns an error, and the
// guard refuses: one that let every address through then would be none.
func (o *interfaceAddrs) has(ip netip.Addr) (bool, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.set == nil || time.Since(o.at) > hostAddrsFor {
		addrs, err := o.read()
		if err != nil {
			return false, fmt.Errorf("cannot read this host's addresses: %w", err)
		}
		set := make(map[netip.Addr]bool, len(addrs))
		for _, a := range addrs {
			var raw net.IP
			switch a := a.(type) {
			case *net.IPNet:
				raw = a.IP
			case *net.IPAddr:
				raw = a.IP
			}
			if ip, ok := netip.AddrFromSlice(raw); ok {
				set[ip.Unmap()] = true
			}
		}
		o.set, o.at = set, time.Now()
	}
	return anyForm(ip, func(a netip.Addr) bool { return o.set[a] }), nil
}

// Blocked says whether g refuses to connect to ip: always Blocked's
// addresses, and Local ones unless AllowPrivate.
func (g Guard) Blocked(ip netip.Addr) bool {
	return g.refusal(ip, "") != nil
}

// localhostName says whether host is localhost or a name under it, which
// RFC 6761 reserves for loopback.
func localhostName(host string) bool {
	return host == "localhost" || strings.HasSuffix(host, ".localhost")
}

// Blocked says whether copylab must never connect to ip. Link-local covers
// 169.254.169.254, the metadata service of AWS, GCP and Azure; the others
// are metadata addresses outside that range, and Azure's WireServer.
// Loopback, private ranges and 0.0.0.0 (which reaches this host, and
// which people copy from Ollama's "listening on 0.0.0.0:11434") are not
// Blocked: a Guard refuses them unless AllowPrivate (see Local).
//
// An IPv6 address that embeds an IPv4 address (NAT64's 64:ff9b::a9fe:a9fe,
// 6to4, Teredo, IPv4-compatible) is judged by the IPv4 address too: on a
// host with a NAT64 gateway, 64:ff9b::169.254.169.254 reaches the
// metadata service.
func Blocked(ip netip.Addr) bool { return anyForm(ip, blockedAddr) }

// anyForm tells whether is holds for ip (unmapped, without its zone) or
// for any IPv4 address it embeds (embeddedIPv4): Local's and Blocked's
// one way of reading an address.
func anyForm(ip netip.Addr, is func(netip.Addr) bool) bool {
	ip = ip.Unmap().WithZone("")
	if is(ip) {
		return true
	}
	for _, v4 := range embeddedIPv4(ip) {
		if is(v4) {
			return true
		}
	}
	return false
}

func blockedAddr(ip netip.Addr) bool {
	return ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() ||
		ip == awsMetadataV6 || ip == alibabaMetadataV4 || ip == azureWireServerV4 || ip == gcpMetadataV6 || ip == oracleMetadataV6
}

// embeddedIPv4 returns the IPv4 addresses an IPv6 address may stand for.
// In the local-use NAT64 prefix the operator picks the prefix length, so
// each place RFC 6052 allows within it is read; skipping byte 8 (bits 64
// to 71, which RFC 6052 keeps zero) is part of that layout.
func embeddedIPv4(ip netip.Addr) []netip.Addr {
	if !ip.Is6() {
		return nil
	}
	b := ip.As16()
	at := func(i, j, k, l int) netip.Addr { return netip.AddrFrom4([4]byte{b[i], b[j], b[k], b[l]}) }
	switch {
	case v4Compatible.Contains(ip), v4Translated.Contains(ip), nat64.Contains(ip):
		return []netip.Addr{at(12, 13, 14, 15)}
	case nat64Local.Contains(ip):
		return []netip.Addr{at(6, 7, 9, 10), at(7, 9, 10, 11), at(9, 10, 11, 12), at(12, 13, 14, 15)} // /48, /56, /64, /96
	case sixToFour.Contains(ip):
		return []netip.Addr{at(2, 3, 4, 5)}
	case teredo.Contains(ip):
		// The Teredo server, then the client, whose address is stored
		// with every bit flipped.
		return []netip.Addr{at(4, 5, 6, 7), netip.AddrFrom4([4]byte{^b[12], ^b[13], ^b[14], ^b[15]})}
	}
	return nil
}

// legacyIPv4 reads a host the way inet_aton does, which accepts far more
// than dotted quads: 2852039166, 0xa9fea9fe, 0251.0376.0251.0376 and
// 169.254.43518 are all 169.254.169.254 to a C resolver. netip does not
// read these, so CheckHost would otherwise take them for names.
func legacyIPv4(host string) (netip.Addr, bool) {
	parts := strings.Split(host, ".")
	if len(parts) > 4 {
		return netip.Addr{}, false
	}
	var n uint64
	for i, p := range parts {
		base := 10
		switch {
		case len(p) > 2 && (p[:2] == "0x" || p[:2] == "0X"):
			p, base = p[2:], 16
		case len(p) > 1 && p[0] == '0':
			p, base = p[1:], 8
		}
		v, err := strconv.ParseUint(p, base, 32)
		if err != nil {
			return netip.Addr{}, false
		}
		// Every part but the last is one byte; the last fills the rest.
		bits := 8
		if i == len(parts)-1 {
			bits = 32 - 8*i
		}
		if v >= 1<<bits {
			return netip.Addr{}, false
		}
		n = n<<bits | v
	}
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}), true
}

// CheckHost refuses, with a *BlockedError, a URL's host that is a metadata
// service's name or a blocked address, before any request: a clear answer
// when the URL is saved. The dialer checks again after DNS. Loopback and
// private addresses pass: this is the check of URLs whoever runs copylab
// sets (Guard.CheckHost is the one of a Guard).
func CheckHost(host string) error { return local.CheckHost(host) }

// CheckHost refuses, with a *BlockedError, a URL's host that g never
// connects to, as far as it can be told before any lookup: a metadata
// service's name, an address in any spelling, and, unless AllowPrivate,
// localhost. A name that resolves to a refused address passes here: the
// dialer refuses it when it connects.
func (g Guard) CheckHost(host string) error {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if metadataHosts[h] {
		return &BlockedError{Host: host}
	}
	if !g.AllowPrivate && localhostName(h) {
		return &BlockedError{Host: host, Private: true}
	}
	if ip, err := netip.ParseAddr(strings.Trim(h, "[]")); err == nil {
		if r := g.refusal(ip, host); r != nil {
			return r
		}
	}
	if ip, ok := legacyIPv4(h); ok {
		if r := g.refusal(ip, host); r != nil {
			return r
		}
	}
	return nil
}

// control runs after the address is resolved and before the socket
// connects, so it judges the address actually dialled, whatever DNS said
// when the URL was checked.
func (g Guard) control(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return &BlockedError{Host: address}
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return &BlockedError{Host: host}
	}
	if r := g.refusal(ip, host); r != nil {
		return r
	}
	return nil
}

// NewClient returns a client bounded by timeout per request that dials
// through the guard, goes through the environment's proxy with its target
// judged first (see the package comment), and never follows a redirect (a
// redirect could lead anywhere; the caller sees the 3xx answer itself).
// Loopback and private addresses are allowed: it is the client for URLs
// whoever runs copylab sets (Guard.NewClient makes one for a Guard).
func NewClient(timeout time.Duration) *http.Client { return local.NewClient(timeout) }

// NewClient returns a client as the package's NewClient does, that
// connects only where g allows. The environment's proxy is dialled
// wherever it is: it is the operator's.
func (g Guard) NewClient(timeout time.Duration) *http.Client {
	return g.newClient(timeout, http.ProxyFromEnvironment, net.DefaultResolver.LookupNetIP)
}

// proxyFunc picks the proxy for a request, as http.Transport.Proxy does:
// nil for none. lookupFunc resolves a name, as net.Resolver.LookupNetIP
// does. Tests pass their own: http.ProxyFromEnvironment reads the
// environment once per process.
type (
	proxyFunc  func(*http.Request) (*url.URL, error)
	lookupFunc func(ctx context.Context, network, host string) ([]netip.Addr, error)
)

func (g Guard) newClient(timeout time.Duration, proxy proxyFunc, lookup lookupFunc) *http.Client {
	dialer := &net.Dialer{Timeout: DialTimeout, KeepAlive: 30 * time.Second, Control: g.control}
	// The proxy is the operator's (HTTPS_PROXY), often on a private
	// address: it is dialled as whoever runs copylab's URLs are.
	proxyDialer := &net.Dialer{Timeout: DialTimeout, KeepAlive: 30 * time.Second, Control: local.control}
	base := &http.Transport{
		// routedTransport has chosen the proxy, and judged the target.
		Proxy: func(req *http.Request) (*url.URL, error) { return routeOf(req.Context()), nil },
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(addr)
			if err == nil && metadataHosts[strings.TrimSuffix(strings.ToLower(host), ".")] {
				return nil, &BlockedError{Host: host}
			}
			if p := routeOf(ctx); p != nil && addr == proxyAddr(p) {
				return proxyDialer.DialContext(ctx, network, addr)
			}
			return dialer.DialContext(ctx, network, addr)
		},
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           8,
		IdleConnTimeout:        90 * time.Second,
		TLSHandshakeTimeout:    DialTimeout,
		ResponseHeaderTimeout:  timeout,
		MaxResponseHeaderBytes: 64 << 10,
	}
	return &http.Client{
		Transport: &routedTransport{base: base, proxy: g.guardProxy(proxy, lookup)},
		Timeout:   timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// routedTransport chooses each request's proxy (none: direct) before the
// transport sees it, and puts it in the request's context, which the
// transport passes on to its dialer: so the dialer can tell a connection
// to the operator's proxy from one to the target, which an address alone
// cannot. A connection that is not to the proxy chosen is judged as a
// target's.
type routedTransport struct {
	base  *http.Transport
	proxy proxyFunc
}

// routeKey is the context key of the proxy routedTransport chose.
type routeKey struct{}

func routeOf(ctx context.Context) *url.URL {
	p, _ := ctx.Value(routeKey{}).(*url.URL)
	return p
}

func (t *routedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	p, err := t.proxy(req)
	if err != nil {
		if req.Body != nil {
			req.Body.Close() // RoundTrip closes the body, even on an error
		}
		return nil, err
	}
	return t.base.RoundTrip(req.WithContext(context.WithValue(req.Context(), routeKey{}, p)))
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the
// transport.
func (t *routedTransport) CloseIdleConnections() { t.base.CloseIdleConnections() }

// proxyAddr is the host:port net/http dials for proxy p.
func proxyAddr(p *url.URL) string {
	port := p.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443", "socks5": "1080", "socks5h": "1080"}[p.Scheme]
	}
	return net.JoinHostPort(p.Hostname(), port)
}

// guardProxy wraps the choice of proxy: a request that would go through
// one has its target judged first, and is refused before the proxy hears
// of it. A request that goes direct is left to the dialer.
func (g Guard) guardProxy(proxy proxyFunc, lookup lookupFunc) proxyFunc {
	return func(req *http.Request) (*url.URL, error) {
		p, err := proxy(req)
		if err != nil || p == nil {
			return p, err
		}
		if err := g.checkProxiedHost(req.Context(), lookup, req.URL.Hostname()); err != nil {
			return nil, err
		}
		// Through an HTTP proxy the request line names req.Host when it is
		// set, not the URL's host: the proxy connects to that one.
		if req.Host != "" && req.Host != req.URL.Host {
			if err := g.checkProxiedHost(req.Context(), lookup, hostOnly(req.Host)); err != nil {
				return nil, err
			}
		}
		return p, nil
	}
}

// hostOnly is the host of a "host" or "host:port" Host header.
func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return strings.Trim(hostport, "[]")
}

// checkProxiedHost judges a host a proxy is about to be asked for:
// names and addresses as g.CheckHost does, and a name by every address
// copylab's resolver gives it.
func (g Guard) checkProxiedHost(ctx context.Context, lookup lookupFunc, host string) error {
	if err := g.CheckHost(host); err != nil {
		return err
	}
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if _, err := netip.ParseAddr(h); err == nil {
		return nil // an address, judged as written
	}
	if _, ok := legacyIPv4(h); ok {
		return nil // a numeric IPv4 address, judged as written
	}
	for _, r := range h {
		if r >= utf8.RuneSelf {
			// net/http sends the name's ASCII (punycode) form, which this
			// package does not compute; refusing is clearer than judging
			// another name than the one the proxy will get.
			return &UncheckedError{Host: host, Err: errors.New("a name outside ASCII cannot be checked before a proxy; use its xn-- form")}
		}
	}
	addrs, err := lookup(ctx, "ip", h)
	if err != nil {
		// Not a name copylab can see (no outside DNS behind the proxy, or
		// none at all): the proxy resolves it, and answers for it.
		return nil
	}
	for _, a := range addrs {
		if r := g.refusal(a, host+" ("+a.String()+")"); r != nil {
			return r
		}
	}
	return nil
}

// UncheckedError is a request that was not sent through the proxy because
// its host could not be judged first: a name outside ASCII, which the
// proxy would be asked for in another spelling than copylab can look up.
type UncheckedError struct {
	Host string
	Err  error
}

func (e *UncheckedError) Error() string {
	return "not asking the proxy for " + e.Host + ": " + e.Err.Error()
}

func (e *UncheckedError) Unwrap() error { return e.Err }
