package experiments_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"copylab/experiments"
)

// openStore opens a real database file in a temporary folder with the
// production DSN and migrations.
func openStore(t testing.TB) *experiments.Store {
	t.Helper()
	s, err := experiments.Open(context.Background(), filepath.Join(t.TempDir(), "copylab.db"))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func mustSite(t *testing.T, s *experiments.Store) experiments.Site {
	t.Helper()
	site, err := s.CreateSite(context.Background(), experiments.Site{Name: "Shop", Domain: "https://Shop.example.com/path"})
	if err != nil {
		t.Fatalf("create site: %v", err)
	}
	return site
}

func draft(siteID string) experiments.Experiment {
	return experiments.Experiment{
		SiteID:     siteID,
		Name:       "Pricing headline",
		Page:       "https://shop.example.com/pricing?plan=pro",
		Selector:   `[data-copylab="hero"]`,
		Goal:       experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"},
		CoverageBP: 10000,
		Variants: []experiments.Variant{
			{Text: "Simple pricing"},
			{Text: "Pricing that grows with you"},
			{Text: "Pay only for what you use"},
		},
	}
}

func TestOpenIsIdempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	for i := 0; i < 2; i++ {
		s, err := experiments.Open(context.Background(), path)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		if err := s.Ping(context.Background()); err != nil {
			t.Fatalf("ping: %v", err)
		}
		s.Close()
	}
}

func TestSiteCRUD(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	site := mustSite(t, s)
	if site.Domain != "shop.example.com" || len(site.Key) != experiments.SiteKeyLength || site.HideTimeoutMS != 1000 {
		t.Fatalf("site not normalised: %+v", site)
	}
	got, err := s.SiteByKey(ctx, site.Key)
	if err != nil || got.ID != site.ID {
		t.Fatalf("by key: %+v %v", got, err)
	}
	if _, err := s.Site(ctx, "nope"); !errors.Is(err, experiments.ErrNotFound) {
		t.Fatalf("missing site: %v", err)
	}
	_, err = s.CreateSite(ctx, experiments.Site{Name: "", Domain: "not a domain"})
	var ve experiments.ValidationError
	if !errors.As(err, &ve) || ve.For("name") == "" || ve.For("domain") == "" {
		t.Fatalf("want both field errors, got %v", err)
	}
}

func TestExperimentLifecycle(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	site := mustSite(t, s)
	e, err := s.CreateExperiment(ctx, draft(site.ID))
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if e.Status != experiments.StatusDraft || e.Page != "/pricing?plan=pro" || e.Seed != e.ID {
		t.Fatalf("unexpected draft: %+v", e)
	}
	keys := []string{}
	sum := 0
	for _, v := range e.Variants {
		keys = append(keys, v.Key)
		sum += v.WeightBP
	}
	if sum != 10000 || keys[0] != "control" || keys[1] != "b" || keys[2] != "c" || e.Variants[0].Source != experiments.SourceControl {
		t.Fatalf("variants: %v sum %d", keys, sum)
	}

	running, _ := s.RunningExperiments(ctx, site.ID)
	if len(running) != 0 {
		t.Fatal("a draft reached the snippet")
	}
	steps := []struct {
		action string
		want   experiments.Status
		code   string
	}{
		{experiments.ActionPause, "", "invalid_transition"},
		{experiments.ActionStart, experiments.StatusRunning, ""},
		{experiments.ActionPause, experiments.StatusPaused, ""},
		{experiments.ActionResume, experiments.StatusRunning, ""},
		{experiments.ActionStop, experiments.StatusStopped, ""},
		{experiments.ActionStart, "", "experiment_stopped"},
	}
	for _, st := range steps {
		got, err := s.Transition(ctx, e.ID, st.action)
		if st.code != "" {
			var se *experiments.StateError
			if !errors.As(err, &se) || se.Code != st.code {
				t.Fatalf("%s: want %s, got %v", st.action, st.code, err)
			}
			continue
		}
		if err != nil || got.Status != st.want {
			t.Fatalf("%s: %v %v", st.action, got.Status, err)
		}
	}
	final, _ := s.Experiment(ctx, e.ID)
	if final.StartedAt.IsZero() || final.EndedAt.IsZero() {
		t.Fatalf("times not recorded: %+v", final)
	}
}

