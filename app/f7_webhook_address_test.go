package app

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"sync/atomic"
	"testing"
	"time"
)

// f7OwnAddresses are this machine's addresses outside loopback and
// link-local (those are refused anyway): the ones a webhook on "this
// computer" could still reach by its network address.
func f7OwnAddresses(t *testing.T) []netip.Addr {
	t.Helper()
	ifaddrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Skipf("cannot read this machine's addresses: %v", err)
	}
	var out []netip.Addr
	for _, a := range ifaddrs {
		n, ok := a.(*net.IPNet)
		if !ok {
			continue
		}
		ip, ok := netip.AddrFromSlice(n.IP)
		if !ok {
			continue
		}
		ip = ip.Unmap()
		if ip.IsLoopback() || ip.IsLinkLocalUnicast() || ip.IsUnspecified() {
			continue
		}
		out = append(out, ip)
	}
	if len(out) == 0 {
		t.Skip("this machine has no address outside loopback and link-local")
	}
	return out
}

// f7Listener is a TCP listener on addr that counts the connections it
// gets and closes each at once (a TLS handshake then fails fast, instead
// of waiting out the webhook timeout). It stops with the test.
func f7Listener(t *testing.T, addr netip.Addr) (hostport string, conns *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", netip.AddrPortFrom(addr, 0).String())
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	conns = new(atomic.Int32)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			c.Close()
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return ln.Addr().String(), conns
}

// TestF7WebhookOwnAddressRefused: a webhook at one of this machine's own
// addresses other than loopback (its eth0 address, say) is copylab's own
// computer as much as 127.0.0.1 is. By default it is refused when saved
// (422, the private-address sentence), the test message of one saved
// before does not connect to it, and the webhook client's dialer refuses
// it too. With --webhook-allow-private it is reached, as today.
func TestF7WebhookOwnAddressRefused(t *testing.T) {
	for _, ip := range f7OwnAddresses(t) {
		t.Run(ip.String(), func(t *testing.T) {
			hostport, conns := f7Listener(t, ip)
			raw := "https://" + hostport + "/h"

			e := newEnv(t)
			e.app.testSends = nil
			c := e.signIn("owner@example.com")
			site := e.site("Shop")
			resp, body := c.post("/sites/"+site.ID+"/notifications", url.Values{"webhook_url": {raw}})
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("saving %s: status %d, want 422", raw, resp.StatusCode)
			}
			wantContains(t, body, "That address is on the computer copylab runs on or on a private network", askOperator)
			if s, _ := e.store.Site(context.Background(), site.ID); s.WebhookURL != "" {
				t.Errorf("saved as %q", s.WebhookURL)
			}

			// Saved before copylab refused it: the test message does not
			// go there, and says why.
			setWebhook(t, e, site.ID, raw)
			resp, _ = c.post("/sites/"+site.ID+"/notifications/test", nil)
			wantStatus(t, resp, http.StatusSeeOther, "")
			wantContains(t, notifyCard(t, c, site.ID), "The test message did not get through: "+hostport+" is on the computer copylab runs on or on a private network")

			// The dialer, which judges the address actually connected to
			// (a name resolving to this address gets only this check).
			req, _ := http.NewRequest(http.MethodPost, raw, nil)
			if resp, err := e.app.webhooks.Do(req); err == nil {
				resp.Body.Close()
				t.Errorf("the webhook client reached %s", hostport)
			}
			if n := conns.Load(); n != 0 {
				t.Fatalf("copylab connected to its own address %s %d times", hostport, n)
			}

			// Allowed by whoever runs copylab: saved, and reached.
			open := newEnvConfig(t, allowPrivateWebhooks)
			open.app.testSends = nil
			oc := open.signIn("owner@example.com")
			osite := open.site("Shop")
			resp, body = oc.post("/sites/"+osite.ID+"/notifications", url.Values{"webhook_url": {raw}})
			wantStatus(t, resp, http.StatusSeeOther, body)
			resp, _ = oc.post("/sites/"+osite.ID+"/notifications/test", nil)
			wantStatus(t, resp, http.StatusSeeOther, "")
			deadline := time.Now().Add(5 * time.Second)
			for conns.Load() == 0 && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if conns.Load() == 0 {
				t.Errorf("with private addresses allowed, the test message did not reach %s", hostport)
			}
		})
	}
}

// TestF7WebhookSpecialRangesRefusedOnSave: addresses in the IANA
// special-purpose ranges that are never a public web server (this
// network, shared address space, IETF protocol assignments, the three
// documentation networks, benchmarking, reserved and broadcast; IPv6
// discard-only, documentation, unique local, and NAT64 of a private or
// documentation address) are refused when saved by default, with the
// private-address sentence, and saved with --webhook-allow-private. Their
// neighbours just outside are public and saved either way.
func TestF7WebhookSpecialRangesRefusedOnSave(t *testing.T) {
	refused := []string{
		"0.1.2.3",
		"100.64.0.1", "100.127.255.254",
		"192.0.0.1", "192.0.0.255",
		"192.0.2.1", "192.0.2.255",
		"198.18.0.1", "198.19.255.254",
		"198.51.100.7",
		"203.0.113.9",
		"240.0.0.1", "254.1.2.3", "255.255.255.254", "255.255.255.255",
		"[100::1]", "[100::ffff:ffff:ffff:ffff]",
		"[2001:db8::1]", "[2001:db8:ffff::1]",
		"[fc00::1]", "[fd12:3456::1]",
		"[64:ff9b::a00:1]",      // NAT64 of 10.0.0.1
		"[64:ff9b::c000:201]",   // NAT64 of 192.0.2.1
		"[::ffff:198.51.100.7]", // IPv4-mapped
	}
	public := []string{
		"8.8.8.8", "100.63.255.255", "100.128.0.1", "192.0.1.255", "192.0.3.1",
		"198.17.255.255", "198.20.0.1", "198.51.99.1", "198.51.101.1", "203.0.112.1", "203.0.114.1", "223.255.255.254",
		"[100:0:0:1::1]", "[2001:db9::1]", "[2a00:1450:4001::200e]", "[64:ff9b::808:808]",
	}
	save := func(t *testing.T, c *client, siteID, host string) (int, string) {
		t.Helper()
		resp, body := c.post("/sites/"+siteID+"/notifications", url.Values{"webhook_url": {"https://" + host + "/hooks/x"}})
		return resp.StatusCode, body
	}

	strict := newEnv(t)
	sc := strict.signIn("owner@example.com")
	ssite := strict.site("Shop")
	open := newEnvConfig(t, allowPrivateWebhooks)
	oc := open.signIn("owner@example.com")
	osite := open.site("Shop")
	for _, host := range refused {
		t.Run(host, func(t *testing.T) {
			status, body := save(t, sc, ssite.ID, host)
			if status != http.StatusUnprocessableEntity {
				t.Errorf("saved by default: status %d, want 422", status)
			}
			wantContains(t, body, "That address is on the computer copylab runs on or on a private network", askOperator)
			if status, body := save(t, oc, osite.ID, host); status != http.StatusSeeOther {
				t.Errorf("with private addresses allowed: status %d, want 303\n%.500s", status, body)
			}
		})
	}
	for _, host := range public {
		t.Run(host, func(t *testing.T) {
			if status, body := save(t, sc, ssite.ID, host); status != http.StatusSeeOther {
				t.Errorf("a public address refused: status %d, want 303\n%.500s", status, body)
			}
		})
	}
}
