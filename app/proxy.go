package app

import (
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// clientIP is the visitor's IP: the TCP peer, or, when the peer is a
// trusted proxy, the rightmost address of X-Forwarded-For that is not
// itself a trusted proxy. Each proxy appends the address it received the
// request from, so the addresses right of that one were written by our own
// proxies and the ones left of it by whoever sent the request: a client
// can put anything there, which is why the leftmost is never believed.
//
// Every X-Forwarded-For header counts, in order, as one list: some proxies
// (HAProxy's option forwardfor) add a header of their own rather than
// appending to the client's. Hops may carry a port ("203.0.113.7:5123",
// "[2001:db8::1]:443"), as some load balancers write them. When every hop
// is a trusted proxy, the leftmost is the client as far as anyone knows.
//
// When a hop that matters is not an address ("unknown", which Squid writes
// when it hides its clients, or anything a client made up), the chain
// cannot be followed and the client is unknownClient. It is not the peer:
// the peer is the proxy, often on loopback, whose address the public rate
// limits exempt and --metrics-allow lets read /metrics, and a request that
// says nothing readable about its client must not get what the proxy's own
// requests get.
func (a *App) clientIP(c *fiber.Ctx) string { return a.forwarding(c).client }

// unknownClient is clientIP's answer when the trusted proxies' chain names
// no address where the client's should be. It is no address, so nothing
// allows it by address (metrics, loopback exemptions, GeoIP), and it reads
// plainly in the logs. The per-address limits (limitKey) count every such
// client under this one key: they cannot be told apart, and whoever can
// make a hop unreadable must not get a bucket per request, or per proxy.
// Behind a proxy that hides every client this way, all of its visitors
// share that bucket, as they would share its address if it were not
// trusted; the fix is for the proxy to send the client's address.
const unknownClient = "unknown"

// forwardedBy is what X-Forwarded-For says of a request: the client's
// address, and how many trusted proxies it came through. The peer is one
// when trusted, and each trusted hop right of the client's address is one
// more: every proxy appends the address it received the request from.
type forwardedBy struct {
	client  string
	proxies int
}

func (a *App) forwarding(c *fiber.Ctx) forwardedBy {
	// Several middleware ask; the answer is worked out once per request.
	if f, ok := c.Locals(localClientIP).(forwardedBy); ok {
		return f
	}
	f := a.resolveForwarding(c)
	c.Locals(localClientIP, f)
	return f
}

func (a *App) resolveForwarding(c *fiber.Ctx) forwardedBy {
	peer := c.Context().RemoteIP()
	peerAddr, _ := netip.AddrFromSlice(peer)
	if len(a.proxies) == 0 || !a.trustedAddr(peerAddr.Unmap()) {
		return forwardedBy{client: peer.String()}
	}
	headers := c.Request().Header.PeekAll(fiber.HeaderXForwardedFor)
	var leftmost netip.Addr
	trusted := 0 // trusted hops so far, right to left
	for h := len(headers) - 1; h >= 0; h-- {
		hops := string(headers[h])
		for hops != "" {
			var hop string
			if i := strings.LastIndexByte(hops, ','); i >= 0 {
				hop, hops = hops[i+1:], hops[:i]
			} else {
				hop, hops = hops, ""
			}
			hop = strings.TrimSpace(hop)
			if hop == "" {
				continue
			}
			addr, ok := parseHop(hop)
			if !ok {
				return forwardedBy{client: unknownClient, proxies: 1}
			}
			if !a.trustedAddr(addr) {
				return forwardedBy{client: addr.String(), proxies: 1 + trusted}
			}
			trusted++
			leftmost = addr
		}
	}
	if leftmost.IsValid() {
		// Every hop trusted: the leftmost is the client, the others and
		// the peer its proxies.
		return forwardedBy{client: leftmost.String(), proxies: trusted}
	}
	return forwardedBy{client: peer.String(), proxies: 1}
}

// forwardedValue is the value of a header that proxies set or add to,
// such as X-Forwarded-Host, as the outermost trusted proxy set it, and ""
// when the peer is not a trusted proxy. All the header's lines count, in
// order, as one comma-separated list, as for X-Forwarded-For: a proxy that
// adds to the list puts its value right of the ones it received, so with
// n trusted proxies the n-th value from the right is the one the proxy
// that faced the client wrote, and the values left of it are whatever the
// client sent. A proxy that replaces the header leaves fewer values than
// proxies: the leftmost is then a trusted proxy's.
func (a *App) forwardedValue(c *fiber.Ctx, name string) string {
	n := a.forwarding(c).proxies
	if n == 0 {
		return ""
	}
	var values []string
	for _, line := range c.Request().Header.PeekAll(name) {
		for v := range strings.SplitSeq(string(line), ",") {
			if v = strings.TrimSpace(v); v != "" {
				values = append(values, v)
			}
		}
	}
	if len(values) == 0 {
		return ""
	}
	return values[max(0, len(values)-n)]
}

// parseHop reads one X-Forwarded-For entry: an IP, or an IP with a port.
func parseHop(s string) (netip.Addr, bool) {
	if addr, err := netip.ParseAddr(s); err == nil && addr.Zone() == "" {
		return addr.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil && ap.Addr().Zone() == "" {
		return ap.Addr().Unmap(), true
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		return parseHop(s[1 : len(s)-1])
	}
	return netip.Addr{}, false
}

// fromTrustedProxy reports whether the TCP peer is a trusted proxy.
func (a *App) fromTrustedProxy(c *fiber.Ctx) bool {
	if len(a.proxies) == 0 {
		return false
	}
	addr, ok := netip.AddrFromSlice(c.Context().RemoteIP())
	return ok && a.trustedAddr(addr.Unmap())
}

func (a *App) trustedAddr(addr netip.Addr) bool {
	for _, p := range a.proxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}
