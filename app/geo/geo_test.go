package geo_test

import (
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"

	"copylab/app/geo"
)

// tinyDB writes a small GeoLite2-Country-shaped database.
func tinyDB(t *testing.T) string {
	t.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: "GeoLite2-Country", RecordSize: 24, IncludeReservedNetworks: true})
	if err != nil {
		t.Fatal(err)
	}
	add := func(cidr string, rec mmdbtype.Map) {
		_, n, err := net.ParseCIDR(cidr)
		if err != nil {
			t.Fatal(err)
		}
		if err := tree.Insert(n, rec); err != nil {
			t.Fatal(err)
		}
	}
	country := func(code string) mmdbtype.Map {
		return mmdbtype.Map{"iso_code": mmdbtype.String(code)}
	}
	add("81.2.69.0/24", mmdbtype.Map{"country": country("GB")})
	add("2.125.160.0/20", mmdbtype.Map{"country": country("in")})
	add("89.160.20.0/24", mmdbtype.Map{"registered_country": country("SE")})
	add("2001:db8:1::/48", mmdbtype.Map{"country": country("US")})
	path := filepath.Join(t.TempDir(), "tiny.mmdb")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tree.WriteTo(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCountry(t *testing.T) {
	loc, err := geo.Open(tinyDB(t))
	if err != nil {
		t.Fatal(err)
	}
	defer loc.Close()
	tests := []struct {
		name, header, ip, want string
	}{
		{"database", "", "81.2.69.160", "GB"},
		{"lower case in the database", "", "2.125.160.216", "IN"},
		{"registered country fallback", "", "89.160.20.112", "SE"},
		{"ipv6", "", "2001:db8:1::9", "US"},
		{"ipv4-mapped ipv6", "", "::ffff:81.2.69.160", "GB"},
		{"header wins", "de", "81.2.69.160", "DE"},
		{"unknown header falls back", "XX", "81.2.69.160", "GB"},
		{"tor header falls back", "T1", "", ""},
		{"not in the database", "", "192.0.2.1", ""},
		{"garbage ip", "", "not-an-ip", ""},
		{"garbage header", "<script>", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := loc.Country(tt.header, tt.ip); got != tt.want {
				t.Fatalf("Country(%q, %q) = %q, want %q", tt.header, tt.ip, got, tt.want)
			}
		})
	}
}

func TestNoDatabase(t *testing.T) {
	loc, err := geo.Open("")
	if err != nil || loc.Enabled() {
		t.Fatalf("empty path: %v %v", loc.Enabled(), err)
	}
	if got := loc.Country("", "81.2.69.160"); got != "" {
		t.Fatalf("country without a database: %q", got)
	}
	if got := loc.Country("FR", ""); got != "FR" {
		t.Fatalf("header without a database: %q", got)
	}
	if _, err := geo.Open(filepath.Join(t.TempDir(), "missing.mmdb")); err == nil {
		t.Fatal("opened a missing file")
	}
}
