package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"triage/model"
)

// MaxTextBytes is the largest post text an import accepts.
const MaxTextBytes = 64 << 10

// knownFields are the import fields with a meaning; every other field is kept
// with the post as given.
var knownFields = map[string]bool{
	"platform": true, "text": true, "category": true, "url": true, "external_id": true,
	"author": true, "author_id": true, "language": true, "posted_at": true, "flagged_at": true,
	"reason": true, "source": true, "severity": true, "reports": true,
}

// ParseRecord validates one JSONL line into an Incoming. now is the flag time
// used when the line has no flagged_at. Errors are short and name the field.
func ParseRecord(line []byte, policy *model.Policy, now time.Time) (model.Incoming, error) {
	var in model.Incoming
	if !utf8.Valid(line) {
		return in, errors.New("invalid UTF-8")
	}
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(line))
	if err := dec.Decode(&fields); err != nil {
		return in, fmt.Errorf("invalid JSON: %s", jsonErr(err))
	}
	if fields == nil {
		return in, errors.New("invalid JSON: want an object")
	}
	if dec.More() {
		return in, errors.New("invalid JSON: more than one value on the line")
	}
	return fromFields(fields, policy, now)
}

func jsonErr(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s (byte %d)", se.Error(), se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "want an object"
	}
	return err.Error()
}

// fromFields applies the schema to a decoded record, JSONL or CSV alike.
func fromFields(fields map[string]json.RawMessage, policy *model.Policy, now time.Time) (model.Incoming, error) {
	var in model.Incoming
	f := fieldReader{fields: fields}
	in.Platform = strings.ToLower(strings.TrimSpace(f.str("platform", true)))
	in.Text = f.str("text", true)
	in.Category = f.str("category", true)
	in.URL = f.str("url", false)
	in.ExternalID = f.str("external_id", false)
	in.Author = f.str("author", false)
	in.AuthorID = f.str("author_id", false)
	in.Language = f.str("language", false)
	in.Source = f.str("source", false)
	in.Flag.Reason = f.str("reason", false)
	in.PostedAt = f.time("posted_at")
	in.FlaggedAt = f.time("flagged_at")
	in.Severity = f.intIn("severity", 1, 5, 3)
	in.Reports = f.intIn("reports", 1, 1<<31-1, 1)
	if f.err != nil {
		return in, f.err
	}
	switch {
	case in.Platform == "":
		return in, errors.New("field platform: empty")
	case in.Text == "":
		return in, errors.New("field text: empty")
	case len(in.Text) > MaxTextBytes:
		return in, fmt.Errorf("field text: %d bytes, over the %d-byte limit", len(in.Text), MaxTextBytes)
	case in.URL == "" && in.ExternalID == "":
		return in, errors.New("missing field: url or external_id")
	}
	if _, ok := policy.Category(in.Category); !ok {
		return in, fmt.Errorf("field category: unknown category %q", in.Category)
	}
	if in.URL != "" {
		if err := checkURL(in.URL); err != nil {
			return in, fmt.Errorf("field url: %v", err)
		}
	}
	if in.FlaggedAt.IsZero() {
		in.FlaggedAt = now.UTC().Truncate(time.Second)
	}
	in.Flag = model.Flag{FlaggedAt: in.FlaggedAt, Reason: in.Flag.Reason, Source: in.Source, Reports: in.Reports, Severity: in.Severity}
	in.Status = model.StatusPending
	in.Priority = model.Priority(in.Severity, in.Reports, in.FlaggedAt)
	in.Extra = extraFields(fields)
	return in, nil
}

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return errors.New("not a URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("scheme %q, want http or https", u.Scheme)
	}
	if u.Host == "" {
		return errors.New("not an absolute URL")
	}
	return nil
}

// extraFields re-encodes the unknown fields as one JSON object with sorted
// keys; each value's bytes are kept exactly as they came.
func extraFields(fields map[string]json.RawMessage) json.RawMessage {
	var keys []string
	for k := range fields {
		if !knownFields[k] {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	sort.Strings(keys)
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		b.Write(bytes.TrimSpace(fields[k]))
	}
	b.WriteByte('}')
	return b.Bytes()
}

// fieldReader pulls typed fields out of a record, keeping the first error.
type fieldReader struct {
	fields map[string]json.RawMessage
	err    error
}

func (f *fieldReader) fail(format string, a ...any) {
	if f.err == nil {
		f.err = fmt.Errorf(format, a...)
	}
}

func (f *fieldReader) raw(name string) (json.RawMessage, bool) {
	v, ok := f.fields[name]
	if !ok || string(v) == "null" {
		return nil, false
	}
	return v, true
}

func (f *fieldReader) str(name string, required bool) string {
	v, ok := f.raw(name)
	if !ok {
		if required {
			f.fail("missing field: %s", name)
		}
		return ""
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		f.fail("field %s: want a string", name)
	}
	return s
}

func (f *fieldReader) time(name string) time.Time {
	s := f.str(name, false)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		f.fail("field %s: %q is not an RFC 3339 time", name, s)
	}
	return t.UTC()
}

func (f *fieldReader) intIn(name string, lo, hi, def int) int {
	v, ok := f.raw(name)
	if !ok {
		return def
	}
	var n json.Number
	if c := v[0]; c != '-' && (c < '0' || c > '9') {
		f.fail("field %s: want an integer", name)
		return def
	}
	if err := json.Unmarshal(v, &n); err != nil {
		f.fail("field %s: want an integer", name)
		return def
	}
	i, err := n.Int64()
	if err != nil {
		f.fail("field %s: want an integer, got %s", name, n)
		return def
	}
	if i < int64(lo) || i > int64(hi) {
		f.fail("field %s: %d is out of range %d-%d", name, i, lo, hi)
		return def
	}
	return int(i)
}
