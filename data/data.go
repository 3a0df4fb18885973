// Package data holds copylab's embedded SQL migrations. At run time the data/
// folder is also the default home of the database file (data/copylab.db).
package data

import "embed"

// Migrations are the numbered schema changes, applied in order at start.
//
//go:embed migrations/*.sql
var Migrations embed.FS
