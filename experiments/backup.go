package experiments

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// BackupInfo describes a finished backup.
type BackupInfo struct {
	Path   string        // the backup file written
	Bytes  int64         // its size
	Schema int           // the latest migration applied to the database copied
	Took   time.Duration // from start to the file's rename
}

// Backup writes a consistent copy of the copylab database at src to dst.
// copylab may be running and writing to src meanwhile: SQLite's VACUUM INTO
// reads one snapshot in a read transaction, which does not hold up the
// events writer, and that snapshot includes the transactions still in the
// write-ahead log, which a copy of the database file alone would miss.
//
// The copy is written beside dst under a temporary name, readable by its
// owner only (the database holds webhook URLs and session tokens), checked
// (PRAGMA quick_check), synced to disk, and only then given its name. Run
// as root, it is the file of the folder's owner, as a database root
// creates there is (see snapshotBeside). dst
// must not exist; when it names a directory, the copy goes in it as
// copylab-YYYYMMDD-HHMMSSZ.db (UTC). A dst that ends in a slash must be
// a directory. A database of a later schema than this copylab knows (a
// newer copylab's) is refused, as Restore refuses it. On an error, or
// when ctx ends, no file is left behind.
func Backup(ctx context.Context, src, dst string) (BackupInfo, error) {
	start := time.Now()
	info := BackupInfo{}
	if err := sourceFile(src, "database"); err != nil {
		return info, fmt.Errorf("backup: %w", err)
	}
	// A name that ends in a slash means a folder, even a missing one:
	// it is not taken for the file's name once the slash is cleaned away.
	folder := dst != "" && os.IsPathSeparator(dst[len(dst)-1])
	switch st, err := os.Stat(dst); {
	case err == nil && st.IsDir():
		dst = filepath.Join(dst, "copylab-"+start.UTC().Format("20060102-150405Z")+".db")
	case folder && errors.Is(err, fs.ErrNotExist):
		return info, fmt.Errorf("backup: the folder %s does not exist: create it, or name a file", dst)
	case folder && errors.Is(err, syscall.ENOTDIR):
		return info, fmt.Errorf("backup: %s is not a folder", dst)
	case folder:
		return info, fmt.Errorf("backup: %w", err)
	}
	dst = absPath(dst)
	info.Path = dst
	if _, err := os.Lstat(dst); err == nil {
		return info, backupExists(dst)
	}
	// A database a newer copylab migrated is refused before anything is
	// written, as Restore refuses it: this copylab's backup of it could
	// not be restored by this copylab, nor opened by it.
	newest, err := NewestSchema()
	if err != nil {
		return info, fmt.Errorf("backup: %w", err)
	}
	snap, err := snapshotBeside(ctx, src, dst, ".partial-*", newest)
	if err != nil {
		return info, fmt.Errorf("backup: %w", err)
	}
	if err := claimName(snap.tmp, dst); err != nil {
		removeCopy(snap.tmp)
		return info, err
	}
	syncDir(filepath.Dir(dst))
	info.Schema, info.Bytes, info.Took = snap.schema, snap.size, time.Since(start)
	return info, nil
}

// snap is a snapshot that snapshotBeside wrote.
type snap struct {
	tmp    string // its absolute name
	size   int64
	schema int // the latest migration applied to it
}

// snapshotBeside writes one snapshot of the copylab database at src with
// VACUUM INTO into a new file in dst's folder, named after dst with
// pattern (see os.CreateTemp) and readable by its owner only; checks it
// and syncs it to disk. The file takes the owner and group that
// ownerModel(dst) names. With newest > 0, a database of a later schema
// than that is refused before anything is written. On an error, no file
// is left behind.
//
// Run as root in a folder of another user, who may swap any name in it
// for a symbolic link, it writes the file with that user's rights (see
// inFolder): SQLite writes a snapshot through its name, and would follow
// the link. Root then hands the file over and syncs it through the
// descriptor it was created with, once it has checked that the name
// still leads to that file.
func snapshotBeside(ctx context.Context, src, dst, pattern string, newest int) (snap, error) {
	db := openReadOnly(src)
	defer db.Close()
	// One connection, opened here with this process's rights: a database
	// only root may read is read as root, also while its copy is written
	// with another user's rights.
	conn, err := db.Conn(ctx)
	if err != nil {
		return snap{}, readError(ctx, src, err)
	}
	defer conn.Close()
	out := snap{}
	if out.schema, err = schemaOf(ctx, conn, src, false); err != nil {
		return snap{}, err
	}
	if newest > 0 {
		if err := refuseNewer(src, out.schema, newest); err != nil {
			return snap{}, err
		}
	}
	var f *os.File
	err = inFolder(filepath.Dir(absPath(dst)), func() error {
		var err error
		if f, err = createBeside(dst, pattern); err != nil {
			return err
		}
		// VACUUM INTO reads a name that starts with "file:" as a URI.
		out.tmp = absPath(f.Name())
		if _, err := conn.ExecContext(ctx, `/* Backup */ vacuum into ?`, out.tmp); err != nil {
			return copyError(src, dst, err)
		}
		if err := checkCopy(ctx, out.tmp); err != nil {
			return fmt.Errorf("the copy of %s: %w", src, err)
		}
		return nil
	})
	if f == nil {
		return snap{}, err
	}
	defer f.Close()
	if err == nil {
		out.size, err = stillNamed(f, out.tmp)
	}
	if err == nil {
		if like, lerr := ownerModel(dst); lerr == nil {
			sameOwnerFile(f, like)
		}
		// SQLite does not sync what VACUUM INTO writes; a descriptor
		// of the same file syncs it.
		if err = f.Sync(); err != nil {
			err = writeError(dst, err)
		}
	}
	if err == nil {
		if err = f.Close(); err != nil {
			err = writeError(dst, err)
		}
	}
	if err != nil {
		removeCopy(out.tmp)
		return snap{}, err
	}
	return out, nil
}

