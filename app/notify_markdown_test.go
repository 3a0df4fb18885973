package app

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"copylab/experiments"
)

// hostileNotice is a message whose every user-typed part tries to ping a
// channel, hide a link behind a label, load an image or restyle the message,
// in the syntax of Mattermost, Rocket.Chat, Zulip and Slack-compatible hooks.
func hostileNotice() notice {
	const name = "[Reset your password](https://evil.example/login) @channel @all @here @ann <!channel> <!here> " +
		"<@U123> <https://evil.example|Open the results> @**all** @_**ann** &#64;channel &lt;b&gt;"
	return notice{
		Title: "We have a winner: “" + name + "” on Shop @channel",
		Text: "The element [data-copylab=\"hero\"] on /pricing: *bold* _it_ ~~gone~~ `code` \\*still\\* [x][ref] " +
			"![pixel](https://evil.example/p.gif) <img src=x>\n# Heading\n> quote\n  - item\n+ item\n12. item\n3) item\n" +
			"=====\n[ref]: https://evil.example/ref\n[x]: https://evil.example/x",
		URL:        "https://copylab.example/experiments/x/results",
		Experiment: noticeExperiment{ID: "x", Name: name, Site: "Shop @channel", ResultsURL: "https://copylab.example/experiments/x/results"},
		Verdict:    noticeVerdict{Status: "winner", Text: "Variant [B](https://evil.example) @here wins."},
	}
}

// commonmarkUnescape reads backslash escapes as CommonMark does: a
// backslash before ASCII punctuation stands for that character.
var commonmarkEscape = regexp.MustCompile(`\\([!-/:-@\[-` + "`" + `{-~])`)

func commonmarkUnescape(s string) string { return commonmarkEscape.ReplaceAllString(s, "$1") }

// mattermostMentions are the words Mattermost's server would take as
// mentions in text it has already read as markdown: it splits on anything
// but letters, digits and ":.-_@" (app/mention_parser_standard.go).
func mattermostMentions(text string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(text, func(c rune) bool {
		return !(c == ':' || c == '.' || c == '-' || c == '_' || c == '@' || unicode.IsLetter(c) || unicode.IsNumber(c))
	}) {
		w = strings.TrimLeft(w, ":.-_")
		if len(w) > 1 && w[0] == '@' {
			out = append(out, w)
		}
	}
	return out
}

// rocketMention is how Rocket.Chat finds a mention: "@" and a name, after
// a space, the start, or markup.
var rocketMention = regexp.MustCompile(`(^|[\s>_*~])@[0-9a-zA-Z_.-]+`)

