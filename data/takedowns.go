package data

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// TakedownOptions control Takedowns.
type TakedownOptions struct {
	Dir      string // where packet files go
	Platform string // only this platform; "" for all
	Format   string // FormatCSV (default) or FormatJSONL
	DryRun   bool   // count what would be sent; write and change nothing
}

// Packet is one platform's file of rejected posts.
type Packet struct {
	Platform string
	File     string
	Posts    int
	Resumed  bool // left half-done by an earlier run and finished now
}

// takedownColumns is a packet's header.
var takedownColumns = []string{"url", "external_id", "author", "category", "reason_code", "legal_basis", "decided_at", "reviewer", "text_sha256"}

// Takedowns cuts one packet per platform of the rejected posts not yet sent.
//
// It is crash-safe in three steps. (1) In one transaction a packet row is
// made in state "writing" and the posts are assigned to it, so no later run
// can put them in another packet. (2) The file is written to a temporary
// name, synced, renamed into place and the directory synced. (3) The packet
// is marked "sent". A crash before (3) leaves a "writing" packet; the next
// run rewrites its file from the database (the same posts, the same chain
// head) and then marks it. So a post is never sent twice, and never counted
// as sent while its file is incomplete.
func (s *Store) Takedowns(ctx context.Context, opt TakedownOptions) ([]Packet, error) {
	if opt.Format == "" {
		opt.Format = FormatCSV
	}
	if opt.DryRun {
		return s.pendingTakedowns(ctx, opt)
	}
	if err := os.MkdirAll(opt.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("--out %s: %w", opt.Dir, err)
	}
	var out []Packet
	unfinished, err := s.unfinishedPackets(ctx, opt.Platform)
	if err != nil {
		return nil, err
	}
	for _, id := range unfinished {
		p, err := s.finishPacket(ctx, id)
		if err != nil {
			return out, err
		}
		p.Resumed = true
		out = append(out, p)
	}
	todo, err := s.pendingTakedowns(ctx, opt)
	if err != nil {
		return out, err
	}
	for _, t := range todo {
		id, err := s.cutPacket(ctx, t.Platform, opt)
		if err != nil {
			return out, err
		}
		p, err := s.finishPacket(ctx, id)
		if err != nil {
			return out, err
		}
		out = append(out, p)
	}
	return out, nil
}

