package data

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"triage/model"
)

// ExportWriter writes decided posts as JSONL or CSV.
type ExportWriter struct {
	format string
	policy *model.Policy
	bw     *bufio.Writer
	cw     *safeCSV
}

// exportColumns is the CSV export's header: the post's fields, the decision
// in force, and the flags and unknown fields as JSON.
var exportColumns = []string{"id", "platform", "external_id", "url", "author", "author_id", "language", "text", "category",
	"severity", "reports", "posted_at", "flagged_at", "source", "status",
	"decision_action", "decision_reason_code", "decision_reason_label", "decision_legal_basis", "decision_note",
	"decision_reviewer", "decision_key_fingerprint", "decision_at", "decision_confirmed_by", "flags", "extra"}

// NewExportWriter starts an export in format (FormatJSONL or FormatCSV).
func NewExportWriter(w io.Writer, format string, policy *model.Policy) (*ExportWriter, error) {
	e := &ExportWriter{format: format, policy: policy, bw: bufio.NewWriterSize(w, 256<<10)}
	if format == FormatCSV {
		e.cw = newSafeCSV(e.bw)
		if err := e.cw.Write(exportColumns); err != nil {
			return nil, err
		}
	}
	return e, nil
}

type exportDecision struct {
	Action         model.Action `json:"action"`
	ReasonCode     string       `json:"reason_code"`
	ReasonLabel    string       `json:"reason_label"`
	LegalBasis     string       `json:"legal_basis"`
	Note           string       `json:"note"`
	Reviewer       string       `json:"reviewer"`
	KeyFingerprint string       `json:"key_fingerprint,omitempty"`
	At             string       `json:"at"`
	// ConfirmedBy is the second reviewer of a four-eyes rejection.
	ConfirmedBy string `json:"confirmed_by,omitempty"`
}

type exportFlag struct {
	FlaggedAt string `json:"flagged_at"`
	Reason    string `json:"reason"`
	Source    string `json:"source"`
	Reports   int    `json:"reports"`
	Severity  int    `json:"severity"`
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func (e *ExportWriter) decision(d Decided) exportDecision {
	r, _ := e.policy.Reason(d.Decision.ReasonCode)
	return exportDecision{Action: d.Decision.Action, ReasonCode: d.Decision.ReasonCode, ReasonLabel: r.Label.String(), LegalBasis: r.LegalBasis,
		Note: d.Decision.Note, Reviewer: d.Decision.Reviewer, KeyFingerprint: d.Decision.KeyFP, At: d.Decision.At.Format(time.RFC3339Nano),
		ConfirmedBy: d.ConfirmedBy}
}

func flagsOf(d Decided) []exportFlag {
	out := make([]exportFlag, len(d.Flags))
	for i, f := range d.Flags {
		out[i] = exportFlag{FlaggedAt: rfc3339(f.FlaggedAt), Reason: f.Reason, Source: f.Source, Reports: f.Reports, Severity: f.Severity}
	}
	return out
}

// Write adds one decided post.
func (e *ExportWriter) Write(d Decided) error {
	flags, _ := json.Marshal(flagsOf(d))
	if e.cw != nil {
		dec := e.decision(d)
		extra := string(d.Extra)
		if extra == "" {
			extra = "{}"
		}
		return e.cw.Write([]string{strconv.FormatInt(d.ID, 10), d.Platform, d.ExternalID, d.URL, d.Author, d.AuthorID, d.Language,
			d.Text, d.Category, strconv.Itoa(d.Severity), strconv.Itoa(d.Reports), rfc3339(d.PostedAt), rfc3339(d.FlaggedAt),
			d.Source, string(d.Status), string(dec.Action), dec.ReasonCode, dec.ReasonLabel, dec.LegalBasis, dec.Note,
			dec.Reviewer, dec.KeyFingerprint, dec.At, dec.ConfirmedBy, string(flags), extra})
	}
	// JSONL: the unknown fields first, then the post's own fields over them
	// (id, status, decision and flags are reserved names).
	obj := map[string]json.RawMessage{}
	if len(d.Extra) > 0 {
		if err := json.Unmarshal(d.Extra, &obj); err != nil {
			return fmt.Errorf("post %d: stored extra fields: %w", d.ID, err)
		}
	}
	set := func(k string, v any) {
		b, _ := json.Marshal(v)
		obj[k] = b
	}
	set("id", d.ID)
	set("platform", d.Platform)
	set("text", d.Text)
	set("category", d.Category)
	set("severity", d.Severity)
	set("reports", d.Reports)
	set("flagged_at", rfc3339(d.FlaggedAt))
	set("status", d.Status)
	for k, v := range map[string]string{"external_id": d.ExternalID, "url": d.URL, "author": d.Author, "author_id": d.AuthorID,
		"language": d.Language, "source": d.Source, "posted_at": rfc3339(d.PostedAt)} {
		if v != "" {
			set(k, v)
		}
	}
	set("decision", e.decision(d))
	obj["flags"] = flags
	line, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	e.bw.Write(model.EscapeJSON(line)) // exact JSON, nothing hidden when printed
	return e.bw.WriteByte('\n')
}

// Close flushes everything written.
func (e *ExportWriter) Close() error {
	if e.cw != nil {
		if err := e.cw.Flush(); err != nil {
			return err
		}
	}
	return e.bw.Flush()
}
