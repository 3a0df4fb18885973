package views

import "testing"

// TestAddedKept: the sentence that names the accounts a removed user
// added says one plainly, lists a few, and counts the rest, so that a
// confirm dialog and a flash cookie stay small.
func TestAddedKept(t *testing.T) {
	for _, tc := range []struct {
		name   string
		emails []string
		want   string
	}{
		{"none", nil, ""},
		{"one", []string{"a@x.test"}, "They added an account that stays: a@x.test. Remove it too if it should go."},
		{"two", []string{"a@x.test", "b@x.test"}, "They added 2 accounts that stay: a@x.test, b@x.test. Remove those too if they should go."},
		{"seven", []string{"a@x.test", "b@x.test", "c@x.test", "d@x.test", "e@x.test", "f@x.test", "g@x.test"},
			"They added 7 accounts that stay: a@x.test, b@x.test, c@x.test, d@x.test, e@x.test and 2 more. Remove those too if they should go."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := AddedKept(tc.emails); got != tc.want {
				t.Errorf("AddedKept(%q) =\n%q, want\n%q", tc.emails, got, tc.want)
			}
		})
	}
}
