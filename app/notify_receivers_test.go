package app

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// routeWebhooksTo sends every webhook the app posts to h, whatever its
// host: a test cannot reach hooks.slack.com or discord.com, and the format
// a receiver gets depends on the host in its URL. It returns the
// addresses copylab asked for, to check the request left for the host
// the URL names.
func routeWebhooksTo(t *testing.T, e *env, h *hook) func() []string {
	t.Helper()
	var mu sync.Mutex
	var asked []string
	local := h.Listener.Addr().String()
	e.app.webhooks = &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			mu.Lock()
			asked = append(asked, addr)
			mu.Unlock()
			var d net.Dialer
			return d.DialContext(ctx, network, local)
		},
	}}
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), asked...)
	}
}

// TestWebhookReceiverHosts: every host a platform gives webhooks on gets
// the platform's format, end to end: the verdict's message is posted by
// the notifier to a receiver standing in for that host. Discord's test
// builds and old domain take Discord's body, GovSlack Slack's, and Teams'
// workflows (Power Automate, old and new URLs, in the public cloud and in
// the U.S. Government and China clouds) an Adaptive Card; a host that only
// looks like one of them gets the generic JSON.
func TestWebhookReceiverHosts(t *testing.T) {
	for _, tc := range []struct {
		url, format string
	}{
		{"http://discord.com/api/webhooks/1/abc", "discord"},
		{"http://ptb.discord.com/api/webhooks/1/abc", "discord"},
		{"http://canary.discord.com/api/webhooks/1/abc", "discord"},
		{"http://discordapp.com/api/webhooks/1/abc", "discord"},
		{"http://ptb.discordapp.com/api/webhooks/1/abc", "discord"},
		{"http://canary.discordapp.com/api/webhooks/1/abc", "discord"},
		{"http://Canary.DiscordApp.com./api/webhooks/1/abc", "discord"},
		{"http://prod-30.centraluseuap.logic.azure.com:443/workflows/873e29ec/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=s3cret", "workflow"},
		{"http://default1a2b3c.4d.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/c318/triggers/manual/paths/invoke?api-version=1&sig=s3cret", "workflow"},
		{"http://acme.webhook.office.com/webhookb2/abc", "teams"},
		{"http://hooks.slack.com/services/T0/B0/XXX", "slack"},
		// GovSlack, and the sovereign clouds' Power Automate flows.
		{"http://hooks.slack-gov.com/services/T0/B0/XXX", "slack"},
		{"http://prod-58.usgovtexas.logic.azure.us:443/workflows/ceef/triggers/manual/paths/invoke?api-version=2016-06-01&sig=s3cret", "workflow"},
		{"http://default1a.2b.environment.api.gov.powerplatform.microsoft.us/powerautomate/automations/direct/workflows/c318/triggers/manual/paths/invoke?sig=s3cret", "workflow"},
		{"http://default1a.2b.environment.api.high.powerplatform.microsoft.us/powerautomate/automations/direct/workflows/c318/triggers/manual/paths/invoke?sig=s3cret", "workflow"},
		{"http://default1a.2b.environment.api.appsplatform.us/powerautomate/automations/direct/workflows/c318/triggers/manual/paths/invoke?sig=s3cret", "workflow"},
		{"http://prod-01.chinaeast2.logic.azure.cn/workflows/ceef/triggers/manual/paths/invoke?sig=s3cret", "workflow"},
		{"http://default1a.2b.environment.api.powerplatform.partner.microsoftonline.cn/powerautomate/automations/direct/workflows/c318/triggers/manual/paths/invoke?sig=s3cret", "workflow"},
		{"http://hooks.slack-gov.com.evil.example/services/T0/B0/XXX", "generic"},
		{"http://slack-gov.com/services/T0/B0/XXX", "generic"},
		{"http://prod-58.usgovtexas.logic.azure.us/other/path", "generic"},
		{"http://api.appsplatform.us.evil.example/workflows/1", "generic"},
		{"http://logic.azure.us/workflows/1", "generic"},
		{"http://notdiscord.com/api/webhooks/1/abc", "generic"},
		{"http://discord.com.evil.example/api/webhooks/1/abc", "generic"},
		{"http://prod-30.centraluseuap.logic.azure.com/other/path", "generic"},
		{"http://api.powerplatform.com.evil.example/workflows/1", "generic"},
	} {
		t.Run(tc.url, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			h := newHook(t)
			asked := routeWebhooksTo(t, e, h)
			site := e.site("Shop")
			x := winnerOn(e, site, "Pricing hero")
			setWebhook(t, e, site.ID, tc.url)
			if n := e.app.notifyOnce(ctx); n != 1 {
				t.Fatalf("sent %d, want the winner", n)
			}
			u, _ := url.Parse(tc.url)
			port := u.Port()
			if port == "" {
				port = "80"
			}
			if got := asked(); len(got) != 1 || got[0] != net.JoinHostPort(u.Hostname(), port) {
				t.Fatalf("copylab dialled %q, want %s", got, u.Host)
			}
			got := h.received()
			if len(got) != 1 {
				t.Fatalf("receiver got %v", got)
			}
			body := got[0]
			results := testPublicURL + "/experiments/" + x.ID + "/results"
			switch tc.format {
			case "discord":
				content, _ := body["content"].(string)
				am, _ := json.Marshal(body["allowed_mentions"])
				if !strings.HasPrefix(content, "**We have a winner: “Pricing hero” on Shop**\n") || string(am) != `{"parse":[]}` || len(body) != 2 {
					t.Errorf("not Discord's body: %v", body)
				}
			case "workflow":
				wantAdaptiveCard(t, body, "We have a winner: “Pricing hero” on Shop", results)
			case "teams", "slack":
				text, _ := body["text"].(string)
				if len(body) != 1 || !strings.Contains(text, "We have a winner") {
					t.Errorf("not the %s body: %v", tc.format, body)
				}
			case "generic":
				if body["title"] != "We have a winner: “Pricing hero” on Shop" || body["plain_text"] == nil {
					t.Errorf("not the generic body: %v", body)
				}
			}
		})
	}
}

