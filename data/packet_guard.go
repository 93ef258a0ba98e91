package data

import (
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"triage/model"
)

// checkPacket keeps a post that went out in a takedown packet from changing
// silently. Once a packet is cut, what it lists is evidence sent (or about to
// be sent) to a platform: an undo would make the database disagree with the
// platform's copy. A lead retracts instead, which the next takedowns run
// reports to the platform; a retraction needs a reason and a sent packet.
func checkPacket(tx *sql.Tx, d model.Decision, packet sql.NullInt64) error {
	switch d.Action {
	case model.ActionUndo:
		if !packet.Valid {
			return nil
		}
		name, _, err := packetInfo(tx, packet.Int64)
		if err != nil {
			return err
		}
		return fmt.Errorf("post %d: %w: it is in takedown packet %s; a lead can retract it instead (triage retract %d --reason …)",
			d.PostID, ErrConflict, name, d.PostID)
	case model.ActionReopen:
		if strings.TrimSpace(d.Note) == "" {
			return fmt.Errorf("post %d: reopening needs a reason", d.PostID)
		}
		if !packet.Valid {
			return nil
		}
		// A sent rejection is retracted with it: the platform is told.
		name, state, err := packetInfo(tx, packet.Int64)
		if err != nil {
			return err
		}
		if state != "sent" {
			return fmt.Errorf("post %d: %w: takedown packet %s is still being written; run triage takedowns first", d.PostID, ErrConflict, name)
		}
	case model.ActionRetract:
		if !packet.Valid {
			return fmt.Errorf("post %d: %w: it is in no takedown packet; nothing was sent to retract", d.PostID, ErrConflict)
		}
		if strings.TrimSpace(d.Note) == "" {
			return fmt.Errorf("post %d: a retraction needs a reason", d.PostID)
		}
		name, state, err := packetInfo(tx, packet.Int64)
		if err != nil {
			return err
		}
		if state != "sent" {
			return fmt.Errorf("post %d: %w: takedown packet %s is still being written; run triage takedowns first", d.PostID, ErrConflict, name)
		}
	}
	return nil
}

// packetInfo names a packet for messages: "#ID (file)", and its state.
func packetInfo(tx *sql.Tx, id int64) (string, string, error) {
	var file, state string
	err := tx.QueryRow(`SELECT file, state FROM takedown_packets WHERE id = ?`, id).Scan(&file, &state)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Sprintf("#%d", id), "", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("packet %d: %w", id, err)
	}
	return fmt.Sprintf("#%d (%s)", id, filepath.Base(file)), state, nil
}
