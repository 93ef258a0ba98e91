package data

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"triage/model"
)

func TestConcurrentDecisionsExactlyOneWins(t *testing.T) {
	s := openTemp(t)
	importLines(t, s, `{"platform":"vk","text":"hello","category":"fraud","external_id":"1"}`)
	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, reason := model.ActionReject, "FRD-INV"
			if i%2 == 0 {
				a, reason = model.ActionApprove, "FRD-NONE"
			}
			_, errs[i] = s.Decide(context.Background(), model.Decision{PostID: 1, Actor: model.Actor{Reviewer: fmt.Sprint("r", i)}, Action: a, ReasonCode: reason})
		}()
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case !errors.Is(err, ErrConflict):
			t.Errorf("loser got %v, want ErrConflict", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d decisions won, want exactly 1", wins)
	}
	st, _ := s.Stats(context.Background())
	if st.Decisions != 1 || st.Pending != 0 || st.Approved+st.Rejected != 1 {
		t.Fatalf("stats %+v", st)
	}
	rep, err := s.Check(context.Background())
	if err != nil || len(rep.Problems) != 0 {
		t.Fatalf("check: %v %v", rep.Problems, err)
	}
}

func TestUndoReturnsPostToQueue(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	importLines(t, s,
		`{"platform":"vk","text":"a","category":"fraud","external_id":"1"}`,
		`{"platform":"vk","text":"b","category":"fraud","external_id":"2"}`)
	decide(t, s, 1, "alice", model.ActionReject, "FRD-INV")
	decide(t, s, 2, "alice", model.ActionApprove, "FRD-NONE")
	if id, _ := s.LastUndoable(ctx, "alice"); id != 2 {
		t.Fatalf("last undoable %d, want 2", id)
	}
	if _, err := s.Decide(ctx, model.Decision{PostID: 2, Actor: model.Actor{Reviewer: "bob"}, Action: model.ActionUndo}); !errors.Is(err, ErrConflict) {
		t.Fatalf("bob undid alice's decision: %v", err)
	}
	ev := decide(t, s, 2, "alice", model.ActionUndo, "")
	if ev.From != model.StatusApproved || ev.To != model.StatusPending {
		t.Fatalf("undo event %+v", ev)
	}
	if id, _ := s.LastUndoable(ctx, "alice"); id != 1 {
		t.Fatalf("after undo, last undoable %d, want 1", id)
	}
	if _, err := s.Decide(ctx, model.Decision{PostID: 2, Actor: model.Actor{Reviewer: "alice"}, Action: model.ActionUndo}); !errors.Is(err, ErrConflict) {
		t.Fatalf("second undo: %v", err)
	}
	p, _ := s.Post(ctx, model.Actor{Reviewer: "t"}, 2)
	if p.Status != model.StatusPending || len(p.Events) != 2 {
		t.Fatalf("post 2: %s with %d events", p.Status, len(p.Events))
	}
	sess, _ := s.StartSession(ctx, model.Actor{Reviewer: "alice"}, OriginLocal)
	if n, _ := s.Claim(ctx, sess, 10, time.Minute); n != 1 {
		t.Fatalf("claimed %d, want the one undone post", n)
	}
	page, _ := s.Page(ctx, model.PageQuery{Queue: model.QueuePending, Actor: model.Actor{Session: sess}, Dir: model.First, Limit: 10})
	if len(page) != 1 || page[0].PostID != 2 {
		t.Fatalf("pending page %+v", page)
	}
	st, _ := s.Stats(ctx)
	if st.Decisions != 2 || st.Undos != 1 || st.ByReviewer["alice"] != 2 || st.Rejected != 1 {
		t.Fatalf("stats %+v", st)
	}
}

func TestDecideRefusesReasonThatDoesNotFit(t *testing.T) {
	s := openTemp(t)
	importLines(t, s, `{"platform":"vk","text":"a","category":"fraud","external_id":"1"}`)
	for _, d := range []model.Decision{
		{Action: model.ActionReject, ReasonCode: "FRD-NONE"},    // approval reason used to reject
		{Action: model.ActionApprove, ReasonCode: "FRD-INV"},    // violation used to approve
		{Action: model.ActionReject, ReasonCode: "REC-AD"},      // another category's reason
		{Action: model.ActionEscalate, ReasonCode: "FRD-PHISH"}, // not an escalation reason
	} {
		d.PostID, d.Reviewer = 1, "alice"
		if _, err := s.Decide(context.Background(), d); err == nil {
			t.Errorf("%s with %s accepted", d.Action, d.ReasonCode)
		}
	}
	if _, err := s.Decide(context.Background(), model.Decision{PostID: 1, Action: model.ActionApprove, ReasonCode: "FRD-NONE"}); err == nil {
		t.Error("decision without reviewer accepted")
	}
	st, _ := s.Stats(context.Background())
	if st.Events != 0 || st.Pending != 1 {
		t.Fatalf("refused decisions left a trace: %+v", st)
	}
}

