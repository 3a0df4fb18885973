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
	"sync"
	"sync/atomic"
	"syscall"
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

	// from and to are the schema versions before and after the
	// migrations of this open (see Migrated).
	from, to int

	// fullSince is when a write last failed for lack of space (Unix
	// milliseconds), 0 once one has succeeded since: see NoteWrite.
	fullSince atomic.Int64
	// fullMu orders the changes of fullSince; fullPages is the size of
	// the database, in pages, when it was marked full; onFull is told of
	// each change (OnStorageFull).
	fullMu    sync.Mutex
	fullPages int64
	onFull    atomic.Pointer[func(full bool, since time.Time, err error)]
}

// Open opens (creating if needed) the database at path and applies pending
// migrations.
//
// Open and OpenExisting refuse, before writing anything to it, a file that
// is not a copylab database: one that is not SQLite, or another program's
// SQLite database. An empty file, or an SQLite database with nothing in it
// yet, is made copylab's. They say in a sentence when this user may not
// write the file or its folder. Their errors are worded for the operator,
// who reads them after "copylab: ".
func Open(ctx context.Context, path string) (*Store, error) { return open(ctx, path, OpenOptions{}) }

// OpenExisting is Open for a database that must exist already, such as a
// running server's for an admin command: SQLite opens it with mode=rw,
// which never creates the file, so a wrong path leaves no new, empty
// database behind (a check of the file before opening it could not
// promise that). With no file at path the error wraps fs.ErrNotExist.
func OpenExisting(ctx context.Context, path string) (*Store, error) {
	return open(ctx, path, OpenOptions{Existing: true})
}

// OpenOptions choose what OpenWith may do to the file.
type OpenOptions struct {
	// Existing opens only a file that is there, as OpenExisting does.
	Existing bool
	// CopylabOnly refuses, untouched, an empty file or an SQLite
	// database with nothing in it, as not a copylab database, where
	// Open makes it copylab's: for a command that has nothing to do on
	// a new database, such as recount, whose user gave a wrong path.
	CopylabOnly bool
	// NoMigrations refuses, with a *SchemaBehindError and before
	// anything is written to the file, a database that needs
	// migrations: once migrated, the older copylab that wrote it
	// refuses it. For a command that promises to write nothing (a dry
	// run) or only reads. It implies CopylabOnly: an empty file would
	// need every migration.
	NoMigrations bool
}

// OpenWith is Open with the choices of o; Open is OpenWith with none.
func OpenWith(ctx context.Context, path string, o OpenOptions) (*Store, error) {
	return open(ctx, path, o)
}

// SchemaBehindError refuses a database that an older copylab left, which
// needs migrations, when the open may not run them
// (OpenOptions.NoMigrations).
type SchemaBehindError struct {
	Path   string // the database file, absolute
	Schema int    // its schema version
	Newest int    // the schema version this copylab needs
}

// Error says "PATH is at schema 31 and this copylab needs schema 32":
// the command that refused adds what to do.
func (e *SchemaBehindError) Error() string {
	return fmt.Sprintf("%s is at schema %d and this copylab needs schema %d", e.Path, e.Schema, e.Newest)
}

func open(ctx context.Context, path string, o OpenOptions) (*Store, error) {
	if path == "" {
		return nil, errors.New("experiments: open: empty database path")
	}
	create := !o.Existing
	mode := "mode=rw&"
	var made *newFile
	if create {
		mode = ""
		if dir := filepath.Dir(path); dir != "" {
			if err := mkdirAll(dir, 0o700); err != nil {
				return nil, openError(path, err)
			}
		}
		// The file holds webhook URLs (a channel's secret) and session CSRF
		// tokens: a new one is readable by its owner only, whatever the umask.
		// Made by root, it is given to the owner of its folder, the
		// service's user (see sameOwner). SQLite gives the WAL and
		// shared-memory files the database's mode, and as root its owner.
		if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
			made = madeNow(path, f)
			if like, err := os.Stat(filepath.Dir(path)); err == nil {
				sameOwnerFile(f, like)
			}
			f.Close()
		} else if !errors.Is(err, fs.ErrExist) {
			return nil, openError(path, err)
		}
	}
	s, err := openFile(ctx, path, create, mode, o)
	if err != nil && made != nil {
		made.remove()
	}
	return s, err
}

