package data

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
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
	// Manifests are packet manifests, or directories of them, to check
	// whether or not the database still knows their packets: a deleted
	// packet row must not hide a manifest that went out.
	Manifests []string
}

// VerifyResult is the outcome of recomputing the audit chain.
type VerifyResult struct {
	Events  int64
	Head    string // hex hash of the last event checked
	BadID   int64  // the first event whose stored hash does not match; 0 if none
	Problem string // what is wrong with BadID
	// Problems are the heads that are no longer on the chain: a packet's
	// (from its database row or its manifest), or one given in Heads.
	Problems []string
	Packets  int // packets whose heads were checked
}

// OK reports whether everything checked holds.
func (r VerifyResult) OK() bool { return r.BadID == 0 && len(r.Problems) == 0 }

// expectedHead is a head someone recorded: the hash event number Events must
// have, and where the record came from.
type expectedHead struct {
	hash   []byte
	events int64 // 0: any position
	source string
}

// Verify recomputes the hash chain over every audit event, in order, and
// stops at the first event whose stored hash differs from the recomputed
// one: that event, or one before it, was changed behind the tool's back.
// Event ids run 1, 2, 3 … without gaps, so a deleted event in the middle is
// named too. Deleting the newest events leaves a shorter chain that still
// holds; that is caught by the heads recorded elsewhere: every packet's
// (in its row and in the manifest beside its file), and those in opt.Heads
// must still be on the chain, at their recorded position.
func (s *Store) Verify(ctx context.Context, opt VerifyOptions) (VerifyResult, error) {
	var res VerifyResult
	want, err := s.recordedHeads(ctx, &res)
	if err != nil {
		return res, err
	}
	for _, h := range opt.Heads {
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
			return res, fmt.Errorf("flag --head: %q is not HEX or HEX:EVENTS (a 64-digit sha256, and the event count it was at)", h)
		}
		want = append(want, expectedHead{hash: b, events: n, source: "--head " + h})
	}
	more, err := manifestHeads(opt.Manifests, &res)
	if err != nil {
		return res, err
	}
	want = append(want, more...)
	found := make([]bool, len(want))
	rows, err := s.r.QueryContext(ctx, `SELECT id, post_id, at, reviewer, key_fp, action, reason_code, note, from_status, to_status, hash
		FROM events ORDER BY id`)
	if err != nil {
		return res, fmt.Errorf("verify: %w", err)
	}
	defer rows.Close()
	var prev []byte
	for rows.Next() {
		var ev model.Event
		var at int64
		var stored []byte
		if err := rows.Scan(&ev.ID, &ev.PostID, &at, &ev.Reviewer, &ev.KeyFP, &ev.Action, &ev.ReasonCode, &ev.Note, &ev.From, &ev.To, &stored); err != nil {
			return res, err
		}
		if ev.ID != res.Events+1 {
			res.BadID = ev.ID
			res.Problem = fmt.Sprintf("events %d to %d are missing (deleted behind the tool's back)", res.Events+1, ev.ID-1)
			return res, nil
		}
		ev.At = time.UnixMilli(at).UTC()
		if w := chainHash(prev, ev); !bytes.Equal(stored, w) {
			res.BadID = ev.ID
			res.Problem = fmt.Sprintf("event %d (post %d, %s by %s): stored hash %s, recomputed %s",
				ev.ID, ev.PostID, ev.Action, ev.Reviewer, short(stored), short(w))
			return res, nil
		}
		prev = stored
		res.Events++
		for i, h := range want {
			if !found[i] && bytes.Equal(h.hash, stored) && (h.events == 0 || h.events == ev.ID) {
				found[i] = true
			}
		}
	}
	if err := rows.Err(); err != nil {
		return res, err
	}
	res.Head = hex.EncodeToString(prev)
	for i, h := range want {
		if !found[i] {
			at := ""
			if h.events > 0 {
				at = fmt.Sprintf(" at event %d", h.events)
			}
			res.Problems = append(res.Problems, fmt.Sprintf("%s: head %s%s is not on the chain (%d events): events were deleted or rewritten",
				h.source, short(h.hash), at, res.Events))
		}
	}
	return res, nil
}

