package app

import (
	"github.com/gofiber/fiber/v2"

	"copylab/app/geo"
)

// openGeo loads Config.GeoIPDB, when set, for the visitors' countries.
// geo's error is one sentence that names the file; the operator reads it
// after "copylab: " as it is.
func (a *App) openGeo() error {
	l, err := geo.Open(a.cfg.GeoIPDB)
	if err != nil {
		return err
	}
	a.geo = l
	return nil
}

// visitorCountry is the country recorded with a request's exposures (the
// results' country segments): the trusted proxy's header when it holds a
// country code, else the GeoIP database's answer for the client IP, else
// unknown ("").
func (a *App) visitorCountry(c *fiber.Ctx) string {
	// CDNs send "XX" or "T1" when they do not know: then the database may.
	if v := geo.Normalize(a.country(c)); v != "" {
		return v
	}
	if !a.geo.Enabled() {
		return ""
	}
	return a.geo.Lookup(a.clientIP(c))
}
