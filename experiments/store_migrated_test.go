package experiments_test

import (
	"context"
	"path/filepath"
	"testing"

	"copylab/experiments"
	"copylab/experiments/schematest"
)

// TestStoreMigrated: the store says which schema version the database had
// before it opened (0 for a new one) and which it has now, so that serve
// can say what the migrations did without reading the file itself.
func TestStoreMigrated(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	latest := schematest.Latest(t)
	older := filepath.Join(dir, "older.db")
	schematest.Older(t, older, 7)

	for _, tt := range []struct {
		name     string
		path     string
		open     func(context.Context, string) (*experiments.Store, error)
		from, to int
	}{
		{"new file", filepath.Join(dir, "new.db"), experiments.Open, 0, latest},
		{"opened again", filepath.Join(dir, "new.db"), experiments.Open, latest, latest},
		{"older copylab's", older, experiments.OpenExisting, 7, latest},
		{"older, opened again", older, experiments.Open, latest, latest},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := tt.open(ctx, tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if from, to := s.Migrated(); from != tt.from || to != tt.to {
				t.Errorf("Migrated() = %d, %d; want %d, %d", from, to, tt.from, tt.to)
			}
		})
	}
}