// pendingTakedowns counts the rejected, unsent posts per platform.
func (s *Store) pendingTakedowns(ctx context.Context, opt TakedownOptions) ([]Packet, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT platform, count(*) FROM posts INDEXED BY posts_takedown
		WHERE status = 'rejected' AND takedown_packet IS NULL AND (? = '' OR platform = ?) GROUP BY platform ORDER BY platform`,
		opt.Platform, opt.Platform)
	if err != nil {
		return nil, fmt.Errorf("takedowns: %w", err)
	}
	defer rows.Close()
	var out []Packet
	for rows.Next() {
		var p Packet
		if err := rows.Scan(&p.Platform, &p.Posts); err != nil {
			return nil, err
		}
		p.File = filepath.Join(opt.Dir, packetName(p.Platform, s.now(), opt.Format))
		out = append(out, p)
	}
	return out, rows.Err()
}

// packetName is PLATFORM-YYYYMMDDTHHMMSSZ.csv, the platform reduced to
// characters safe in a file name (it came from an import file).
func packetName(platform string, t time.Time, format string) string {
	safe := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, strings.ToLower(platform))
	if safe == "" {
		safe = "_"
	}
	return safe + "-" + t.UTC().Format("20060102T150405Z") + "." + format
}

func (s *Store) unfinishedPackets(ctx context.Context, platform string) ([]int64, error) {
	return queryIDs(ctx, s.r, `SELECT id FROM takedown_packets WHERE state = 'writing' AND (? = '' OR platform = ?) ORDER BY id`, platform, platform)
}

// cutPacket is step (1): the packet row and its posts, in one transaction.
// The chain head is read inside it, so it is the head the posts were cut at.
func (s *Store) cutPacket(ctx context.Context, platform string, opt TakedownOptions) (int64, error) {
	now := s.now()
	file, err := filepath.Abs(filepath.Join(opt.Dir, packetName(platform, now, opt.Format)))
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
		res, err := tx.Exec(`INSERT INTO takedown_packets (platform, file, format, created_at, state, posts, chain_head)
			VALUES (?, ?, ?, ?, 'writing', 0, ?)`, platform, file, opt.Format, now.UnixMilli(), fmt.Sprintf("%s %d", hex.EncodeToString(head), events))
		if err != nil {
			return fmt.Errorf("takedowns %s: %w", platform, err)
		}
		id, _ = res.LastInsertId()
		_, err = tx.Exec(`UPDATE takedown_packets SET posts = (
			SELECT count(*) FROM posts WHERE takedown_packet IS NULL AND status = 'rejected' AND platform = ?) WHERE id = ?`, platform, id)
		if err != nil {
			return err
		}
		_, err = tx.Exec(`UPDATE posts SET takedown_packet = ? WHERE status = 'rejected' AND takedown_packet IS NULL AND platform = ?`, id, platform)
		return err
	})
	return id, err
}

// finishPacket is steps (2) and (3) for one packet.
func (s *Store) finishPacket(ctx context.Context, id int64) (Packet, error) {
	var p Packet
	var format, head string
	if err := s.r.QueryRowContext(ctx, `SELECT platform, file, format, posts, chain_head FROM takedown_packets WHERE id = ?`, id).
		Scan(&p.Platform, &p.File, &format, &p.Posts, &head); err != nil {
		return p, fmt.Errorf("packet %d: %w", id, err)
	}
	sum, err := s.writePacketFile(ctx, id, p.File, format, head)
	if err != nil {
		return p, fmt.Errorf("packet %s: %w", p.File, err)
	}
	if _, err := s.exec(ctx, `UPDATE takedown_packets SET state = 'sent', sha256 = ? WHERE id = ?`, sum, id); err != nil {
		return p, fmt.Errorf("packet %s: mark sent: %w", p.File, err)
	}
	return p, nil
}

// writePacketFile writes the packet durably: temp file, fsync, rename, fsync
// of the directory. It returns the file's sha256.
func (s *Store) writePacketFile(ctx context.Context, id int64, path, format, head string) (string, error) {
	tmp := path + ".partial"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp) // a no-op once renamed
	h := sha256.New()
	bw := bufio.NewWriter(io.MultiWriter(f, h))
	if err := s.writePacket(ctx, bw, id, format, head); err != nil {
		f.Close()
		return "", err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// writePacket writes the rows, then a last line with the audit chain head
// the packet was cut from ("<hex sha256> <events>"), so whoever receives it
// can later check it against `triage verify`.
func (s *Store) writePacket(ctx context.Context, w io.Writer, id int64, format, head string) error {
	rows, err := s.r.QueryContext(ctx, `SELECT p.url, p.external_id, p.author, p.category, e.reason_code, e.at, e.reviewer, p.text
		FROM posts p JOIN events e ON e.id = (SELECT max(id) FROM events WHERE post_id = p.id AND action = 'reject')
		WHERE p.takedown_packet = ? ORDER BY p.id`, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	var cw *csv.Writer
	if format == FormatCSV {
		cw = csv.NewWriter(w)
		cw.Write(takedownColumns)
	}
	for rows.Next() {
		var url, ext, author, category, code, reviewer, text string
		var at int64
		if err := rows.Scan(&url, &ext, &author, &category, &code, &at, &reviewer, &text); err != nil {
			return err
		}
		r, _ := s.policy.Reason(code)
		sum := sha256.Sum256([]byte(text))
		rec := []string{url, ext, author, category, code, r.LegalBasis, time.UnixMilli(at).UTC().Format(time.RFC3339), reviewer, hex.EncodeToString(sum[:])}
		if cw != nil {
			cw.Write(rec)
			continue
		}
		obj := map[string]string{}
		for i, k := range takedownColumns {
			obj[k] = rec[i]
		}
		b, _ := json.Marshal(obj)
		if _, err := w.Write(append(b, '\n')); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	hash, events, _ := strings.Cut(head, " ")
	if cw != nil {
		cw.Write([]string{"#chain_head", hash, "events", events, "", "", "", "", ""})
		cw.Flush()
		return cw.Error()
	}
	b, _ := json.Marshal(map[string]string{"chain_head": hash, "events": events})
	_, err = w.Write(append(b, '\n'))
	return err
}
