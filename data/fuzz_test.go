package data

import (
	"bytes"
	"io"
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
	f.Fuzz(func(t *testing.T, line []byte) {
		in, err := ParseRecord(line, policy, now)
		if err != nil {
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
			if raw.err != nil || raw.blank {
				continue
			}
			if in, err := raw.rec.incoming(policy, now, true); err == nil {
				checkIncoming(t, in, policy)
			}
		}
		t.Fatal("reader did not reach the end")
	})
}

func checkIncoming(t *testing.T, in model.Incoming, policy *model.Policy) {
	t.Helper()
	if in.Platform == "" || in.Text == "" || len(in.Text) > MaxTextBytes || (in.URL == "" && in.ExternalID == "") {
		t.Fatalf("accepted an invalid record: %+v", in.Post)
	}
	if _, ok := policy.Category(in.Category); !ok {
		t.Fatalf("accepted unknown category %q", in.Category)
	}
	if in.Severity < 1 || in.Severity > 5 || in.Reports < 1 {
		t.Fatalf("accepted severity %d reports %d", in.Severity, in.Reports)
	}
	if !utf8.ValidString(in.Text) {
		t.Fatal("accepted invalid UTF-8")
	}
	if in.URL != "" && checkURL(in.URL) != nil {
		t.Fatalf("accepted url %q", in.URL)
	}
}
