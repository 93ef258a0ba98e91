package data

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/valyala/fastjson"

	"triage/model"
)

// MaxTextBytes is the largest post text an import accepts.
const MaxTextBytes = 64 << 10

// The largest value an import accepts in each of the short fields: every
// one is drawn on reviewers' screens, and a URL goes out in hyperlink and
// clipboard sequences and into every packet (a 900 KB URL cost a megabyte
// a frame over SSH).
var maxFieldBytes = map[string]int{
	"url": 8 << 10, "platform": 64, "language": 64,
	"external_id": 1 << 10, "author": 1 << 10, "author_id": 1 << 10, "source": 1 << 10, "reason": 4 << 10,
}

// checkIdentifiers refuses a record whose identifying fields — what a
// platform is told to find the post by — hold characters that hide or
// reorder text, or controls: a packet would carry either the bytes raw
// (a URL that reads as another) or placeholders (an id the platform does not
// know). An identifier must be what it looks like.
func checkIdentifiers(f *fieldReader) error {
	for _, name := range []string{"platform", "external_id", "url", "author_id"} {
		v := f.str(name, false)
		if name == "platform" {
			// A byte-order mark in front of a platform is an artefact of
			// the file, not part of its name: normPlatform drops it.
			v = strings.TrimLeft(v, "\ufeff")
		}
		for i, r := range v {
			if _, n := model.ShowHidden(v[i:]); n > 0 || unicode.IsControl(r) {
				return fmt.Errorf("field %s: holds an invisible or control character (U+%04X); an identifier must be what it looks like", name, r)
			}
		}
	}
	return nil
}

// checkFieldSizes refuses a record with a short field over its limit.
func checkFieldSizes(f *fieldReader) error {
	for _, name := range []string{"url", "platform", "language", "external_id", "author", "author_id", "source", "reason"} {
		if n, limit := len(f.str(name, false)), maxFieldBytes[name]; n > limit {
			return fmt.Errorf("field %s: %d bytes, over the %d-byte limit", name, n, limit)
		}
	}
	return nil
}

// knownFields are the import fields with a meaning; every other field is kept
// with the post as given.
var knownFields = map[string]bool{
	"platform": true, "text": true, "category": true, "url": true, "external_id": true,
	"author": true, "author_id": true, "language": true, "posted_at": true, "flagged_at": true,
	"reason": true, "source": true, "severity": true, "reports": true,
}

// fieldKind is the JSON type of an input field.
type fieldKind int

const (
	kindNull fieldKind = iota
	kindString
	kindNumber
	kindOther // object, array, boolean
)

// field is one field of an input record, JSONL or CSV alike.
type field struct {
	kind fieldKind
	text string // the string's value, or a number's literal
	raw  any    // the value, kept for unknown fields: encoded by encoding/json
}

// record is an input record's fields by name.
type record map[string]field

// parserPool reuses fastjson parsers across lines: encoding/json spent more
// time per line than SQLite's insert did, and import speed is a target.
var parserPool fastjson.ParserPool

// ParseRecord validates one JSONL line into an Incoming. now is the flag time
// used when the line has no flagged_at. Errors are short and name the field.
func ParseRecord(line []byte, policy *model.Policy, now time.Time) (model.Incoming, error) {
	rec, err := parseJSONRecord(line)
	if err != nil {
		return model.Incoming{}, err
	}
	return rec.incoming(policy, now, false)
}

// parseJSONRecord reads one JSON object into its fields.
func parseJSONRecord(line []byte) (record, error) {
	if !utf8.Valid(line) {
		return nil, errors.New("invalid UTF-8")
	}
	p := parserPool.Get()
	defer parserPool.Put(p)
	v, err := p.ParseBytes(line)
	if err != nil {
		return nil, fmt.Errorf("invalid JSON: %s", cut(err.Error(), 120))
	}
	obj, err := v.Object()
	if err != nil {
		return nil, errors.New("invalid JSON: want an object")
	}
	rec := make(record, obj.Len())
	obj.Visit(func(key []byte, v *fastjson.Value) {
		k := string(key)
		var f field
		switch v.Type() {
		case fastjson.TypeNull:
			f.kind = kindNull
		case fastjson.TypeString:
			f.kind = kindString
			f.text = string(v.GetStringBytes())
		case fastjson.TypeNumber:
			f.kind = kindNumber
			f.text = string(v.MarshalTo(nil))
		default:
			f.kind = kindOther
		}
		if !knownFields[k] {
			f.raw = jsonValue(v)
		}
		rec[k] = f
	})
	return rec, nil
}

