package app

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// headlineOf is the headline of a webhook message's title, "Probably a
// winner" of "Probably a winner: “Hero” on Shop".
func headlineOf(t *testing.T, msg map[string]any) string {
	t.Helper()
	title, _ := msg["title"].(string)
	headline, _, ok := strings.Cut(title, ": “")
	if !ok {
		t.Fatalf("title %q has no headline", title)
	}
	return headline
}

// TestSiteMessagesNamedAsSent: the site page's "Latest messages" names
// each message with the headline it carried, not another name for its
// verdict: a winner called only as probable was sent as "Probably a
// winner", not "We have a winner", and another variant's win as "The
// winner changed". A message the webhook refused by itself is listed
// under "Not delivered" with its headline too.
func TestSiteMessagesNamedAsSent(t *testing.T) {
	even, ahead := [2]int64{100000, 5000}, [2]int64{100000, 6500}
	for _, tc := range []struct {
		name      string
		texts     []string
		threshold float64 // 0 for the default
		days      int
		steps     [][][2]int64 // the counts of each check, which sends one message
		refuse    bool         // the webhook refuses the first message by itself (400)
		want      []string     // the headlines sent, in order
	}{
		{"probably a winner", nil, 0.5, 8, [][][2]int64{{{800, 80}, {800, 102}}}, false,
			[]string{"Probably a winner"}},
		{"the original probably best", nil, 0.5, 8, [][][2]int64{{{800, 102}, {800, 80}}}, false,
			[]string{"The original is probably best"}},
		{"the winner changed", []string{"Original headline", "Headline B", "Headline C"}, 0, 14,
			[][][2]int64{{even, ahead, even}, {even, even, ahead}}, false,
			[]string{"We have a winner", "The winner changed"}},
		{"probably a winner, refused", nil, 0.5, 8, [][][2]int64{{{800, 80}, {800, 102}}}, true,
			[]string{"Probably a winner"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
			h := newHook(t)
			if tc.refuse {
				h.status = []int{http.StatusBadRequest}
			}
			site := e.site("Shop")
			x := e.experiment(site.ID, "Hero", tc.texts...)
			if tc.threshold > 0 {
				if _, err := e.store.Writer().Exec(`update experiments set threshold = ? where id = ?`, tc.threshold, x.ID); err != nil {
					t.Fatal(err)
				}
			}
			x = e.transition(x.ID, experiments.ActionStart)
			backdate(e, x, tc.days)
			setWebhook(t, e, site.ID, h.URL+"/hook")
			for i, counts := range tc.steps {
				e.setCounts(x, counts...)
				if e.app.notifyOnce(context.Background()); len(h.received()) != i+1 {
					t.Fatalf("check %d: the webhook got %d messages, want %d", i+1, len(h.received()), i+1)
				}
			}
			got := h.received()
			for i, want := range tc.want {
				if headline := headlineOf(t, got[i]); headline != want {
					t.Fatalf("message %d headed %q, the case wants %q", i+1, headline, want)
				}
			}

			card := notifyCard(t, e.signIn("ann@example.com"), site.ID)
			list := "Latest messages"
			if tc.refuse {
				list = `id="undelivered"`
			}
			i := strings.Index(card, list)
			if i < 0 {
				t.Fatalf("no %s in the card:\n%s", list, card)
			}
			for _, headline := range tc.want {
				wantContains(t, card[i:], " · "+headline+`: <a href="/experiments/`+x.ID+`/results" dir="auto">Hero</a>`)
			}
		})
	}
}

// TestSiteMessagesRecordedBefore: a message recorded before copylab kept
// the headlines it sent is still listed, named by its verdict as before.
func TestSiteMessagesRecordedBefore(t *testing.T) {
	e := newEnv(t)
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	x = e.transition(x.ID, experiments.ActionStart)
	at := time.Now().Add(-time.Hour).UnixMilli()
	for _, q := range []string{
		`insert into experiment_notifications (experiment_id, status, sent_at) values (?, 'winner:b', ?)`,
		`insert into undelivered_notifications (experiment_id, status, http_status, refused_at) values (?, 'element_missing', 400, ?)`,
	} {
		if _, err := e.store.Writer().Exec(q, x.ID, at); err != nil {
			t.Fatal(err)
		}
	}
	card := notifyCard(t, e.signIn("ann@example.com"), site.ID)
	wantContains(t, card, "Latest messages", ` · We have a winner: <a href="/experiments/`+x.ID+`/results" dir="auto">Hero</a>`,
		`id="undelivered"`, ` · The element is going missing: <a href="/experiments/`+x.ID+`/results" dir="auto">Hero</a>`)
}

// TestSiteMessagesNamedAsSentRecordedLate: a message the webhook took
// while the database refused to record it is recorded once it takes
// writes again with the headline it went out under.
func TestSiteMessagesNamedAsSentRecordedLate(t *testing.T) {
	e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
	ctx := context.Background()
	h := newHook(t)
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	if _, err := e.store.Writer().Exec(`update experiments set threshold = 0.5 where id = ?`, x.ID); err != nil {
		t.Fatal(err)
	}
	x = e.transition(x.ID, experiments.ActionStart)
	backdate(e, x, 8)
	e.setCounts(x, [2]int64{800, 80}, [2]int64{800, 102})
	setWebhook(t, e, site.ID, h.URL+"/hook")
	recover := failRecords(t, e)
	if n := e.app.notifyOnce(ctx); n != 1 {
		t.Fatalf("sent %d, want the answer", n)
	}
	if headline := headlineOf(t, h.received()[0]); headline != "Probably a winner" {
		t.Fatalf("headed %q; the case wants a probable winner", headline)
	}
	recover()
	if n := e.app.notifyOnce(ctx); n != 0 {
		t.Fatalf("sent %d more, want it recorded and nothing sent", n)
	}
	wantContains(t, notifyCard(t, e.signIn("ann@example.com"), site.ID),
		"Latest messages", ` · Probably a winner: <a href="/experiments/`+x.ID+`/results" dir="auto">Hero</a>`)
}
