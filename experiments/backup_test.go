package experiments_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"copylab/experiments"
)

// exposeNew sends one exposure of a new visitor and reports whether it was
// acknowledged.
func exposeNew(t testing.TB, in *experiments.Ingester, f evFixture, n int) bool {
	visitor := fmt.Sprintf("backup-visitor-%08d", n)
	e := f.exp
	v := e.Variants[experiments.Assign(e.Seed, visitor, e.Weights(), e.CoverageBP)].Key
	body := fmt.Sprintf(`{"site":%q,"visitor":%q,"events":[{"id":%q,"type":"exposure","experiment":%q,"variant":%q,"url":"https://shop.example/","matched":true}]}`,
		f.site.Key, visitor, evID(), e.ID, v)
	_, err := in.Ingest(context.Background(), []byte(body), experiments.RequestMeta{UserAgent: evChromeUA, ReceivedAt: time.Now()})
	return err == nil
}

// openCopy opens a backup read-only, for checks in SQL.
func openCopy(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func scanInt(t *testing.T, db *sql.DB, q string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// A backup taken while copylab runs holds what was committed, including
// what is still only in the write-ahead log, and is a file of its own.
func TestBackupOfARunningDatabase(t *testing.T) {
	f := evNewFixture(t)
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	for i := 0; i < 50; i++ {
		if !exposeNew(t, in, f, i) {
			t.Fatal("an exposure was refused")
		}
	}
	if _, err := os.Stat(f.s.Path() + "-wal"); err != nil {
		t.Fatalf("want the events still in the write-ahead log for this test: %v", err)
	}
	dst := filepath.Join(t.TempDir(), "copy.db")
	info, err := experiments.Backup(context.Background(), f.s.Path(), dst)
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	if info.Path != dst || info.Bytes <= 0 || info.Schema < 13 {
		t.Errorf("info = %+v, want path %s, a size and the schema version", info, dst)
	}
	st, err := os.Stat(dst)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 || st.Size() != info.Bytes {
		t.Errorf("backup mode %v size %d, want 0600 and %d", st.Mode().Perm(), st.Size(), info.Bytes)
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if _, err := os.Stat(dst + suffix); err == nil {
			t.Errorf("the backup has a %s file: it should be one file", suffix)
		}
	}
	db := openCopy(t, dst)
	if n := scanInt(t, db, `select count(*) from events`); n != 50 {
		t.Errorf("backup holds %d events, want 50", n)
	}
	if n := scanInt(t, db, `select coalesce(sum(exposures), 0) from variant_counts`); n != 50 {
		t.Errorf("backup counts %d exposures, want 50", n)
	}
	if n := scanInt(t, db, `select count(*) from sites where key = '`+f.site.Key+`'`); n != 1 {
		t.Errorf("backup holds %d of the site, want 1", n)
	}

	// The copy opens as a copylab database of its own.
	s, err := experiments.Open(context.Background(), dst)
	if err != nil {
		t.Fatalf("open the backup: %v", err)
	}
	defer s.Close()
	c, err := s.Counts(context.Background(), f.exp)
	if err != nil {
		t.Fatalf("counts from the backup: %v", err)
	}
	total := 0
	for _, v := range c.Variants {
		total += int(v.Exposures)
	}
	if total != 50 {
		t.Errorf("the backup's results count %d visitors, want 50", total)
	}
}

// Events keep coming while the backup runs: none is refused, and the copy
// is one moment's snapshot (its counts agree with its events).
func TestBackupWhileEventsArrive(t *testing.T) {
	f := evNewFixture(t)
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	for i := 0; i < 2000; i++ {
		exposeNew(t, in, f, i)
	}
	var stop atomic.Bool
	var sent, refused atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				if exposeNew(t, in, f, 1_000_000*(g+1)+i) {
					sent.Add(1)
				} else {
					refused.Add(1)
				}
			}
		}(g)
	}
	for sent.Load() < 200 { // the writers are going
		time.Sleep(time.Millisecond)
	}
	dst := filepath.Join(t.TempDir(), "copy.db")
	_, err := experiments.Backup(context.Background(), f.s.Path(), dst)
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatalf("backup during ingest: %v", err)
	}
	if refused.Load() > 0 {
		t.Errorf("%d events were refused during the backup", refused.Load())
	}
	db := openCopy(t, dst)
	events := scanInt(t, db, `select count(*) from events`)
	counted := scanInt(t, db, `select coalesce(sum(exposures), 0) from variant_counts`)
	if events < 2000 || counted != events {
		t.Errorf("backup holds %d events and counts %d exposures: want the same, at least 2000", events, counted)
	}
	if ok := scanInt(t, db, `select count(*) from pragma_integrity_check where integrity_check = 'ok'`); ok != 1 {
		t.Error("the backup fails SQLite's integrity check")
	}
}

