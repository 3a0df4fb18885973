package experiments

import "testing"

// TestBotPatterns: the embedded list compiles whole, keeps its lookarounds
// as separate checks, and a pattern this matcher cannot express is an error
// (so a new isbot release that needs more fails the tests, not production).
func TestBotPatterns(t *testing.T) {
	l, err := parseBotList(isbotJSON)
	if err != nil {
		t.Fatal(err)
	}
	if l.source != "isbot 5.2.3" {
		t.Errorf("the list is %q; TestIsBotLikeIsbot's answers are isbot 5.2.3's", l.source)
	}
	if len(l.patterns) < 200 {
		t.Errorf("%d patterns, want isbot's 200 or more", len(l.patterns))
	}
	looks := 0
	for _, p := range l.patterns {
		if p.notBefore != nil || p.notAfter != nil {
			looks++
		}
	}
	if looks != 6 {
		t.Errorf("%d patterns with lookarounds, want isbot 5.2.3's 6", looks)
	}

	bp, err := compileBotPattern(`(?<! channel/|google/)google(?!(?:wv|app|/google| pixel))`)
	if err != nil {
		t.Fatal(err)
	}
	for ua, want := range map[string]bool{
		"x google x": true, "x channel/google": false, "google/google": false, "googleapp": false,
		"googlewv google": true, "google pixel": false, "google": true,
	} {
		if got := bp.match(ua); got != want {
			t.Errorf("match(%q) = %v, want %v", ua, got, want)
		}
	}

	for _, bad := range []string{`(?<!abc`, `a(?=b)c`, `(?<=x)y`, `[`} {
		if _, err := compileBotPattern(bad); err == nil {
			t.Errorf("compileBotPattern(%q) = nil error, want one", bad)
		}
	}
	if _, err := parseBotList([]byte(`{"patterns": []}`)); err == nil {
		t.Error("an empty list parsed without error")
	}
}
