package experiments

import (
	"context"
	"database/sql"
	"database/sql/driver"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// The writer's connection carries two pragmas its DSN cannot (go-sqlite3
// has no DSN parameter for them), set by a connect hook so that a
// reopened connection gets them too:
//
//   - wal_autocheckpoint: the committing connection copies the WAL back
//     into the database once the WAL holds this many pages. The default,
//     1000, makes every few batches of events pay for a checkpoint, and the
//     pages every batch touches (the counts, the ends of the events table
//     and its indexes) are copied again each time. At 8000 pages (32 MiB
//     of WAL) those copies coalesce: about 10% less CPU per event under
//     load, at the price of a bigger WAL file.
//   - journal_size_limit: after a checkpoint the WAL is cut back to this
//     size, so a burst does not leave a huge file behind.
const writerPragmas = "PRAGMA wal_autocheckpoint = 8000; PRAGMA journal_size_limit = 67108864"

// connector opens go-sqlite3 connections with a connect hook, without
// registering a driver globally.
type connector struct {
	dsn string
	drv *sqlite3.SQLiteDriver
}

func (c connector) Connect(context.Context) (driver.Conn, error) { return c.drv.Open(c.dsn) }
func (c connector) Driver() driver.Driver                        { return c.drv }

// openReader opens the read pool on dsn, each connection with searchFunc
// (the lists' search, list_page.go).
func openReader(dsn string) *sql.DB {
	return sql.OpenDB(connector{dsn: dsn, drv: &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		return c.RegisterFunc(searchFunc, searchMatches, true)
	}}})
}

// openWriter opens the writer handle on dsn with writerPragmas.
func openWriter(dsn string) *sql.DB {
	return sql.OpenDB(connector{dsn: dsn, drv: &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec(writerPragmas, nil)
		return err
	}}})
}
