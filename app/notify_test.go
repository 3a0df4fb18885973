package app

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"copylab/app/testnet"
	"copylab/experiments"
	"copylab/variants/netguard"
)

// hook is a webhook receiver on 127.0.0.1 that records each body and
// answers with the next of its statuses (200 when none) and of its
// words (Slack's "no_service" when none).
type hook struct {
	*httptest.Server
	mu     sync.Mutex
	bodies []map[string]any
	status []int    // answers to give, in order; 200 once they run out
	said   []string // bodies to answer with, in order; "no_service" once they run out
}

func newHook(t *testing.T) *hook {
	h := &hook{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var body map[string]any
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || json.Unmarshal(raw, &body) != nil {
			t.Errorf("webhook got %s %q %q", r.Method, r.Header.Get("Content-Type"), raw)
		}
		h.mu.Lock()
		defer h.mu.Unlock()
		h.bodies = append(h.bodies, body)
		status := http.StatusOK
		if len(h.status) > 0 {
			status, h.status = h.status[0], h.status[1:]
		}
		said := "no_service"
		if len(h.said) > 0 {
			said, h.said = h.said[0], h.said[1:]
		}
		if status == http.StatusFound {
			w.Header().Set("Location", "/elsewhere")
		}
		w.WriteHeader(status)
		io.WriteString(w, said)
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hook) received() []map[string]any {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]map[string]any(nil), h.bodies...)
}

// TestNotifyVerdict: a running experiment with a winner is announced once
// at its site's webhook, with what a receiver needs; a webhook that fails
// is tried again on the next round; a site without a webhook, or a test
// without an answer, sends nothing.
func TestNotifyVerdict(t *testing.T) {
	e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
	ctx := context.Background()
	h := newHook(t)
	h.status = []int{http.StatusInternalServerError}
	site := e.site("Shop")
	quiet := e.site("Quiet")
	// Two weeks in and past the planned sample: an answer the results
	// page calls (TestNotifyEarlyAnswerWaits has the younger ones).
	x := e.experiment(site.ID, "Pricing hero", "Original headline", "Better headline")
	x = e.transition(x.ID, experiments.ActionStart)
	e.setCounts(x, calledWinner...)
	backdate(e, x, 14)
	undecided := e.experiment(site.ID, "Too early", "Original sub", "New sub")
	e.transition(undecided.ID, experiments.ActionStart)
	other := e.experiment(quiet.ID, "Elsewhere", "Original headline", "Better headline")
	other = e.transition(other.ID, experiments.ActionStart)
	e.setCounts(other, calledWinner...)
	backdate(e, other, 14)
	setWebhook(t, e, site.ID, h.URL+"/hooks/copylab?token=s3cret")

	if n := e.app.notifyOnce(ctx); n != 0 {
		t.Fatalf("the webhook answered 500, yet %d sent", n)
	}
	if n := e.app.notifyOnce(ctx); n != 1 {
		t.Fatalf("second round sent %d, want 1", n)
	}
	if n := e.app.notifyOnce(ctx); n != 0 {
		t.Fatalf("third round sent %d, want 0: each verdict once", n)
	}
	got := h.received()
	if len(got) != 2 {
		t.Fatalf("webhook got %d posts, want 2 (one refused, one taken): %v", len(got), got)
	}
	msg := got[1]
	exp, _ := msg["experiment"].(map[string]any)
	verdict, _ := msg["verdict"].(map[string]any)
	if msg["title"] != "We have a winner: “Pricing hero” on Shop" || verdict["status"] != "winner" ||
		exp["id"] != x.ID || exp["results_url"] != testPublicURL+"/experiments/"+x.ID+"/results" ||
		!strings.Contains(msg["text"].(string), verdict["text"].(string)) || !strings.HasSuffix(msg["text"].(string), exp["results_url"].(string)) {
		t.Errorf("message %v", msg)
	}
	rec := httptest.NewRecorder()
	promhttp.HandlerFor(e.app.Metrics().Registry(), promhttp.HandlerOpts{}).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	wantContains(t, rec.Body.String(), `copylab_notifications_total{result="retried"} 1`, `copylab_notifications_total{result="sent"} 1`)
}

