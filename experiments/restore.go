package experiments

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// RestoreInfo describes a finished restore.
type RestoreInfo struct {
	Schema   int    // the backup's latest migration
	Replaced string // where the database it replaced went ("" when there was none)
}

// Restore puts the backup at src in place of the database at dst, while no
// copylab serves dst (it takes ServeLock, so a server cannot start
// meanwhile either). The backup must be a copylab database of a schema
// this copylab knows (one from a newer copylab is refused); it is not
// moved but snapshotted beside dst as Backup does, checked with SQLite's
// quick check, synced, and renamed over dst. The database it replaces is kept, with its
// write-ahead log, as dst.before-restore-YYYYMMDD-HHMMSSZ, and dst's stale
// shared-memory file is removed: SQLite would otherwise read the old log
// into the restored file. On an error before that swap, dst is as it was.
func Restore(ctx context.Context, src, dst string) (RestoreInfo, error) {
	info := RestoreInfo{}
	if st, err := os.Stat(src); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return info, fmt.Errorf("restore: there is no backup at %s", src)
		}
		return info, fmt.Errorf("restore: %w", err)
	} else if st.IsDir() {
		return info, fmt.Errorf("restore: %s is a directory, not a backup file", src)
	}
	if a, b := absPath(src), absPath(dst); a == b {
		return info, fmt.Errorf("restore: %s is the database itself; name a backup file", src)
	}
	release, err := ServeLock(dst)
	if err != nil {
		var inUse *InUseError
		if errors.As(err, &inUse) {
			return info, fmt.Errorf("restore: %s is being served by copylab%s: stop it first", dst, inUse.pidText())
		}
		return info, fmt.Errorf("restore: %w", err)
	}
	defer release()

	all, err := migrations()
	if err != nil {
		return info, fmt.Errorf("restore: %w", err)
	}
	tmpPath, err := emptyFileBeside(dst, ".restoring-*")
	if err != nil {
		return info, fmt.Errorf("restore: %w", err)
	}
	done := false
	defer func() {
		if !done {
			os.Remove(tmpPath)
		}
	}()
	// A snapshot rather than a copy of the file: a backup that has a
	// write-ahead log beside it (a copied live database) comes whole.
	if info.Schema, err = snapshot(ctx, src, tmpPath, all[len(all)-1].version); err != nil {
		return info, fmt.Errorf("restore: %w", err)
	}

	if _, err := os.Lstat(dst); err == nil {
		aside := dst + ".before-restore-" + time.Now().UTC().Format("20060102-150405Z")
		// A hard link keeps the old database at dst until the rename below
		// replaces it; where links are missing, it moves.
		if err := os.Link(dst, aside); err != nil {
			if err := os.Rename(dst, aside); err != nil {
				return info, fmt.Errorf("restore: keep the current database: %w", err)
			}
		}
		if err := os.Rename(dst+"-wal", aside+"-wal"); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return info, fmt.Errorf("restore: keep the current database's log: %w", err)
		}
		info.Replaced = aside
	}
	if err := os.Remove(dst + "-shm"); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return info, fmt.Errorf("restore: %w", err)
	}
	if err := os.Rename(tmpPath, dst); err != nil {
		return info, fmt.Errorf("restore: %w", err)
	}
	done = true
	syncDir(filepath.Dir(dst))
	return info, nil
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