// jsonValue is v as a Go value that encoding/json writes back as the same
// JSON: numbers keep their literal. fastjson's own MarshalTo quotes strings
// the Go way (\a, \x07), which is not JSON, so it is never used for output.
func jsonValue(v *fastjson.Value) any {
	switch v.Type() {
	case fastjson.TypeString:
		return string(v.GetStringBytes())
	case fastjson.TypeNumber:
		return json.Number(v.MarshalTo(nil))
	case fastjson.TypeTrue:
		return true
	case fastjson.TypeFalse:
		return false
	case fastjson.TypeArray:
		a, _ := v.Array()
		out := make([]any, len(a))
		for i, e := range a {
			out[i] = jsonValue(e)
		}
		return out
	case fastjson.TypeObject:
		o, _ := v.Object()
		out := make(map[string]any, o.Len())
		o.Visit(func(k []byte, e *fastjson.Value) { out[string(k)] = jsonValue(e) })
		return out
	}
	return nil
}

// incoming applies the schema. textual is true for CSV, whose numbers arrive
// as text.
func (rec record) incoming(policy *model.Policy, now time.Time, textual bool) (model.Incoming, error) {
	var in model.Incoming
	f := fieldReader{rec: rec, textual: textual}
	in.Platform = normPlatform(f.str("platform", true))
	in.Text = f.str("text", true)
	in.Category = f.str("category", true)
	in.URL = f.str("url", false)
	in.ExternalID = f.str("external_id", false)
	in.Author = f.str("author", false)
	in.AuthorID = f.str("author_id", false)
	in.Language = f.str("language", false)
	in.Source = f.str("source", false)
	reason := f.str("reason", false)
	in.PostedAt = f.time("posted_at")
	in.FlaggedAt = f.time("flagged_at")
	in.Severity = f.intIn("severity", 1, 5, 3)
	in.Reports = f.intIn("reports", 1, 1<<31-1, 1)
	if f.err != nil {
		return in, f.err
	}
	if err := checkFieldSizes(&f); err != nil {
		return in, err
	}
	if err := checkIdentifiers(&f); err != nil {
		return in, err
	}
	switch {
	case in.Platform == "":
		return in, errors.New("field platform: empty")
	case in.Text == "" || !visible(in.Text):
		return in, errors.New("field text: empty (nothing visible in it)")
	case len(in.Text) > MaxTextBytes:
		return in, fmt.Errorf("field text: %d bytes, over the %d-byte limit", len(in.Text), MaxTextBytes)
	case in.URL == "" && in.ExternalID == "":
		return in, errors.New("missing field: url or external_id")
	}
	if _, ok := policy.Category(in.Category); !ok {
		return in, fmt.Errorf("field category: unknown category %q", in.Category)
	}
	if in.URL != "" {
		u, err := normURL(in.URL)
		if err != nil {
			return in, fmt.Errorf("field url: %v", err)
		}
		in.URL = u
	}
	if err := checkTimes(in, now); err != nil {
		return in, err
	}
	if in.FlaggedAt.IsZero() {
		in.FlaggedAt = now.UTC().Truncate(time.Second)
	}
	in.Flag = model.Flag{FlaggedAt: in.FlaggedAt, Reason: reason, Source: in.Source, Reports: in.Reports, Severity: in.Severity}
	in.Status = model.StatusPending
	in.Priority = model.Priority(in.Severity, in.Reports, in.FlaggedAt)
	var err error
	in.Extra, err = rec.extra()
	return in, err
}

