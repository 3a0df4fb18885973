package app

import (
	"fmt"
	"testing"
	"time"
)

// A scanner's flood of unknown keys fills the cache; making room drops
// those, not the real sites' rendered tags.
func TestSnippetCacheKeepsSitesThroughAScan(t *testing.T) {
	sc := newSnippetCache(5 * time.Second)
	sc.put("realsite00000000", snippetEntry{raw: []byte("tag")})
	for i := 0; i < maxCachedSites+10; i++ {
		sc.put(fmt.Sprintf("scan%012d", i), snippetEntry{unknown: true})
	}
	if e, ok := sc.get("realsite00000000"); !ok || string(e.raw) != "tag" {
		t.Error("the real site's tag was dropped by a scan of unknown keys")
	}
	if n := len(sc.m); n > maxCachedSites {
		t.Errorf("%d entries, over the cap of %d", n, maxCachedSites)
	}
}

func TestAcceptsGzip(t *testing.T) {
	for h, want := range map[string]bool{
		"gzip": true, "GZIP": true, "deflate, gzip;q=0.5": true, "br": false, "": false,
		"gzip;q=0": false, "gzip; Q=0": false, "gzip;q=0.000": false, "identity, gzip ; q=0.0": false,
	} {
		if got := acceptsGzip(h); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", h, got, want)
		}
	}
}
