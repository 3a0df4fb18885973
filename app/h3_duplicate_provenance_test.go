package app

import (
	"context"
	"net/http"
	"testing"
	"time"

	"copylab/experiments"
)

// TestH3DuplicatePageKeepsApproval: the duplicate's page says when and by
// whom each drafted variant was approved, as the original's does, not
// the time of the duplicate; the API's copy keeps each variant's source,
// model and edit.
func TestH3DuplicatePageKeepsApproval(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("maya@shop.example")
	tok := e.token("ops@shop.example")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Pricing hero", "Original headline")
	at := time.Date(2026, 11, 25, 3, 29, 0, 0, time.UTC)
	if _, _, err := e.store.AddVariants(context.Background(), x.ID, []experiments.Variant{
		{Text: "Plans that grow with your team", Source: "model", Model: "gpt-4o-mini", PromptVersion: "v3",
			ApprovedBy: "maya@shop.example", CreatedAt: at, Edited: true},
		{Text: "See what Acme Boards can do for you", Source: "offline", PromptVersion: "t1",
			ApprovedBy: "maya@shop.example", CreatedAt: at.Add(time.Minute)},
	}, experiments.User{}); err != nil {
		t.Fatal(err)
	}
	want := []string{"25 Nov 2026, 03:29 UTC · approved by maya@shop.example", "25 Nov 2026, 03:30 UTC · approved by maya@shop.example"}
	_, body := c.get("/experiments/" + x.ID)
	wantContains(t, body, want...)

	resp, _ := c.post("/experiments/"+x.ID+"/duplicate", nil)
	wantStatus(t, resp, http.StatusSeeOther, "")
	_, body = c.get(resp.Header.Get("Location"))
	wantContains(t, body, append(want, "Pricing hero (copy)")...)

	resp, out := e.api("POST", "/api/v1/experiments/"+x.ID+"/duplicate", tok, "")
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("duplicate: %d %v", resp.StatusCode, out)
	}
	vs, _ := out["variants"].([]any)
	if len(vs) != 3 {
		t.Fatalf("variants %v", out["variants"])
	}
	b, _ := vs[1].(map[string]any)
	if b["source"] != "model" || b["model"] != "gpt-4o-mini" || b["edited"] != true {
		t.Errorf("Variant B through the API: %v", b)
	}
	if v, _ := vs[2].(map[string]any); v["source"] != "offline" || v["edited"] != false {
		t.Errorf("Variant C through the API: %v", v)
	}
}
