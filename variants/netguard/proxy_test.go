package netguard

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeProxy is a forward proxy on 127.0.0.1 that records what it is asked
// for. It answers plain-HTTP requests itself, and tunnels every CONNECT to
// tunnelTo whatever the CONNECT names, so that no request leaves
// 127.0.0.1.
type fakeProxy struct {
	*httptest.Server
	tunnelTo string // host:port a CONNECT is tunnelled to

	mu    sync.Mutex
	asked []string // "GET http://host/path" or "CONNECT host:port", in order
}

func newFakeProxy(t *testing.T, tunnelTo string) *fakeProxy {
	t.Helper()
	p := &fakeProxy{tunnelTo: tunnelTo}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodConnect {
			p.record("CONNECT " + r.Host)
			p.tunnel(t, w)
			return
		}
		p.record(r.Method + " " + r.URL.String())
		io.WriteString(w, "from the proxy")
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *fakeProxy) record(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.asked = append(p.asked, s)
}

func (p *fakeProxy) requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.asked...)
}

func (p *fakeProxy) tunnel(t *testing.T, w http.ResponseWriter) {
	up, err := net.Dial("tcp", p.tunnelTo)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	down, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		up.Close()
		t.Errorf("hijack: %v", err)
		return
	}
	io.WriteString(down, "HTTP/1.1 200 Connection established\r\n\r\n")
	go func() { io.Copy(up, buf); up.Close() }()
	go func() { io.Copy(down, up); down.Close() }()
}

// proxyAllBut sends every request to proxy except those for the hosts in
// direct, as NO_PROXY would.
func proxyAllBut(proxy string, direct ...string) proxyFunc {
	u, _ := url.Parse(proxy)
	return func(r *http.Request) (*url.URL, error) {
		for _, h := range direct {
			if r.URL.Hostname() == h {
				return nil, nil
			}
		}
		return u, nil
	}
}

// fakeDNS answers lookups from a table and records the names asked; a name
// not in the table does not exist.
type fakeDNS struct {
	mu     sync.Mutex
	table  map[string][]string
	looked []string
}

func (d *fakeDNS) lookup(_ context.Context, _, host string) ([]netip.Addr, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.looked = append(d.looked, host)
	addrs, ok := d.table[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	var out []netip.Addr
	for _, a := range addrs {
		out = append(out, netip.MustParseAddr(a))
	}
	return out, nil
}

func (d *fakeDNS) names() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.looked...)
}

// TestProxyCarriesPermittedRequests: with a proxy configured, a request
// for a permitted host goes through it, plain HTTP as an absolute-URI
// request and HTTPS as a CONNECT tunnel, and copylab looks the name up
// itself before asking. No name or address here is dialled but 127.0.0.1.
func TestProxyCarriesPermittedRequests(t *testing.T) {
	behind := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "through the tunnel to "+r.Host)
	}))
	t.Cleanup(behind.Close)
	proxy := newFakeProxy(t, behind.Listener.Addr().String())
	dns := &fakeDNS{table: map[string][]string{"example.com": {"93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"}}}
	client := local.newClient(3*time.Second, proxyAllBut(proxy.URL), dns.lookup)
	// The tunnelled server's certificate is for example.com, signed by
	// httptest's own authority.
	client.Transport.(*routedTransport).base.TLSClientConfig = behind.Client().Transport.(*http.Transport).TLSClientConfig.Clone()

	for _, tt := range []struct{ url, body string }{
		{"http://10.20.30.40:8080/hooks/abc", "from the proxy"},
		{"http://example.com/hooks/abc", "from the proxy"},
		{"https://example.com/v1/chat/completions", "through the tunnel to example.com"},
	} {
		resp, err := client.Get(tt.url)
		if err != nil {
			t.Errorf("%s: %v", tt.url, err)
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) != tt.body {
			t.Errorf("%s: answered %q, want %q", tt.url, body, tt.body)
		}
	}
	want := []string{"GET http://10.20.30.40:8080/hooks/abc", "GET http://example.com/hooks/abc", "CONNECT example.com:443"}
	if got := proxy.requests(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("the proxy was asked\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := dns.names(); len(got) != 2 || got[0] != "example.com" || got[1] != "example.com" {
		t.Errorf("looked up %q, want example.com before each request for it", got)
	}
}

