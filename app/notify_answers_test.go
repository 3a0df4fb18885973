package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
	"copylab/experiments/stats"
)

// answerStep is one check of the notifier at a time, after a change to
// what it reads, and the message it must send then: its title and a
// phrase of its text ("" for no message).
type answerStep struct {
	name    string
	at      time.Duration // after the first check
	change  func()
	restart bool // the check runs in a new process on the same database
	title   string
	text    string
}

// runAnswerSteps runs the steps' checks in order on e's webhook h, each at
// its time, and checks what each sent.
func runAnswerSteps(t *testing.T, e *env, h *hook, start time.Time, steps []answerStep) {
	t.Helper()
	ctx := context.Background()
	for _, s := range steps {
		if s.change != nil {
			s.change()
		}
		now := start.Add(s.at)
		a := e.app
		if s.restart {
			a = e.restarted()
		}
		a.now = func() time.Time { return now }
		before := len(h.received())
		n := a.notifyOnce(ctx)
		got := h.received()[before:]
		if s.title == "" {
			if n != 0 || len(got) != 0 {
				t.Fatalf("%s: sent %d: %v; want nothing", s.name, n, got)
			}
			continue
		}
		if n != 1 || len(got) != 1 {
			t.Fatalf("%s: sent %d: %v; want %q", s.name, n, got, s.title)
		}
		if text, _ := got[0]["text"].(string); got[0]["title"] != s.title || !strings.Contains(text, s.text) {
			t.Fatalf("%s: got %q %q, want %q with %q", s.name, got[0]["title"], text, s.title, s.text)
		}
	}
}

// answerTest is a started test of three variants, old enough for its
// answers to be called, whose site posts to h.
func answerTest(t *testing.T) (*env, *hook, experiments.Site, experiments.Experiment) {
	t.Helper()
	e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
	h := newHook(t)
	site := e.site("Shop")
	x := e.experiment(site.ID, "Pricing hero", "Original headline", "Headline B", "Headline C")
	x = e.transition(x.ID, experiments.ActionStart)
	backdate(e, x, 14)
	setWebhook(t, e, site.ID, h.URL+"/hook")
	return e, h, site, x
}

// The counts that call each answer of answerTest's experiment.
var (
	answerEven  = [2]int64{100000, 5000}
	answerAhead = [2]int64{100000, 6500}
)

// TestNotifyAnswerComesBack: the channel's last message follows the
// results page. An answer announced before that comes back after another
// (B wins, then C, then B) is announced again once checks a full day
// apart have found it and no other answer in between, once, not after a
// restart either; one that flips back within the day is not, so a test
// near a line posts at most one such message a day. A check that finds
// no answer at all ends the wait too. Programs read the same status.
func TestNotifyAnswerComesBack(t *testing.T) {
	const day = 24 * time.Hour
	e, h, site, x := answerTest(t)
	counts := func(c ...[2]int64) func() { return func() { e.setCounts(x, c...) } }
	b := counts(answerEven, answerAhead, answerEven)
	c := counts(answerEven, answerEven, answerAhead)
	none := counts([2]int64{100, 5}, [2]int64{100, 5}, [2]int64{100, 5})
	const (
		winner  = "We have a winner: “Pricing hero” on Shop"
		changed = "The winner changed: “Pricing hero” on Shop"
	)
	runAnswerSteps(t, e, h, time.Now(), []answerStep{
		{"B wins", 0, b, false, winner, "Variant B lifts clicks"},
		{"C wins", time.Minute, c, false, changed, "Variant C lifts clicks"},
		{"B wins again", 2 * time.Minute, b, false, "", ""},
		{"B still, after a restart", 2 * time.Hour, nil, true, "", ""},
		{"C again, 23 hours on", 23 * time.Hour, c, false, "", ""},
		{"B again", 23*time.Hour + time.Minute, b, false, "", ""},
		{"B for a day less a minute", 47 * time.Hour, nil, false, "", ""},
		{"B for a full day", 47*time.Hour + time.Minute, nil, false, changed, "Variant B lifts clicks"},
		{"B still", 47*time.Hour + 2*time.Minute, nil, false, "", ""},
		{"B still, after a restart", 48 * time.Hour, nil, true, "", ""},
		// C comes back for a day, but one check finds no answer.
		{"C again", 2 * day, c, false, "", ""},
		{"no answer for a minute", 2*day + time.Hour, none, false, "", ""},
		{"C again after it", 2*day + time.Hour + time.Minute, c, false, "", ""},
		{"C a day after it first came back", 3*day + 30*time.Minute, nil, false, "", ""},
		{"C a day after the gap", 3*day + time.Hour + time.Minute, nil, true, changed, "Variant C lifts clicks"},
		{"C still", 3*day + 2*time.Hour, nil, false, "", ""},
	})
	got := h.received()
	if v, _ := got[len(got)-1]["verdict"].(map[string]any); v["status"] != stats.StatusWinner {
		t.Errorf("the last message's verdict status is %v, want %q", v["status"], stats.StatusWinner)
	}
	sent, err := e.store.Notified(context.Background(), x.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"winner:b", "winner:c", "winner:b:2", "winner:c:2"} {
		if _, ok := sent[k]; !ok || len(sent) != 4 {
			t.Fatalf("recorded %v, want %v", sent, k)
		}
	}
	c2 := e.signIn("owner@example.com")
	_, page := c2.get("/sites/" + site.ID)
	wantContains(t, page, "We have a winner: <a href=\"/experiments/"+x.ID+"/results\" dir=\"auto\">Pricing hero</a>")
	wantNotContains(t, page, "winner:b", "winner:c", "again: <a")
}

