package data

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"triage/model"
)

// One record holding a field far over the limit is reported by its first
// line and skipped; the records after it keep their own line numbers. A
// quoting error skips only its record.
func TestCSVRecordsAreBoundedAndQuoteErrorsSkipped(t *testing.T) {
	s := openTemp(t)
	huge := strings.Repeat("x", MaxRecordBytes+10)
	text := "platform,external_id,text,category\n" +
		"vk,1,\"" + huge + "\nstill the same field\n\",fraud\n" + // lines 2-4: over the limit
		"vk,2,fine,fraud\n" + // 5
		"vk,3,bad \"quote\" here,fraud\n" + // 6: a bare quote
		"vk,4,\"closed\"junk,fraud\n" + // 7: text after a closing quote
		"vk,5,also fine,fraud\n" // 8
	res, errs, err := importCSV(t, s, text)
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 2 || res.Rejected != 3 || len(errs) != 3 {
		t.Fatalf("result %+v, errors %v", res, errs)
	}
	want := []string{fmt.Sprintf("in.csv:2: record over %d bytes", MaxRecordBytes), "in.csv:6: ", "in.csv:7: "}
	for i, e := range errs {
		if !strings.HasPrefix(e.Error(), want[i]) {
			t.Errorf("error %d = %q, want prefix %q", i, e.Error(), want[i])
		}
	}
	var texts []string
	rows, _ := s.r.Query(`SELECT text FROM posts ORDER BY id`)
	for rows.Next() {
		var x string
		rows.Scan(&x)
		texts = append(texts, x)
	}
	rows.Close()
	if strings.Join(texts, "|") != "fine|also fine" {
		t.Fatalf("stored %q", texts)
	}
}

// A row copying the URL from a packet finds its post, whatever the case of
// the scheme and host and with or without the trailing slash.
func TestOutcomesMatchByURL(t *testing.T) {
	s, _ := openClocked(t)
	ctx := context.Background()
	importLines(t, s, `{"platform":"facebook","external_id":"7000646","text":"t","category":"fraud","url":"https://www.facebook.com/facebook-1109/posts/7000646"}`,
		`{"platform":"facebook","text":"u","category":"fraud","url":"https://www.facebook.com/p/2/"}`)
	rejectAll(t, s, 1, 2)
	s.Takedowns(ctx, TakedownOptions{Dir: t.TempDir()})
	var errs []LineError
	res, err := s.RecordOutcomes(ctx, strings.NewReader("platform,url,outcome\n"+
		"facebook,https://www.facebook.com/facebook-1109/posts/7000646,removed\n"+
		"Facebook,HTTPS://WWW.Facebook.com/p/2,restricted\n"+
		"facebook,https://www.facebook.com/p/3,removed\n"),
		OutcomeOptions{Name: "o.csv", Format: FormatCSV, Report: func(e LineError) { errs = append(errs, e) }})
	if err != nil || res.Recorded != 2 || len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), `o.csv:4: no post "https://www.facebook.com/p/3"`) {
		t.Fatalf("%+v %v %v", res, err, errs)
	}
	st, _ := s.Stats(ctx)
	if fb := st.Platforms["facebook"]; fb.Sent != 2 || fb.Removed != 1 {
		t.Fatalf("facebook %+v", fb)
	}
}