// TestWebhookBody: Slack, Teams and Discord get their own shape; any other
// receiver the whole notice.
func TestWebhookBody(t *testing.T) {
	n := notice{Title: "We have a winner: “Hero” on Shop", Text: "Variant B lifts clicks by 12%.", URL: "https://copylab.example/experiments/x/results"}
	for _, c := range []struct{ name, url, want string }{
		{"slack", "https://hooks.slack.com/services/T0/B0/XXX",
			`{"text":"*We have a winner: “Hero” on Shop*\nVariant B lifts clicks by 12%.\n<https://copylab.example/experiments/x/results|Open the results>"}`},
		{"discord", "https://discord.com/api/webhooks/1/abc",
			`{"content":"**We have a winner: “Hero” on Shop**\nVariant B lifts clicks by 12%.\nhttps://copylab.example/experiments/x/results","allowed_mentions":{"parse":[]}}`},
		{"teams", "https://acme.webhook.office.com/webhookb2/abc",
			`{"text":"**We have a winner: “Hero” on Shop**\n\nVariant B lifts clicks by 12%.\n\n[Open the results](https://copylab.example/experiments/x/results)"}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			u, _ := url.Parse(c.url)
			b, _ := json.Marshal(webhookBody(u, n))
			wantJSON(t, b, c.want)
		})
	}
	u, _ := url.Parse("https://chat.example/hooks/abc")
	b, _ := json.Marshal(webhookBody(u, n))
	if !strings.Contains(string(b), `"text":"We have a winner: “Hero” on Shop\nVariant B lifts clicks by 12%.\nhttps://copylab.example/experiments/x/results"`) ||
		!strings.Contains(string(b), `"verdict":{`) {
		t.Errorf("generic: %s", b)
	}
}

// TestWebhookBodyHostileNames: names people type reach the channel as
// typed. No mention pings, no link hides behind a label, and copylab's
// own bold title and results link still work.
func TestWebhookBodyHostileNames(t *testing.T) {
	const site = "Shop <!channel> <https://evil.example/login|Reset your password> @everyone @here <@U123> & more"
	n := notice{
		Title: "We have a winner: “[Reset your password](https://evil.example/login) *now*” on " + site,
		Text:  "The element [data-copylab=\"hero\"] on /pricing#top: `code` ~x~ _y_ || spoiler || > quote\n# heading\n- item <#C1> <@&42>",
		URL:   "https://copylab.example/experiments/x/results",
	}
	tests := []struct {
		name, url, key string
		// open, mid and end are copylab's own markup: the bold title's
		// start, its end before the text, and the results link.
		open, mid, end string
		// escapes matches the receiver's escapes; unescape reads them.
		escapes  *regexp.Regexp
		unescape func(string) string
		// markup is what the receiver would read as markup; none of it may
		// be left in the user's text once the escapes are taken out.
		markup string
	}{
		{"slack", "https://hooks.slack.com/services/T0/B0/XXX", "text",
			"*", "*\n", "\n<" + n.URL + "|Open the results>",
			regexp.MustCompile(`&(amp|lt|gt);`), strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace,
			"<>&"},
		{"discord", "https://discord.com/api/webhooks/1/abc", "content",
			"**", "**\n", "\n" + n.URL,
			regexp.MustCompile(`\\[[:punct:]]`), func(s string) string { return regexp.MustCompile(`\\([[:punct:]])`).ReplaceAllString(s, "$1") },
			"<>@[]()*_~`|#-\\"},
		{"teams", "https://acme.webhook.office.com/webhookb2/abc", "text",
			"**", "**\n\n", "\n\n[Open the results](" + n.URL + ")",
			regexp.MustCompile(`&#[0-9]+;`), html.UnescapeString,
			"<>&[]()*_~`|#-\\"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, _ := url.Parse(tt.url)
			b, _ := json.Marshal(webhookBody(u, n))
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			msg, _ := m[tt.key].(string)
			title, text, ok := strings.Cut(strings.TrimPrefix(msg, tt.open), tt.mid)
			if !strings.HasPrefix(msg, tt.open) || !ok || !strings.HasSuffix(text, tt.end) {
				t.Fatalf("copylab's own markup is gone: %q", msg)
			}
			text = strings.TrimSuffix(text, tt.end)
			for _, c := range []struct{ got, want string }{{title, n.Title}, {text, n.Text}} {
				if strings.ContainsAny(tt.escapes.ReplaceAllString(c.got, ""), tt.markup) {
					t.Errorf("markup left unescaped in %q", c.got)
				}
				if got := tt.unescape(c.got); got != c.want {
					t.Errorf("reads %q, want %q", got, c.want)
				}
			}
			if tt.name == "discord" {
				if am, _ := json.Marshal(m["allowed_mentions"]); string(am) != `{"parse":[]}` {
					t.Errorf("allowed_mentions = %s", am)
				}
			}
		})
	}
}

// wantJSON compares two JSON documents by value.
func wantJSON(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want %s: %v", want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestSiteNotificationsPages: the site page saves a webhook (with the CSRF
// token), refuses what copylab cannot post to, beside the field, and sends
// a test message, saying whether it got through (a redirect does not
// count: copylab never follows one).
func TestSiteNotificationsPages(t *testing.T) {
	e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
	c := e.signIn("owner@example.com")
	e.app.testSends = nil // several test messages in a row; TestTestMessageLimit has the limit
	site := e.site("Shop")
	h := newHook(t)
	_, body := c.get("/sites/" + site.ID)
	wantContains(t, body, `id="notifications"`, "Save webhook")
	wantNotContains(t, body, "Send a test message")

	for _, bad := range []struct{ url, msg string }{
		{"hooks.slack.com/services/x", "Enter the full webhook URL, starting with https://."},
		{"https://user:pw@chat.example/hook", "Leave the user name and password out of the URL."},
		{"http://169.254.169.254/latest", "link-local or a cloud metadata service"},
		{"http://metadata.google.internal/x", "link-local or a cloud metadata service"},
	} {
		resp, body := c.post("/sites/"+site.ID+"/notifications", url.Values{"webhook_url": {bad.url}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d", bad.url, resp.StatusCode)
		}
		wantContains(t, body, bad.msg)
	}
	resp, _ := c.post("/sites/"+site.ID+"/notifications", url.Values{"webhook_url": {h.URL + "/hook"}, "_csrf": {""}})
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("save without CSRF: %d", resp.StatusCode)
	}
	resp, _ = c.post("/sites/"+site.ID+"/notifications", url.Values{"webhook_url": {h.URL + "/hook"}})
	wantStatus(t, resp, http.StatusSeeOther, "")
	_, body = c.get("/sites/" + site.ID)
	wantContains(t, body, "Notifications on: copylab posts to 127.0.0.1", "Send a test message", "Replace webhook",
		"Posting to <code class=\"mono\">"+h.URL+"/…</code>")
	wantNotContains(t, body, h.URL+"/hook")

	// Once saved, the field starts empty: saving it empty is a slip and
	// keeps the webhook; Turn off is what stops notifications.
	resp, body = c.post("/sites/"+site.ID+"/notifications", url.Values{"webhook_url": {""}})
	wantStatus(t, resp, http.StatusUnprocessableEntity, "")
	wantContains(t, body, "Paste the new webhook URL to replace the saved one")
	if s, _ := e.store.Site(context.Background(), site.ID); s.WebhookURL != h.URL+"/hook" {
		t.Fatalf("an empty save changed the webhook to %q", s.WebhookURL)
	}
	const secret = "/services/T000/B000/XXXXsecretXXXXtail"
	resp, body = c.post("/sites/"+site.ID+"/notifications", url.Values{"webhook_url": {h.URL + "/hook" + secret}})
	wantStatus(t, resp, http.StatusSeeOther, "")
	_, body = c.get("/sites/" + site.ID)
	wantContains(t, body, h.URL+"/…tail")
	wantNotContains(t, body, "XXXXsecret")

	h.status = []int{http.StatusOK, http.StatusNotFound, http.StatusFound}
	c.post("/sites/"+site.ID+"/notifications/test", nil)
	_, body = c.get("/sites/" + site.ID)
	wantContains(t, body, "Test message sent to 127.0.0.1")
	c.post("/sites/"+site.ID+"/notifications/test", nil)
	_, body = c.get("/sites/" + site.ID)
	wantContains(t, body, "The test message did not get through to 127.0.0.1", "the webhook answered 404: there is no webhook at that URL any more")
	wantNotContains(t, body, "no_service")
	c.post("/sites/"+site.ID+"/notifications/test", nil)
	_, body = c.get("/sites/" + site.ID)
	wantContains(t, body, "the webhook answered 302: a redirect, which copylab does not follow. Paste the address it redirects to.")
	if got := h.received(); len(got) != 3 || !strings.HasPrefix(got[0]["title"].(string), "copylab test message") {
		t.Errorf("webhook got %v", got)
	}

	resp, _ = c.post("/sites/"+site.ID+"/notifications", url.Values{"off": {"1"}})
	wantStatus(t, resp, http.StatusSeeOther, "")
	_, body = c.get("/sites/" + site.ID)
	wantContains(t, body, "Notifications off", "Save webhook")
	wantNotContains(t, body, "Send a test message")
}

// TestSiteNotificationsTestFailures: a test message that does not get
// through says why in a sentence, and never echoes what only the network
// knows: the receiver's body, a dial error's wording or addresses. A
// closed port, one that resets the connection and one that answers in
// another protocol read alike, so the button cannot tell which ports are
// open on copylab's network; the log keeps the difference for the
// operator. All receivers are on 127.0.0.1, which webhooks may use.
func TestSiteNotificationsTestFailures(t *testing.T) {
	e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
	var logs syncBuffer
	e.app.log = slog.New(slog.NewTextHandler(&logs, nil))
	c := e.signIn("owner@example.com")
	e.app.testSends = nil // several test messages in a row; TestTestMessageLimit has the limit
	site := e.site("Shop")

	closed := testnet.RefusedAddr(t) // nothing listens there
	chatty := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, "redis at 10.0.0.9:6379 refused the connection")
	}))
	t.Cleanup(chatty.Close)
	selfSigned := httptest.NewUnstartedServer(http.NotFoundHandler())
	selfSigned.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is the point
	selfSigned.StartTLS()
	t.Cleanup(selfSigned.Close)
	plain := newHook(t)
	// An open port whose service is not HTTP: it greets, and hangs up. It
	// greets once the request has arrived: a greeting that beats the
	// request makes Go's transport report an "unsolicited response"
	// instead, which reads the same on the page but not in the log.
	ssh := tcpServer(t, func(conn net.Conn) {
		conn.Read(make([]byte, 1))
		io.WriteString(conn, "SSH-2.0-OpenSSH_9.6\r\n")
	})
	// An open port that resets every connection.
	reset := tcpServer(t, func(conn net.Conn) { conn.(*net.TCPConn).SetLinger(0) })

	// One sentence, true of each: nothing answered at once, nothing in
	// time, or something that is not a webhook.
	unreachable := func(hostport string) string {
		return "The test message did not get through: no webhook answered at " + hostport +
			". Check the address and port; copylab&#39;s log has the reason."
	}
	for _, tt := range []struct {
		name, url, want, logged string
	}{
		{"nothing listens", "http://" + closed + "/hook", unreachable(closed), "connection refused"},
		{"another protocol", "http://" + ssh + "/hook", unreachable(ssh), "malformed HTTP"},
		// The reset reaches the request as it reads ("connection reset") or,
		// on a busy machine, while it still writes ("broken pipe").
		{"reset", "http://" + reset + "/hook", unreachable(reset), "connection reset|broken pipe"},
		{"error page", chatty.URL + "/hook", "The test message did not get through to " + strings.TrimPrefix(chatty.URL, "http://") + ": the webhook answered 500.", "10.0.0.9"},
		{"untrusted certificate", selfSigned.URL + "/hook", "copylab could not make a secure (TLS) connection to " + strings.TrimPrefix(selfSigned.URL, "https://") + ".", "certificate"},
		{"https to a plain server", "https://" + strings.TrimPrefix(plain.URL, "http://") + "/hook", "copylab could not make a secure (TLS) connection", "HTTP response to HTTPS client"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, _ := c.post("/sites/"+site.ID+"/notifications", url.Values{"webhook_url": {tt.url}})
			wantStatus(t, resp, http.StatusSeeOther, "")
			c.post("/sites/"+site.ID+"/notifications/test", nil)
			_, body := c.get("/sites/" + site.ID)
			wantContains(t, body, tt.want)
			wantNotContains(t, body, "redis", "10.0.0.9", "refused", "reset", "malformed", "SSH", "dial tcp", "connect:", "tls:", "x509", "HTTP response")
			if !slices.ContainsFunc(strings.Split(tt.logged, "|"), func(s string) bool { return strings.Contains(logs.String(), s) }) {
				t.Errorf("the log does not say %q:\n%s", tt.logged, logs.String())
			}
		})
	}
}

