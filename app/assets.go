package app

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"

	"copylab/static"
	"copylab/views"
)

// asset is one embedded file with its content hash.
type asset struct {
	body        []byte
	hash        string
	contentType string
}

// assetSet holds the app's static files, read once at start. Their URLs
// carry a hash of their content (/static/HASH/css/app.css) so that they can
// be cached for good: a changed file gets a new URL.
type assetSet struct {
	files map[string]asset // by path, such as css/app.css
}

func loadAssets() (*assetSet, error) {
	s := &assetSet{files: map[string]asset{}}
	err := fs.WalkDir(static.Assets, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(static.Assets, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ct := mime.TypeByExtension(path.Ext(p))
		switch path.Ext(p) {
		case ".js":
			ct = "text/javascript; charset=utf-8"
		case ".css":
			ct = "text/css; charset=utf-8"
		case ".svg":
			ct = "image/svg+xml"
		}
		if ct == "" {
			ct = "application/octet-stream"
		}
		s.files[p] = asset{body: b, hash: hex.EncodeToString(sum[:])[:12], contentType: ct}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load assets: %w", err)
	}
	for _, p := range []string{"css/app.css", "css/demo.css", "js/app.js", "js/demo.js", "vendor/htmx.min.js", "img/logo.svg"} {
		if _, ok := s.files[p]; !ok {
			return nil, fmt.Errorf("load assets: %s is missing", p)
		}
	}
	return s, nil
}

// url is the content-hashed URL of an asset.
func (s *assetSet) url(p string) string {
	f, ok := s.files[p]
	if !ok {
		return "/static/missing/" + p
	}
	return "/static/" + f.hash + "/" + p
}

func (s *assetSet) views() views.Assets {
	return views.Assets{
		CSS:   s.url("css/app.css"),
		HTMX:  s.url("vendor/htmx.min.js"),
		AppJS: s.url("js/app.js"),
		Icon:  s.url("img/logo.svg"),
	}
}

// assetServe answers GET /static/HASH/PATH. The current hash gets a year of
// immutable cache; an old hash (a page rendered before a deploy) still gets
// the file, with a short cache, rather than a broken page.
func (a *App) assetServe(c *fiber.Ctx) error {
	p := c.Params("*")
	f, ok := a.assets.files[p]
	if !ok || strings.Contains(p, "..") {
		return errNotFound
	}
	if c.Params("hash") == f.hash {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	}
	c.Set(fiber.HeaderContentType, f.contentType)
	c.Set(fiber.HeaderETag, `"`+f.hash+`"`)
	if c.Get(fiber.HeaderIfNoneMatch) == `"`+f.hash+`"` {
		return c.SendStatus(fiber.StatusNotModified)
	}
	return c.Send(f.body)
}

// faviconServe answers browsers that ask for /favicon.ico regardless of the
// icon link in the page.
func (a *App) faviconServe(c *fiber.Ctx) error {
	return c.Redirect(a.assets.url("img/logo.svg"), fiber.StatusMovedPermanently)
}