// Deleting the newest events (guards dropped) leaves a chain that still
// computes; the head a packet recorded, and one the operator kept, catch it.
func TestVerifyCatchesDeletedEvents(t *testing.T) {
	s, _ := openClocked(t)
	ctx := context.Background()
	importLines(t, s, fraudPosts(4)...)
	rejectAll(t, s, 1, 2)
	if _, err := s.Takedowns(ctx, TakedownOptions{Dir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	rejectAll(t, s, 3, 4)
	kept, _, _ := s.ChainHead(ctx)
	if res, _ := s.Verify(ctx, VerifyOptions{Heads: []string{kept}}); !res.OK() || res.Packets != 1 {
		t.Fatalf("healthy: %+v", res)
	}
	dropTrigger(s, "events_append_only_delete")
	if _, err := s.w.Exec(`DELETE FROM events WHERE id = 4`); err != nil {
		t.Fatal(err)
	}
	// The packet's head (event 2) still holds; the kept head does not.
	res, _ := s.Verify(ctx, VerifyOptions{Heads: []string{kept}})
	if res.OK() || res.BadID != 0 || len(res.Problems) != 1 || !strings.Contains(res.Problems[0], "--head") {
		t.Fatalf("deleted newest event not caught by the kept head: %+v", res)
	}
	// Deleting down to before the packet's head is caught with no head given.
	s.w.Exec(`DELETE FROM events WHERE id >= 2`)
	res, _ = s.Verify(ctx, VerifyOptions{})
	if res.OK() || !strings.Contains(strings.Join(res.Problems, "\n"), "packet 1: head") {
		t.Fatalf("packet head not checked: %+v", res)
	}
	// A gap in the middle is named.
	s2, _ := openClocked(t)
	importLines(t, s2, fraudPosts(3)...)
	rejectAll(t, s2, 1, 2, 3)
	dropTrigger(s2, "events_append_only_delete")
	s2.w.Exec(`DELETE FROM events WHERE id = 2`)
	if res, _ := s2.Verify(ctx, VerifyOptions{}); res.BadID != 3 || !strings.Contains(res.Problem, "events 2 to 2 are missing") {
		t.Fatalf("gap not named: %+v", res)
	}
}

// check reports what verify reports, and a guard that is gone.
func TestCheckCatchesDroppedGuardsAndEditedEvents(t *testing.T) {
	s, _ := openClocked(t)
	ctx := context.Background()
	importLines(t, s, fraudPosts(3)...)
	rejectAll(t, s, 1, 2)
	if rep, err := s.Check(ctx); err != nil || len(rep.Problems) != 0 {
		t.Fatalf("healthy database: %v %v", rep.Problems, err)
	}
	dropTrigger(s, "events_append_only_update")
	s.w.Exec(`UPDATE events SET note = 'edited' WHERE id = 1`)
	s.w.Exec(`DROP INDEX posts_queue`)
	s.w.Exec(`CREATE INDEX posts_queue ON posts (prio DESC, id DESC) WHERE status = 'pending' AND id < 10`)
	rep, err := s.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(rep.Problems, "\n")
	for _, want := range []string{"trigger events_append_only_update: missing", "index posts_queue: differs", "audit chain: event 1"} {
		if !strings.Contains(all, want) {
			t.Errorf("check missed %q in:\n%s", want, all)
		}
	}
	// A post whose status contradicts its packet.
	s.Takedowns(ctx, TakedownOptions{Dir: t.TempDir()})
	s.w.Exec(`UPDATE posts SET status = 'approved' WHERE id = 2`)
	if rep, _ := s.Check(ctx); !strings.Contains(strings.Join(rep.Problems, "\n"), "post 2: approved, but it is in takedown packet 1") {
		t.Fatalf("packet contradiction not reported: %v", rep.Problems)
	}
}

// After Close, writes answer ErrClosed at once instead of hanging, and a
// second Close does too.
func TestClosedStoreRefusesAtOnce(t *testing.T) {
	s, _ := openClocked(t)
	ctx := context.Background()
	importLines(t, s, fraudPosts(1)...)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 3)
	go func() {
		_, err := s.Decide(ctx, model.Decision{PostID: 1, Actor: model.Actor{Reviewer: "a"}, Action: model.ActionApprove, ReasonCode: "FRD-NONE"})
		done <- err
	}()
	go func() { _, err := s.exec(ctx, `DELETE FROM views`); done <- err }()
	go func() { done <- s.Close() }()
	for i := 0; i < 3; i++ {
		select {
		case err := <-done:
			if !errors.Is(err, ErrClosed) {
				t.Fatalf("after Close: %v, want ErrClosed", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("a call after Close never returned")
		}
	}
}
