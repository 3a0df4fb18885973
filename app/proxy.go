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
// is a trusted proxy, the leftmost is the client as far as anyone knows;
// when a hop that matters is not an address, the chain cannot be followed
// and the peer is the answer.
func (a *App) clientIP(c *fiber.Ctx) string {
	// Several middleware ask; the answer is worked out once per request.
	if ip, ok := c.Locals(localClientIP).(string); ok {
		return ip
	}
	ip := a.resolveClientIP(c)
	c.Locals(localClientIP, ip)
	return ip
}

func (a *App) resolveClientIP(c *fiber.Ctx) string {
	peer := c.Context().RemoteIP()
	peerAddr, _ := netip.AddrFromSlice(peer)
	if len(a.proxies) == 0 || !a.trustedAddr(peerAddr.Unmap()) {
		return peer.String()
	}
	headers := c.Request().Header.PeekAll(fiber.HeaderXForwardedFor)
	var leftmost netip.Addr
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
				return peer.String()
			}
			if !a.trustedAddr(addr) {
				return addr.String()
			}
			leftmost = addr
		}
	}
	if leftmost.IsValid() {
		return leftmost.String()
	}
	return peer.String()
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