// tcpServer accepts connections on 127.0.0.1 and hands each to serve,
// then closes it. It returns the listener's host:port.
func tcpServer(t *testing.T, serve func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			serve(conn)
			conn.Close()
		}
	}()
	return ln.Addr().String()
}

// syncBuffer is a bytes.Buffer that a logger may write to from any
// goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestTestMessageFailure: each kind of failure has its sentence, every
// failure below HTTP the same one, and none carries the resolver's
// address, the dialled address or port, the receiver's body or the URL's
// secret path.
func TestTestMessageFailure(t *testing.T) {
	const hook = "https://hooks.example.com/services/T0/B0/s3cret"
	const unreachable = "The test message did not get through: no webhook answered at hooks.example.com. Check the address and port; copylab's log has the reason."
	dialled := &net.TCPAddr{IP: net.ParseIP("10.0.0.5"), Port: 8443}
	for _, tt := range []struct {
		name string
		err  error
		want string
	}{
		{"unknown name", &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "hooks.example.com", Server: "10.0.0.2:53", IsNotFound: true}},
			"The test message did not get through: copylab could not look up hooks.example.com."},
		{"resolver timeout", &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "i/o timeout", Name: "hooks.example.com", Server: "10.0.0.2:53", IsTimeout: true}},
			"The test message did not get through: copylab could not look up hooks.example.com."},
		{"name outside ASCII behind a proxy", &netguard.UncheckedError{Host: "hooks.exämple.com", Err: errors.New("a name outside ASCII cannot be checked before a proxy")},
			"The test message did not get through: copylab cannot check hooks.exämple.com before sending it through the proxy. Write the name in its xn-- form."},
		{"refused", &net.OpError{Op: "dial", Net: "tcp", Addr: dialled, Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, unreachable},
		{"unreachable", &net.OpError{Op: "dial", Net: "tcp", Addr: dialled, Err: os.NewSyscallError("connect", syscall.EHOSTUNREACH)}, unreachable},
		{"dial timeout", &net.OpError{Op: "dial", Net: "tcp", Addr: dialled, Err: os.ErrDeadlineExceeded}, unreachable},
		{"request timeout", context.DeadlineExceeded, unreachable},
		{"reset", &net.OpError{Op: "read", Net: "tcp", Addr: dialled, Err: os.NewSyscallError("read", syscall.ECONNRESET)}, unreachable},
		{"cut short", fmt.Errorf("read tcp 10.0.0.5:8443: %w", io.ErrUnexpectedEOF), unreachable},
		{"not HTTP", errors.New(`net/http: HTTP/1.x transport connection broken: malformed HTTP response "SSH-2.0-OpenSSH_9.6"`), unreachable},
		{"not TLS", tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}, unreachable},
		{"certificate", &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}},
			"The test message did not get through: copylab could not make a secure (TLS) connection to hooks.example.com."},
		{"plain HTTP on https", http.ErrSchemeMismatch,
			"The test message did not get through: copylab could not make a secure (TLS) connection to hooks.example.com."},
		{"alert", fmt.Errorf("remote error: %w", tls.AlertError(40)),
			"The test message did not get through: copylab could not make a secure (TLS) connection to hooks.example.com."},
		{"blocked", &net.OpError{Op: "dial", Net: "tcp", Err: &netguard.BlockedError{Host: "169.254.169.254"}},
			"The test message did not get through: hooks.example.com is a link-local or cloud metadata address, which copylab never connects to. copylab has paused notifications to it."},
		{"private", &net.OpError{Op: "dial", Net: "tcp", Err: &netguard.BlockedError{Host: "10.0.0.5", Private: true}},
			"The test message did not get through: hooks.example.com is on the computer copylab runs on or on a private network, where copylab does not post. If your chat server is on the internal network, ask whoever runs copylab to allow private addresses. copylab has paused notifications to it."},
		{"status", &errWebhook{status: 500, body: "invalid_token for 10.0.0.5"},
			"The test message did not get through to hooks.example.com: the webhook answered 500."},
		{"not allowed", &errWebhook{status: 403, body: "invalid_token for 10.0.0.5"},
			"The test message did not get through to hooks.example.com: the webhook answered 403: it does not let copylab post (its token may have been revoked, or posting to the channel restricted). copylab has paused notifications to it."},
		{"message refused", &errWebhook{status: 400, body: "invalid_payload for 10.0.0.5"},
			"The test message did not get through to hooks.example.com: the webhook refused the message (400 Bad Request); it may want another format than copylab sends. copylab's log has the webhook's answer."},
		{"redirect", &errWebhook{status: 301},
			"The test message did not get through to hooks.example.com: the webhook answered 301: a redirect, which copylab does not follow. Paste the address it redirects to. copylab has paused notifications to it."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := testMessageFailure(hook, tt.err)
			if got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
			for _, leak := range []string{"10.0.0", ":53", "8443", "s3cret", "invalid_", "connection refused", "reset", "SSH"} {
				if strings.Contains(got, leak) {
					t.Errorf("%q leaks %q", got, leak)
				}
			}
		})
	}
}

