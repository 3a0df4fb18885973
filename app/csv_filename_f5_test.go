package app

import (
	"mime"
	"net/http"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestCSVFileNameUnicode: a CSV download keeps the experiment name's
// letters of any script in an RFC 6266/5987 filename*, percent-encoded,
// beside the plain ASCII filename older clients read; a name in ASCII
// alone gets the filename alone, as before. Nothing of the name can end
// the parameter or the header: filename* carries only RFC 5987
// attr-chars.
func TestCSVFileNameUnicode(t *testing.T) {
	tests := []struct {
		name    string
		expName string
		ascii   string // the filename's name part; "ID" for the experiment's id
		unicode string // the filename*'s name part; "" when none is sent
	}{
		{name: "letters of other scripts", expName: "Über “Preise” 日本語", ascii: "ber-preise", unicode: "über-preise-日本語"},
		{name: "ASCII alone", expName: "Hero: pricing!", ascii: "hero-pricing"},
		{name: "no ASCII letter", expName: "日本語の見出し", ascii: "ID", unicode: "日本語の見出し"},
		// The vowel signs and the virama are marks, not letters: a word
		// without them would be misspelt.
		{name: "marks stay in their word", expName: "हिन्दी शीर्षक", ascii: "ID", unicode: "हिन्दी-शीर्षक"},
		{name: "cut at 40 letters", expName: strings.Repeat("ü", 50), ascii: "ID", unicode: strings.Repeat("ü", 40)},
		{name: "quotes, semicolons and percents", expName: `Ärger"; filename*=UTF-8''x.exe %0d%0a`, ascii: "rger-filename-utf-8-x-exe-0d-0a",
			unicode: "ärger-filename-utf-8-x-exe-0d-0a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("ann@example.com")
			tok := e.token("api@example.com")
			x := e.experiment(e.site("Shop").ID, tt.expName)
			x = e.transition(x.ID, experiments.ActionStart)
			ascii := tt.ascii
			if ascii == "ID" {
				ascii = x.ID
			}
			check := func(path, kind string, resp *http.Response, body string) {
				t.Helper()
				wantStatus(t, resp, http.StatusOK, body)
				cd := resp.Header.Get("Content-Disposition")
				want := `attachment; filename="copylab-` + ascii + `-` + kind + `.csv"`
				if tt.unicode == "" {
					if cd != want {
						t.Errorf("%s: Content-Disposition %q, want %q", path, cd, want)
					}
					return
				}
				before, star, ok := strings.Cut(cd, "; filename*=UTF-8''")
				if !ok || before != want {
					t.Fatalf("%s: Content-Disposition %q, want %q and a filename*", path, cd, want)
				}
				for _, r := range star {
					if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!#$&+-.^_`|~%", r)) {
						t.Errorf("%s: filename* %q carries %q, not an RFC 5987 attr-char", path, star, r)
					}
				}
				_, params, err := mime.ParseMediaType(cd)
				if err != nil {
					t.Fatalf("%s: Content-Disposition %q: %v", path, cd, err)
				}
				// mime decodes filename* (RFC 2231) into filename, ahead
				// of the ASCII one, as browsers do.
				if got, want := params["filename"], "copylab-"+tt.unicode+"-"+kind+".csv"; got != want {
					t.Errorf("%s: file name %q, want %q (%q)", path, got, want, cd)
				}
			}
			path := "/experiments/" + x.ID + "/results.csv"
			resp, body := c.get(path)
			check(path, "results", resp, body)
			path = "/api/v1/experiments/" + x.ID + "/events.csv"
			req := newRequest(http.MethodGet, path, nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp = e.do(req)
			check(path, "events", resp, readBody(t, resp))
		})
	}
}