// recordedHeads reads the head each sent packet was cut at, from its row and
// from the manifest beside its file when the file is still there. A manifest
// that disagrees with its row, or a file whose bytes no longer match the
// manifest, is a problem in itself.
func (s *Store) recordedHeads(ctx context.Context, res *VerifyResult) ([]expectedHead, error) {
	// Every packet row counts, sent or not: a row set back to "writing"
	// must not drop its head out of the check.
	rows, err := s.r.QueryContext(ctx, `SELECT id, file, chain_head, coalesce(sha256, '') FROM takedown_packets ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("verify packets: %w", err)
	}
	defer rows.Close()
	var out []expectedHead
	for rows.Next() {
		var id int64
		var file, head, sum string
		if err := rows.Scan(&id, &file, &head, &sum); err != nil {
			return nil, err
		}
		res.Packets++
		hash, n, err := parseHead(head)
		if err != nil {
			res.Problems = append(res.Problems, fmt.Sprintf("packet %d: recorded head %q: %v", id, head, err))
			continue
		}
		if n > 0 {
			out = append(out, expectedHead{hash: hash, events: n, source: fmt.Sprintf("packet %d", id)})
		}
		mpath := manifestPath(file)
		b, err := os.ReadFile(mpath)
		if errors.Is(err, os.ErrNotExist) {
			// Not written yet (the next takedowns run writes it), or the
			// files went to the platform: the row's head still holds.
			continue
		}
		// A packet still "writing" may have its manifest already (a crash
		// before it was marked sent); its file and head are checked all
		// the same, so setting a row back to "writing" hides nothing.
		if err != nil {
			return nil, err
		}
		var m Manifest
		if err := json.Unmarshal(b, &m); err != nil {
			res.Problems = append(res.Problems, fmt.Sprintf("%s: not a packet manifest: %v", mpath, err))
			continue
		}
		// sum is empty while a packet is still "writing": its manifest's
		// sha256 is then checked against the file alone, below.
		if m.PacketID != id || m.ChainHead != hex.EncodeToString(hash) || m.ChainEvents != n || (sum != "" && m.SHA256 != sum) {
			res.Problems = append(res.Problems, fmt.Sprintf("%s: says packet %d, head %.16s… at %d, sha256 %.16s…; the database says packet %d, head %s at %d, sha256 %.16s…",
				mpath, m.PacketID, m.ChainHead, m.ChainEvents, m.SHA256, id, short(hash), n, sum))
		}
		if mh, err := hex.DecodeString(m.ChainHead); err == nil && m.ChainEvents > 0 && !bytes.Equal(mh, hash) {
			out = append(out, expectedHead{hash: mh, events: m.ChainEvents, source: mpath})
		}
		if same, err := sameSHA256(file, m.SHA256); err == nil && !same {
			res.Problems = append(res.Problems, fmt.Sprintf("%s: its bytes no longer match the sha256 in its manifest", file))
		}
	}
	return out, rows.Err()
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

// manifestHeads reads the manifests named (files, or directories of
// *.manifest.json) and returns their heads to check, and a problem for any
// whose file's bytes no longer match.
func manifestHeads(paths []string, res *VerifyResult) ([]expectedHead, error) {
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("flag --manifests: %w", err)
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		m, err := filepath.Glob(filepath.Join(p, "*.manifest.json"))
		if err != nil {
			return nil, err
		}
		files = append(files, m...)
	}
	var out []expectedHead
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("flag --manifests: %w", err)
		}
		var m Manifest
		if err := json.Unmarshal(b, &m); err != nil || m.SHA256 == "" {
			res.Problems = append(res.Problems, fmt.Sprintf("%s: not a packet manifest", f))
			continue
		}
		res.Packets++
		if h, herr := hex.DecodeString(m.ChainHead); herr == nil && len(h) == 32 && m.ChainEvents > 0 {
			out = append(out, expectedHead{hash: h, events: m.ChainEvents, source: f})
		}
		data := filepath.Join(filepath.Dir(f), filepath.Base(m.File))
		if same, err := sameSHA256(data, m.SHA256); err != nil {
			res.Problems = append(res.Problems, fmt.Sprintf("%s: its packet %s cannot be read: %v", f, data, err))
		} else if !same {
			res.Problems = append(res.Problems, fmt.Sprintf("%s: its bytes no longer match the sha256 in %s", data, f))
		}
	}
	return out, nil
}
