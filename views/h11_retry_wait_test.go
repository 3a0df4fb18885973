package views

import (
	"strings"
	"testing"
	"time"
)

// TestRetryWaitCountsDown: while copylab waits to ask the model service
// again, the progress, and a rewriting draft's card, say why and give
// the wait left in data-retry-ms (which generate.js counts down), its
// text in WaitText's words rounded up. The poll keys change when a wait
// starts or ends, not as it runs down, so a poll does not redraw them
// every second; the announcement says the wait as it was asked.
func TestRetryWaitCountsDown(t *testing.T) {
	const progress = "Writing 4 drafts with fake-gpt…"
	const why = "The model service asked to wait"
	job := GenerateJob{State: JobRunning, Progress: progress, StatusURL: "/s", PageURL: "/p",
		RetryWhy: why, RetryLeft: 8200 * time.Millisecond, RetryWait: 9 * time.Second, RetryTry: 2}

	doc, raw := renderDoc(t, GenerationStatus(job))
	spans := find(doc, byAttr("data-retry-ms", "8200"))
	if len(spans) != 1 || text(spans[0]) != "9 seconds" {
		t.Fatalf("the progress has %d spans with data-retry-ms=8200:\n%s", len(spans), raw)
	}
	line := text(find(doc, byClass("gen-progress-text"))[0])
	if want := progress + " " + why + "; trying again in 9 seconds."; line != want {
		t.Errorf("progress reads %q, want %q", line, want)
	}
	if want := progress + " " + why + "; trying again in 9 seconds."; job.Announcement() != want {
		t.Errorf("announcement %q, want %q", job.Announcement(), want)
	}
	later := job
	later.RetryLeft = 3 * time.Second
	if later.PollKey() != job.PollKey() {
		t.Errorf("the poll key changes as the wait runs down: %q, then %q", job.PollKey(), later.PollKey())
	}
	if later.Announcement() != job.Announcement() {
		t.Errorf("the announcement changes as the wait runs down: %q, then %q", job.Announcement(), later.Announcement())
	}
	next := job
	next.RetryTry = 3
	ended := job
	ended.RetryWhy, ended.RetryLeft, ended.RetryWait, ended.RetryTry = "", 0, 0, 0
	for _, other := range []GenerateJob{next, ended} {
		if other.PollKey() == job.PollKey() {
			t.Errorf("the poll key %q stays when a wait starts or ends", job.PollKey())
		}
	}
	doc, raw = renderDoc(t, GenerationStatus(ended))
	if len(find(doc, byAttr("data-retry-ms", ""))) != 0 || strings.Contains(raw, "data-retry-ms") || strings.Contains(raw, "trying again") {
		t.Errorf("the progress without a wait says one:\n%s", raw)
	}

	card := DraftCard{Index: 1, Text: "Plan every launch", Original: "Plan every launch", MaxLength: 60, Include: true,
		Regenerating: true, Instruction: "shorter", URL: "/d", RegenerateURL: "/d/regenerate",
		RetryWhy: why, RetryLeft: 1500 * time.Millisecond, RetryTry: 2}
	doc, raw = renderDoc(t, DraftCardView(card))
	spans = find(doc, byAttr("data-retry-ms", "1500"))
	if len(spans) != 1 || text(spans[0]) != "2 seconds" {
		t.Fatalf("the card has %d spans with data-retry-ms=1500:\n%s", len(spans), raw)
	}
	busy := text(find(doc, byClass("gen-progress-sm"))[0])
	if want := "Rewriting (shorter)… " + why + "; trying again in 2 seconds."; strings.TrimSpace(busy) != want {
		t.Errorf("card reads %q, want %q", busy, want)
	}
	key := func(d DraftCard) string {
		doc, _ := renderDoc(t, DraftCardView(d))
		v, _ := attr(find(doc, byAttr("id", "draft-1"))[0], "data-poll-quiet")
		return v
	}
	cardLater, cardNext, cardEnded := card, card, card
	cardLater.RetryLeft = 300 * time.Millisecond
	cardNext.RetryTry = 3
	cardEnded.RetryWhy, cardEnded.RetryLeft, cardEnded.RetryTry = "", 0, 0
	if key(cardLater) != key(card) {
		t.Errorf("the card's poll key changes as the wait runs down: %q, then %q", key(card), key(cardLater))
	}
	if key(cardNext) == key(card) || key(cardEnded) == key(card) {
		t.Errorf("the card's poll key %q stays when a wait starts or ends", key(card))
	}
	if got := key(cardEnded); got != "rewriting shorter" {
		t.Errorf("without a wait, the card's poll key is %q", got)
	}
}
