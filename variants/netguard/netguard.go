// Package netguard is how copylab connects to URLs that people configure
// (a model's base URL, a notification webhook): never to link-local or
// cloud metadata addresses, whatever DNS says, never following redirects,
// and always bounded in time.
//
// Loopback and private addresses are permitted on purpose: a model on
// localhost or on the office network (Ollama, vLLM, LM Studio), or a chat
// server on the intranet, is a first-class setup, and the people who
// configure these URLs are copylab's own users. What no one should reach
// through copylab is the host's cloud metadata service, which hands out
// credentials.
package netguard

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"syscall"
	"time"
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
)

// BlockedError is a refused host or address.
type BlockedError struct{ Host string }

func (e *BlockedError) Error() string {
	return "refusing to connect to " + e.Host + ": link-local or cloud metadata address"
}

// Blocked says whether copylab must never connect to ip. Link-local covers
// 169.254.169.254, the metadata service of AWS, GCP and Azure; the others
// are metadata addresses outside that range. Loopback, private ranges and
// 0.0.0.0 (which reaches this host, and which people copy from Ollama's
// "listening on 0.0.0.0:11434") stay allowed for local servers.
func Blocked(ip netip.Addr) bool {
	ip = ip.Unmap().WithZone("")
	return ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() ||
		ip == awsMetadataV6 || ip == alibabaMetadataV4
}

// CheckHost refuses, with a *BlockedError, a URL's host that is a metadata
// service's name or a blocked address, before any request: a clear answer
// when the URL is saved. The dialer checks again after DNS.
func CheckHost(host string) error {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if metadataHosts[h] {
		return &BlockedError{Host: host}
	}
	if ip, err := netip.ParseAddr(strings.Trim(h, "[]")); err == nil && Blocked(ip) {
		return &BlockedError{Host: host}
	}
	return nil
}

// dialControl runs after the address is resolved and before the socket
// connects, so it judges the address actually dialled, whatever DNS said
// when the URL was checked.
func dialControl(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return &BlockedError{Host: address}
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || Blocked(ip) {
		return &BlockedError{Host: host}
	}
	return nil
}

// NewClient returns a client bounded by timeout per request that dials
// through the guard and never follows a redirect (a redirect could lead
// anywhere; the caller sees the 3xx answer itself).
//
// It never goes through a proxy, HTTP_PROXY and HTTPS_PROXY included:
// through a proxy the dialer would judge only the proxy's address, and
// the proxy would connect to 169.254.169.254 (or any name that resolves
// there) on copylab's behalf.
func NewClient(timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: DialTimeout, KeepAlive: 30 * time.Second, Control: dialControl}
	transport := &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(addr)
			if err == nil && metadataHosts[strings.TrimSuffix(strings.ToLower(host), ".")] {
				return nil, &BlockedError{Host: host}
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
		Transport: transport,
		Timeout:   timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
