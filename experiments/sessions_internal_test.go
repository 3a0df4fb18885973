package experiments

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// TestMigrationSignedInBrowsers: migration 0012 applies to a database made
// before it: the sessions there keep working, each gets its own public id
// and no user agent (Settings calls them "Unknown browser"), and the
// accounts get an empty device key, which signs device cookies as before.
func TestMigrationSignedInBrowsers(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "copylab.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	ann, err := s.CreateUser(ctx, "ann@example.com", "", "$2a$04$hash")
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	// The database as it was at 0011, with two sessions stored then.
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UnixMilli()
	if _, err := db.Exec(`drop index sessions_public_id;
		alter table sessions drop column public_id; alter table sessions drop column user_agent;
		alter table users drop column device_key;
		delete from schema_migrations where version = 12;
		insert into sessions (id_hash, user_id, csrf_token, created_at, expires_at, last_seen_at) values
			('old-1', ?1, 'csrf-1', ?2 - 1000, ?2 + 3600000, ?2 - 1000),
			('old-2', ?1, 'csrf-2', ?2, ?2 + 3600000, ?2)`, ann.ID, now); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if sess, u, err := s.SessionByHash(ctx, "old-1"); err != nil || u.ID != ann.ID || sess.CSRFToken != "csrf-1" {
		t.Fatalf("an old session after the migration: %+v %+v %v", sess, u, err)
	}
	list, err := s.UserSessions(ctx, ann.ID, "old-1")
	if err != nil || len(list) != 2 {
		t.Fatalf("%d sessions (%v)", len(list), err)
	}
	if !list[0].Current || list[1].Current || list[0].ID == list[1].ID {
		t.Errorf("sessions %+v", list)
	}
	for _, b := range list {
		if !IsSessionID(b.ID) || b.UserAgent != "" {
			t.Errorf("old session %+v: want a public id and no user agent", b)
		}
	}
	if _, hash, key, err := s.UserDeviceKeys(ctx, "ann@example.com"); err != nil || hash != "$2a$04$hash" || key != "" {
		t.Errorf("device keys %q %q (%v), want the hash and an empty key", hash, key, err)
	}

	// The old sessions can be signed out by their new ids, the new ones
	// are stored with theirs.
	if current, err := s.DeleteUserSession(ctx, ann.ID, list[1].ID, "old-1", time.Now().Add(time.Hour)); err != nil || current {
		t.Errorf("delete an old session: current %v, %v", current, err)
	}
	if err := s.CreateSession(ctx, "new", ann.ID, "csrf-3", "Mozilla/5.0 Firefox/128.0", "", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if list, err := s.UserSessions(ctx, ann.ID, "new"); err != nil || len(list) != 2 || list[0].UserAgent != "Mozilla/5.0 Firefox/128.0" {
		t.Errorf("after: %+v %v", list, err)
	}
}

// TestSignOutOthers: a user's other sessions end and the device key
// changes; the kept session and other users' sessions stay; a session id
// of another user's is not found, as one that does not exist.
func TestSignOutOthers(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "copylab.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ann, _ := s.CreateUser(ctx, "ann@example.com", "", "hash-a")
	bob, _ := s.CreateUser(ctx, "bob@example.com", "", "hash-b")
	exp := time.Now().Add(time.Hour)
	for _, h := range []string{"a1", "a2", "a3"} {
		if err := s.CreateSession(ctx, h, ann.ID, "c", "", "", exp); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateSession(ctx, "b1", bob.ID, "c", "", "", exp); err != nil {
		t.Fatal(err)
	}
	// An expired session is not counted as signed out.
	if err := s.CreateSession(ctx, "a-old", ann.ID, "c", "", "", time.Now().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	bobs, _ := s.UserSessions(ctx, bob.ID, "b1")
	if _, err := s.DeleteUserSession(ctx, ann.ID, bobs[0].ID, "a1", time.Now().Add(time.Hour)); !errors.Is(err, ErrNotFound) {
		t.Errorf("Ann signs out Bob's session: %v, want not found", err)
	}

	n, _, err := s.SignOutOthers(ctx, ann.ID, "a1", "key-1", "device-1", false)
	if err != nil || n != 2 {
		t.Fatalf("signed out %d (%v), want 2", n, err)
	}
	if list, _ := s.UserSessions(ctx, ann.ID, "a1"); len(list) != 1 || !list[0].Current {
		t.Errorf("Ann's sessions after: %+v", list)
	}
	if list, _ := s.UserSessions(ctx, bob.ID, "b1"); len(list) != 1 {
		t.Errorf("Bob's sessions after: %+v", list)
	}
	if _, _, key, _ := s.UserDeviceKeys(ctx, "ann@example.com"); key != "key-1" {
		t.Errorf("Ann's device key %q", key)
	}
	if _, _, key, _ := s.UserDeviceKeys(ctx, "bob@example.com"); key != "" {
		t.Errorf("Bob's device key %q", key)
	}
	if _, _, err := s.SignOutOthers(ctx, 999, "a1", "key", "device", false); !errors.Is(err, ErrNotFound) {
		t.Errorf("no such user: %v", err)
	}

	// The kept session holds its browser's new device cookie: signing it
	// out from another browser revokes that one, until the given time.
	if err := s.CreateSession(ctx, "a4", ann.ID, "c", "", "device-4", exp); err != nil {
		t.Fatal(err)
	}
	list, _ := s.UserSessions(ctx, ann.ID, "a4")
	var kept string
	for _, b := range list {
		if !b.Current {
			kept = b.ID
		}
	}
	if current, err := s.DeleteUserSession(ctx, ann.ID, kept, "a4", time.Now().Add(time.Hour)); err != nil || current {
		t.Fatalf("sign out the kept session: %v %v", current, err)
	}
	for _, tt := range []struct {
		user   int64
		device string
		want   bool
	}{{ann.ID, "device-1", true}, {ann.ID, "device-4", false}, {bob.ID, "device-1", false}} {
		if got, err := s.DeviceRevoked(ctx, tt.user, tt.device); err != nil || got != tt.want {
			t.Errorf("user %d device %s revoked: %v %v, want %v", tt.user, tt.device, got, err, tt.want)
		}
	}
}

// TestCreateSessionUserAgent: a session keeps at most MaxSessionUserAgent
// bytes of its user agent, cut between characters.
func TestCreateSessionUserAgent(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "copylab.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ann, _ := s.CreateUser(ctx, "ann@example.com", "", "hash")
	for _, tt := range []struct {
		name, ua string
		want     int // bytes kept
	}{
		{"short", "Mozilla/5.0 Firefox/128.0", 25},
		{"exactly the cap", strings.Repeat("a", MaxSessionUserAgent), MaxSessionUserAgent},
		{"long", strings.Repeat("a", 5000), MaxSessionUserAgent},
		{"a character across the cap", "a" + strings.Repeat("é", 300), MaxSessionUserAgent - 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.CreateSession(ctx, tt.name, ann.ID, "c", tt.ua, "", time.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			list, _ := s.UserSessions(ctx, ann.ID, tt.name)
			got := list[0].UserAgent
			if len(got) != tt.want || !utf8.ValidString(got) || !strings.HasPrefix(tt.ua, got) {
				t.Errorf("kept %d bytes (valid UTF-8 %v), want %d", len(got), utf8.ValidString(got), tt.want)
			}
		})
	}
}
