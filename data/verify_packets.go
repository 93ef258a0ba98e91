package data

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// packetRecord is the database's record of one packet: its row.
type packetRecord struct {
	id                                        int64
	kind, platform, file, format, state, head string
	sum                                       string // "" while it is being written
	created                                   int64
	posts                                     int
}

// manifest is what the packet's manifest must say, field for field; got
// stands in for the sha256 of a packet still being written, which the
// database does not know yet.
func (r packetRecord) manifest(got Manifest) Manifest {
	hash, events, _ := strings.Cut(r.head, " ")
	m := Manifest{PacketID: r.id, Kind: r.kind, Platform: r.platform, File: filepath.Base(r.file), Format: r.format,
		Rows: r.posts, SHA256: r.sum, ChainHead: hash, CreatedAt: time.UnixMilli(r.created).UTC().Format(time.RFC3339)}
	fmt.Sscan(events, &m.ChainEvents)
	if r.sum == "" {
		m.SHA256 = got.SHA256
	}
	return m
}

// packetRecords reads every packet row, sent or not: a row set back to
// "writing" must not drop its packet out of the check.
func (s *Store) packetRecords(ctx context.Context) ([]packetRecord, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, kind, platform, file, format, state, chain_head, coalesce(sha256, ''), created_at, posts
		FROM takedown_packets ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("verify packets: %w", err)
	}
	defer rows.Close()
	var out []packetRecord
	for rows.Next() {
		var r packetRecord
		if err := rows.Scan(&r.id, &r.kind, &r.platform, &r.file, &r.format, &r.state, &r.head, &r.sum, &r.created, &r.posts); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// packetHeads returns the heads the packets were cut at, from their rows
// and their manifests, and records as problems every manifest that
// disagrees with its packet's record (or has none), every packet file
// whose bytes no longer match its manifest, and every packet recorded as
// written to one of dirs that is no longer there.
func (s *Store) packetHeads(ctx context.Context, dirs []string, res *VerifyResult) ([]expectedHead, error) {
	recs, err := s.packetRecords(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]packetRecord, len(recs))
	var want []expectedHead
	for _, r := range recs {
		byID[r.id] = r
		res.Packets++
		hash, n, err := parseHead(r.head)
		if err != nil {
			res.problem("packet %d: recorded head %q: %v", r.id, r.head, err)
		} else if n > 0 {
			want = append(want, expectedHead{hash: hash, events: n, source: fmt.Sprintf("packet %d", r.id)})
		}
	}
	files, err := manifestFiles(recs, dirs)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		h, err := checkManifest(f, byID, res)
		if err != nil {
			return nil, err
		}
		want = append(want, h...)
	}
	for _, d := range dirs {
		missingPackets(d, recs, res)
	}
	return want, nil
}

// manifestFiles lists the manifests to check, each once: the one beside
// each recorded packet file (absent when the files went to the platform,
// or a packet is still being written), and every one in dirs.
func manifestFiles(recs []packetRecord, dirs []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	add := func(p string) {
		key := p
		if real, err := filepath.EvalSymlinks(p); err == nil {
			key = real
		}
		if !seen[key] {
			seen[key] = true
			out = append(out, p)
		}
	}
	for _, r := range recs {
		if m := manifestPath(r.file); fileExists(m) {
			add(m)
		}
	}
	for _, d := range dirs {
		st, err := os.Stat(d)
		if err != nil && recordedAnyIn(d, recs) {
			continue // the whole folder is gone: missingPackets names its packets
		}
		if err != nil {
			return nil, fmt.Errorf("flag --packets: %w", err)
		}
		if !st.IsDir() {
			add(d)
			continue
		}
		found, err := filepath.Glob(filepath.Join(d, "*.manifest.json"))
		if err != nil {
			return nil, err
		}
		for _, f := range found {
			add(f)
		}
	}
	return out, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// checkManifest holds one manifest to its packet's record and its packet
// file to the manifest's sha256, and returns the head it records.
func checkManifest(path string, byID map[int64]packetRecord, res *VerifyResult) ([]expectedHead, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("manifest %s: %w", path, err)
	}
	var m Manifest
	var raw map[string]any
	if json.Unmarshal(b, &m) != nil || json.Unmarshal(b, &raw) != nil || m.SHA256 == "" {
		res.problem("%s: not a packet manifest", path)
		return nil, nil
	}
	if r, ok := byID[m.PacketID]; !ok {
		res.problem("%s: the database has no record of packet %d (its row was deleted)", path, m.PacketID)
	} else if diff := manifestDiff(raw, r.manifest(m)); len(diff) > 0 {
		res.problem("%s: differs from the database's record of packet %d in %s", path, m.PacketID, strings.Join(diff, "; "))
	}
	data := filepath.Join(filepath.Dir(path), filepath.Base(m.File))
	if same, err := sameSHA256(data, m.SHA256); err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is named already
		}
		res.problem("%s: its packet %s cannot be read: %v", path, data, err)
	} else if !same {
		res.problem("%s: its bytes no longer match the sha256 in %s", data, path)
	}
	hash, n, err := parseHead(m.ChainHead + " " + fmt.Sprint(m.ChainEvents))
	if err != nil || n <= 0 {
		return nil, nil
	}
	return []expectedHead{{hash: hash, events: n, source: path}}, nil
}

// manifestDiff names each field, in the manifest as written or in the one
// the record gives, whose values differ: "rows (manifest 3, database 2)".
func manifestDiff(got map[string]any, want Manifest) []string {
	b, _ := json.Marshal(want)
	var w map[string]any
	json.Unmarshal(b, &w)
	keys := map[string]bool{}
	for k := range got {
		keys[k] = true
	}
	for k := range w {
		keys[k] = true
	}
	var out []string
	for k := range keys {
		if !reflect.DeepEqual(got[k], w[k]) {
			out = append(out, fmt.Sprintf("%s (manifest %s, database %s)", clip(k), shown(got, k), shown(w, k)))
		}
	}
	sort.Strings(out)
	return out
}

// shown is a manifest field's value for a message, cut short.
func shown(m map[string]any, k string) string {
	v, ok := m[k]
	if !ok {
		return "none"
	}
	b, _ := json.Marshal(v)
	return clip(string(b))
}

// clip cuts s to 48 characters.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 48 {
		return s
	}
	return string([]rune(s)[:47]) + "…"
}

// missingPackets names each sent packet recorded as written to dir whose
// file or manifest is no longer there.
func missingPackets(dir string, recs []packetRecord, res *VerifyResult) {
	for _, r := range recs {
		if r.state != "sent" || !recordedIn(dir, r) {
			continue
		}
		var gone []string
		for _, f := range []string{r.file, manifestPath(r.file)} {
			if !fileExists(f) {
				gone = append(gone, filepath.Base(f))
			}
		}
		if len(gone) > 0 {
			res.problem("packet %d: %s missing from %s (deleted after it was sent)", r.id, strings.Join(gone, " and "), dir)
		}
	}
}

// recordedIn reports whether r's file was written to dir: the same path,
// or the same directory reached by another.
func recordedIn(dir string, r packetRecord) bool {
	recorded := filepath.Dir(r.file)
	if abs, err := filepath.Abs(dir); err == nil && abs == recorded {
		return true
	}
	a, errA := os.Stat(dir)
	b, errB := os.Stat(recorded)
	return errA == nil && errB == nil && os.SameFile(a, b)
}

func recordedAnyIn(dir string, recs []packetRecord) bool {
	for _, r := range recs {
		if recordedIn(dir, r) {
			return true
		}
	}
	return false
}
