package data

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"triage/model"
)

// VerifyOptions add heads recorded outside the database to check.
type VerifyOptions struct {
	// Heads are chain heads an operator recorded elsewhere, "HEX" or
	// "HEX:EVENTS" (at that position); each must still be on the chain.
	Heads []string
	// Packets are directories packets were written to (or manifests in
	// them): every manifest there is checked whether or not the database
	// still knows its packet, and every packet the database says was
	// written there must still be there.
	Packets []string
}

// VerifyResult is the outcome of recomputing the audit chain.
type VerifyResult struct {
	Events  int64
	Head    string // hex hash of the last event checked
	BadID   int64  // the first event whose stored hash does not match; 0 if none
	Problem string // what is wrong with BadID
	// Problems are everything else that does not hold: heads no longer on
	// the chain (a packet's, from its row or its manifest, or one given in
	// Heads), posts whose content is not what their events bound, and
	// packets and manifests that disagree with the database's record.
	Problems []string
	Packets  int // packet records whose heads were checked
	// ContentFrom is the first event that binds its post's content (every
	// one after it must too); 0 when none does.
	ContentFrom int64
	// CategoryFrom is the first event whose bound content includes the
	// post's category (every one after it must too); 0 when none does, or
	// none of those posts still holds what its events bound.
	CategoryFrom int64
	changed      map[int64]bool // the posts named as changed
}

// OK reports whether everything checked holds.
func (r VerifyResult) OK() bool { return r.BadID == 0 && len(r.Problems) == 0 }

// problem records something that does not hold.
func (r *VerifyResult) problem(format string, a ...any) {
	r.Problems = append(r.Problems, fmt.Sprintf(format, a...))
}

// Verify recomputes the hash chain over every audit event, in order, and
// stops at the first event whose stored hash differs from the recomputed
// one: that event, or one before it, was changed behind the tool's back.
// Event ids run 1, 2, 3 … without gaps, so a deleted event in the middle is
// named too. An event that binds its post's content is held to the post as
// stored: a post changed since is named. Deleting the newest events leaves
// a shorter chain that still holds; that is caught by the heads recorded
// elsewhere: every packet's (in its row and in the manifest beside its
// file), and those in opt.Heads must still be on the chain, at their
// recorded position.
func (s *Store) Verify(ctx context.Context, opt VerifyOptions) (VerifyResult, error) {
	var res VerifyResult
	given, err := parseGivenHeads(opt.Heads)
	if err != nil {
		return res, err
	}
	want, err := s.packetHeads(ctx, opt.Packets, &res)
	if err != nil {
		return res, err
	}
	w := chainWalk{res: &res, heads: newHeadIndex(append(want, given...)), changed: map[int64]bool{}}
	if err := s.walkChain(ctx, &w); err != nil {
		return res, err
	}
	if res.BadID != 0 {
		return res, nil
	}
	res.Head = hex.EncodeToString(w.prev)
	res.changed = w.changed
	w.finish()
	return res, nil
}

// parseGivenHeads reads --head values.
func parseGivenHeads(heads []string) ([]expectedHead, error) {
	var out []expectedHead
	for _, h := range heads {
		hexPart, pos, hasPos := strings.Cut(strings.TrimSpace(h), ":")
		b, err := hex.DecodeString(hexPart)
		var n int64
		if hasPos {
			n, err = strconv.ParseInt(pos, 10, 64)
			if n <= 0 {
				err = errors.New("bad position")
			}
		}
		if err != nil || len(b) != 32 {
			return nil, fmt.Errorf("flag --head: %q is not HEX or HEX:EVENTS (a 64-digit sha256, and the event count it was at)", h)
		}
		out = append(out, expectedHead{hash: b, events: n, source: "--head " + h})
	}
	return out, nil
}

// verifyQuery reads every event in order with, for one that binds its
// post's content, that post's content as stored now.
const verifyQuery = `SELECT e.id, e.post_id, e.at, e.reviewer, e.key_fp, e.action, e.reason_code, e.note, e.from_status, e.to_status,
	e.hash, e.content_sha256, p.id, coalesce(p.platform, ''), coalesce(p.external_id, ''), coalesce(p.url, ''),
	coalesce(p.author, ''), coalesce(p.author_id, ''), coalesce(p.text, ''), coalesce(p.category, '')
	FROM events e LEFT JOIN posts p ON p.id = e.post_id AND e.content_sha256 IS NOT NULL ORDER BY e.id`

// walkChain feeds every event to w until one breaks the chain.
func (s *Store) walkChain(ctx context.Context, w *chainWalk) error {
	rows, err := s.r.QueryContext(ctx, verifyQuery)
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ev model.Event
		var at int64
		var stored, content []byte
		var post *int64
		var c postContent
		if err := rows.Scan(&ev.ID, &ev.PostID, &at, &ev.Reviewer, &ev.KeyFP, &ev.Action, &ev.ReasonCode, &ev.Note, &ev.From, &ev.To,
			&stored, &content, &post, &c.Platform, &c.ExternalID, &c.URL, &c.Author, &c.AuthorID, &c.Text, &c.Category); err != nil {
			return err
		}
		ev.At = time.UnixMilli(at).UTC()
		if !w.event(ev, stored, content, post != nil, c) {
			return nil
		}
	}
	return rows.Err()
}

// chainWalk is Verify's state as it walks the events in order.
type chainWalk struct {
	res     *VerifyResult
	prev    []byte
	heads   headIndex
	changed map[int64]bool // posts already named as changed
	unnamed int            // changed posts past maxNamedPosts
}