// normURL checks an http(s) URL and returns the spelling posts are stored
// and matched by (import and outcomes alike): scheme and host in lower case,
// one trailing slash dropped when nothing follows it. The path, query and
// fragment are kept byte for byte. URLs with credentials (user:pass@) are
// refused: they would be copied into every packet sent to a platform.
func normURL(raw string) (string, error) {
	if limit := maxFieldBytes["url"]; len(raw) > limit {
		return "", fmt.Errorf("%d bytes, over the %d-byte limit", len(raw), limit)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", errors.New("not a URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("scheme %q, want http or https", u.Scheme)
	}
	if u.Host == "" || u.Hostname() == "" || !strings.HasPrefix(raw[len(u.Scheme):], "://") {
		return "", errors.New("not an absolute URL")
	}
	if u.User != nil {
		return "", errors.New("credentials (user:password@) in a URL are refused")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "", fmt.Errorf("port %s is out of range", p)
		}
	}
	rest := raw[len(u.Scheme)+3:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	out := u.Scheme + "://" + strings.ToLower(rest[:end]) + rest[end:]
	if strings.HasSuffix(out, "/") && !strings.ContainsAny(rest[end:], "?#") {
		out = out[:len(out)-1]
	}
	return out, nil
}

// extra encodes the unknown fields as one JSON object (encoding/json sorts
// its keys); each value is kept as the JSON value it was.
func (rec record) extra() ([]byte, error) {
	var obj map[string]any
	for k, f := range rec {
		if !knownFields[k] {
			if obj == nil {
				obj = map[string]any{}
			}
			obj[k] = f.raw
		}
	}
	if obj == nil {
		return nil, nil
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return nil, fmt.Errorf("unknown fields: %v", err)
	}
	return b, nil
}

// fieldReader pulls typed fields out of a record, keeping the first error.
type fieldReader struct {
	rec     record
	textual bool
	err     error
}

func (f *fieldReader) fail(format string, a ...any) {
	if f.err == nil {
		f.err = fmt.Errorf(format, a...)
	}
}

func (f *fieldReader) str(name string, required bool) string {
	v, ok := f.rec[name]
	if !ok || v.kind == kindNull || (f.textual && v.text == "") {
		if required {
			f.fail("missing field: %s", name)
		}
		return ""
	}
	if v.kind != kindString {
		f.fail("field %s: want a string", name)
	}
	if strings.IndexByte(v.text, 0) >= 0 {
		// SQLite's text functions, FTS4 and every C reader stop at a NUL:
		// the words after it would be stored but hidden from the list and
		// from search, a way to slip keywords past a monitor.
		if name == "text" {
			f.fail("NUL byte in text")
		} else {
			f.fail("field %s: NUL byte", name)
		}
	}
	return v.text
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
	if err == nil && t.IsZero() {
		// Year 1 would read as "absent" everywhere below: refuse it here.
		f.fail("field %s: %s is before 1990", name, s)
	}
	return t.UTC()
}

func (f *fieldReader) intIn(name string, lo, hi, def int) int {
	v, ok := f.rec[name]
	if !ok || v.kind == kindNull || (f.textual && v.text == "") {
		return def
	}
	if v.kind != kindNumber && !(f.textual && v.kind == kindString) {
		f.fail("field %s: want an integer", name)
		return def
	}
	i, err := strconv.ParseInt(strings.TrimSpace(v.text), 10, 64)
	if err != nil {
		f.fail("field %s: want an integer, got %s", name, v.text)
		return def
	}
	if i < int64(lo) || i > int64(hi) {
		f.fail("field %s: %d is out of range %d-%d", name, i, lo, hi)
		return def
	}
	return int(i)
}

// normPlatform is how platform names are stored and matched: lower case,
// without surrounding spaces or invisible format characters (a BOM or a
// zero-width space would make a look-alike platform of its own).
func normPlatform(p string) string {
	p = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, p)
	return strings.ToLower(strings.TrimSpace(p))
}