// TestProxyNeverAskedForBlockedTargets: a request whose host is a
// metadata name, a blocked address in any spelling, or a name that
// resolves to one (among other addresses) is refused before the proxy
// hears of it, and so is a name outside ASCII, whose punycode spelling the
// proxy would get.
func TestProxyNeverAskedForBlockedTargets(t *testing.T) {
	proxy := newFakeProxy(t, "127.0.0.1:9") // never reached
	dns := &fakeDNS{table: map[string][]string{
		"rebind.example": {"93.184.215.14", "169.254.169.254"},
		"nat64.example":  {"64:ff9b::a9fe:a9fe"},
		"v6meta.example": {"fd00:ec2::254"},
	}}
	client := local.newClient(3*time.Second, proxyAllBut(proxy.URL), dns.lookup)

	for _, tt := range []struct {
		url, host string // host: sent as the Host header when set
		unchecked bool   // refused because the name cannot be judged
		looksUp   bool   // the name is looked up; literals and metadata names are not
	}{
		{url: "http://169.254.169.254/latest/meta-data/"},
		{url: "https://169.254.169.254/latest/meta-data/"},
		{url: "http://[fd00:ec2::254]/"},
		{url: "http://[64:ff9b::a9fe:a9fe]/"},
		{url: "http://2852039166/"},
		{url: "http://0xa9fea9fe/"},
		{url: "http://100.100.100.200/"},
		{url: "http://metadata.google.internal/computeMetadata/v1/"},
		{url: "https://METADATA.google.internal./computeMetadata/v1/"},
		{url: "http://rebind.example/", looksUp: true},
		{url: "https://rebind.example/", looksUp: true},
		{url: "http://nat64.example/", looksUp: true},
		{url: "https://v6meta.example:8443/", looksUp: true},
		{url: "http://10.0.0.7/", host: "169.254.169.254"},
		{url: "http://10.0.0.7/", host: "rebind.example:80", looksUp: true},
		{url: "https://bücher.example/", unchecked: true},
	} {
		t.Run(tt.url+" "+tt.host, func(t *testing.T) {
			before := len(dns.names())
			req, _ := http.NewRequest(http.MethodGet, tt.url, nil)
			req.Host = tt.host
			start := time.Now()
			resp, err := client.Do(req)
			if err == nil {
				resp.Body.Close()
				t.Fatalf("went through: %s", resp.Status)
			}
			var blocked *BlockedError
			var unchecked *UncheckedError
			switch {
			case tt.unchecked && !errors.As(err, &unchecked):
				t.Errorf("err = %v, want a host that could not be checked", err)
			case !tt.unchecked && !errors.As(err, &blocked):
				t.Errorf("err = %v, want a blocked address", err)
			}
			if looked := len(dns.names()) > before; looked != tt.looksUp {
				t.Errorf("looked up: %v, want %v (%q)", looked, tt.looksUp, dns.names()[before:])
			}
			if took := time.Since(start); took > 3*time.Second { // a dial would wait far longer; load adds some
				t.Errorf("took %v; the refusal should come before any connection", took)
			}
		})
	}
	if got := proxy.requests(); len(got) != 0 {
		t.Errorf("the proxy was asked for %q", got)
	}
}

// TestProxyResolvesUnknownNames: a name copylab cannot resolve (behind an
// egress proxy the host often has no outside DNS) is looked up, then left
// to the proxy, which resolves it itself.
func TestProxyResolvesUnknownNames(t *testing.T) {
	proxy := newFakeProxy(t, "127.0.0.1:9")
	dns := &fakeDNS{table: map[string][]string{}}
	client := local.newClient(3*time.Second, proxyAllBut(proxy.URL), dns.lookup)
	resp, err := client.Get("http://llm.outside.example/v1/models")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "from the proxy" {
		t.Errorf("answered %q, want the proxy's answer", body)
	}
	if got := proxy.requests(); len(got) != 1 || got[0] != "GET http://llm.outside.example/v1/models" {
		t.Errorf("the proxy was asked %q", got)
	}
	if got := dns.names(); len(got) != 1 || got[0] != "llm.outside.example" {
		t.Errorf("looked up %q, want the name once before the proxy", got)
	}
}

