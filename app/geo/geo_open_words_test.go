package geo_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"copylab/app/geo"
)

// TestOpenWords: a file that cannot be read, or is not a country
// database, is refused in a sentence that names it once ("geo: open X:
// open X: no such file or directory" named it twice).
func TestOpenWords(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "countries.txt")
	if err := os.WriteFile(text, []byte("FR,DE\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, path, want string
	}{
		{"missing", filepath.Join(dir, "nonexistent.mmdb"), "cannot read the country database " + filepath.Join(dir, "nonexistent.mmdb") + ": no such file or directory"},
		{"not one", text, text + " is not a MaxMind-format country database"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := geo.Open(tt.path)
			if err == nil {
				t.Fatal("opened")
			}
			if !strings.HasPrefix(err.Error(), tt.want) || strings.Count(err.Error(), tt.path) != 1 {
				t.Errorf("error %q, want it to start %q and name the file once", err, tt.want)
			}
		})
	}
}
