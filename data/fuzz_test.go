package data

import (
	"bytes"
	"encoding/json"
	"io"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"triage/model"
)

// FuzzJSONLRecord: any bytes either parse into a valid Incoming or give an
// error; a parsed record always satisfies the schema.
func FuzzJSONLRecord(f *testing.F) {
	f.Add([]byte(`{"platform":"vk","text":"x","category":"fraud","external_id":"1"}`))
	f.Add([]byte(`{"platform":"vk","text":"x","category":"fraud","url":"https://a.b/c","severity":5,"reports":2,"z":[1,{"a":null}]}`))
	f.Add([]byte(`{"platform":1}`))
	f.Add([]byte("\xff"))
	policy := model.DefaultPolicy()
	now := time.Unix(1_700_000_000, 0)
	f.Add([]byte(`{"platform":"vk","text":"x","category":"fraud","external_id":"1","\u0007bell":"\u0007","n":1e400}`))
	f.Add([]byte(`{"platform":"vk","text":"a\u0000hidden","category":"fraud","external_id":"1"}`))
	f.Add([]byte(`{"platform":"vk","text":"x","category":"fraud","url":"https://u:p@h:99999/"}`))
	f.Add([]byte(`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[`))
	f.Fuzz(func(t *testing.T, line []byte) {
		in, err := ParseRecord(line, policy, now)
		if err != nil {
			checkMessage(t, LineError{Name: "f", Line: 1, Err: err}.Error())
			return
		}
		checkIncoming(t, in, policy)
	})
}

// FuzzCSVReader: arbitrary CSV never panics, never hangs, and every record
// it accepts satisfies the schema.
func FuzzCSVReader(f *testing.F) {
	f.Add([]byte("platform,text,category,external_id\nvk,hi,fraud,1\n"))
	f.Add([]byte("\uFEFFplatform,text,category,url,x\nvk,\"a\nb\",fraud,https://x.y/z,extra\n"))
	f.Add([]byte("platform,text\n\"unterminated\n"))
	policy := model.DefaultPolicy()
	now := time.Unix(1_700_000_000, 0)
	f.Fuzz(func(t *testing.T, data []byte) {
		src, err := newCSVReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		for i := 0; i < 10_000; i++ {
			raw, err := src.next()
			if err == io.EOF || err != nil {
				return
			}
			if raw.err != nil {
				checkMessage(t, LineError{Name: "f", Line: raw.line, Err: raw.err}.Error())
				continue
			}
			if raw.blank {
				continue
			}
			if in, err := raw.rec.incoming(policy, now, true); err == nil {
				checkIncoming(t, in, policy)
			} else {
				checkMessage(t, LineError{Name: "f", Line: raw.line, Err: err}.Error())
			}
		}
		t.Fatal("reader did not reach the end")
	})
}

// checkIncoming checks an accepted record against the import schema, with
// oracles of its own: the limits are written out here, and URLs are checked
// with net/url, not with the importer's own functions.
func checkIncoming(t *testing.T, in model.Incoming, policy *model.Policy) {
	t.Helper()
	if in.Platform == "" || strings.TrimSpace(in.Text) == "" || len(in.Text) > 65536 || (in.URL == "" && in.ExternalID == "") {
		t.Fatalf("accepted an invalid record: %+v", in.Post)
	}
	if _, ok := policy.Category(in.Category); !ok {
		t.Fatalf("accepted unknown category %q", in.Category)
	}
	if in.Severity < 1 || in.Severity > 5 || in.Reports < 1 {
		t.Fatalf("accepted severity %d reports %d", in.Severity, in.Reports)
	}
	for _, s := range []string{in.Platform, in.Text, in.Category, in.URL, in.ExternalID, in.Author, in.AuthorID, in.Language, in.Source} {
		if !utf8.ValidString(s) {
			t.Fatalf("accepted invalid UTF-8 %q", s)
		}
		if strings.IndexByte(s, 0) >= 0 {
			t.Fatalf("accepted a NUL byte in %q", s)
		}
	}
	if in.URL != "" {
		u, err := url.Parse(in.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
			t.Fatalf("accepted url %q", in.URL)
		}
		if p := u.Port(); p != "" {
			if n, err := strconv.Atoi(p); err != nil || n > 65535 {
				t.Fatalf("accepted port in %q", in.URL)
			}
		}
	}
	for _, at := range []time.Time{in.FlaggedAt, in.PostedAt} {
		if at.Year() > 2100 {
			t.Fatalf("accepted time %v", at)
		}
	}
	if in.Extra != nil && !json.Valid(in.Extra) {
		t.Fatalf("stored unknown fields that are not JSON: %q", in.Extra)
	}
}

// checkMessage: an error message is one short line with no escape byte, so
// printing it cannot act on the operator's terminal.
func checkMessage(t *testing.T, msg string) {
	t.Helper()
	if strings.ContainsAny(msg, "\x1b\n\r") || strings.ContainsRune(msg, 0x9b) || !utf8.ValidString(msg) || len(msg) > 400 {
		t.Fatalf("error message is not one short clean line: %q", msg)
	}
}