func TestCheckFindsTampering(t *testing.T) {
	s := openTemp(t)
	importLines(t, s, `{"platform":"vk","text":"a","category":"fraud","external_id":"1"}`,
		`{"platform":"vk","text":"b","category":"fraud","external_id":"2"}`)
	decide(t, s, 1, "alice", model.ActionReject, "FRD-INV")
	if rep, _ := s.Check(context.Background()); len(rep.Problems) != 0 || rep.Posts != 2 || rep.Events != 1 {
		t.Fatalf("healthy db: %+v", rep)
	}
	// Behind the tool's back: flip a status without an audit event.
	if _, err := s.w.Exec(`UPDATE posts SET status = 'approved' WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	rep, err := s.Check(context.Background())
	if err != nil || len(rep.Problems) != 1 || rep.Problems[0] != "post 2: status approved, but its audit events say pending" {
		t.Fatalf("check: %q %v", rep.Problems, err)
	}
}

func TestPagesAreKeysetOrdered(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	var lines []string
	for i := 0; i < 25; i++ {
		lines = append(lines, fmt.Sprintf(`{"platform":"vk","text":"p%d","category":"fraud","external_id":"%d","severity":%d}`, i, i, 1+i%5))
	}
	importLines(t, s, lines...)
	sess, _ := s.StartSession(ctx, model.Actor{Reviewer: "alice"}, OriginLocal)
	if n, _ := s.Claim(ctx, sess, 100, time.Minute); n != 25 {
		t.Fatalf("claimed %d", n)
	}
	me := model.Actor{Session: sess}
	var all []model.Item
	q := model.PageQuery{Queue: model.QueuePending, Actor: me, Dir: model.First, Limit: 7}
	for {
		page, err := s.Page(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		if len(page) < q.Limit {
			break
		}
		q.Dir, q.Key = model.After, page[len(page)-1].Key
	}
	if len(all) != 25 {
		t.Fatalf("paged %d rows", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i].Severity > all[i-1].Severity {
			t.Fatalf("row %d severity %d after %d", i, all[i].Severity, all[i-1].Severity)
		}
	}
	before, _ := s.Page(ctx, model.PageQuery{Queue: model.QueuePending, Actor: me, Dir: model.Before, Key: all[10].Key, Limit: 3})
	if len(before) != 3 || before[0].PostID != all[7].PostID || before[2].PostID != all[9].PostID {
		t.Fatalf("before page wrong")
	}
	last, _ := s.Page(ctx, model.PageQuery{Queue: model.QueuePending, Actor: me, Dir: model.Last, Limit: 2})
	if len(last) != 2 || last[1].PostID != all[24].PostID {
		t.Fatalf("last page wrong")
	}
	from, _ := s.Page(ctx, model.PageQuery{Queue: model.QueuePending, Actor: me, Dir: model.From, Key: all[5].Key, Limit: 1})
	if from[0].PostID != all[5].PostID {
		t.Fatalf("from page wrong")
	}
}

func TestPostShowsTheAuthorsOtherPosts(t *testing.T) {
	s := openTemp(t)
	importLines(t, s,
		`{"platform":"vk","external_id":"1","author_id":"u7","text":"a","category":"fraud"}`,
		`{"platform":"vk","external_id":"2","author_id":"u7","text":"b","category":"fraud"}`,
		`{"platform":"vk","external_id":"3","author_id":"u7","text":"c","category":"fraud"}`,
		`{"platform":"x","external_id":"4","author_id":"u7","text":"same id, other platform","category":"fraud"}`)
	decide(t, s, 2, "alice", model.ActionReject, "FRD-INV")
	decide(t, s, 3, "alice", model.ActionReject, "FRD-INV")
	p, err := s.Post(context.Background(), model.Actor{Reviewer: "t"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.AuthorPosts) != 1 || p.AuthorPosts[model.StatusRejected] != 2 {
		t.Fatalf("author context %v, want 2 rejected", p.AuthorPosts)
	}
}
