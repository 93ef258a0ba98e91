package data

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestOutcomesAndPlatformStats(t *testing.T) {
	s, clk := openClocked(t)
	ctx := context.Background()
	importLines(t, s, fraudPosts(5)...) // all on vk, external ids x, xx, xxx…
	rejectAll(t, s, 1, 2, 3, 4)
	if _, err := s.Takedowns(ctx, TakedownOptions{Dir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	clk.add(time.Hour)
	var errs []LineError
	text := strings.Join([]string{
		`{"platform":"VK","external_id":"x","outcome":"removed","at":"2026-11-20T12:00:00Z"}`,  // 3 h after the packet
		`{"platform":"vk","external_id":"xx","outcome":"removed","at":"2026-11-20T14:00:00Z"}`, // 5 h
		`{"platform":"vk","external_id":"xxx","outcome":"no_action"}`,                          // now
		`{"platform":"vk","external_id":"nope","outcome":"removed"}`,                           // 4: unknown post
		`{"platform":"vk","external_id":"xxxx","outcome":"deleted"}`,                           // 5: bad outcome
		`{"platform":"vk","outcome":"removed"}`,                                                // 6: no key
		`{"platform":"vk","external_id":"xxxx","outcome":"restricted","at":"2026-11-20T10:00:00Z"}`,
	}, "\n")
	res, err := s.RecordOutcomes(ctx, strings.NewReader(text), OutcomeOptions{Name: "o.jsonl", Format: FormatJSONL,
		Report: func(e LineError) { errs = append(errs, e) }})
	if err != nil || res.Recorded != 4 || res.Rejected != 3 {
		t.Fatalf("%+v %v %v", res, err, errs)
	}
	for i, want := range []string{`o.jsonl:4: no post "nope" on "vk"`, "o.jsonl:5: field outcome", "o.jsonl:6: missing field"} {
		if !strings.HasPrefix(errs[i].Error(), want) {
			t.Errorf("error %d: %q, want %q", i, errs[i].Error(), want)
		}
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	vk := st.Platforms["vk"]
	if vk.Sent != 4 || vk.Removed != 2 || vk.StillUp != 2 || vk.RemovalRate != 0.5 || vk.MedianHoursToRemoval != 4 {
		t.Fatalf("vk stats %+v", vk)
	}
	// CSV works the same way.
	res, err = s.RecordOutcomes(ctx, strings.NewReader("platform,url,external_id,outcome,at\nvk,,xxx,removed,2026-11-21T09:00:00Z\n"),
		OutcomeOptions{Name: "o.csv", Format: FormatCSV})
	if err != nil || res.Recorded != 1 {
		t.Fatalf("csv: %+v %v", res, err)
	}
	st, _ = s.Stats(ctx)
	if st.Platforms["vk"].Removed != 3 {
		t.Fatalf("latest outcome not used: %+v", st.Platforms["vk"])
	}
}
