package experiments

import "strings"

// Why a hand-written list: the well-kept Go crawler-detection libraries
// (x-way/crawlerdetect, monperrus/crawler-user-agents, avct/uasurfer) are not
// available from the module proxy this project builds against, and the one
// user-agent parser that is (mileusna/useragent, last released in 2024) only
// flags names containing "bot" or a URL, missing headless browsers, HTTP
// libraries and uptime monitors. For counting A/B tests a short list of
// substrings is enough: a bot that runs the snippet and claims to be a
// normal browser cannot be told apart by its user agent anyway (the snippet
// sends "bot": true when it sees navigator.webdriver).

// botTokens are lowercase substrings that mark a user agent as automated.
// Generic words come first; then tools and services whose names lack them.
var botTokens = []string{
	// Generic: Googlebot, bingbot, YandexBot, AhrefsBot, Bytespider, Slurp …
	"bot", "crawl", "spider", "slurp", "scraper", "archiver",
	// Headless and automated browsers.
	"headless", "phantomjs", "lighthouse", "pagespeed", "ptst/",
	"cypress/", "puppeteer", "playwright", "selenium", "webdriver",
	// Link previews and ad checkers.
	"facebookexternalhit", "facebookcatalog", "mediapartners-google", "apis-google",
	"google-read-aloud", "feedfetcher", "google-inspectiontool", "whatsapp/", "skypeuripreview",
	"embedly", "quora link preview", "vkshare", "w3c_validator",
	// HTTP libraries and command-line tools: a real browser never sends these.
	"curl/", "wget/", "python-", "python/", "aiohttp", "httpx", "go-http-client", "java/",
	"okhttp", "apache-httpclient", "libwww-perl", "node-fetch", "undici", "axios/",
	"guzzlehttp", "ruby", "php/", "httpie", "postmanruntime", "insomnia", "scrapy",
	// Uptime and performance monitors.
	"uptime", "pingdom", "statuscake", "site24x7", "newrelicpinger", "datadog", "gtmetrix",
	"monitor", "check_http", "nagios", "zabbix",
}

// notBotTokens are real devices and browsers whose user agents contain a bot
// token; they are removed before matching. CUBOT makes Android phones.
var notBotTokens = []string{"cubot"}

// IsBot reports whether a user agent belongs to a crawler, a headless or
// automated browser, an HTTP library or a monitor. It is the default
// IngestOptions.BotChecker. An empty user agent is a bot: every browser sends
// one.
func IsBot(userAgent string) bool {
	ua := strings.TrimSpace(userAgent)
	if ua == "" {
		return true
	}
	ua = strings.ToLower(ua)
	for _, t := range notBotTokens {
		if strings.Contains(ua, t) {
			ua = strings.ReplaceAll(ua, t, "")
		}
	}
	for _, t := range botTokens {
		if strings.Contains(ua, t) {
			return true
		}
	}
	// A browser's user agent starts with "Mozilla/" (or "Opera/" for old
	// Opera); anything else is a program.
	return !strings.HasPrefix(ua, "mozilla/") && !strings.HasPrefix(ua, "opera/")
}
