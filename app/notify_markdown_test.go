package app

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"copylab/experiments"
)

// hostileNotice is a message whose every typed part tries to ping a
// channel, put a link behind a label, load an image or open a block, in the
// syntax of Mattermost, Rocket.Chat, Zulip and Slack-compatible hooks, next
// to things people type in earnest: an email address, a selector, a path.
func hostileNotice() notice {
	const name = "[Reset your password](https://evil.example/login) @channel @all @here @ann <!channel> <!here> " +
		"<@U123> <https://evil.example|Open the results> <evil.example/login|Reset your password> " +
		"@**all** @_**ann** @*team* (@here) x.@all a-@all &#64;channel &lt;b&gt; \\@here"
	return notice{
		Title: "We have a winner: “" + name + "” on Shop @channel",
		Text: "The element [data-copylab=\"hero\"] on /pricing: *bold* _it_ ~~gone~~ `code` \\*still\\* [x][ref] " +
			"![pixel](https://evil.example/p.gif) <img src=x> ann@example.com C:\\Users\\ann .md\\:hidden trailing\\\n" +
			"# Heading\n> quote\n  - item\n+ item\n12. item\n3) item\n=====\n[ref]: https://evil.example/ref\n" +
			"[x]: https://evil.example/x\n@here\n<!channel>",
		URL:        "https://copylab.example/experiments/x/results",
		Experiment: noticeExperiment{ID: "x", Name: name, Site: "Shop @channel", ResultsURL: "https://copylab.example/experiments/x/results"},
		Verdict:    noticeVerdict{Status: "winner", Text: "Variant [B](https://evil.example) @here wins."},
	}
}

// shown is what a reader sees of markdownText's output: the separators it
// adds show as nothing, and the bar it puts in a <target|label> as "|".
var shown = strings.NewReplacer(zeroWidthSpace, "", leftToRightMark, "", linkBar, "|")

// mattermostWebhook is what Mattermost's server makes of an incoming
// webhook's text before it stores the post (app/webhook.go): Slack's
// announcements and user ids become mentions, and <target|label> becomes
// [label](target), whatever the target holds, line breaks and ">" included
// (model.ParseSlackLinksToMarkdown, its linkWithTextRegex).
func mattermostWebhook(text string) string {
	for _, a := range []string{"channel", "here", "all"} {
		text = strings.ReplaceAll(text, "<!"+a+">", "@"+a)
	}
	text = regexp.MustCompile(`<@([a-zA-Z0-9]+)>`).ReplaceAllString(text, "@user$1")
	return regexp.MustCompile(`<([^<\|]+)\|([^>]+)>`).ReplaceAllString(text, "[${2}](${1})")
}

// partedLinks returns each "|" of text that stands between a "<" and a
// later ">" with something between it and the ">": what Mattermost's
// server, Rocket.Chat ("<" link "|" title ">") and Zulip's Slack hook each
// need to make a <target|label> link. With none, none of them links one.
func partedLinks(text string) []string {
	var out []string
	for i := range len(text) {
		open, rest := strings.LastIndex(text[:i], "<"), text[i+1:]
		if text[i] == '|' && open >= 0 && strings.Contains(rest, ">") && !strings.HasPrefix(rest, ">") {
			out = append(out, text[open:i+1])
		}
	}
	return out
}

// mattermostMentions are the words Mattermost's server takes as mentions
// (app/mention_parser_standard.go): it splits on anything but letters,
// digits and ":.-_@", trims ":.-_" in front, and splits once more at ".-:".
func mattermostMentions(text string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(text, func(c rune) bool {
		return !(c == ':' || c == '.' || c == '-' || c == '_' || c == '@' || unicode.IsLetter(c) || unicode.IsNumber(c))
	}) {
		w = strings.TrimLeft(w, ":.-_")
		if len(w) > 1 && w[0] == '@' {
			out = append(out, w)
			continue
		}
		for _, part := range strings.FieldsFunc(w, func(c rune) bool { return c == '.' || c == '-' || c == ':' }) {
			if len(part) > 1 && part[0] == '@' {
				out = append(out, part)
			}
		}
	}
	return out
}

// rocketMention is how Rocket.Chat's server finds a mention
// (MentionsParser.userMentionRegex): "@" and a name after the start, white
// space or ">". JavaScript's \s does not match U+200B or U+200E either.
var rocketMention = regexp.MustCompile(`(^|[\s>])@[0-9A-Za-z_.-]+`)

// zulipSlackHook is what Zulip's Slack-compatible hook makes of the text
// (zerver/webhooks/slack_incoming/view.py): <scheme://target|label>
// becomes [label](target). Its other rewrite only adds or swaps * and _.
func zulipSlackHook(text string) string {
	return regexp.MustCompile(`<(\w+?://.*?)\|(.*?)>`).ReplaceAllString(text, "[$2]($1)")
}