// newFile is a database file that an open created, and which of its
// companions were there before it: should the open fail, it removes them
// (remove), so that a failed start leaves no empty database behind,
// which the next would take for copylab's, and no file that keeps serve
// from removing the folder it made for it.
type newFile struct {
	path    string
	fi      fs.FileInfo
	existed map[string]bool // by suffix: "-wal", "-shm"
}

// companions are the files SQLite makes beside a database in WAL mode.
var companions = []string{"-wal", "-shm"}

// madeNow records the database file f, just created at path.
func madeNow(path string, f *os.File) *newFile {
	fi, err := f.Stat()
	if err != nil {
		return nil // nothing to tell it by later: leave it
	}
	n := &newFile{path: path, fi: fi, existed: map[string]bool{}}
	for _, c := range companions {
		_, err := os.Lstat(path + c)
		n.existed[c] = !errors.Is(err, fs.ErrNotExist)
	}
	return n
}

// remove removes the database file, if its name still leads to the file
// the open created, and the companions that were not there before it,
// the log first: a database never loses a log it still has. A file that
// was there before the open is never removed.
func (n *newFile) remove() {
	if fi, err := os.Lstat(n.path); err != nil || !os.SameFile(fi, n.fi) {
		return // another's now
	}
	for _, c := range companions {
		if !n.existed[c] {
			os.Remove(n.path + c)
		}
	}
	os.Remove(n.path)
}

