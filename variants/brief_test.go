package variants

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name string
		in   Brief
		want Brief
	}{
		{
			name: "defaults",
			in:   Brief{Goal: " sign  up ", CurrentCopy: "  Plans for every team\n"},
			want: Brief{Goal: "sign up", CurrentCopy: "Plans for every team", ElementKind: "headline", MaxLength: 70, N: 5},
		},
		{
			// A button's words were guessed a headline, whose 70
			// characters the drafts of "Register" then had.
			name: "a button's words guess a button",
			in:   Brief{Goal: "sign up", CurrentCopy: "Register"},
			want: Brief{Goal: "sign up", CurrentCopy: "Register", ElementKind: "button", MaxLength: 30, N: 5},
		},
		{
			name: "aliases, lists, kind length",
			in: Brief{Goal: "g", CurrentCopy: "Buy", ElementKind: " Call To Action ", N: 3,
				MustSay: []string{" free ", "", "FREE", "14-day  trial"}, MustNotSay: []string{"best", "best "}},
			want: Brief{Goal: "g", CurrentCopy: "Buy", ElementKind: "cta", MaxLength: 30, N: 3,
				MustSay: []string{"free", "14-day trial"}, MustNotSay: []string{"best"}},
		},
		{
			name: "max length widened to fit the control",
			in:   Brief{Goal: "g", CurrentCopy: strings.Repeat("x", 40), ElementKind: "button"},
			want: Brief{Goal: "g", CurrentCopy: strings.Repeat("x", 40), ElementKind: "button", MaxLength: 40, N: 5},
		},
		{
			name: "long copy without a kind is a paragraph",
			in:   Brief{Goal: "g", CurrentCopy: strings.Repeat("word ", 40)},
			want: Brief{Goal: "g", CurrentCopy: strings.TrimSpace(strings.Repeat("word ", 40)), ElementKind: "paragraph", MaxLength: 400, N: 5},
		},
		{
			name: "explicit values kept",
			in:   Brief{Goal: "g", CurrentCopy: "c", ElementKind: "tagline", Language: "fr", MaxLength: 33, N: 1},
			want: Brief{Goal: "g", CurrentCopy: "c", ElementKind: "tagline", Language: "fr", MaxLength: 33, N: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.in.Normalize()
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Normalize:\n got %+v\nwant %+v", got, tt.want)
			}
			if again := got.Normalize(); !reflect.DeepEqual(again, got) {
				t.Errorf("Normalize is not idempotent:\n%+v\n%+v", got, again)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name       string
		in         Brief
		wantFields []string
	}{
		{name: "minimal is valid", in: Brief{Goal: "sign up", CurrentCopy: "Register"}},
		{name: "all errors at once", in: Brief{N: 11, MaxLength: 3}, wantFields: []string{"current_copy", "goal", "n", "max_length"}},
		{name: "negative n", in: Brief{Goal: "g", CurrentCopy: "c", N: -1}, wantFields: []string{"n"}},
		{name: "html in the control", in: Brief{Goal: "g", CurrentCopy: "<h1>Hello</h1>"}, wantFields: []string{"current_copy"}},
		{name: "must say clashes with must not say", in: Brief{Goal: "g", CurrentCopy: "c", MustSay: []string{"Free trial"}, MustNotSay: []string{"free"}},
			wantFields: []string{"must_say"}},
		{name: "must say longer than the limit", in: Brief{Goal: "g", CurrentCopy: "c", MaxLength: 12, MustSay: []string{"No credit card", "needed"}},
			wantFields: []string{"must_say"}},
		{name: "markup in must say", in: Brief{Goal: "g", CurrentCopy: "c", MustSay: []string{"**free**"}}, wantFields: []string{"must_say"}},
		{name: "link in must say is fine", in: Brief{Goal: "g", CurrentCopy: "c", ElementKind: "paragraph", MustSay: []string{"https://acme.example"}}},
		{name: "too many list items", in: Brief{Goal: "g", CurrentCopy: "c", MustNotSay: strings.Fields("a b c d e f g h i j k l m n o p q r s t u")}, wantFields: []string{"must_not_say"}},
		{name: "long fields", in: Brief{Goal: strings.Repeat("g", 301), CurrentCopy: strings.Repeat("c", 5001), Language: strings.Repeat("l", 51)},
			wantFields: []string{"current_copy", "goal", "language"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := tt.in.Validate()
			var fields []string
			for _, e := range errs {
				if !slices.Contains(fields, e.Field) {
					fields = append(fields, e.Field)
				}
				if e.Message == "" || !strings.HasSuffix(e.Message, ".") {
					t.Errorf("message for %s is not a sentence: %q", e.Field, e.Message)
				}
			}
			if strings.Join(fields, ",") != strings.Join(tt.wantFields, ",") {
				t.Errorf("fields = %v, want %v (%v)", fields, tt.wantFields, errs)
			}
		})
	}
}

// TestBriefFieldsMatchBrief keeps the form help in step with the struct:
// every JSON field has help, and every help names a real field.
func TestBriefFieldsMatchBrief(t *testing.T) {
	var tags []string
	rt := reflect.TypeOf(Brief{})
	for i := 0; i < rt.NumField(); i++ {
		name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
		if name == "-" {
			continue // not the marketer's: Selector is the experiment's
		}
		tags = append(tags, name)
	}
	var names []string
	for _, f := range BriefFields {
		names = append(names, f.Name)
		if f.Label == "" || f.Help == "" || f.Example == "" {
			t.Errorf("%s: incomplete help %+v", f.Name, f)
		}
		if f.Required != (f.Name == "goal" || f.Name == "current_copy") {
			t.Errorf("%s: Required = %v", f.Name, f.Required)
		}
	}
	slices.Sort(tags)
	slices.Sort(names)
	if !slices.Equal(tags, names) {
		t.Errorf("BriefFields %v do not match the Brief JSON fields %v", names, tags)
	}
}

func TestRules(t *testing.T) {
	b := Brief{Goal: "g", CurrentCopy: "Control", ElementKind: "paragraph", MustSay: []string{"see https://acme.example/x"},
		MustNotSay: []string{"best"}}.Normalize()
	r := b.Rules()
	if r.MaxLength != 400 || r.Control != "Control" || !r.AllowLineBreaks ||
		!slices.Equal(r.AllowedURLs, []string{"https://acme.example/x"}) || !slices.Equal(r.MustNotSay, []string{"best"}) {
		t.Errorf("Rules = %+v", r)
	}
	if h := (Brief{ElementKind: "headline"}).Rules(); h.AllowLineBreaks {
		t.Error("a headline allows line breaks")
	}
}
