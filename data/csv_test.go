package data

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"triage/model"
)

func importCSV(t *testing.T, s *Store, text string) (ImportResult, []LineError, error) {
	t.Helper()
	var errs []LineError
	res, err := s.Import(context.Background(), strings.NewReader(text),
		ImportOptions{Name: "in.csv", Format: FormatCSV, Report: func(e LineError) { errs = append(errs, e) }})
	return res, errs, err
}

func TestCSVImportWithBOMMultilineAndExtraColumns(t *testing.T) {
	s := openTemp(t)
	text := "\uFEFFplatform,external_id,text,category,severity,reports,campaign,url\r\n" +
		"telegram,1,\"first line\nsecond, with a comma\nand \"\"quotes\"\"\",recruitment,5,2,rec-7,\r\n" + // lines 2-4
		"vk,2,plain,fraud,,,,https://vk.com/wall-2\r\n" + // 5: empty severity and reports take defaults
		"vk,3,bad,weather,3,1,,\r\n" + // 6: unknown category
		"vk,4,text,fraud,nine,1,,\r\n" + // 7: severity not a number
		"vk,5,text,fraud,3\r\n" + // 8: short row
		",,,,,,,\r\n" + // 9: blank row
		"telegram,1,again,recruitment,4,3,rec-7,\r\n" // 10: merges into line 2's post
	res, errs, err := importCSV(t, s, text)
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 2 || res.Merged != 1 || res.Rejected != 3 || res.Blank != 1 {
		t.Fatalf("result %+v", res)
	}
	want := []string{"in.csv:6: field category", "in.csv:7: field severity: want an integer", "in.csv:8: 5 fields, the header has 8"}
	for i, e := range errs {
		if !strings.HasPrefix(e.Error(), want[i]) {
			t.Errorf("error %d = %q, want prefix %q", i, e.Error(), want[i])
		}
	}
	p, err := s.Post(context.Background(), model.Actor{Reviewer: "t"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if p.Text != "first line\nsecond, with a comma\nand \"quotes\"" || p.Severity != 5 || p.Reports != 5 || p.Platform != "telegram" {
		t.Fatalf("post 1: %q sev %d reports %d", p.Text, p.Severity, p.Reports)
	}
	var extra map[string]string
	if err := json.Unmarshal(p.Extra, &extra); err != nil || extra["campaign"] != "rec-7" || len(extra) != 1 {
		t.Fatalf("extra columns: %s", p.Extra)
	}
	p2, _ := s.Post(context.Background(), model.Actor{Reviewer: "t"}, 2)
	if p2.Severity != 3 || p2.Reports != 1 || p2.Extra != nil {
		t.Fatalf("defaults: %+v", p2.Post)
	}
}

func TestCSVHeaderProblems(t *testing.T) {
	s := openTemp(t)
	for text, want := range map[string]string{
		"":                     "empty file",
		"platform,,text\n":     "column 2 has no name",
		"platform,text,text\n": `column "text" appears twice`,
	} {
		if _, _, err := importCSV(t, s, text); err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "in.csv") {
			t.Errorf("%q: err = %v, want %q", text, err, want)
		}
	}
}

func TestFormatOf(t *testing.T) {
	for _, c := range []struct{ flag, name, want string }{
		{"", "x.csv", "csv"}, {"", "X.CSV", "csv"}, {"", "x.jsonl", "jsonl"}, {"", "-", "jsonl"}, {"csv", "-", "csv"}, {"JSONL", "a.csv", "jsonl"},
	} {
		if got, err := FormatOf(c.flag, c.name); err != nil || got != c.want {
			t.Errorf("FormatOf(%q, %q) = %q, %v", c.flag, c.name, got, err)
		}
	}
	if _, err := FormatOf("xml", "a"); err == nil || !strings.Contains(err.Error(), "flag --format") {
		t.Errorf("xml: %v", err)
	}
}
