// Package geo finds a visitor's country for the results' segments. A
// country header set by a trusted proxy or CDN (Cloudflare's CF-IPCountry,
// for example) wins; else a MaxMind-format database file (GeoLite2-Country,
// GeoIP2-Country or City, DB-IP's lite files) when one is configured; else
// the country is unknown ("").
package geo

import (
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"strings"

	"github.com/oschwald/maxminddb-golang/v2"
)

// Locator maps IP addresses to ISO 3166-1 alpha-2 country codes.
type Locator struct {
	db *maxminddb.Reader
}

// Open reads a MaxMind-format database. An empty path gives a Locator that
// knows no country, so callers need no special case.
func Open(path string) (*Locator, error) {
	if path == "" {
		return &Locator{}, nil
	}
	db, err := maxminddb.Open(path)
	if err != nil {
		return nil, openError(path, err)
	}
	return &Locator{db: db}, nil
}

// openError words a failure to open the database at path as one sentence
// an operator reads at start: the file's own error names the path too, so
// it is said once, and a file of another kind is called that.
func openError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("cannot read the country database %s: %w", path, pe.Err)
	}
	var invalid maxminddb.InvalidDatabaseError
	if errors.As(err, &invalid) {
		return fmt.Errorf("%s is not a MaxMind-format country database (such as GeoLite2-Country.mmdb), or it is damaged", path)
	}
	return fmt.Errorf("cannot read the country database %s: %w", path, err)
}

// Close releases the database.
func (l *Locator) Close() error {
	if l == nil || l.db == nil {
		return nil
	}
	return l.db.Close()
}

// Enabled reports whether a database is loaded.
func (l *Locator) Enabled() bool { return l != nil && l.db != nil }

// countryRecord is the part of a GeoIP2/GeoLite2 Country or City record we
// read; "registered_country" covers addresses with no located country.
type countryRecord struct {
	Country struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"country"`
	RegisteredCountry struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"registered_country"`
}

// Lookup returns the country of ip, or "" when it is unknown.
func (l *Locator) Lookup(ip string) string {
	if !l.Enabled() {
		return ""
	}
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ""
	}
	var rec countryRecord
	if err := l.db.Lookup(addr.Unmap()).Decode(&rec); err != nil {
		return ""
	}
	if rec.Country.ISOCode != "" {
		return Normalize(rec.Country.ISOCode)
	}
	return Normalize(rec.RegisteredCountry.ISOCode)
}

// Country decides a request's country: the trusted header's value when it
// holds a country code, else the database's answer for ip.
func (l *Locator) Country(headerValue, ip string) string {
	if c := Normalize(headerValue); c != "" {
		return c
	}
	return l.Lookup(ip)
}

// Normalize returns an upper-case two-letter country code, or "" for
// anything else (CDNs send "XX" or "T1" for unknown and Tor).
func Normalize(code string) string {
	code = strings.ToUpper(strings.TrimSpace(code))
	if len(code) != 2 || code == "XX" || code == "T1" {
		return ""
	}
	for i := 0; i < 2; i++ {
		if code[i] < 'A' || code[i] > 'Z' {
			return ""
		}
	}
	return code
}
