package data

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"triage/model"
)

// TakedownOptions control Takedowns.
type TakedownOptions struct {
	Dir      string // where packet files go
	Platform string // only this platform; "" for all
	Format   string // FormatCSV (default) or FormatJSONL
	DryRun   bool   // count what would be sent; write and change nothing
}

// Packet kinds: a takedown request, or the retractions of earlier ones.
const (
	KindTakedown    = "takedown"
	KindRetractions = "retractions"
)

// Packet is one platform's file of rejected posts (or of retractions).
type Packet struct {
	ID       int64
	Kind     string
	Platform string
	File     string // the data file; "" in a dry run
	Manifest string // the manifest beside it
	Posts    int
	Resumed  bool // left half-done by an earlier run and finished now
}

// takedownColumns is a takedown packet's header; retractionColumns a
// retractions packet's.
var (
	takedownColumns   = []string{"url", "external_id", "author", "category", "reason_code", "legal_basis", "decided_at", "reviewer", "text_sha256", "confirmed_by"}
	retractionColumns = []string{"url", "external_id", "author", "category", "retracts_packet", "retracted_at", "lead", "reason"}
)

// Takedowns cuts one packet per platform of the rejected posts not yet sent,
// and one retractions packet per platform of the retractions not yet sent.
//
// It is crash-safe in three steps. (1) In one transaction a packet row is
// made in state "writing" and the posts are assigned to it, so no later run
// can put them in another packet. (2) The file and then its manifest are
// written under new names that never replace a file (temporary file, fsync,
// hard link, directory fsync). (3) The packet is marked "sent". A crash
// before (3) leaves a "writing" packet; the next run writes the same bytes
// again (the same posts, the same chain head), accepts a file already there
// only if its bytes are those, and then marks it. So a post is never sent
// twice, and never counted as sent while its file is incomplete. One run at
// a time holds the database's takedowns lock; a second exits with ErrBusy
// before changing anything.
func (s *Store) Takedowns(ctx context.Context, opt TakedownOptions) (out []Packet, err error) {
	if opt.Format == "" {
		opt.Format = FormatCSV
	}
	opt.Platform = normPlatform(opt.Platform)
	if opt.DryRun {
		return s.pendingPackets(ctx, opt)
	}
	lock, err := s.lockRun(ctx, "takedowns")
	if err != nil {
		return nil, fmt.Errorf("takedowns: %w", err)
	}
	defer func() {
		if rerr := lock.release(ctx); err == nil && rerr != nil {
			err = fmt.Errorf("takedowns: release lock: %w", rerr)
		}
	}()
	if err := mkdirDurable(opt.Dir); err != nil {
		return nil, fmt.Errorf("--out %s: %w", opt.Dir, err)
	}
	cleanPartials(opt.Dir)
	unfinished, err := queryIDs(ctx, s.r, `SELECT id FROM takedown_packets WHERE state = 'writing' AND (? = '' OR platform = ?) ORDER BY id`,
		opt.Platform, opt.Platform)
	if err != nil {
		return nil, err
	}
	finish := func(id int64, resumed bool) error {
		if err := lock.renew(ctx); err != nil {
			return err
		}
		p, err := s.finishPacket(ctx, id)
		if err != nil {
			return err
		}
		p.Resumed = resumed
		out = append(out, p)
		return nil
	}
	for _, id := range unfinished {
		if err := finish(id, true); err != nil {
			return out, err
		}
	}
	todo, err := s.pendingPackets(ctx, opt)
	if err != nil {
		return out, err
	}
	for _, t := range todo {
		if err := lock.renew(ctx); err != nil {
			return out, err
		}
		id, err := s.cutPacket(ctx, t.Kind, t.Platform, opt)
		if err != nil {
			return out, err
		}
		if err := finish(id, false); err != nil {
			return out, err
		}
	}
	return out, nil
}