// copyError words a failure of VACUUM INTO from the database at src into
// the copy that is to become dst. When writing the copy failed, it names
// dst, not src: "copy data/copylab.db: database or disk is full" read as
// if the database's own disk were full, when the backup's was. SQLite
// opens src read-only, so a lack of space, a file over the size the
// system allows (EFBIG), or a failed write, sync or truncate is the
// copy's. (Once a write of pages out of its cache has failed, SQLite
// reports a bare SQLITE_IOERR, without the extended code that says which
// operation: the system's errno tells.)
func copyError(src, dst string, err error) error {
	var se sqlite3.Error
	if IsStorageFull(err) || errors.As(err, &se) && (se.SystemErrno == syscall.EFBIG ||
		se.ExtendedCode == sqlite3.ErrIoErrWrite || se.ExtendedCode == sqlite3.ErrIoErrFsync ||
		se.ExtendedCode == sqlite3.ErrIoErrTruncate) {
		return writeError(dst, err)
	}
	return fmt.Errorf("copy %s: %w", src, err)
}

// writeError words a failure to write the copy that is to become dst,
// saying so when its disk is full.
func writeError(dst string, err error) error {
	if IsStorageFull(err) {
		return fmt.Errorf("cannot write %s: no space left on its disk: %w", dst, err)
	}
	return fmt.Errorf("cannot write %s: %w", dst, err)
}

// removeCopy removes the snapshot file name, which will not be used, and
// what SQLite may have left beside it: a VACUUM INTO whose write failed
// part way, after it had written pages out of its cache, keeps its
// rollback journal (SQLite would play it back on the next open, which
// never comes), one more file per failed run under cron. The log and
// shared memory of WAL mode are removed too, should a copy ever have them.
// The name is a fresh temporary one (createBeside): nothing else is named
// after it.
func removeCopy(name string) {
	os.Remove(name)
	for _, c := range []string{"-journal", "-wal", "-shm"} {
		os.Remove(name + c)
	}
}

// createBeside creates an empty file in dst's directory, named after dst
// with pattern (see os.CreateTemp), readable by its owner only.
func createBeside(dst, pattern string) (*os.File, error) {
	dir := filepath.Dir(dst)
	f, err := os.CreateTemp(dir, filepath.Base(dst)+pattern)
	if err != nil {
		// Said of the folder: the temporary name means nothing to the
		// person, and a missing folder is the usual cause.
		var pe *fs.PathError
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("the folder %s does not exist: create it first", dir)
		case errors.As(err, &pe):
			return nil, fmt.Errorf("cannot write a file in %s: %w", dir, pe.Err)
		}
		return nil, err
	}
	return f, nil
}

// stillNamed checks that name still names the open file f, not a link or
// another file put in its place, and returns f's size.
func stillNamed(f *os.File, name string) (int64, error) {
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if li, err := os.Lstat(name); err != nil || !os.SameFile(fi, li) {
		return 0, fmt.Errorf("%s was replaced while copylab wrote it: another program changes the files of %s", name, filepath.Dir(name))
	}
	return fi.Size(), nil
}

