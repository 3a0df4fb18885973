package experiments

import (
	"net/netip"
	"net/url"
	"strings"
)

// Device types stored with each exposure for segment analysis.
const (
	DeviceMobile  = "mobile"
	DeviceTablet  = "tablet"
	DeviceDesktop = "desktop"
)

// UserAgent is what segment analysis needs from a User-Agent header.
type UserAgent struct {
	Device  string // mobile, tablet or desktop
	Browser string // family: Chrome, Safari, Firefox, Edge, Opera, Samsung Internet, … or Other
}

// browserRules are tried in order; the first token found names the family.
// Order matters because browsers copy each other's tokens: Edge, Opera and
// Samsung Internet say "Chrome/", and every Chromium browser says "Safari/".
var browserRules = []struct{ token, family string }{
	{"edg/", "Edge"}, {"edge/", "Edge"}, {"edga/", "Edge"}, {"edgios/", "Edge"},
	{"opr/", "Opera"}, {"opt/", "Opera"}, {"opios/", "Opera"}, {"opera", "Opera"},
	{"samsungbrowser/", "Samsung Internet"},
	{"yabrowser/", "Yandex"},
	{"ucbrowser/", "UC Browser"},
	{"vivaldi/", "Vivaldi"},
	{"duckduckgo/", "DuckDuckGo"},
	{"firefox/", "Firefox"}, {"fxios/", "Firefox"},
	{"crios/", "Chrome"}, {"chrome/", "Chrome"}, {"chromium/", "Chrome"},
	{"msie ", "Internet Explorer"}, {"trident/", "Internet Explorer"},
	{"safari/", "Safari"},
}

// ParseUserAgent returns the device type and browser family of a user
// agent. It reads only the stable tokens browsers have sent for years, so it
// stays small; what it cannot tell it calls Other (browser) or desktop
// (device). iPads since iPadOS 13 send a Mac user agent and count as desktop:
// no header tells them apart.
func ParseUserAgent(userAgent string) UserAgent {
	ua := strings.ToLower(userAgent)
	out := UserAgent{Device: DeviceDesktop, Browser: "Other"}
	switch {
	case strings.Contains(ua, "windows phone") || strings.Contains(ua, "iemobile"):
		out.Device = DeviceMobile
	case strings.Contains(ua, "ipad") || strings.Contains(ua, "tablet") || strings.Contains(ua, "kindle") ||
		strings.Contains(ua, "silk/") || strings.Contains(ua, "playbook"):
		out.Device = DeviceTablet
	case strings.Contains(ua, "android"):
		// Android tablets leave "Mobile" out of their user agent; phones keep it.
		if strings.Contains(ua, "mobile") {
			out.Device = DeviceMobile
		} else {
			out.Device = DeviceTablet
		}
	case strings.Contains(ua, "mobi") || strings.Contains(ua, "iphone") || strings.Contains(ua, "ipod") ||
		strings.Contains(ua, "opera mini") || strings.Contains(ua, "blackberry") || strings.Contains(ua, "bb10"):
		out.Device = DeviceMobile
	}
	for _, r := range browserRules {
		if strings.Contains(ua, r.token) {
			out.Browser = r.family
			break
		}
	}
	return out
}

// RefDomain returns the host of a referrer URL, lowercased and without a
// leading "www.", or "" when there is none. The page sends the referrer,
// and anyone can send the page's events, so a host that is no host as
// browsers send one (WebHost: markup, direction or zero-width characters,
// Unicode not in its xn-- form, a name too long) is no referrer either:
// it would be shown among the referring sites.
func RefDomain(ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	if !strings.Contains(ref, "://") {
		// Some senders strip the scheme ("example.com/page").
		ref = "https://" + ref
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if !WebHost(host) {
		return ""
	}
	return strings.TrimPrefix(host, "www.")
}

// maxHostName is the longest host name DNS can carry, in characters
// (RFC 1035's 255 bytes on the wire, less the first length and the root).
const maxHostName = 253

// WebHost reports whether host, in lower case and without brackets or a
// port, is a host as browsers write one in a URL: an IP address, or a name
// of at most 253 characters whose dot-separated labels are 1 to 63 of
// a-z, 0-9, hyphens and underscores, with one trailing dot allowed (the
// root). Browsers send an internationalized name in its xn-- form, so any
// other character (markup, spaces, bidi or zero-width characters, Unicode
// letters) is not a host: such a name comes from a hand-made request.
func WebHost(host string) bool {
	if addr, err := netip.ParseAddr(host); err == nil {
		return addr.Zone() == ""
	}
	host = strings.TrimSuffix(host, ".")
	if host == "" || len(host) > maxHostName {
		return false
	}
	for label := range strings.SplitSeq(host, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
				return false
			}
		}
	}
	return true
}

// normalizeCountry keeps a two-letter ISO country code, uppercased, and
// drops anything else (proxies send "XX", "T1" or "" for unknown).
func normalizeCountry(c string) string {
	if len(c) != 2 {
		return ""
	}
	b := []byte(strings.ToUpper(c))
	for _, ch := range b {
		if ch < 'A' || ch > 'Z' {
			return ""
		}
	}
	if s := string(b); s != "XX" {
		return s
	}
	return ""
}