// pendingPackets counts, per platform, the rejected posts not yet sent and
// then the retractions not yet sent.
func (s *Store) pendingPackets(ctx context.Context, opt TakedownOptions) ([]Packet, error) {
	var out []Packet
	for _, q := range []struct{ kind, sql string }{
		{KindTakedown, `SELECT platform, count(*) FROM posts INDEXED BY posts_takedown
			WHERE status = 'rejected' AND takedown_packet IS NULL AND (? = '' OR platform = ?) GROUP BY platform ORDER BY platform`},
		{KindRetractions, `SELECT p.platform, count(*) FROM retractions r JOIN posts p ON p.id = r.post_id
			WHERE r.sent_in IS NULL AND (? = '' OR p.platform = ?) GROUP BY p.platform ORDER BY p.platform`},
	} {
		rows, err := s.r.QueryContext(ctx, q.sql, opt.Platform, opt.Platform)
		if err != nil {
			return nil, fmt.Errorf("takedowns: %w", err)
		}
		for rows.Next() {
			p := Packet{Kind: q.kind}
			if err := rows.Scan(&p.Platform, &p.Posts); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// cutPacket is step (1): the packet row and its posts (or retractions), in
// one transaction. The chain head is read inside it, so it is the head the
// packet was cut at.
func (s *Store) cutPacket(ctx context.Context, kind, platform string, opt TakedownOptions) (int64, error) {
	now := s.now()
	dir, err := filepath.Abs(opt.Dir)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var head []byte
		var events int64
		if err := tx.QueryRow(chainHeadQuery).Scan(&head, &events); err != nil {
			return err
		}
		if err := tx.QueryRow(`INSERT INTO takedown_packets (kind, platform, file, format, created_at, state, posts, chain_head)
			VALUES (?, ?, '', ?, ?, 'writing', 0, ?) RETURNING id`, kind, platform, opt.Format, now.UnixMilli(),
			fmt.Sprintf("%s %d", hex.EncodeToString(head), events)).Scan(&id); err != nil {
			return fmt.Errorf("takedowns %s: %w", platform, err)
		}
		assign := `UPDATE posts SET takedown_packet = ? WHERE status = 'rejected' AND takedown_packet IS NULL AND platform = ?`
		if kind == KindRetractions {
			assign = `UPDATE retractions SET sent_in = ? WHERE sent_in IS NULL AND post_id IN (SELECT id FROM posts WHERE platform = ?)`
		}
		r, err := tx.Exec(assign, id, platform)
		if err != nil {
			return err
		}
		n, err := r.RowsAffected()
		if err != nil {
			return err
		}
		file := filepath.Join(dir, packetName(platform, now, id, kind, opt.Format))
		_, err = tx.Exec(`UPDATE takedown_packets SET file = ?, posts = ? WHERE id = ?`, file, n, id)
		return err
	})
	return id, err
}

// packetName is SLUG-YYYYMMDDTHHMMSSZ-pID.FORMAT (with -retractions before
// the extension for retractions). The packet id makes it unique; the slug
// only helps a person: the platform in lower-case ASCII, with a short hash of
// the real name when the slug had to change it, so "x.com" and "x_com", or
// "вк" and "вк!", never look alike.
func packetName(platform string, t time.Time, id int64, kind, format string) string {
	name := platformSlug(platform) + "-" + t.UTC().Format("20060102T150405Z") + "-p" + strconv.FormatInt(id, 10)
	if kind == KindRetractions {
		name += "-retractions"
	}
	return name + "." + format
}

// manifestPath is the manifest beside a packet file.
func manifestPath(file string) string {
	return strings.TrimSuffix(file, filepath.Ext(file)) + ".manifest.json"
}

// finishPacket is steps (2) and (3) for one packet.
func (s *Store) finishPacket(ctx context.Context, id int64) (Packet, error) {
	p := Packet{ID: id}
	var format, head string
	var created int64
	if err := s.r.QueryRowContext(ctx, `SELECT kind, platform, file, format, posts, chain_head, created_at FROM takedown_packets WHERE id = ?`, id).
		Scan(&p.Kind, &p.Platform, &p.File, &format, &p.Posts, &head, &created); err != nil {
		return p, fmt.Errorf("packet %d: %w", id, err)
	}
	var sum string
	// A name someone else's file already holds (the names are predictable)
	// is not the packet's: it moves to a fresh name, recorded in its row,
	// rather than block every later run.
	for try := 0; ; try++ {
		var err error
		sum, err = s.writePacketFiles(ctx, &p, format, head, created)
		if !errors.Is(err, errTaken) || try == 5 {
			if err != nil {
				return p, fmt.Errorf("packet %s: %w", p.File, err)
			}
			break
		}
		ext := filepath.Ext(p.File)
		alt := make([]byte, 3)
		rand.Read(alt)
		p.File = strings.TrimSuffix(p.File, ext) + "-" + hex.EncodeToString(alt) + ext
		if _, err := s.exec(ctx, `UPDATE takedown_packets SET file = ? WHERE id = ? AND state = 'writing'`, p.File, id); err != nil {
			return p, fmt.Errorf("packet %d: rename: %w", id, err)
		}
	}
	if _, err := s.exec(ctx, `UPDATE takedown_packets SET state = 'sent', sha256 = ? WHERE id = ?`, sum, id); err != nil {
		return p, fmt.Errorf("packet %s: mark sent: %w", p.File, err)
	}
	return p, nil
}

// writePacketFiles writes the packet's data file and then its manifest.
// errTaken from either means the name is someone else's; a data file this
// call made is removed again then, so the packet moves whole.
func (s *Store) writePacketFiles(ctx context.Context, p *Packet, format, head string, created int64) (string, error) {
	p.Manifest = manifestPath(p.File)
	rows := 0
	sum, made, err := writeNew(p.File, func(w io.Writer) error {
		var err error
		rows, err = s.writePacket(ctx, w, *p, format)
		return err
	})
	if err != nil {
		return "", err
	}
	if rows != p.Posts {
		return "", fmt.Errorf("wrote %d rows, but %d were assigned to it", rows, p.Posts)
	}
	hash, events, _ := strings.Cut(head, " ")
	nEvents, _ := strconv.ParseInt(events, 10, 64)
	m := Manifest{PacketID: p.ID, Kind: p.Kind, Platform: p.Platform, File: filepath.Base(p.File), Format: format, Rows: rows,
		SHA256: sum, ChainHead: hash, ChainEvents: nEvents, CreatedAt: time.UnixMilli(created).UTC().Format(time.RFC3339)}
	if _, _, err := writeNew(p.Manifest, func(w io.Writer) error {
		b, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			return err
		}
		_, err = w.Write(append(b, '\n'))
		return err
	}); err != nil {
		if errors.Is(err, errTaken) && made {
			os.Remove(p.File)
		}
		return "", fmt.Errorf("manifest: %w", err)
	}
	return sum, nil
}