// TestNoProxyGoesDirect: a host the proxy function exempts (NO_PROXY) is
// dialled directly, and the dialer still judges the address it connects
// to.
func TestNoProxyGoesDirect(t *testing.T) {
	proxy := newFakeProxy(t, "127.0.0.1:9")
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "direct")
	}))
	t.Cleanup(target.Close)
	dns := &fakeDNS{}
	client := local.newClient(3*time.Second, proxyAllBut(proxy.URL, "127.0.0.1", "169.254.169.254"), dns.lookup)

	resp, err := client.Get(target.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "direct" {
		t.Errorf("answered %q, want the target's own answer", body)
	}
	_, err = client.Get("http://169.254.169.254/latest/meta-data/")
	if be := (*BlockedError)(nil); !errors.As(err, &be) {
		t.Errorf("a metadata address exempt from the proxy: err = %v, want refused at dial time", err)
	}
	if got := proxy.requests(); len(got) != 0 {
		t.Errorf("the proxy was asked for %q", got)
	}
	if got := dns.names(); len(got) != 0 {
		t.Errorf("looked up %q: a direct request is judged when dialled", got)
	}
}

// envChild names the variable that makes TestEnvironmentProxy's own binary
// act as the child: http.ProxyFromEnvironment reads the environment once
// per process, so each environment gets a fresh process.
const envChild = "NETGUARD_ENV_PROXY_CHILD"

// TestEnvironmentProxy runs NewClient as shipped in a child process with
// HTTP_PROXY, HTTPS_PROXY and NO_PROXY set: the environment's proxy
// carries a permitted request, NO_PROXY sends it direct, and a metadata
// address is refused either way. The target is 0.0.0.0, which
// ProxyFromEnvironment does not treat as loopback (it proxies it unless
// NO_PROXY says otherwise) and which Linux and macOS dial as this host.
func TestEnvironmentProxy(t *testing.T) {
	if os.Getenv(envChild) != "" {
		envProxyChild()
		return
	}
	var direct sync.Map
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		direct.Store(r.URL.Path, true)
		io.WriteString(w, "direct")
	}))
	t.Cleanup(target.Close)
	_, port, _ := net.SplitHostPort(target.Listener.Addr().String())
	viaZero := "http://0.0.0.0:" + port

	for _, tt := range []struct {
		name, noProxy, want string
		proxied             []string
	}{
		{"through the proxy", "", "from the proxy", []string{"GET " + viaZero + "/proxied"}},
		{"NO_PROXY", "example.org, 0.0.0.0", "direct", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			proxy := newFakeProxy(t, "127.0.0.1:9")
			path := "/proxied"
			if tt.proxied == nil {
				path = "/direct"
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestEnvironmentProxy$", "-test.count=1")
			cmd.Env = append(cleanEnv(),
				envChild+"=1", "CHILD_URLS="+viaZero+path+" http://169.254.169.254/latest/meta-data/",
				"HTTP_PROXY="+proxy.URL, "HTTPS_PROXY="+proxy.URL, "NO_PROXY="+tt.noProxy)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			got := childResults(string(out))
			if len(got) != 2 || got[0] != "ok "+tt.want || !strings.HasPrefix(got[1], "blocked ") {
				t.Errorf("child saw %q, want [ok %s, blocked …]\n%s", got, tt.want, out)
			}
			if p := proxy.requests(); strings.Join(p, ",") != strings.Join(tt.proxied, ",") {
				t.Errorf("the proxy was asked for %q, want %q", p, tt.proxied)
			}
			if _, ok := direct.Load(path); ok != (tt.proxied == nil) {
				t.Errorf("the target got %s directly: %v", path, ok)
			}
		})
	}
}

// cleanEnv is this process's environment without any proxy setting.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch strings.ToUpper(k) {
		case "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "REQUEST_METHOD", envChild:
			continue
		}
		env = append(env, kv)
	}
	return env
}

// envProxyChild fetches each of CHILD_URLS with NewClient and prints one
// result line each.
func envProxyChild() {
	client := NewClient(3 * time.Second)
	for _, u := range strings.Fields(os.Getenv("CHILD_URLS")) {
		resp, err := client.Get(u)
		var be *BlockedError
		switch {
		case errors.As(err, &be):
			fmt.Println("result: blocked", be.Host)
		case err != nil:
			fmt.Println("result: error", err)
		default:
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			fmt.Println("result: ok", string(body))
		}
	}
}

func childResults(out string) []string {
	var got []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if r, ok := strings.CutPrefix(sc.Text(), "result: "); ok {
			got = append(got, r)
		}
	}
	return got
}
