package app

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// longCopy is 65 characters, over briefRulesJSON's 60, and within its
// other rules; longBanned is 67 and uses "best", which it bans.
const (
	longCopy   = "Plan every single sprint and every release with all of your teams"
	longBanned = "The best plan for every single sprint and release of all your teams"
)

// allowLongBox is the "Save it anyway" box of the edit form's row i, or "".
func allowLongBox(body string, i int) string {
	return regexp.MustCompile(`<input[^>]*name="variants\[` + itoa(i) + `\]\.allow_long"[^>]*>`).FindString(body)
}

// TestEditFormSavesLongCopyAnyway: copy typed in the edit form over the
// brief's length is refused with a box beside it, as the drafting page
// offers one for its drafts, and a save with the box ticked keeps the copy
// as typed. The brief's other rules stay refusals, box or not, and a box
// ticked before Add or Remove stays ticked.
func TestEditFormSavesLongCopyAnyway(t *testing.T) {
	tests := []struct {
		name    string
		op      string
		row     int // 1 changes Variant B; 2 adds Variant C
		text    string
		tick    bool
		noName  bool // the name left empty: refused for that
		status  int
		want    string // in the page, or "" when saved
		box     bool   // the page offers the box
		checked bool   // … ticked
	}{
		{name: "refused, with the box", row: 1, text: longCopy, status: http.StatusUnprocessableEntity,
			want: "Variant B is 65 characters; the brief asks for at most 60. Shorten it. To save it as it is, tick “Save it over 60 characters anyway” below it.",
			box:  true},
		{name: "saved with the box ticked", row: 1, text: longCopy, tick: true, status: http.StatusSeeOther},
		{name: "a new row, saved with the box ticked", row: 2, text: longCopy, tick: true, status: http.StatusSeeOther},
		{name: "saved for drafting with the box ticked", op: "generate", row: 1, text: longCopy, tick: true, status: http.StatusSeeOther},
		{name: "a banned word as well: no box", row: 1, text: longBanned, status: http.StatusUnprocessableEntity,
			want: "Variant B uses “best”, which is on the brief's must-not-say list. It is also 67 characters; the brief asks for at most 60."},
		{name: "a banned word, the box ticked anyway", row: 1, text: longBanned, tick: true, status: http.StatusUnprocessableEntity,
			want: "Variant B uses “best”, which is on the brief's must-not-say list."},
		{name: "ticked, refused for its name: the box stays ticked", row: 1, text: longCopy, tick: true, noName: true,
			status: http.StatusUnprocessableEntity, box: true, checked: true},
		{name: "ticked, then Add", op: "add", row: 1, text: longCopy, tick: true, status: http.StatusOK, box: true, checked: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("ann@example.com")
			x := briefExperiment(t, e, e.site("Shop").ID, briefRulesJSON)
			form := editFormOf(x)
			if tt.op != "" {
				form.Set("op", tt.op)
			}
			form.Set(variantKey(tt.row, "text"), tt.text)
			if tt.row == 2 {
				form.Set(variantKey(2, "key"), "")
				form.Set(variantKey(2, "weight"), "")
			}
			if tt.tick {
				form.Set(variantKey(tt.row, "allow_long"), "on")
			}
			if tt.noName {
				form.Set("name", "")
			}
			c.get("/experiments/" + x.ID + "/edit")
			resp, body := c.post("/experiments/"+x.ID+"/edit", form)
			wantStatus(t, resp, tt.status, body)
			got, err := e.store.Experiment(context.Background(), x.ID)
			if err != nil {
				t.Fatal(err)
			}
			if tt.status == http.StatusSeeOther {
				if len(got.Variants) != max(2, tt.row+1) || got.Variants[tt.row].Text != tt.text {
					t.Errorf("the copy was not saved as typed: %+v", got.Variants)
				}
				return
			}
			if len(got.Variants) != 2 || got.Variants[1].Text != x.Variants[1].Text {
				t.Errorf("refused copy was saved: %+v", got.Variants)
			}
			if !strings.Contains(body, ">"+html.EscapeString(tt.text)+"</textarea>") {
				t.Errorf("the typed copy %q is lost", tt.text)
			}
			if tt.want != "" {
				wantContains(t, html.UnescapeString(body), tt.want)
			}
			box := allowLongBox(body, tt.row)
			if (box != "") != tt.box {
				t.Errorf("box offered %v, want %v: %q", box != "", tt.box, box)
			}
			if strings.Contains(box, "checked") != tt.checked {
				t.Errorf("box ticked %v, want %v: %q", strings.Contains(box, "checked"), tt.checked, box)
			}
			if tt.box {
				wantContains(t, body, "Save it over 60 characters anyway")
				// Refused, the box is described by the refusal, which names
				// the variant; ticked, there is none to point at.
				refused := tt.want != ""
				described := `aria-describedby="f-variants-` + itoa(tt.row) + `-text-error"`
				if refused && !strings.Contains(box, described) || !refused && strings.Contains(box, "aria-describedby") {
					t.Errorf("box %q: want it described by the refusal only when there is one", box)
				}
			}
		})
	}
}
