package experiments

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	sqlite3 "github.com/mattn/go-sqlite3"

	"copylab/data"
)

// Store keeps everything copylab knows in one SQLite file. It holds two
// handles on that file: a single-connection writer whose transactions begin
// IMMEDIATE (so a read-then-write never fails with SQLITE_BUSY under WAL), and a
// read-only pool for everything else.
type Store struct {
	w    *sql.DB
	r    *sql.DB
	path string
	now  func() time.Time
}

// Open opens (creating if needed) the database at path and applies pending
// migrations.
func Open(ctx context.Context, path string) (*Store, error) { return open(ctx, path, true) }

// OpenExisting is Open for a database that must exist already, such as a
// running server's for an admin command: SQLite opens it with mode=rw,
// which never creates the file, so a wrong path leaves no new, empty
// database behind (a check of the file before opening it could not
// promise that). With no file at path the error wraps fs.ErrNotExist.
func OpenExisting(ctx context.Context, path string) (*Store, error) { return open(ctx, path, false) }

func open(ctx context.Context, path string, create bool) (*Store, error) {
	if path == "" {
		return nil, errors.New("experiments: open: empty database path")
	}
	mode := "mode=rw&"
	if create {
		mode = ""
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, fmt.Errorf("experiments: open %s: %w", path, err)
			}
		}
		// The file holds webhook URLs (a channel's secret) and session CSRF
		// tokens: a new one is readable by its owner only, whatever the umask.
		// SQLite gives the WAL and shared-memory files the database's mode.
		if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
			f.Close()
		} else if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("experiments: open %s: %w", path, err)
		}
	}
	// Pragmas live in the DSN so every connection of the pool gets them.
	// synchronous=FULL: an event is acknowledged only after its commit, and a
	// commit must survive power loss, not only a crash of the process.
	common := "_busy_timeout=5000&_foreign_keys=on&_synchronous=FULL"
	// The writer keeps a page cache of 8 MiB, four times the default: the
	// ends of the events table and its indexes, the aggregates and the
	// recent visitors stay in it. Not more: at every commit SQLite walks
	// the whole hash table of the cache (pager_end_transaction →
	// pcache1TruncateUnsafe), which at 64 MiB took 5% of the process's
	// CPU under load. Its other pragmas are in store_conn.go.
	w := openWriter("file:" + escapePath(path) + "?" + mode + "_journal_mode=WAL&_txlock=immediate&_cache_size=-8192&" + common)
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		if _, serr := os.Stat(path); !create && errors.Is(serr, fs.ErrNotExist) {
			// SQLite says only "unable to open database file".
			return nil, fmt.Errorf("experiments: open %s: %w", path, fs.ErrNotExist)
		}
		return nil, fmt.Errorf("experiments: open %s: %w", path, err)
	}
	// The clock reads whole milliseconds, as times are stored: what a
	// create returns is what a later read gives.
	s := &Store{w: w, path: path, now: func() time.Time { return time.Now().Truncate(time.Millisecond) }}
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	// The reader is opened after the migrations so the file and its WAL exist.
	r := openReader("file:" + escapePath(path) + "?mode=ro&" + common)
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	s.r = r
	return s, nil
}

func escapePath(p string) string {
	return (&url.URL{Path: p}).EscapedPath()
}

// Close closes both handles.
func (s *Store) Close() error {
	return errors.Join(s.r.Close(), s.w.Close())
}

// Path is the database file's path.
func (s *Store) Path() string { return s.path }

// Writer and Reader expose the two handles to the storage code of the events
// pipeline and to tests; nothing outside the domain packages writes SQL.
func (s *Store) Writer() *sql.DB { return s.w }

// Reader is the read-only pool.
func (s *Store) Reader() *sql.DB { return s.r }

// Ping checks that the database answers a read.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.r.QueryRowContext(ctx, `/* Store.Ping */ select 1`).Scan(&one)
}

// migrate applies every embedded migration not applied yet, each in its own
// transaction, in the order of the number in its file name. A database
// that a newer copylab migrated is refused before anything is written to
// it: this one would skip the migrations it does not know, then write to
// tables it does not know either.
func (s *Store) migrate(ctx context.Context) error {
	all, err := migrations()
	if err != nil {
		return err
	}
	var migrated int
	if err := s.w.QueryRowContext(ctx, `/* Store.migrate */ select count(*) from sqlite_master where type = 'table' and name = 'schema_migrations'`).Scan(&migrated); err != nil {
		return fmt.Errorf("experiments: migrate: %w", err)
	}
	if migrated > 0 {
		schema, err := schemaOf(ctx, s.w, s.path)
		if err == nil {
			err = refuseNewer(s.path, schema, all[len(all)-1].version)
		}
		if err != nil {
			return fmt.Errorf("experiments: %w", err)
		}
	}
	if _, err := s.w.ExecContext(ctx, `/* Store.migrate */ create table if not exists schema_migrations (
		version integer primary key, name text not null, applied_at integer not null)`); err != nil {
		return fmt.Errorf("experiments: migrate: %w", err)
	}
	for _, m := range all {
		var applied int
		if err := s.w.QueryRowContext(ctx, `/* Store.migrate */ select count(*) from schema_migrations where version = ?`, m.version).Scan(&applied); err != nil {
			return fmt.Errorf("experiments: migrate: %w", err)
		}
		if applied > 0 {
			continue
		}
		body, err := fs.ReadFile(data.Migrations, "migrations/"+m.name)
		if err != nil {
			return fmt.Errorf("experiments: migrate %s: %w", m.name, err)
		}
		err = s.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `/* Store.migrate */ insert into schema_migrations (version, name, applied_at) values (?, ?, ?)`,
				m.version, m.name, s.now().UnixMilli())
			return err
		})
		if err != nil {
			return fmt.Errorf("experiments: migrate %s: %w", m.name, err)
		}
	}
	return nil
}

type migration struct {
	version int
	name    string
}

// migrations lists the embedded migrations in the order of their numbers.
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(data.Migrations, "migrations")
	if err != nil {
		return nil, fmt.Errorf("experiments: migrate: %w", err)
	}
	var all []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("experiments: migrate: badly named migration %q", e.Name())
		}
		all = append(all, migration{v, e.Name()})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].version < all[j].version })
	return all, nil
}

// tx runs fn in one immediate write transaction.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// isUnique tells whether err is a violated unique or primary key constraint.
func isUnique(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
}

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v sql.NullInt64) time.Time {
	if !v.Valid || v.Int64 == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64)
}

func nullMS(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

// RandomToken returns n random characters from a URL-safe lowercase alphabet
// (5 bits each): for site keys, share tokens and secrets.
func RandomToken(n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz234567"
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("experiments: crypto/rand failed: %v", err)) // the OS is broken; nothing is safe to do
	}
	for i := range b {
		b[i] = alphabet[b[i]&31]
	}
	return string(b)
}

// NewID returns a time-ordered UUIDv7 string, so inserts append to indexes.
func NewID() string {
	return uuid.Must(uuid.NewV7()).String()
}