// wantAdaptiveCard checks a Teams workflow message: one Adaptive Card
// whose first block is the title, as typed, and whose button opens link.
// It returns the card's text runs after the title, one per line.
func wantAdaptiveCard(t *testing.T, body map[string]any, title, link string) []string {
	t.Helper()
	raw, _ := json.Marshal(body)
	var m struct {
		Type        string
		Attachments []struct {
			ContentType string
			ContentURL  *string `json:"contentUrl"`
			Content     struct {
				Type, Version string
				Body          []struct {
					Type    string
					Text    *string
					Inlines []struct{ Type, Text, Weight string }
				}
				Actions []struct{ Type, Title, URL string }
			}
		}
	}
	if err := json.Unmarshal(raw, &m); err != nil || m.Type != "message" || len(m.Attachments) != 1 ||
		m.Attachments[0].ContentType != "application/vnd.microsoft.card.adaptive" || m.Attachments[0].Content.Type != "AdaptiveCard" {
		t.Fatalf("not a Teams workflow message: %s", raw)
	}
	c := m.Attachments[0].Content
	if len(c.Actions) != 1 || c.Actions[0].Type != "Action.OpenUrl" || c.Actions[0].URL != link || c.Actions[0].Title != "Open the results" {
		t.Errorf("actions %+v, want a button to %s", c.Actions, link)
	}
	var runs []string
	for i, b := range c.Body {
		// Only text runs: a TextBlock reads markdown in what people typed.
		if b.Type != "RichTextBlock" || b.Text != nil || len(b.Inlines) != 1 || b.Inlines[0].Type != "TextRun" {
			t.Fatalf("block %d is %s", i, raw)
		}
		runs = append(runs, b.Inlines[0].Text)
	}
	if len(runs) < 2 || runs[0] != title || c.Body[0].Inlines[0].Weight != "bolder" {
		t.Fatalf("card %s, want the title %q first, in bold", raw, title)
	}
	return runs[1:]
}

// TestWebhookBodyTeamsWorkflowNames: in a Teams workflow's card the names
// people typed show as typed, markup and all, and every line of the
// message is a line of the card.
func TestWebhookBodyTeamsWorkflowNames(t *testing.T) {
	n := notice{
		Title: "We have a winner: “[Reset your password](https://evil.example) **now**” on Shop <at>everyone</at> &amp;",
		Text:  "The element [data-copylab=\"hero\"] on /pricing is going missing.\nVariant B: - item _x_ {{DATE(2017-02-14T06:00:00Z, SHORT)}}",
		URL:   "https://copylab.example/experiments/x/results",
	}
	u, _ := url.Parse("https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=x")
	raw, _ := json.Marshal(webhookBody(u, n))
	var body map[string]any
	json.Unmarshal(raw, &body)
	lines := wantAdaptiveCard(t, body, n.Title, n.URL)
	if got := strings.Join(lines, "\n"); got != n.Text {
		t.Errorf("card text %q, want %q as typed", got, n.Text)
	}
}
