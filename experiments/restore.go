package experiments

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// RestoreInfo describes a finished restore.
type RestoreInfo struct {
	Schema   int    // the backup's latest migration
	Replaced string // where the database it replaced went ("" when there was none)
}

// Restore puts the backup at src in place of the database at dst, while no
// copylab serves dst (it takes the serve lock, so a server cannot start
// meanwhile either). The backup must be a copylab database of a schema
// this copylab knows (one from a newer copylab is refused); it is not
// moved but snapshotted beside dst as Backup does, checked with SQLite's
// quick check, synced, and renamed over dst, with the owner of the file it
// replaces, or where there is none, of its folder (see ownerModel). Run as
// root in another user's folder, it writes there with that user's rights
// (see snapshotBeside).
//
// The database it replaces is kept as dst.before-restore-YYYYMMDD-HHMMSSZ
// (with -2, -3… should that name be taken). Its write-ahead log is first
// folded into it (a checkpoint), so that it is kept as one file and no log
// is left beside dst for SQLite to replay into the restored file; a
// database too damaged for that keeps its log beside it, renamed with it.
// A reader that holds the log for over a second (a backup that is still
// running) makes Restore refuse. On an error, dst is as it was.
func Restore(ctx context.Context, src, dst string) (RestoreInfo, error) {
	info := RestoreInfo{}
	if err := sourceFile(src, "backup"); err != nil {
		return info, fmt.Errorf("restore: %w", err)
	}
	if a, b := absPath(src), absPath(dst); a == b {
		return info, fmt.Errorf("restore: %s is the database itself; name a backup file", src)
	}
	release, err := lockDB(dst, HolderRestore)
	if err != nil {
		var inUse *InUseError
		if errors.As(err, &inUse) {
			return info, fmt.Errorf("restore: %s", inUse.message("stop it first"))
		}
		return info, fmt.Errorf("restore: %w", err)
	}
	defer release()

	all, err := migrations()
	if err != nil {
		return info, fmt.Errorf("restore: %w", err)
	}
	// A snapshot rather than a copy of the file: a backup that has a
	// write-ahead log beside it (a copied live database) comes whole.
	snap, err := snapshotBeside(ctx, src, dst, ".restoring-*", all[len(all)-1].version)
	if err != nil {
		return info, fmt.Errorf("restore: %w", err)
	}
	tmpPath, done := snap.tmp, false
	info.Schema = snap.schema
	defer func() {
		if !done {
			os.Remove(tmpPath)
		}
	}()
	if err := ctx.Err(); err != nil {
		return info, fmt.Errorf("restore: %w", err)
	}

	undo := func() error { return nil }
	if _, err := os.Lstat(dst); err == nil {
		if err := foldLog(dst); err != nil {
			return info, fmt.Errorf("restore: %w", err)
		}
		if info.Replaced, undo, err = keepAside(dst); err != nil {
			return info, fmt.Errorf("restore: keep the current database: %w", err)
		}
	}
	err = os.Remove(dst + "-shm")
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		err = os.Rename(tmpPath, dst)
	}
	if err != nil {
		if uerr := undo(); uerr != nil {
			return info, fmt.Errorf("restore: %w; putting the current database back failed too (%v): it is at %s", err, uerr, info.Replaced)
		}
		return info, fmt.Errorf("restore: %w", err)
	}
	done = true
	syncDir(filepath.Dir(dst))
	return info, nil
}

// foldLog checkpoints the database at path so that its write-ahead log is
// empty, and closes it, which removes the log. A database SQLite cannot
// open or checkpoint (a damaged one) is left as it is, for keepAside to
// keep with its log; one whose log a reader holds is refused.
//
// Run as root in a folder of another user, it opens the database with
// that user's file rights (see inFolder), as snapshotBeside writes the
// restored file: SQLite opens the database by its name and follows a
// symbolic link, which that user may have put in its place, pointing at
// another database of the system, which root would then write to. A
// database that user cannot open (one of root's) is left as it is too.
func foldLog(path string) error {
	return inFolder(filepath.Dir(absPath(path)), func() error { return foldLogHere(path) })
}

// foldLogHere is foldLog with this thread's file rights. The connection
// is opened, used and closed on the calling goroutine (database/sql opens
// one there when it has none idle), so all of it has the rights inFolder
// gave.
func foldLogHere(path string) error {
	if !sqliteHeader(path) {
		// Not opened at all: SQLite may delete the log of a file whose
		// header it cannot read, and a damaged database is kept whole.
		return nil
	}
	db := sql.OpenDB(connector{dsn: "file:" + escapePath(path) + "?_busy_timeout=1000", drv: &sqlite3.SQLiteDriver{}})
	defer db.Close()
	var busy, logged, moved int
	if err := db.QueryRow(`/* Restore */ pragma wal_checkpoint(truncate)`).Scan(&busy, &logged, &moved); err != nil {
		return nil // damaged: keep it as it is, log and all
	}
	if busy != 0 {
		return fmt.Errorf("another program is reading %s (a backup that is still running?); try again once it is done", path)
	}
	return db.Close()
}

// keepAside gives the database at dst a second name,
// dst.before-restore-TIMESTAMP (-2, -3… if taken), and moves its log, if it
// still has one, to that name's log. undo takes both back.
func keepAside(dst string) (aside string, undo func() error, err error) {
	base := dst + ".before-restore-" + time.Now().UTC().Format("20060102-150405Z")
	for i := 1; i <= 100; i++ {
		aside = base
		if i > 1 {
			aside += "-" + strconv.Itoa(i)
		}
		if _, err := os.Lstat(aside + "-wal"); err == nil {
			continue
		}
		// A hard link keeps the database at dst until the restored file
		// replaces it; where the file system has no links, it moves.
		err = os.Link(dst, aside)
		linked := err == nil
		switch {
		case errors.Is(err, fs.ErrExist):
			continue
		case err != nil && !errors.Is(err, syscall.EPERM) && !errors.Is(err, syscall.ENOTSUP) && !errors.Is(err, syscall.EXDEV):
			return "", nil, err
		case err != nil:
			if _, serr := os.Lstat(aside); serr == nil {
				continue
			}
			if err := os.Rename(dst, aside); err != nil {
				return "", nil, err
			}
		}
		walMoved := false
		if err := os.Rename(dst+"-wal", aside+"-wal"); err == nil {
			walMoved = true
		} else if !errors.Is(err, fs.ErrNotExist) {
			putBack(dst, aside, linked, false)
			return "", nil, err
		}
		return aside, func() error { return putBack(dst, aside, linked, walMoved) }, nil
	}
	return "", nil, fmt.Errorf("%s and 99 names after it are taken", base)
}

// putBack undoes keepAside.
func putBack(dst, aside string, linked, walMoved bool) error {
	var errs []error
	if walMoved {
		errs = append(errs, os.Rename(aside+"-wal", dst+"-wal"))
	}
	if linked {
		errs = append(errs, os.Remove(aside))
	} else {
		errs = append(errs, os.Rename(aside, dst))
	}
	return errors.Join(errs...)
}

// sqliteHeader tells whether the file at path starts as an SQLite database.
func sqliteHeader(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	b := make([]byte, 16)
	_, err = io.ReadFull(f, b)
	return err == nil && string(b) == "SQLite format 3\x00"
}