// TestNotifyOtherAnswerComesBack: answers other than a winner come back
// the same way, and a winner that comes back after another answer is
// headed as a winner, not as a change of winner: the channel's last
// winner was the same variant.
func TestNotifyOtherAnswerComesBack(t *testing.T) {
	e, h, _, x := answerTest(t)
	counts := func(c ...[2]int64) func() { return func() { e.setCounts(x, c...) } }
	b := counts(answerEven, answerAhead, answerEven)
	even := counts(answerEven, answerEven, answerEven)
	runAnswerSteps(t, e, h, time.Now(), []answerStep{
		{"no meaningful difference", 0, even, false, "No meaningful difference: “Pricing hero” on Shop", "within ±10%"},
		{"B wins", time.Minute, b, false, "We have a winner: “Pricing hero” on Shop", "Variant B lifts clicks"},
		{"no difference again", 2 * time.Minute, even, false, "", ""},
		{"for a day", 24*time.Hour + 2*time.Minute, nil, true, "No meaningful difference: “Pricing hero” on Shop", "within ±10%"},
		{"B wins again", 25 * time.Hour, b, false, "", ""},
		{"for a day", 49 * time.Hour, nil, false, "We have a winner: “Pricing hero” on Shop", "Variant B lifts clicks"},
	})
	sent, err := e.store.Notified(context.Background(), x.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := sent["no_meaningful_difference:2"]; !ok || len(sent) != 4 {
		t.Fatalf("recorded %v", sent)
	}
}

// TestNotifyAnswerComesBackWhilePaused: copylab goes on checking a test's
// answer while its site's webhook is paused or off. An answer that came
// back during the pause and held a day is announced as soon as the
// webhook takes messages again; one that came and went during the pause
// is not announced late.
func TestNotifyAnswerComesBackWhilePaused(t *testing.T) {
	for _, how := range []string{"paused", "off"} {
		for _, tc := range []struct {
			name string
			last func(b, c func()) func() // what the test shows when the webhook is back
			want string
		}{
			{"held", func(b, c func()) func() { return nil }, "Variant B lifts clicks"},
			{"came and went", func(b, c func()) func() { return c }, ""},
		} {
			t.Run(how+"/"+tc.name, func(t *testing.T) {
				e, h, site, x := answerTest(t)
				hold, resume := holdWebhook(t, e, site.ID, h.URL+"/hook", how)
				counts := func(c ...[2]int64) func() { return func() { e.setCounts(x, c...) } }
				b := counts(answerEven, answerAhead, answerEven)
				c := counts(answerEven, answerEven, answerAhead)
				title := ""
				if tc.want != "" {
					title = "The winner changed: “Pricing hero” on Shop"
				}
				runAnswerSteps(t, e, h, time.Now(), []answerStep{
					{"B wins", 0, b, false, "We have a winner: “Pricing hero” on Shop", "Variant B lifts clicks"},
					{"C wins", time.Minute, c, false, "The winner changed: “Pricing hero” on Shop", "Variant C lifts clicks"},
					{"held", 2 * time.Minute, hold, false, "", ""},
					{"B again while held", time.Hour, b, false, "", ""},
					{"B for a day while held", 25 * time.Hour, nil, true, "", ""},
					{"as it is at the resume", 25*time.Hour + time.Minute, tc.last(b, c), false, "", ""},
					{"delivering again", 25*time.Hour + 2*time.Minute, resume, false, title, tc.want},
					{"a minute later", 25*time.Hour + 3*time.Minute, nil, false, "", ""},
				})
			})
		}
	}
}

// TestNotifyWinnerRecordedBeforeChanges: a winner recorded before copylab
// kept the winning variant (a bare "winner") is taken for the variant
// that wins on the first check after the upgrade, without a message; a
// new winner after that is news, and the first one coming back after a
// day too.
func TestNotifyWinnerRecordedBeforeChanges(t *testing.T) {
	e, h, _, x := answerTest(t)
	ctx := context.Background()
	start := time.Now()
	if err := e.store.RecordNotification(ctx, x.ID, "winner", "", start.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	counts := func(c ...[2]int64) func() { return func() { e.setCounts(x, c...) } }
	b := counts(answerEven, answerAhead, answerEven)
	c := counts(answerEven, answerEven, answerAhead)
	runAnswerSteps(t, e, h, start, []answerStep{
		{"B wins, as announced before the upgrade", 0, b, false, "", ""},
		{"B still, after a restart", time.Minute, nil, true, "", ""},
		{"C wins", 2 * time.Minute, c, false, "The winner changed: “Pricing hero” on Shop", "Variant C lifts clicks"},
		{"B wins again", 3 * time.Minute, b, false, "", ""},
		{"B for a day", 24*time.Hour + 3*time.Minute, nil, false, "The winner changed: “Pricing hero” on Shop", "Variant B lifts clicks"},
	})
	sent, err := e.store.Notified(ctx, x.ID)
	if err != nil {
		t.Fatal(err)
	}
	if at, ok := sent["winner:b"]; !ok || !at.Equal(start.Add(-time.Hour).Truncate(time.Millisecond)) || len(sent) != 3 {
		t.Fatalf("recorded %v, want the old winner as winner:b, sent an hour before the start", sent)
	}
}
