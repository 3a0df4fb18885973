package app

import (
	"strings"
	"testing"
)

// TestH6RecordingsFilterKnownOptions: a device in the address in another
// case, or one no visitor has, added an invented option to the select,
// lower-case "mobile" beside "Desktop". A value in another case selects
// the known option (and filters by it); an unknown device is no filter.
func TestH6RecordingsFilterKnownOptions(t *testing.T) {
	f := newRecordingsFixture(t)
	c := f.e.signIn("owner@example.com")
	for _, tt := range []struct {
		query, selected string
		want            []string
	}{
		{"?device=MOBILE", "mobile", []string{bobClarity}},
		{"?device=Desktop&converted=0", "desktop", []string{catBuiltLink}},
		{"?device=fridge", "", []string{catBuiltLink, bobClarity, annReplay}},
	} {
		t.Run(tt.query, func(t *testing.T) {
			_, body := c.get("/experiments/" + f.x.ID + "/recordings" + tt.query)
			sel := body[strings.Index(body, `id="rec-device"`):]
			sel = sel[:strings.Index(sel, "</select>")]
			if n := strings.Count(sel, "<option"); n != 3 { // any device, desktop, mobile
				t.Errorf("%d device options: %s", n, sel)
			}
			if tt.selected != "" && !strings.Contains(sel, `<option value="`+tt.selected+`" selected>`) {
				t.Errorf("%s not selected: %s", tt.selected, sel)
			}
			var ext []string
			for _, h := range hrefsIn(t, body, "recording-list") {
				if strings.HasPrefix(h, "https://") {
					ext = append(ext, h)
				}
			}
			if strings.Join(ext, " ") != strings.Join(tt.want, " ") {
				t.Errorf("sessions %v, want %v", ext, tt.want)
			}
		})
	}
}