// zulipMentions are the places Zulip would read a mention (@**all**,
// @_**ann**, @*team*): an "@" after the start, white space or one of
// '"({[/< (zerver/lib/mention.py), followed by "*", or by "_" that the
// Slack hook may turn into "*".
func zulipMentions(text string) []string {
	var out []string
	rs := []rune(text)
	for i, r := range rs {
		if r != '@' || i+1 >= len(rs) || (rs[i+1] != '*' && rs[i+1] != '_') {
			continue
		}
		if i == 0 || unicode.IsSpace(rs[i-1]) || strings.ContainsRune(`'"({[/<`, rs[i-1]) {
			out = append(out, string(rs[i:min(i+8, len(rs))]))
		}
	}
	return out
}

// linkTargets are the targets of the [label](target) links a text holds:
// every markdown reader here needs "](" together.
func linkTargets(text string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`\]\(([^)]*)`).FindAllStringSubmatch(text, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestWebhookBodyGenericMarkdown: a receiver that is not Slack, Discord or
// Teams gets a "text" that Mattermost, Rocket.Chat and Zulip show as typed,
// with no backslash added, in which no mention pings, no link hides behind
// a label (a typed <target|label> shows as typed, its bar a lookalike) and
// no block opens; an email address and a selector copy out as typed.
// Programs still get every name unchanged, and the whole message in
// "plain_text".
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

	// The machine fields are as before: unchanged.
	plain := n.Title + "\n" + n.Text + "\n" + n.URL
	if m.PlainText != plain || m.Title != n.Title || m.URL != n.URL || m.Experiment != n.Experiment || m.Verdict != n.Verdict {
		t.Errorf("machine fields changed: %s", b)
	}
	text, ok := strings.CutSuffix(m.Text, "\n"+n.URL)
	if !ok {
		t.Fatalf("the results link is not the last line, as it was: %q", m.Text)
	}

	// Read as typed: no character added but invisible ones, so no
	// backslash that Zulip or Rocket.Chat would show, and none changed but
	// the bar of the two <target|label>, for its lookalike.
	if got := shown.Replace(text); got != n.Title+"\n"+n.Text {
		t.Errorf("reads\n%q\nwant\n%q", got, n.Title+"\n"+n.Text)
	}
	if got := strings.Count(text, linkBar); got != 2 {
		t.Errorf("%d lookalike bars, want the two of <target|label>", got)
	}
	// Copied as typed where nothing needs a separator.
	for _, typed := range []string{"ann@example.com", `[data-copylab="hero"]`, `C:\Users\ann`, "*bold* _it_ ~~gone~~ `code`"} {
		if !strings.Contains(text, typed) {
			t.Errorf("%q does not copy out as typed", typed)
		}
	}
	// A typed backslash stays a backslash where a reader would take it for
	// an escape (Mattermost, Rocket.Chat), and shows in Zulip as it is.
	if loc := regexp.MustCompile(`\\([!-/:-@\[-` + "`" + `{-~]|\n|$)`).FindStringIndex(text); loc != nil {
		t.Errorf("a typed backslash reads as an escape: %q", text[loc[0]:])
	}

	// Mattermost's server rewrites nothing: it shows the text as sent.
	mm := mattermostWebhook(text)
	if mm != text {
		t.Errorf("Mattermost's server rewrites the text to\n%q", mm)
	}
	if got := mattermostMentions(mm); len(got) > 0 {
		t.Errorf("Mattermost pings %q", got)
	}
	// Rocket.Chat.
	if got := rocketMention.FindAllString(text, -1); len(got) > 0 {
		t.Errorf("Rocket.Chat pings %q", got)
	}
	// Zulip, after its Slack hook's rewrites.
	zu := zulipSlackHook(text)
	if got := zulipMentions(zu); len(got) > 0 {
		t.Errorf("Zulip pings %q", got)
	}
	// No typed [label](url) or ![alt](src) anywhere, nor one Zulip makes
	// of <scheme://url|label>.
	if got := linkTargets(text); len(got) > 0 {
		t.Errorf("links to %q", got)
	}
	if got := linkTargets(zu); len(got) > 0 {
		t.Errorf("Zulip links to %q", got)
	}
	// Mattermost and Rocket.Chat would link <target|label> whatever the
	// target: no "|" is left to part one.
	if got := linkTargets(mm); len(got) > 0 {
		t.Errorf("Mattermost links to %q", got)
	}
	if got := partedLinks(text); len(got) > 0 {
		t.Errorf("a <target|label> is left: %q", got)
	}
	// No character reference for Mattermost or Zulip to decode.
	if loc := regexp.MustCompile(`&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);`).FindStringIndex(text); loc != nil {
		t.Errorf("character reference %q", text[loc[0]:loc[1]])
	}
	// No line opens a heading, quote, list, rule, table, code block or link
	// definition: each starts with a letter, a number that is no list's,
	// or the separator.
	for _, line := range strings.Split(text, "\n") {
		if regexp.MustCompile(`^([ \t!-/:-@\[-` + "`" + `{-~]|[0-9]+[.)])`).MatchString(line) {
			t.Errorf("line %q opens a block", line)
		}
	}
}

