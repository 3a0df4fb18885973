package recorders_test

import (
	"bytes"
	"slices"
	"testing"

	"copylab/experiments/recorders"
	"copylab/static"
)

// TestSnippetContract: the names Settings.Names gives are the ones the
// snippet renders, and the snippet tags recordings with the strings the
// link builders tell people to filter on.
func TestSnippetContract(t *testing.T) {
	all := []string{recorders.PostHogName, recorders.ClarityName, recorders.FullStoryName,
		recorders.LogRocketName, recorders.HotjarName, recorders.CustomName}
	if !slices.Equal(static.RecorderNames, all) {
		t.Errorf("static.RecorderNames %v, want %v", static.RecorderNames, all)
	}
	s := recorders.Settings{
		PostHog:   &recorders.PostHog{Host: "https://us.posthog.com", ProjectID: "1"},
		Clarity:   &recorders.Clarity{ProjectID: "abc"},
		FullStory: &recorders.FullStory{OrgID: "o-1"},
		LogRocket: &recorders.LogRocket{AppID: "a/b"},
		Hotjar:    &recorders.Hotjar{SiteID: "1"},
		Custom:    "https://r.example/{session_id}",
	}
	snip, err := static.NewSnippet()
	if err != nil {
		t.Fatal(err)
	}
	js, err := snip.Render(static.SnippetConfig{Site: "k", Recorders: s.Names()})
	if err != nil {
		t.Fatalf("Render with %v: %v", s.Names(), err)
	}
	for _, want := range []string{recorders.TagExperiment, recorders.TagVariant, `"` + recorders.EventName + `"`, `"` + recorders.EventName + `:"`} {
		if !bytes.Contains(js, []byte(want)) {
			t.Errorf("the snippet does not contain %s", want)
		}
	}
}
