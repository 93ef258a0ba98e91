package data

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"triage/model"
)

// Imports one after another leave the WAL no larger than about one
// import's worth: each lets the checkpointer copy the WAL back once it has
// passed its bound, so the next write starts it again from the beginning
// and cuts the file back. Before, a long import's WAL grew without end
// (7 GB for a million posts), since the background checkpoints were always
// overtaken by new commits.
func TestImportsKeepTheWALBounded(t *testing.T) {
	sqliteOnly(t) // SQLite's WAL file
	bound, keep := walBound, walKeep
	walBound, walKeep = 256<<10, 128<<10 // a few imports' worth, not gigabytes
	t.Cleanup(func() { walBound, walKeep = bound, keep })
	s := openTemp(t)
	size := func() int64 {
		fi, err := os.Stat(s.Path() + "-wal")
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	var first, largest int64
	for i := range 12 {
		var lines []string
		for j := range 300 {
			lines = append(lines, fmt.Sprintf(`{"platform":"vk","external_id":"%d-%d","category":"fraud","text":"объявление %d номер %d, звоните"}`, i, j, i, j))
		}
		importLines(t, s, lines...)
		if i == 0 {
			first = size()
		}
		largest = max(largest, size())
	}
	if first == 0 || largest > 2*max(first, walKeep) {
		t.Errorf("WAL after the first import %d bytes, largest after twelve %d bytes: want at most twice one import's (or the %d kept)", first, largest, walKeep)
	}
	var posts int
	if err := s.r.QueryRow(`SELECT count(*) FROM posts`).Scan(&posts); err != nil || posts != 12*300 {
		t.Fatalf("posts stored: %d, %v", posts, err)
	}
}

// An import's transactions stay short while a console is open on the
// database, since its reviewer may decide at any moment and would wait for
// the commit in progress; with nobody there they run long, which is what
// keeps a large import fast.
func TestImportTransactionsStayShortWhileAConsoleIsOpen(t *testing.T) {
	sqliteOnly(t) // the intent file and the adaptive limit are SQLite's
	s := openTemp(t)
	ctx := context.Background()
	limit := func() time.Duration {
		t.Helper()
		w, err := s.newBatchWriter(false)
		if err != nil {
			t.Fatal(err)
		}
		defer w.close()
		if err := w.begin(ctx); err != nil {
			t.Fatal(err)
		}
		return w.txLimit()
	}
	if got := limit(); got != importTxLimitAlone {
		t.Errorf("nobody online: transactions of %v, want %v", got, importTxLimitAlone)
	}
	session, err := s.StartSession(ctx, model.Actor{Reviewer: "bob"}, OriginLocal)
	if err != nil {
		t.Fatal(err)
	}
	if got := limit(); got != importTxLimit {
		t.Errorf("a console open: transactions of %v, want %v", got, importTxLimit)
	}
	if err := s.EndSession(ctx, session); err != nil {
		t.Fatal(err)
	}
	if got := limit(); got != importTxLimitAlone {
		t.Errorf("the console closed: transactions of %v, want %v", got, importTxLimitAlone)
	}
}