// TestWebhookBodyGenericMarkdown: a receiver that is not Slack, Discord or
// Teams gets a "text" that Mattermost, Rocket.Chat and Zulip show as typed:
// it pings no one, links nothing behind a label, loads no image and
// restyles nothing; copylab's results link is left as it is. Programs
// still get every name unescaped, and the whole message in "plain_text".
func TestWebhookBodyGenericMarkdown(t *testing.T) {
	n := hostileNotice()
	u, _ := url.Parse("https://chat.example/hooks/xyz")
	b, err := json.Marshal(webhookBody(u, n))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Title      string           `json:"title"`
		Text       string           `json:"text"`
		PlainText  string           `json:"plain_text"`
		URL        string           `json:"url"`
		Experiment noticeExperiment `json:"experiment"`
		Verdict    noticeVerdict    `json:"verdict"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}

	// The machine fields are as before: unescaped.
	plain := n.Title + "\n" + n.Text + "\n" + n.URL
	if m.PlainText != plain || m.Title != n.Title || m.URL != n.URL || m.Experiment != n.Experiment || m.Verdict != n.Verdict {
		t.Errorf("machine fields changed: %s", b)
	}

	text, ok := strings.CutSuffix(m.Text, "\n"+n.URL)
	if !ok {
		t.Fatalf("the results link is not the last line, as it was: %q", m.Text)
	}
	// Read as typed, once the escapes are read.
	if got := strings.ReplaceAll(commonmarkUnescape(text), zeroWidthSpace, ""); got != n.Title+"\n"+n.Text {
		t.Errorf("reads\n%q\nwant\n%q", got, n.Title+"\n"+n.Text)
	}

	// Readers that honour backslash escapes (Mattermost, Zulip) and
	// readers that do not (Rocket.Chat) must both find nothing.
	for _, reading := range []struct{ name, text string }{{"raw", text}, {"escapes read", commonmarkUnescape(text)}} {
		t.Run(reading.name, func(t *testing.T) {
			s := reading.text
			if got := mattermostMentions(s); len(got) > 0 {
				t.Errorf("Mattermost pings %q", got)
			}
			if got := rocketMention.FindAllString(s, -1); len(got) > 0 {
				t.Errorf("Rocket.Chat pings %q", got)
			}
			for _, slack := range []string{"<!channel>", "<!here>", "<!all>", "<@U123>", "<https://evil.example|"} {
				if strings.Contains(s, slack) {
					t.Errorf("a Slack-compatible hook converts %q", slack)
				}
			}
			// A link, image or reference needs "](", "][" or "]:"; an
			// autolink or HTML "<" and a letter; a character reference "&"
			// and "#" or a letter; a Zulip mention "@*".
			if loc := regexp.MustCompile(`\][(\[:]|<[A-Za-z/!@]|&[#A-Za-z]|@\*`).FindStringIndex(s); loc != nil {
				t.Errorf("markup %q in %q", s[loc[0]:loc[1]], s)
			}
		})
	}
	// Emphasis, strike-through and code: every such character is escaped.
	if rest := regexp.MustCompile(`\\.`).ReplaceAllString(text, ""); strings.ContainsAny(rest, "*_~`\\") {
		t.Errorf("unescaped emphasis or code in %q", rest)
	}
	// No line starts a heading, quote, list or rule.
	for _, line := range strings.Split(text, "\n") {
		if regexp.MustCompile(`^ *([#>+=-]|[0-9]+[.)])`).MatchString(line) {
			t.Errorf("line %q starts a block", line)
		}
	}
}

// TestNotifyHostileSiteName: a site and an experiment named to ping
// everyone and phish reach a generic webhook (here on 127.0.0.1) escaped in
// "text", whether from the test message or from a verdict, and as typed
// everywhere a program reads.
func TestNotifyHostileSiteName(t *testing.T) {
	const siteName = "[Reset your password](https://evil.example) @channel"
	const expName = "@all <!channel> hero"
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	h := newHook(t)
	site := e.site(siteName)
	if _, err := e.store.SetSiteWebhook(context.Background(), site.ID, h.URL+"/hook"); err != nil {
		t.Fatal(err)
	}
	c.post("/sites/"+site.ID+"/notifications/test", nil)

	x := e.experiment(site.ID, expName, "Original headline", "Better headline")
	e.transition(x.ID, experiments.ActionStart)
	bulkResults(t, e.store, site, x, bulkSpec{Events: 20000, Start: e.app.now().AddDate(0, 0, -7), Days: 7, Seed: 3,
		Rates: map[string]float64{"control": 0.05, "b": 0.09}})
	if n := e.app.notifyOnce(context.Background()); n != 1 {
		t.Fatalf("%d sent, want the verdict", n)
	}

	got := h.received()
	if len(got) != 2 {
		t.Fatalf("webhook got %v", got)
	}
	for i, msg := range got {
		text, _ := msg["text"].(string)
		plain, _ := msg["plain_text"].(string)
		if strings.Contains(text, "](") || strings.Contains(text, "<!channel>") || len(mattermostMentions(commonmarkUnescape(text))) > 0 {
			t.Errorf("message %d: text %q", i, text)
		}
		if !strings.Contains(plain, siteName) || strings.ReplaceAll(commonmarkUnescape(text), zeroWidthSpace, "") != plain {
			t.Errorf("message %d: plain_text %q, text %q", i, plain, text)
		}
		if title, _ := msg["title"].(string); !strings.Contains(title, siteName) {
			t.Errorf("message %d: title %q", i, title)
		}
	}
	if exp, _ := got[1]["experiment"].(map[string]any); exp["name"] != expName || exp["site"] != siteName {
		t.Errorf("experiment %v", exp)
	}
}
