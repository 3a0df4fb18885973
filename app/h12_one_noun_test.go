package app

import (
	"net/http"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// TestLifecycleWordsOneNoun: the questions of the start, stop and delete
// dialogs, and the delete card, call the thing an experiment, as the
// page's title and its cards do: "Start this test?" beside "Stop this
// experiment for good?" read as two things. Found by a review.
func TestLifecycleWordsOneNoun(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	e.fetchTag("/s/"+site.Key+".js", http.StatusOK, "Referer", "https://example.com/pricing")
	x := e.experiment(site.ID, "Hero")
	// question is a dialog's question: its words up to the first "?".
	question := func(b button) string {
		q, _, _ := strings.Cut(b.confirm, "?")
		return q + "?"
	}
	_, body := c.get("/experiments/" + x.ID)
	starts := pageButtons(t, body, x.ID, "/start")
	if len(starts) != 1 || question(starts[0]) != "Start this experiment?" {
		t.Errorf("Start asks %+v, want “Start this experiment?”", starts)
	}
	deletes := pageButtons(t, body, x.ID, "/delete")
	if len(deletes) != 1 || strings.Contains(question(deletes[0]), "test") {
		t.Errorf("Delete asks %+v", deletes)
	}

	e.transition(x.ID, experiments.ActionStart)
	_, body = c.get("/experiments/" + x.ID)
	stops := pageButtons(t, body, x.ID, "/stop")
	if len(stops) != 1 || question(stops[0]) != "Stop this experiment for good?" {
		t.Errorf("Stop asks %+v", stops)
	}
	card := findAll(parseHTML(t, body), func(n *xhtml.Node) bool { return attrOf(n, "id") == "delete" })
	if len(card) != 1 {
		t.Fatalf("%d delete cards", len(card))
	}
	var got []string
	for _, n := range findAll(card[0], func(n *xhtml.Node) bool { return n.Data == "h2" || n.Data == "p" }) {
		got = append(got, strings.Join(strings.Fields(textOf(n)), " "))
	}
	if want := []string{"Delete this experiment", "A running experiment cannot be deleted: stop it first."}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("the delete card of a running experiment says %q, want %q", got, want)
	}
}