// leftovers lists the files in dir other than keep.
func leftovers(t *testing.T, dir string, keep ...string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		found := false
		for _, k := range keep {
			found = found || e.Name() == k
		}
		if !found {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestBackupRefusals(t *testing.T) {
	f := evNewFixture(t)
	ctx := context.Background()

	t.Run("existing file is kept", func(t *testing.T) {
		dir := t.TempDir()
		dst := filepath.Join(dir, "copy.db")
		if err := os.WriteFile(dst, []byte("yesterday's backup"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := experiments.Backup(ctx, f.s.Path(), dst)
		if err == nil || !strings.Contains(err.Error(), "already exists") {
			t.Fatalf("err = %v, want already exists", err)
		}
		if b, _ := os.ReadFile(dst); string(b) != "yesterday's backup" {
			t.Errorf("the existing file changed: %q", b)
		}
		if l := leftovers(t, dir, "copy.db"); len(l) > 0 {
			t.Errorf("left behind: %v", l)
		}
	})
	t.Run("no database", func(t *testing.T) {
		dir := t.TempDir()
		_, err := experiments.Backup(ctx, filepath.Join(dir, "missing.db"), filepath.Join(dir, "copy.db"))
		if err == nil || !strings.Contains(err.Error(), "there is no database at") {
			t.Fatalf("err = %v, want no database", err)
		}
		if l := leftovers(t, dir); len(l) > 0 {
			t.Errorf("left behind: %v", l)
		}
	})
	t.Run("not a copylab database", func(t *testing.T) {
		dir := t.TempDir()
		src := filepath.Join(dir, "notes.txt")
		if err := os.WriteFile(src, []byte(strings.Repeat("not sqlite ", 100)), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := experiments.Backup(ctx, src, filepath.Join(dir, "copy.db"))
		if err == nil || !strings.Contains(err.Error(), "is not a copylab database") {
			t.Fatalf("err = %v, want not a copylab database", err)
		}
		if l := leftovers(t, dir, "notes.txt"); len(l) > 0 {
			t.Errorf("left behind: %v", l)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		dir := t.TempDir()
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := experiments.Backup(cctx, f.s.Path(), filepath.Join(dir, "copy.db")); err == nil {
			t.Fatal("a cancelled backup succeeded")
		}
		if l := leftovers(t, dir); len(l) > 0 {
			t.Errorf("left behind: %v", l)
		}
	})
	t.Run("missing folder", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "nodir")
		_, err := experiments.Backup(ctx, f.s.Path(), filepath.Join(dir, "copy.db"))
		if err == nil || !strings.Contains(err.Error(), "the folder "+dir+" does not exist: create it first") || strings.Contains(err.Error(), "partial") {
			t.Fatalf("err = %v, want the folder named as missing, no temporary file name", err)
		}
	})
	t.Run("directory gets a dated name", func(t *testing.T) {
		dir := t.TempDir()
		info, err := experiments.Backup(ctx, f.s.Path(), dir)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(info.Path)
		if filepath.Dir(info.Path) != dir || !strings.HasPrefix(name, "copylab-") || !strings.HasSuffix(name, "Z.db") {
			t.Errorf("backup written to %s, want %s/copylab-YYYYMMDD-HHMMSSZ.db", info.Path, dir)
		}
		if l := leftovers(t, dir, name); len(l) > 0 {
			t.Errorf("left behind: %v", l)
		}
	})
}

// A stopped copylab leaves no write-ahead log; the backup reads the file
// as it is.
func TestBackupOfAClosedDatabase(t *testing.T) {
	src := filepath.Join(t.TempDir(), "copylab.db")
	s, err := experiments.Open(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	site, err := s.CreateSite(context.Background(), experiments.Site{Name: "Shop", Domain: "shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	dst := filepath.Join(t.TempDir(), "copy.db")
	if _, err := experiments.Backup(context.Background(), src, dst); err != nil {
		t.Fatalf("backup: %v", err)
	}
	db := openCopy(t, dst)
	if n := scanInt(t, db, `select count(*) from sites where id = '`+site.ID+`'`); n != 1 {
		t.Errorf("backup holds %d of the site, want 1", n)
	}
}

// BenchmarkBackup backs up a database of a million events (see
// benchEvents) and reports its size and the rate of the copy.
func BenchmarkBackup(b *testing.B) {
	bs := newBenchSite(b)
	buildBenchEvents(b, bs, benchEvents(b))
	dir := b.TempDir()
	var info experiments.BackupInfo
	n := 0
	for b.Loop() {
		n++
		var err error
		if info, err = experiments.Backup(context.Background(), bs.s.Path(), filepath.Join(dir, fmt.Sprintf("copy-%d.db", n))); err != nil {
			b.Fatal(err)
		}
		os.Remove(info.Path) // one copy on disk at a time
	}
	b.ReportMetric(float64(info.Bytes)/1e6, "MB")
	b.ReportMetric(float64(info.Bytes)/1e6/(b.Elapsed().Seconds()/float64(b.N)), "MB/s")
}