// openFile opens the store on the database file at path, which open has
// created when it may; mode is the DSN's opening mode.
func openFile(ctx context.Context, path string, create bool, mode string, o OpenOptions) (*Store, error) {
	// Look before the writer opens the file: its connection turns the
	// file to WAL mode, which rewrites the header, and the migrations add
	// copylab's tables. Another program's database, or a newer copylab's,
	// is refused untouched, and so is an older one's when o says so.
	from, newest, err := inspect(ctx, path, !o.CopylabOnly && !o.NoMigrations)
	if err == nil && o.NoMigrations && from < newest {
		err = &SchemaBehindError{Path: absPath(path), Schema: from, Newest: newest}
	}
	if err != nil {
		if _, serr := os.Stat(path); !create && errors.Is(serr, fs.ErrNotExist) {
			// SQLite says only "unable to open database file".
			return nil, fmt.Errorf("experiments: open %s: %w", path, fs.ErrNotExist)
		}
		return nil, err
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
			// Removed since inspect looked.
			return nil, fmt.Errorf("experiments: open %s: %w", path, fs.ErrNotExist)
		}
		return nil, openError(path, err)
	}
	// The clock reads whole milliseconds, as times are stored: what a
	// create returns is what a later read gives.
	s := &Store{w: w, path: path, now: func() time.Time { return time.Now().Truncate(time.Millisecond) }}
	if err := s.checkWritable(ctx); err != nil {
		w.Close()
		return nil, err
	}
	if err := s.migrate(ctx, from); err != nil {
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

// inspect reads, read-only, the schema version of the database at path,
// 0 for a new one (refused unless empty is true), and the newest this
// copylab knows, and refuses a file that copylab must not write to: one
// that is not a copylab database, or one that a newer copylab migrated
// (this one would skip the migrations it does not know, then write to
// tables it does not know either).
func inspect(ctx context.Context, path string, empty bool) (schema, newest int, err error) {
	all, err := migrations()
	if err != nil {
		return 0, 0, err
	}
	newest = all[len(all)-1].version
	db := openReadOnly(path)
	if !empty && !companionsThere(path) {
		db.Close()
		db = openUntouched(path)
	}
	defer db.Close()
	schema, err = schemaOf(ctx, db, path, empty)
	if err != nil {
		if w := worded(path, err); w != nil {
			return 0, 0, w
		}
		return 0, 0, fmt.Errorf("experiments: %w", err) // it names the file
	}
	if err := refuseNewer(path, schema, newest); err != nil {
		return 0, 0, fmt.Errorf("experiments: %w", err)
	}
	return schema, newest, nil
}

// companionsThere tells whether the write-ahead log or the shared-memory
// file of the database at path is there, or may be: while no
// connection has the database open in WAL mode, neither is.
func companionsThere(path string) bool {
	for _, c := range companions {
		if _, err := os.Lstat(path + c); !errors.Is(err, fs.ErrNotExist) {
			return true
		}
	}
	return false
}

// openUntouched opens the database at path to read it without creating
// anything beside it. A read-only connection to a database in WAL mode
// makes its -wal and -shm files, and cannot remove them when it closes,
// as the last writer's connection does: an open that refuses the file
// would leave them. SQLite's immutable=1 reads the file alone, taking no
// lock. inspect uses it only when neither companion is there, so no
// connection has the database open in WAL mode and everything committed
// is in the file; and only for the opens that may refuse an older or
// an empty database (OpenOptions.CopylabOnly, NoMigrations), whose
// callers hold the serve lock (recount) or only read (token list), so
// that a server's start during the look costs at most a refusal.
func openUntouched(path string) *sql.DB {
	return sql.OpenDB(connector{dsn: "file:" + escapePath(path) + "?mode=ro&immutable=1", drv: &sqlite3.SQLiteDriver{}})
}

// notCopylabError refuses a file that is not a copylab database, in the
// words every command uses for it: "X is not a copylab database". It
// keeps SQLite's reason, if any, in its chain.
type notCopylabError struct {
	path string
	err  error
}

func (e *notCopylabError) Error() string { return e.path + " is not a copylab database" }
func (e *notCopylabError) Unwrap() error { return e.err }

// wordedError is an error worded for the operator that keeps the error
// it words in its chain.
type wordedError struct {
	msg string
	err error
}

func (e *wordedError) Error() string { return e.msg }
func (e *wordedError) Unwrap() error { return e.err }

// openError is a failure to open the database at path, worded when
// worded knows the cause.
func openError(path string, err error) error {
	if w := worded(path, err); w != nil {
		return w
	}
	return fmt.Errorf("experiments: open %s: %w", path, err)
}

// worded words a failure to open the database at path for the operator,
// who reads it after "copylab: " when serve or an admin command stops, or
// returns nil for a cause it does not know. SQLite's own words ("file is
// not a database", "attempt to write a readonly database", "unable to
// open database file") say neither what is wrong nor what to check.
func worded(path string, err error) error {
	var nc *notCopylabError
	var se sqlite3.Error
	sqliteErr := errors.As(err, &se)
	switch {
	case errors.As(err, &nc):
		return nc
	case isDir(path):
		// SQLite says "disk I/O error: is a directory".
		abs := absPath(path)
		return &wordedError{abs + " is a folder, not a database file: give --db (COPYLAB_DB) the path of the file, such as " +
			filepath.Join(abs, "copylab.db"), err}
	case sqliteErr && se.Code == sqlite3.ErrNotADB:
		return &notCopylabError{path, err}
	case (sqliteErr && (se.Code == sqlite3.ErrReadonly || se.Code == sqlite3.ErrCantOpen) ||
		!sqliteErr && denied(err)) && onReadOnlyFS(path):
		// Before the owner and mode, which are not at fault: even root
		// may not write there.
		return &wordedError{absPath(path) + " is on a read-only file system, and copylab writes the database there: " +
			"remount it read-write, or choose another --db (COPYLAB_DB)", err}
	case sqliteErr && se.Code == sqlite3.ErrReadonly,
		!sqliteErr && denied(err),
		sqliteErr && se.Code == sqlite3.ErrCantOpen && !mayWrite(path):
		return notWritable(path, err)
	}
	return nil
}

// onReadOnlyFS tells whether the file at path, or the folder it would be
// made in, is on a file system mounted read-only.
func onReadOnlyFS(path string) bool {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err == nil {
		f.Close()
		return false
	}
	if errors.Is(err, fs.ErrNotExist) {
		f, err = os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".check-*")
		if err == nil {
			f.Close()
			os.Remove(f.Name())
			return false
		}
	}
	return errors.Is(err, syscall.EROFS)
}