// TestNotifyElementMissing: when the tag stops finding a running test's
// element, the site hears once, with the selector and the share of page
// views it was missing from.
func TestNotifyElementMissing(t *testing.T) {
	e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
	ctx := context.Background()
	h := newHook(t)
	site := e.site("Shop")
	x := e.experiment(site.ID, "Pricing hero", "Original headline", "Better headline")
	e.transition(x.ID, experiments.ActionStart)
	setWebhook(t, e, site.ID, h.URL+"/hook")
	wantStatus(t, e.postEvents(eventBody(site.Key, "seen", x.ID, "b", false)), http.StatusNoContent, "")
	if n := e.app.notifyOnce(ctx); n != 0 {
		t.Fatalf("%d sent while the element is found", n)
	}
	for i := range 12 {
		body := `{"site":"` + site.Key + `","visitor":"gone` + itoa(i) + `","events":[{"id":"` + uuid.Must(uuid.NewV7()).String() +
			`","type":"exposure","experiment":"` + x.ID + `","variant":"b","matched":false,"url":"/pricing"}]}`
		wantStatus(t, e.postEvents(body), http.StatusNoContent, "")
	}
	if n := e.app.notifyOnce(ctx); n != 1 {
		t.Fatalf("%d sent, want the missing element's message", n)
	}
	if n := e.app.notifyOnce(ctx); n != 0 {
		t.Fatalf("%d sent again", n)
	}
	got := h.received()
	if len(got) != 1 {
		t.Fatalf("webhook got %v", got)
	}
	v, _ := got[0]["verdict"].(map[string]any)
	c := e.signIn("owner@example.com")
	_, page := c.get("/sites/" + site.ID)
	wantContains(t, page, "Latest messages", "The element is going missing: <a href=\"/experiments/"+x.ID+"/results\" dir=\"auto\">Pricing hero</a>")
	if got[0]["title"] != "The element is going missing: “Pricing hero” on Shop" || v["status"] != "element_missing" ||
		!strings.Contains(v["text"].(string), "The element [data-copylab=\"hero\"] on /pricing is going missing.\nVariant B: since the test started the element was not found in 92.3% of page views (12 of 13)") {
		t.Errorf("message %v", got[0])
	}
}