// TestMarkdownTextTouchesOnlyWhatItMust pins what is added to ordinary
// text, next to what is needed, one case at a time.
func TestMarkdownTextTouchesOnlyWhatItMust(t *testing.T) {
	const z, l, b = zeroWidthSpace, leftToRightMark, linkBar
	for _, tt := range []struct{ in, want string }{
		{"Write to ann@example.com or ops@corp.example", "Write to ann@example.com or ops@corp.example"},
		{"Hero v2 (blue), 50% off: “Save now”", "Hero v2 (blue), 50% off: “Save now”"},
		{`The element .hero__title > a[href]:hover ~ p`, `The element .hero__title > a[href]:hover ~ p`},
		{`C:\Users\ann`, `C:\Users\ann`},
		{"cc @all", "cc @" + z + "all"},
		{"@here first", z + "@" + z + "here first"},
		{"(@here)", z + "(@" + z + "here)"},
		{"x.@all a_@all", "x.@" + z + "all a_@" + z + "all"},
		{"<!channel>", z + "<" + l + "!channel>"},
		{"a <b> c", "a <" + l + "b> c"},
		{"[x](https://evil.example)", z + "[x]" + z + "(https://evil.example)"},
		{"see [x] (not a link)", "see [x] (not a link)"},
		{"R&D &amp; &#64;all", "R&D &" + z + "amp; &" + z + "#64;all"},
		{`\*not bold\*`, z + `\` + z + `*not bold\` + z + `*`},
		{"ends with \\", "ends with \\" + z},
		{"a\n# b\n1. c\n2024 d\n  e", "a\n" + z + "# b\n" + z + "1. c\n2024 d\n" + z + "  e"},
		{"a\r[x]: https://evil.example\r\n> q", "a\r" + z + "[x]: https://evil.example\r\n" + z + "> q"},
		{"Plans | Pricing", "Plans | Pricing"},
		{"a <b> c|d", "a <" + l + "b> c|d"},
		{"a < b|c", "a <" + l + " b|c"},
		{"a <x|> b", "a <" + l + "x|> b"},
		{"<evil.example/login|Reset>", z + "<" + l + "evil.example/login" + b + "Reset>"},
		{"a <x|y|z> b", "a <" + l + "x" + b + "y" + b + "z> b"},
		{"a <b>|c>", "a <" + l + "b>" + b + "c>"},
		{"a <x\n|y>", "a <" + l + "x\n" + z + b + "y>"},
	} {
		if got := markdownText(tt.in); got != tt.want {
			t.Errorf("markdownText(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

// TestNotifyHostileSiteName: a site and an experiment named to ping
// everyone and phish reach a generic webhook (here on 127.0.0.1) made safe
// in "text", whether from the test message or from a verdict, and as typed
// everywhere a program reads.
func TestNotifyHostileSiteName(t *testing.T) {
	const siteName = "[Reset your password](https://evil.example) @channel <evil.example/login|Open the results>"
	const expName = "@all <!channel> hero"
	e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
	c := e.signIn("owner@example.com")
	h := newHook(t)
	site := e.site(siteName)
	setWebhook(t, e, site.ID, h.URL+"/hook")
	c.post("/sites/"+site.ID+"/notifications/test", nil)

	x := e.experiment(site.ID, expName, "Original headline", "Better headline")
	x = e.transition(x.ID, experiments.ActionStart)
	e.setCounts(x, calledWinner...)
	backdate(e, x, 14)
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
		mm := mattermostWebhook(text)
		if len(linkTargets(text)) > 0 || len(mattermostMentions(mm)) > 0 || rocketMention.MatchString(text) || len(partedLinks(text)) > 0 {
			t.Errorf("message %d: text %q", i, text)
		}
		if got := linkTargets(mm); len(got) > 0 {
			t.Errorf("message %d: Mattermost links to %q", i, got)
		}
		if !strings.Contains(plain, siteName) || shown.Replace(text) != plain {
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

// FuzzMarkdownText: whatever a name holds, the text reads as typed (only
// invisible separators added, and the lookalike bar), and no reader is
// left a <target|label> or a [label](url) to link.
func FuzzMarkdownText(f *testing.F) {
	for _, s := range []string{hostileNotice().Title, hostileNotice().Text, "<x|label>", "a <b>|c>", "<a\n|b>", "[x](y) <x||y>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		text := markdownText(s)
		if shown.Replace(text) != shown.Replace(s) {
			t.Errorf("markdownText(%q) reads %q", s, shown.Replace(text))
		}
		if got := partedLinks(text); len(got) > 0 {
			t.Errorf("markdownText(%q) leaves a <target|label>: %q", s, got)
		}
		if got := linkTargets(mattermostWebhook(text)); len(got) > 0 {
			t.Errorf("markdownText(%q): Mattermost links to %q", s, got)
		}
	})
}