// claimName gives the finished copy at tmp the name dst, only if no file
// has that name: a hard link fails on an existing name, where a rename
// would replace a file that appeared meanwhile. On a file system without
// hard links it renames after looking once more.
func claimName(tmp, dst string) error {
	err := os.Link(tmp, dst)
	switch {
	case err == nil:
		os.Remove(tmp)
		return nil
	case errors.Is(err, fs.ErrExist):
		return backupExists(dst)
	}
	if _, err := os.Lstat(dst); err == nil {
		return backupExists(dst)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

func backupExists(dst string) error {
	return fmt.Errorf("backup: %s already exists; name a new file, or remove that one first", dst)
}

// openReadOnly opens a database file read-only, waiting for a writer's
// lock as the store does.
func openReadOnly(path string) *sql.DB {
	return sql.OpenDB(connector{dsn: "file:" + escapePath(path) + "?mode=ro&_busy_timeout=5000", drv: &sqlite3.SQLiteDriver{}})
}

// schemaOf returns the latest migration applied to the copylab database
// at path, open in db, for backup, restore and the store's open alike. A
// file that is not SQLite, or an SQLite database of another program, is
// refused with a *notCopylabError; so is a database with nothing in it
// yet, unless empty is true (the store makes an empty file copylab's),
// when its version is 0.
func schemaOf(ctx context.Context, db queryRower, path string, empty bool) (int, error) {
	// copylab's schema_migrations has these three columns; the tables of
	// that name that other programs keep (golang-migrate's, Rails') have
	// not.
	var objects, columns int
	err := db.QueryRowContext(ctx, `/* schemaOf */ select
		(select count(*) from sqlite_master where name not like 'sqlite\_%' escape '\'),
		(select count(*) from pragma_table_info('schema_migrations') where name in ('version', 'name', 'applied_at'))`).Scan(&objects, &columns)
	if err != nil {
		return 0, readError(ctx, path, err)
	}
	switch {
	case columns == 3:
	case objects == 0 && empty:
		return 0, nil
	default:
		return 0, &notCopylabError{path: path}
	}
	var v int
	if err := db.QueryRowContext(ctx, `/* schemaOf */ select coalesce(max(version), 0) from schema_migrations`).Scan(&v); err != nil {
		return 0, readError(ctx, path, err)
	}
	return v, nil
}

// queryRower is a database or one of its connections.
type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// readError words a failure of schemaOf to read the file at path: a file
// that is not SQLite at all is not a copylab database either.
func readError(ctx context.Context, path string, err error) error {
	var se sqlite3.Error
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.As(err, &se) && se.Code == sqlite3.ErrNotADB:
		return &notCopylabError{path, err}
	case errors.As(err, &se) && se.Code == sqlite3.ErrCantOpen && readOnlyFS(path):
		// SQLite reads a database in WAL mode with the shared memory of
		// its -shm file beside it, which it cannot create there: it says
		// "unable to open database file: no such file or directory" of a
		// file that is there.
		// That text is left out: it is kept in the chain.
		return &wordedError{"cannot read " + path + ": it is on a read-only file system, where SQLite cannot open it: remount it read-write", err}
	}
	return fmt.Errorf("cannot read %s: %w", path, err)
}

// readOnlyFS tells whether the file at path is on a read-only file
// system: the system refuses to open it for writing with EROFS, before
// it looks at the file's owner and mode. The file is opened and closed,
// never written; no caller holds a lock on it that closing a descriptor
// of the file would drop.
func readOnlyFS(path string) bool {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err == nil {
		f.Close()
		return false
	}
	return errors.Is(err, syscall.EROFS)
}

// refuseNewer refuses the copylab database at path when its schema
// version is later than newest, the latest migration this copylab knows:
// a newer copylab migrated it, and this one would not know its tables.
// Restore and every command that opens a database say it in these words.
func refuseNewer(path string, schema, newest int) error {
	if schema > newest {
		return fmt.Errorf("%s comes from a newer copylab (schema version %d; this one knows up to %d): use that version", path, schema, newest)
	}
	return nil
}

// checkCopy runs SQLite's quick check on the database file at path.
func checkCopy(ctx context.Context, path string) error {
	db := openReadOnly(path)
	defer db.Close()
	rows, err := db.QueryContext(ctx, `/* Backup */ pragma quick_check`)
	if err != nil {
		return fmt.Errorf("check: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("check: %w", err)
		}
		if line != "ok" && len(problems) < 3 {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("it fails SQLite's check: %s", strings.Join(problems, "; "))
	}
	return nil
}

// syncDir makes a new name in dir durable, where the system allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// sourceFile checks that a file to copy from exists and is a file; what
// names it in the error ("database", "backup").
func sourceFile(path, what string) error {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("there is no %s at %s", what, path)
	case err != nil:
		return err
	case st.IsDir():
		return fmt.Errorf("%s is a directory, not a %s file", path, what)
	}
	return nil
}

// absPath is p made absolute, or p when it cannot be.
func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
