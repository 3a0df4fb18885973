package app

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// setRecentHealth sets each variant's page views since yesterday, as the
// tag reports them: where the element was found (applied) and where not
// (missed).
func (e *env) setRecentHealth(x experiments.Experiment, health ...[2]int64) {
	e.t.Helper()
	day := time.Now().UTC().Unix() / 86400
	for i, h := range health {
		if _, err := e.store.Writer().Exec(`insert into variant_health_days (experiment_id, day, variant, applied, missed)
			values (?, ?, ?, ?, ?)`, x.ID, day, x.Variants[i].Key, h[0], h[1]); err != nil {
			e.t.Fatal(err)
		}
	}
}

// resultsHealthBanners reads the variants the results page's one
// missing-element warning names, each with its figures as the page gives
// them: "Variant B: 92.3% of page views (12 of 13)".
func resultsHealthBanners(t *testing.T, c *client, expID string) []string {
	t.Helper()
	_, body := c.get("/experiments/" + expID + "/results")
	var out []string
	for _, b := range findAll(parseHTML(t, body), hasClass("banner-warn")) {
		if attrOf(b, "id") != "element-missing" {
			continue
		}
		for _, m := range missingFigures.FindAllStringSubmatch(textOf(b), -1) {
			label := m[2]
			if label == "the original" {
				label = "Original"
			}
			out = append(out, label+": "+m[1]+" of page views ("+m[3]+")")
		}
	}
	return out
}

// missingFigures finds each variant's figures in the missing-element
// warning: "92.3% of Variant B’s page views (12 of 13)", "40% of the
// original’s (20 of 50)".
var missingFigures = regexp.MustCompile(`([\d.<>]+%) of (the original|Variant [A-Z])’s (?:page views )?\(([\d,]+ of [\d,]+)\)`)

// TestNotifyElementMissingPerVariant: the missing element's message gives
// the figures the results page gives, variant by variant, and goes out
// exactly when the page warns about some variant since yesterday: not
// when only the variants added up would cross the line, and not missed
// when one variant crosses it while the others hide it in a sum.
func TestNotifyElementMissingPerVariant(t *testing.T) {
	for _, tc := range []struct {
		name   string
		health [][2]int64 // [applied, missed] since yesterday, per variant
		want   []string   // the variants the message names, in order
	}{
		{"each variant below the minimum, the sum above it", [][2]int64{{2, 8}, {2, 8}}, nil},
		{"one variant missing, hidden in the sum", [][2]int64{{200, 0}, {12, 12}}, []string{"Variant B"}},
		{"both variants, each with its own figures", [][2]int64{{30, 20}, {1, 11}}, []string{"Original", "Variant B"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
			ctx := context.Background()
			h := newHook(t)
			site := e.site("Shop")
			x := e.experiment(site.ID, "Pricing hero", "Original headline", "Better headline")
			x = e.transition(x.ID, experiments.ActionStart)
			e.setRecentHealth(x, tc.health...)
			setWebhook(t, e, site.ID, h.URL+"/hook")
			e.app.notifyOnce(ctx)
			banners := resultsHealthBanners(t, e.signIn("owner@example.com"), x.ID)
			if len(banners) != len(tc.want) {
				t.Fatalf("the results page warns %q, want %d warnings", banners, len(tc.want))
			}
			got := h.received()
			if len(tc.want) == 0 {
				if len(got) != 0 {
					t.Fatalf("a message while the page warns of nothing: %v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("webhook got %v, want the one message", got)
			}
			v, _ := got[0]["verdict"].(map[string]any)
			text, _ := v["text"].(string)
			lines := strings.Split(text, "\n")
			if lines[0] != `The element [data-copylab="hero"] on /pricing is going missing.` {
				t.Errorf("first line %q", lines[0])
			}
			if len(lines) != 1+len(tc.want) {
				t.Fatalf("message %q, want a line for each of %q", text, tc.want)
			}
			for i, label := range tc.want {
				// The page's figures for the variant, after its label.
				page, _ := strings.CutPrefix(banners[i], label+": ")
				if !strings.HasPrefix(lines[1+i], label+": ") || !strings.Contains(lines[1+i], " "+page) {
					t.Errorf("line %d:\n got %q\nwant %q and the results page's %q", 1+i, lines[1+i], label, page)
				}
			}
		})
	}
}