// maxNamedPosts bounds the changed posts named one by one; the rest are counted.
const maxNamedPosts = 50

// event checks one event; false when it breaks the chain and the walk stops.
func (w *chainWalk) event(ev model.Event, stored, content []byte, postExists bool, c postContent) bool {
	res := w.res
	if ev.ID != res.Events+1 {
		res.BadID = ev.ID
		res.Problem = fmt.Sprintf("events %d to %d are missing (deleted behind the tool's back)", res.Events+1, ev.ID-1)
		return false
	}
	if want := chainHash(w.prev, ev, content); !bytes.Equal(stored, want) {
		res.BadID = ev.ID
		res.Problem = fmt.Sprintf("event %d (post %d, %s by %s): stored hash %s, recomputed %s",
			ev.ID, ev.PostID, ev.Action, ev.Reviewer, short(stored), short(want))
		return false
	}
	if content == nil && res.ContentFrom != 0 {
		res.BadID = ev.ID
		res.Problem = fmt.Sprintf("event %d (post %d) binds no post content, though every event from %d on must (its binding was stripped)",
			ev.ID, ev.PostID, res.ContentFrom)
		return false
	}
	if content != nil && res.ContentFrom == 0 {
		res.ContentFrom = ev.ID
	}
	if content != nil {
		w.content(ev, content, postExists, c)
	}
	w.prev = stored
	res.Events++
	w.heads.mark(ev.ID, stored)
	return true
}

// content names the event's post if it is gone or no longer holds the
// content the event bound, once per post. Events written before the
// category was bound match the six-field form; once one event has matched
// with its category, a later one binding less is named.
func (w *chainWalk) content(ev model.Event, bound []byte, postExists bool, c postContent) {
	if w.changed[ev.PostID] {
		return
	}
	if postExists && bytes.Equal(c.hash(true), bound) {
		if w.res.CategoryFrom == 0 {
			w.res.CategoryFrom = ev.ID
		}
		return
	}
	if postExists && bytes.Equal(c.hash(false), bound) {
		if w.res.CategoryFrom == 0 {
			return
		}
		w.res.problem("post %d: event %d binds its content without its category, though every event from %d on binds it (its binding was weakened)",
			ev.PostID, ev.ID, w.res.CategoryFrom)
		w.changed[ev.PostID] = true
		return
	}
	w.changed[ev.PostID] = true
	if len(w.changed) > maxNamedPosts {
		w.unnamed++
		return
	}
	if !postExists {
		w.res.problem("post %d: gone, though event %d bound its content (deleted behind the tool's back)", ev.PostID, ev.ID)
		return
	}
	w.res.problem("post %d: its url, text, author, ids, platform or category are not what event %d was decided on (changed behind the tool's back)",
		ev.PostID, ev.ID)
}

// finish reports what the walk leaves open: changed posts not named one by
// one, and recorded heads the chain never reached.
func (w *chainWalk) finish() {
	if w.unnamed > 0 {
		w.res.problem("and %s whose content is not what their events were decided on", model.Count(int64(w.unnamed), "more post", "more posts"))
	}
	w.res.Problems = append(w.res.Problems, w.heads.lost(w.res.Events)...)
}

// expectedHead is a head someone recorded: the hash event number Events must
// have, and where the record came from.
type expectedHead struct {
	hash   []byte
	events int64 // 0: any position
	source string
}

// headIndex finds the recorded heads among the events as the walk passes
// them: by position, so a chain of a million events and a thousand packets
// compares each event with the few heads recorded at it.
type headIndex struct {
	want  []expectedHead
	at    map[int64][]int // by position
	any   []int           // recorded without a position
	found []bool
}

func newHeadIndex(want []expectedHead) headIndex {
	h := headIndex{want: want, at: map[int64][]int{}, found: make([]bool, len(want))}
	for i, w := range want {
		if w.events == 0 {
			h.any = append(h.any, i)
		} else {
			h.at[w.events] = append(h.at[w.events], i)
		}
	}
	return h
}

// mark notes the heads that event pos, whose hash is hash, matches.
func (h *headIndex) mark(pos int64, hash []byte) {
	for _, i := range h.at[pos] {
		h.found[i] = h.found[i] || bytes.Equal(h.want[i].hash, hash)
	}
	for _, i := range h.any {
		h.found[i] = h.found[i] || bytes.Equal(h.want[i].hash, hash)
	}
}

// lost names every head the chain of n events does not hold.
func (h *headIndex) lost(n int64) []string {
	var out []string
	for i, w := range h.want {
		if h.found[i] {
			continue
		}
		at := ""
		if w.events > 0 {
			at = fmt.Sprintf(" at event %d", w.events)
		}
		out = append(out, fmt.Sprintf("%s: head %s%s is not on the chain (%d events): events were deleted or rewritten",
			w.source, short(w.hash), at, n))
	}
	return out
}

// parseHead reads a packet row's "HEX EVENTS".
func parseHead(s string) ([]byte, int64, error) {
	h, e, _ := strings.Cut(s, " ")
	n, err := strconv.ParseInt(e, 10, 64)
	if err != nil {
		return nil, 0, errors.New("no event count")
	}
	if n == 0 {
		return nil, 0, nil
	}
	b, err := hex.DecodeString(h)
	if err != nil || len(b) != 32 {
		return nil, 0, errors.New("not a sha256")
	}
	return b, n, nil
}
