package experiments

import (
	"reflect"
	"testing"
)

// TestSameWireEventEveryField: two events that differ in any field but
// the id are not the same event (sameWireEvent), so that one id given to
// both refuses the body (duplicate_id); a field added to wireEvent and
// left out of sameWireEvent fails here. Optional numbers and flags are
// compared by value, not by where the decoder put them.
func TestSameWireEventEveryField(t *testing.T) {
	ts, ms, matched := 1.7e12, 12.0, true
	base := wireEvent{ID: "0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a6b", Type: EventConversion, Experiment: "x", Variant: "b",
		Goal: "click", URL: "/", TS: &ts, Matched: &matched, MS: &ms, Ref: "r", UTM: "u", Recorder: "posthog",
		Session: pageString{s: "s"}, Replay: pageString{s: "https://x"}}
	twin := base
	ts2, ms2, matched2 := ts, ms, matched
	twin.TS, twin.MS, twin.Matched = &ts2, &ms2, &matched2
	twin.ID = "0190A5C4-7B2E-7DEF-8A3B-1C2D3E4F5A6B"
	if !sameWireEvent(&base, &twin) {
		t.Fatal("an event and its copy (the id in capitals, the numbers decoded apart) are not the same event")
	}
	typ := reflect.TypeFor[wireEvent]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		if f.Name == "ID" {
			continue
		}
		other := base
		v := reflect.ValueOf(&other).Elem().Field(i)
		switch f.Type.Kind() {
		case reflect.String:
			v.SetString(v.String() + "-other")
		case reflect.Pointer:
			p := reflect.New(f.Type.Elem())
			switch f.Type.Elem().Kind() {
			case reflect.Float64:
				p.Elem().SetFloat(99)
			case reflect.Bool:
				p.Elem().SetBool(false)
			}
			v.Set(p)
		case reflect.Struct: // pageString
			v.Set(reflect.ValueOf(pageString{wrong: true}))
		default:
			t.Fatalf("field %s: a kind this test does not change (%s)", f.Name, f.Type)
		}
		if sameWireEvent(&base, &other) {
			t.Errorf("events differing in %s are the same event to sameWireEvent", f.Name)
		}
		other = base
		reflect.ValueOf(&other).Elem().Field(i).Set(reflect.Zero(f.Type)) // absent
		if sameWireEvent(&base, &other) {
			t.Errorf("an event without %s is the same as one with it", f.Name)
		}
	}
}