func TestStartedExperimentKeepsItsCopy(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	e, _ := s.CreateExperiment(ctx, draft(mustSite(t, s).ID))
	if _, err := s.Transition(ctx, e.ID, experiments.ActionStart); err != nil {
		t.Fatal(err)
	}
	text := "Something else"
	_, err := s.UpdateVariant(ctx, e.ID, "b", experiments.VariantPatch{Text: &text})
	var se *experiments.StateError
	if !errors.As(err, &se) || se.Code != "experiment_started" {
		t.Fatalf("want experiment_started, got %v", err)
	}
	w := 5000
	got, err := s.UpdateVariant(ctx, e.ID, "b", experiments.VariantPatch{WeightBP: &w})
	if err != nil {
		t.Fatalf("weight change on a running test: %v", err)
	}
	if ws := got.Weights(); ws[1] != 5000 || ws[0]+ws[1]+ws[2] != 10000 {
		t.Fatalf("weights %v", ws)
	}
	running, _ := s.RunningExperiments(ctx, e.SiteID)
	if len(running) != 1 || running[0].ID != e.ID {
		t.Fatalf("running: %+v", running)
	}
}

func TestDraftEditing(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	e, _ := s.CreateExperiment(ctx, draft(mustSite(t, s).ID))
	text := "Pricing, made plain"
	got, err := s.UpdateVariant(ctx, e.ID, "c", experiments.VariantPatch{Text: &text})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := got.Variant("c"); v.Text != text {
		t.Fatalf("text not saved: %+v", v)
	}
	got, added, err := s.AddVariants(ctx, e.ID, []experiments.Variant{{Text: "New draft", Source: experiments.SourceModel, Model: "m"}}, experiments.User{})
	if err != nil || len(added) != 1 || added[0].Key != "d" || len(got.Variants) != 4 {
		t.Fatalf("add: %+v %+v %v", got.Variants, added, err)
	}
	edited := "New draft, edited"
	got, err = s.UpdateVariant(ctx, e.ID, "d", experiments.VariantPatch{Text: &edited})
	if v, _ := got.Variant("d"); err != nil || !v.Edited || v.Source != experiments.SourceModel {
		t.Fatalf("edit of generated copy not marked: %+v %v", v, err)
	}
	if _, err := s.DeleteVariant(ctx, e.ID, "control"); err == nil {
		t.Fatal("deleted the control")
	}
	got, err = s.DeleteVariant(ctx, e.ID, "b")
	if err != nil || len(got.Variants) != 3 {
		t.Fatalf("delete: %v", err)
	}
	dup := "Simple pricing"
	if _, err := s.UpdateVariant(ctx, e.ID, "c", experiments.VariantPatch{Text: &dup}); err == nil {
		t.Fatal("accepted copy identical to the control")
	}
}

func TestExperimentValidationCollectsEverything(t *testing.T) {
	s := openStore(t)
	bad := experiments.Experiment{
		SiteID:   mustSite(t, s).ID,
		Page:     "pricing page",
		Selector: "body",
		Goal:     experiments.Goal{Type: "event", Name: "sign up!"},
		Variants: []experiments.Variant{{Text: "Hi"}, {Text: "<b>Hello</b>"}},
	}
	_, err := s.CreateExperiment(context.Background(), bad)
	var ve experiments.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want validation error, got %v", err)
	}
	for _, f := range []string{"name", "page", "selector", "goal", "variants[1].text"} {
		if ve.For(f) == "" {
			t.Errorf("no error for %s in %v", f, ve)
		}
	}
}

func TestAccounts(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	u, err := s.CreateUser(ctx, "Ana@Example.com", "Ana", "hash")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, "ana@example.com", "", "x"); !errors.Is(err, experiments.ErrConflict) {
		t.Fatalf("duplicate email (case-insensitive): %v", err)
	}
	_, hash, err := s.UserByEmail(ctx, "ANA@example.com")
	if err != nil || hash != "hash" {
		t.Fatalf("by email: %v", err)
	}
	if _, err := s.DeleteUser(ctx, u.ID); !errors.Is(err, experiments.ErrConflict) {
		t.Fatalf("deleted the last user: %v", err)
	}
	tok, err := s.CreateAPIToken(ctx, u.ID, "ci", "tokhash", "cl_abc")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.UserByTokenHash(ctx, "tokhash"); err != nil || got.ID != u.ID {
		t.Fatalf("token user: %v", err)
	}
	if _, err := s.RevokeAPIToken(ctx, u.ID, tok.ID, tok.Prefix, tok.CreatedAt); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByTokenHash(ctx, "tokhash"); !errors.Is(err, experiments.ErrNotFound) {
		t.Fatalf("revoked token still works: %v", err)
	}
}