// TestTestMessageLimit: a user sends one test message every 6 s at most;
// the next one is refused with a sentence that says when to try again, and
// nothing is posted. Another user has a limit of their own.
func TestTestMessageLimit(t *testing.T) {
	e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
	clock := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	e.app.testSends.now = func() time.Time { return clock }
	e.app.testSends.epoch = clock
	h := newHook(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	resp, _ := c.post("/sites/"+site.ID+"/notifications", url.Values{"webhook_url": {h.URL + "/hook"}})
	wantStatus(t, resp, http.StatusSeeOther, "")

	c.post("/sites/"+site.ID+"/notifications/test", nil)
	_, body := c.get("/sites/" + site.ID)
	wantContains(t, body, "Test message sent to 127.0.0.1")
	clock = clock.Add(2 * time.Second)
	c.post("/sites/"+site.ID+"/notifications/test", nil)
	_, body = c.get("/sites/" + site.ID)
	wantContains(t, body, "You sent a test message a moment ago; send the next one in 4 s.")
	if got := len(h.received()); got != 1 {
		t.Fatalf("the webhook got %d messages, want 1", got)
	}

	other := e.signIn("colleague@example.com")
	other.post("/sites/"+site.ID+"/notifications/test", nil)
	_, body = other.get("/sites/" + site.ID)
	wantContains(t, body, "Test message sent to 127.0.0.1")

	clock = clock.Add(4 * time.Second)
	c.post("/sites/"+site.ID+"/notifications/test", nil)
	_, body = c.get("/sites/" + site.ID)
	wantContains(t, body, "Test message sent to 127.0.0.1")
	if got := len(h.received()); got != 3 {
		t.Errorf("the webhook got %d messages, want 3", got)
	}
}