// Manifest describes a packet file: written beside it, and synced, before
// the packet counts as sent. The chain head lets whoever holds the packet
// check later, with `triage verify`, that the audit trail it was cut from
// still holds every event up to it.
type Manifest struct {
	PacketID    int64  `json:"packet_id"`
	Kind        string `json:"kind"`
	Platform    string `json:"platform"`
	File        string `json:"file"`
	Format      string `json:"format"`
	Rows        int    `json:"rows"`
	SHA256      string `json:"sha256"`
	ChainHead   string `json:"chain_head"`
	ChainEvents int64  `json:"chain_events"`
	CreatedAt   string `json:"created_at"`
}

// writePacket writes a packet's rows (a header first in CSV) and returns how
// many it wrote.
func (s *Store) writePacket(ctx context.Context, w io.Writer, p Packet, format string) (int, error) {
	var rows *sql.Rows
	var err error
	columns := takedownColumns
	if p.Kind == KindRetractions {
		columns = retractionColumns
		rows, err = s.r.QueryContext(ctx, `SELECT p.url, p.external_id, p.author, p.category, k.file, e.at, e.reviewer, e.note, ''
			FROM retractions r JOIN posts p ON p.id = r.post_id JOIN takedown_packets k ON k.id = r.packet_id
			JOIN events e ON e.id = r.event_id WHERE r.sent_in = ? ORDER BY r.id`, p.ID)
	} else {
		// A four-eyes rejection names its confirmer: the second reviewer
		// who confirmed it after it was made.
		rows, err = s.r.QueryContext(ctx, `SELECT p.url, p.external_id, p.author, p.category, e.reason_code, e.at, e.reviewer, p.text,
			`+confirmerOf+`
			FROM posts p JOIN events e ON e.id = (SELECT max(id) FROM events WHERE post_id = p.id AND action = 'reject')
			WHERE p.takedown_packet = ? ORDER BY p.id`, p.ID)
	}
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var cw *safeCSV
	if format == FormatCSV {
		cw = newSafeCSV(w)
		if err := cw.Write(columns); err != nil {
			return 0, err
		}
	}
	n := 0
	for rows.Next() {
		var url, ext, author, category, fifth, who, last, confirmer string
		var at int64
		if err := rows.Scan(&url, &ext, &author, &category, &fifth, &at, &who, &last, &confirmer); err != nil {
			return n, err
		}
		when := time.UnixMilli(at).UTC().Format(time.RFC3339)
		var rec []string
		if p.Kind == KindRetractions {
			rec = []string{url, ext, author, category, filepath.Base(fifth), when, who, last}
		} else {
			r, _ := s.policy.Reason(fifth)
			sum := sha256.Sum256([]byte(last))
			rec = []string{url, ext, author, category, fifth, r.LegalBasis, when, who, hex.EncodeToString(sum[:]), confirmer}
		}
		n++
		if cw != nil {
			if err := cw.Write(rec); err != nil {
				return n, err
			}
			continue
		}
		obj := make(map[string]string, len(columns))
		for i, k := range columns {
			obj[k] = rec[i]
		}
		b, err := json.Marshal(obj)
		if err != nil {
			return n, err
		}
		if _, err := w.Write(append(model.EscapeJSON(b), '\n')); err != nil {
			return n, err
		}
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	if cw != nil {
		return n, cw.Flush()
	}
	return n, nil
}

// mkdirDurable makes dir and any missing parents, syncing each parent whose
// entry it added, so a packet directory made by this run survives a crash.
func mkdirDurable(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if _, err := os.Stat(abs); err == nil {
		return nil
	}
	if err := mkdirDurable(filepath.Dir(abs)); err != nil {
		return err
	}
	if err := os.Mkdir(abs, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	return syncDir(filepath.Dir(abs))
}
