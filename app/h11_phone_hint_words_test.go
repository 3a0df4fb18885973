package app

import (
	"net/http"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// TestPhoneHintWords: the explanations in the phone's line above the
// results cards ("What the figures mean") speak of the range under a
// figure, since a phone draws no interval bar; those in the table's
// header, which a desktop shows beside the bars, speak of the bars.
func TestPhoneHintWords(t *testing.T) {
	_, c, _, x := startedWithCounts(t, [2]int64{4000, 400}, [2]int64{4000, 480})
	resp, body := c.get("/experiments/" + x.ID + "/results")
	wantStatus(t, resp, http.StatusOK, body)
	doc := parseHTML(t, body)
	tip := func(id string) string {
		t.Helper()
		n := findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == id })
		if len(n) != 1 {
			t.Fatalf("%d #%s", len(n), id)
		}
		return words(n[0])
	}
	for _, topic := range []string{"rate", "uplift"} {
		phone, desk := tip("hint-"+topic+"-phone"), tip("hint-"+topic)
		for _, w := range []string{"bar", "line", "shaded"} {
			if strings.Contains(phone, w) {
				t.Errorf("the phone's %s explanation speaks of a %s: %q", topic, w, phone)
			}
		}
		if !strings.Contains(phone, "The range under it is the 95% interval") {
			t.Errorf("the phone's %s explanation: %q", topic, phone)
		}
		if !strings.Contains(desk, "The bar is the 95% interval") {
			t.Errorf("the table's %s explanation: %q", topic, desk)
		}
	}
	if phone := tip("hint-uplift-phone"); !strings.Contains(phone, "±10%") {
		t.Errorf("the phone's uplift explanation leaves out the threshold: %q", phone)
	}
}