// isDir tells whether path names a folder.
func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

func notWritable(path string, err error) error {
	return &wordedError{path + " is not writable by this user: check the owner and mode of the file and its folder", err}
}

// denied tells whether err is the system's refusal of a write (a
// read-only file system's too, which worded has told apart before).
func denied(err error) bool {
	return errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS)
}

// mayWrite tells whether this user may write the file at path and make
// files beside it, as SQLite does for its write-ahead log and shared
// memory: the tell of a permission among the causes of SQLite's "unable
// to open database file". It is asked only after the store's connection
// failed, so no lock of the store's is dropped when the descriptor it
// opens on the file is closed (closing any descriptor of a file drops
// the process's POSIX locks on it).
func mayWrite(path string) bool {
	if f, err := os.OpenFile(path, os.O_RDWR, 0); err == nil {
		f.Close()
	} else if errors.Is(err, fs.ErrNotExist) {
		return true // no file is another cause, which open reports
	} else if denied(err) {
		return false
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".check-*")
	if err != nil {
		return !denied(err)
	}
	f.Close()
	os.Remove(f.Name())
	return true
}

// checkWritable writes to the database and rolls the write back. SQLite
// opens a file that this user may not write read-only, without a word,
// and in WAL mode even begins a write transaction on it: without this,
// the store would fail only at its first write, long after the start.
// Only SQLite's refusal to write is reported; another failure, such as
// another program holding the write lock for long, is left to the writes
// that meet it.
func (s *Store) checkWritable(ctx context.Context) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err == nil {
		// The header's user version, set to what it is: the smallest
		// write there is, and one that SQLite refuses on a read-only file.
		var v int
		if err = tx.QueryRowContext(ctx, `/* Store.checkWritable */ pragma user_version`).Scan(&v); err == nil {
			_, err = tx.ExecContext(ctx, `/* Store.checkWritable */ pragma user_version = `+strconv.Itoa(v))
		}
		tx.Rollback()
	}
	if se := (sqlite3.Error{}); errors.As(err, &se) && se.Code == sqlite3.ErrReadonly {
		return notWritable(s.path, err)
	}
	return nil
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

// Migrated returns the schema version of the database before this store
// opened it, 0 for a new one, and after its migrations: serve says what
// they did at start. The two are equal when none ran.
func (s *Store) Migrated() (from, to int) { return s.from, s.to }

