package experiments

import (
	"context"
	"fmt"
)

// SetTestFail makes every batch run f just before its commit (nil removes
// it); an error or a panic in f fails the batch.
func (in *Ingester) SetTestFail(f func() error) {
	if f == nil {
		in.testFail.Store(nil)
		return
	}
	in.testFail.Store(&f)
}

// QueuedEvents is the number of events waiting for the writer.
func (in *Ingester) QueuedEvents() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.queued
}

// BulkIngest validates bodies like Ingest and writes them straight away in
// batches of batchEvents, bypassing the queue: a fast way for benchmarks to
// fill a database. Do not call it while Ingest is in use.
func (in *Ingester) BulkIngest(ctx context.Context, bodies [][]byte, meta RequestMeta, batchEvents int) error {
	w := newBatchWriter(in.s)
	defer w.close()
	var pending []*request
	n := 0
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		_, err := w.write(pending, nil)
		pending, n = pending[:0], 0
		return err
	}
	for i, body := range bodies {
		r, ierr := in.parse(ctx, body, meta)
		if ierr != nil {
			return fmt.Errorf("body %d: %w", i, ierr)
		}
		pending = append(pending, r)
		n += len(r.events)
		if n >= batchEvents {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}
