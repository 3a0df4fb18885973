package experiments_test

import (
	"strings"
	"testing"

	"copylab/experiments"
)

// Real user agents, as browsers and bots send them.
var userAgents = []struct {
	name, ua        string
	bot             bool
	device, browser string
}{
	{"Chrome on Windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", false, "desktop", "Chrome"},
	{"Safari on Mac", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", false, "desktop", "Safari"},
	{"Firefox on Linux", "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0", false, "desktop", "Firefox"},
	{"Edge on Windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.68", false, "desktop", "Edge"},
	{"Opera on Windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 OPR/111.0.0.0", false, "desktop", "Opera"},
	{"IE 11", "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko", false, "desktop", "Internet Explorer"},
	{"Safari on iPhone", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", false, "mobile", "Safari"},
	{"Chrome on iPhone", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1", false, "mobile", "Chrome"},
	{"Firefox on iPhone", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/127.0 Mobile/15E148 Safari/605.1.15", false, "mobile", "Firefox"},
	{"Chrome on Android phone", "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36", false, "mobile", "Chrome"},
	{"Samsung Internet", "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36", false, "mobile", "Samsung Internet"},
	{"CUBOT phone", "Mozilla/5.0 (Linux; Android 10; CUBOT P40) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36", false, "mobile", "Chrome"},
	{"Android tablet", "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", false, "tablet", "Chrome"},
	{"iPad (old user agent)", "Mozilla/5.0 (iPad; CPU OS 12_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1.2 Mobile/15E148 Safari/604.1", false, "tablet", "Safari"},
	{"Kindle Silk", "Mozilla/5.0 (Linux; Android 9; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) Silk/126.3.4 like Chrome/126.0.6478.175 Safari/537.36", false, "tablet", "Chrome"},
	{"Windows Phone", "Mozilla/5.0 (Windows Phone 10.0; Android 6.0.1; Microsoft; Lumia 950) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/52.0.2743.116 Mobile Safari/537.36 Edge/15.14977", false, "mobile", "Edge"},
	{"Googlebot", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", true, "desktop", "Other"},
	{"Googlebot smartphone", "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.126 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", true, "mobile", "Chrome"},
	{"Bingbot", "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36", true, "desktop", "Chrome"},
	{"Bytespider", "Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)", true, "mobile", "Safari"},
	{"Yahoo Slurp", "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)", true, "desktop", "Other"},
	{"headless Chrome", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36", true, "desktop", "Chrome"},
	{"Lighthouse", "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse", true, "mobile", "Chrome"},
	{"Facebook preview", "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", true, "desktop", "Other"},
	{"curl", "curl/8.5.0", true, "desktop", "Other"},
	{"python requests", "python-requests/2.32.3", true, "desktop", "Other"},
	{"Go", "Go-http-client/1.1", true, "desktop", "Other"},
	{"UptimeRobot", "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)", true, "desktop", "Other"},
	{"empty", "", true, "desktop", "Other"},
	{"not a browser", "SomeApp/1.0", true, "desktop", "Other"},
}

func TestIsBot(t *testing.T) {
	for _, tt := range userAgents {
		t.Run(tt.name, func(t *testing.T) {
			if got := experiments.IsBot(tt.ua); got != tt.bot {
				t.Errorf("IsBot = %v, want %v", got, tt.bot)
			}
		})
	}
}

// TestIsBotLikeIsbot: user agents that isbot's lookbehinds and lookaheads
// decide (Go's regexp has neither, see botPattern), and newer bots. The
// wanted answers are what isbot 5.2.3's own isbot() said of each
// (TestBotPatterns checks that 5.2.3 is the list embedded).
func TestIsBotLikeIsbot(t *testing.T) {
	tests := []struct {
		name, ua string
		bot      bool
	}{
		{"Google app on iPhone", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) GSA/323.0.647062479 Mobile/15E148 Safari/604.1", false},
		{"Google app on Android", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36 GoogleApp/15.20", false},
		{"google/google", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 google/google", false},
		{"Google inspection tool", "Mozilla/5.0 (compatible; Google-InspectionTool/1.0;)", true},
		{"feed fetcher", "NewsBlur Feed Fetcher - 12 subscribers - https://www.newsblur.com/site/1/ (Mozilla/5.0)", true},
		{"NewsSapphire app", "Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X) NewsSapphire/1.2", false},
		{"Google News app", "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36 GNews/5.0", false},
		{"vulnerability scanner", "Mozilla/5.0 (compatible; Nessus scan)", true},
		{"libhttp", "libhttp/1.0", true},
		{"URL in the agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) http://example.com/agent", true},
		{"Java client", "Java/17.0.2", true},
		{"Java; in a browser", "Mozilla/5.0 (Java; U; en)", false},
		{"bots after CUBOT", "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36 Cubot_bots", true},
		{"Discord preview", "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", true},
		{"Slack preview", "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", true},
		{"GPTBot", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 (compatible; GPTBot/1.2; +https://openai.com/gptbot)", true},
		{"upper case", "MOZILLA/5.0 (COMPATIBLE; GOOGLEBOT/2.1)", true},
		{"spaces only", "   ", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := experiments.IsBot(tt.ua); got != tt.bot {
				t.Errorf("IsBot = %v, want %v", got, tt.bot)
			}
		})
	}
}

// TestIsBotLongUserAgent: past 1,024 bytes a user agent is a bot's, even
// one that starts like a browser's (no browser sends that much).
func TestIsBotLongUserAgent(t *testing.T) {
	browser := userAgents[0].ua
	long := browser + strings.Repeat(" AppleWebKit/537.36", 60)
	if experiments.IsBot(browser + strings.Repeat(" x", (1024-len(browser))/2)) {
		t.Error("a browser's agent padded to 1,024 bytes was called a bot")
	}
	if !experiments.IsBot(long) {
		t.Errorf("a %d-byte agent was not called a bot", len(long))
	}
}

// FuzzIsBot: any user agent, however odd, gets an answer without a panic
// (the lookaround checks slice around each match), and the same answer for
// the same agent in upper case.
func FuzzIsBot(f *testing.F) {
	for _, tt := range userAgents {
		f.Add(tt.ua)
	}
	f.Add("(?<! cu)bots?")
	f.Add(" channel/google google/google googlepixel")
	f.Add("\xff\xfe cu\x00bot")
	f.Fuzz(func(t *testing.T, ua string) {
		if experiments.IsBot(ua) != experiments.IsBot(strings.ToUpper(ua)) && isASCII(ua) {
			t.Errorf("IsBot(%q) depends on case", ua)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func TestParseUserAgent(t *testing.T) {
	for _, tt := range userAgents {
		t.Run(tt.name, func(t *testing.T) {
			got := experiments.ParseUserAgent(tt.ua)
			if got.Device != tt.device || got.Browser != tt.browser {
				t.Errorf("ParseUserAgent = %+v, want %s %s", got, tt.device, tt.browser)
			}
		})
	}
}

func TestRefDomain(t *testing.T) {
	tests := []struct{ name, ref, want string }{
		{"empty", "", ""},
		{"full URL", "https://www.Google.com/search?q=copy", "google.com"},
		{"port", "http://news.example.org:8080/a", "news.example.org"},
		{"no scheme", "t.co/abc", "t.co"},
		{"trailing dot", "https://example.com./", "example.com"},
		{"garbage", "http://[::1", ""},
		{"android app", "android-app://com.google.android.gm/", "com.google.android.gm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := experiments.RefDomain(tt.ref); got != tt.want {
				t.Errorf("RefDomain(%q) = %q, want %q", tt.ref, got, tt.want)
			}
		})
	}
}

// BenchmarkIsBot is the cost of one user agent the ingester has not seen
// yet (uaCache keeps the answer for the ones it has): a browser's agent
// runs every pattern without a match, the worst case.
func BenchmarkIsBot(b *testing.B) {
	for _, tt := range []struct{ name, ua string }{
		{"browser", userAgents[0].ua},
		{"googlebot", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"},
	} {
		b.Run(tt.name, func(b *testing.B) {
			for b.Loop() {
				experiments.IsBot(tt.ua)
			}
		})
	}
}