// migrate applies every embedded migration not applied yet, each in its own
// transaction, in the order of the number in its file name. from is the
// schema version inspect read (inspect has refused a database that a
// newer copylab migrated).
func (s *Store) migrate(ctx context.Context, from int) error {
	all, err := migrations()
	if err != nil {
		return err
	}
	s.from, s.to = from, from
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
		s.to = max(s.to, m.version)
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

// IsStorageFull tells whether err is a write that failed for lack of
// space: SQLite's SQLITE_FULL (a full volume, or a database at its
// max_page_count), one of its I/O errors whose system error is "no space
// left on device" or "disk quota exceeded" (the write of a WAL frame, an
// fsync or a truncate that met a full volume), or SQLITE_IOERR_SHMSIZE,
// which the unix VFS returns only when it cannot grow the -shm file. The
// web app answers such writes 503 storage_full and /healthz reports them,
// where any other failure would be an anonymous 500. Codes, not SQLite's
// words, decide: its message is the same "database or disk is full" for a
// full disk and a max_page_count.
func IsStorageFull(err error) bool {
	if err == nil {
		return false
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch {
		case se.Code == sqlite3.ErrFull, se.ExtendedCode == sqlite3.ErrIoErrSHMSize:
			return true
		case se.Code == sqlite3.ErrIoErr:
			return noSpace(se.SystemErrno)
		}
		return false
	}
	return noSpace(err)
}

// noSpace tells whether err is the system's "no space left on device" or
// "disk quota exceeded", for files written by copylab itself (a backup's).
func noSpace(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

// NoteWrite records how a write to the database went, for StorageFull:
// a failure for lack of space (IsStorageFull) marks the storage full, and
// other errors change nothing. A write that succeeded marks it well again
// only if the database has more pages than when it was marked full: room
// was found for new pages. A write that fitted in the pages the database
// had (a rename, a session, a batch of events with room left in its
// pages) succeeds on a disk that is still full, and would flip /healthz to
// ok until the next write that needs a page failed. The store's callers
// note their writes, the web app its requests' and the events writer's
// batches: the store cannot tell, of its many statements, which succeeded
// by writing.
func (s *Store) NoteWrite(err error) {
	switch {
	case err == nil:
		if s.fullSince.Load() != 0 { // a load, and nothing more, for nearly every write
			s.noteRoom()
		}
	case IsStorageFull(err):
		if s.fullSince.Load() == 0 {
			s.noteFull(err)
		}
	}
}

// noteFull marks the storage full after err, unless it is already.
func (s *Store) noteFull(err error) {
	s.fullMu.Lock()
	defer s.fullMu.Unlock()
	if s.fullSince.Load() != 0 {
		return
	}
	since := max(s.now().UnixMilli(), 1)
	s.fullPages, _ = s.pageCount() // 0 when unreadable: the next write that succeeds clears it
	s.fullSince.Store(since)
	if f := s.onFull.Load(); f != nil {
		(*f)(true, time.UnixMilli(since), err)
	}
}

// noteRoom marks the storage well again after a write that succeeded,
// if the database grew since it was marked full, or its size cannot be
// read.
func (s *Store) noteRoom() {
	s.fullMu.Lock()
	defer s.fullMu.Unlock()
	since := s.fullSince.Load()
	if since == 0 {
		return
	}
	if pages, err := s.pageCount(); err == nil && pages <= s.fullPages {
		return
	}
	s.fullSince.Store(0)
	if f := s.onFull.Load(); f != nil {
		(*f)(false, time.UnixMilli(since), nil)
	}
}

// pageCount is the size of the database in pages, as of its latest commit.
func (s *Store) pageCount() (int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	var n int64
	err := s.r.QueryRowContext(ctx, `/* Store.pageCount */ pragma page_count`).Scan(&n)
	return n, err
}

// OnStorageFull has f called when the storage is marked full, with the
// failure that marked it, and when it is marked well again, with since
// the time it filled (nil removes it): the web app logs each once, where
// a line per failed write filled the log while the disk stayed full. f
// runs while the store holds that state's lock: it must be quick, and
// must not call NoteWrite.
func (s *Store) OnStorageFull(f func(full bool, since time.Time, err error)) {
	if f == nil {
		s.onFull.Store(nil)
		return
	}
	s.onFull.Store(&f)
}

// StorageFull reports whether the latest write noted failed for lack of
// space, and when the first of those failures since the last success was.
func (s *Store) StorageFull() (since time.Time, full bool) {
	if v := s.fullSince.Load(); v != 0 {
		return time.UnixMilli(v), true
	}
	return time.Time{}, false
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
