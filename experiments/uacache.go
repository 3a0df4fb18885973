package experiments

import "sync"

// uaCache remembers what the ingester concluded from a user agent: whether
// it is a bot's, and its device and browser. A site's visitors send a few
// hundred distinct user agents at most, so nearly every request is a hit,
// and the scans of IsBot (some two hundred patterns) and ParseUserAgent
// drop out of the hot path. It is bounded: when full it starts over, which
// a flood of made-up user agents can force but not exploit.
type uaCache struct {
	mu  sync.Mutex
	m   map[string]uaInfo
	max int
}

type uaInfo struct {
	bot             bool
	device, browser string
}

const (
	uaCacheMax    = 4096 // entries
	uaCacheMaxLen = 512  // longer user agents are not kept
)

// lookup returns the cached conclusions about ua, computing and keeping
// them on a miss.
func (c *uaCache) lookup(ua string, isBot func(string) bool) uaInfo {
	c.mu.Lock()
	info, ok := c.m[ua]
	c.mu.Unlock()
	if ok {
		return info
	}
	p := ParseUserAgent(ua[:min(len(ua), maxBrowserUA)]) // a longer one is a bot's; its head is enough
	info = uaInfo{bot: isBot(ua), device: p.Device, browser: p.Browser}
	if len(ua) > uaCacheMaxLen {
		return info
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= c.max {
		c.m = make(map[string]uaInfo, 64)
	}
	c.m[ua] = info
	c.mu.Unlock()
	return info
}
