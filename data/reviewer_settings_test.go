package data

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"triage/data/demo"
	"triage/model"
)

// A lead keeps two categories away from alice. Working the whole queue of
// 1,000 demo posts, her claims never give her one of them, a search result
// of one cannot be taken, a cluster decision skips them — and she still
// gets every other post.
func TestExcludedCategoriesAreNeverClaimed(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	var buf bytes.Buffer
	if err := demo.Generate(&buf, demo.Options{Posts: 1000, Seed: 11, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, &buf, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"alice", "lead"} {
		if err := s.AddReviewer(ctx, name, model.RoleReviewer, nil); err != nil {
			t.Fatal(err)
		}
	}
	sess, _ := s.StartSession(ctx, model.Actor{Reviewer: "alice"}, OriginLocal)
	// She holds a batch before the lead acts: its excluded posts go back.
	if n, _ := s.Claim(ctx, sess, 10, time.Hour); n != 10 {
		t.Fatalf("first claim took %d", n)
	}
	excluded := []string{"extremism", "recruitment"}
	if err := s.SaveSettings(ctx, "local:lead", "alice", [][2]string{{model.SettingExclude, strings.Join(excluded, ",")}}); err != nil {
		t.Fatal(err)
	}
	categoryOf := func(id int64) string {
		var c string
		if err := s.r.QueryRow(`SELECT category FROM posts WHERE id = ?`, id).Scan(&c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	held := func() []int64 {
		ids, err := queryIDs(ctx, s.r, `SELECT id FROM posts WHERE lease_owner = ? AND status = 'pending' ORDER BY id`, sess)
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	for _, id := range held() {
		if c := categoryOf(id); slices.Contains(excluded, c) {
			t.Fatalf("after the exclusion alice still holds #%d (%s)", id, c)
		}
	}
	decided := 0
	for round := 0; round < 2000; round++ {
		if _, err := s.Claim(ctx, sess, 10, time.Hour); err != nil {
			t.Fatal(err)
		}
		ids := held()
		if len(ids) == 0 {
			break
		}
		for _, id := range ids {
			if c := categoryOf(id); slices.Contains(excluded, c) {
				t.Fatalf("alice was given #%d of excluded category %s", id, c)
			}
			if _, err := s.Decide(ctx, model.Decision{PostID: id, Actor: model.Actor{Reviewer: "alice", Session: sess},
				Action: model.ActionApprove, ReasonCode: approvalFor(t, s, categoryOf(id))}); err != nil {
				t.Fatal(err)
			}
			decided++
		}
	}
	var left, leftExcluded int
	if err := s.r.QueryRow(`SELECT count(*), coalesce(sum(CASE WHEN category IN ('extremism', 'recruitment') THEN 1 ELSE 0 END), 0)
		FROM posts WHERE status = 'pending'`).Scan(&left, &leftExcluded); err != nil {
		t.Fatal(err)
	}
	if left == 0 || left != leftExcluded {
		t.Fatalf("alice decided %d; %d posts are left pending, %d of them excluded: she should get every other post", decided, left, leftExcluded)
	}
	// A search result of an excluded category cannot be taken either.
	ids, _ := queryIDs(ctx, s.r, `SELECT id FROM posts WHERE status = 'pending' LIMIT 1`)
	if got, err := s.ClaimPost(ctx, sess, ids[0], time.Hour); err != nil || got != model.ClaimKeptFromYou {
		t.Fatalf("alice took excluded #%d from a search: %v %v", ids[0], got, err)
	}
	// Another reviewer still gets them.
	other, _ := s.StartSession(ctx, model.Actor{Reviewer: "lead"}, OriginLocal)
	if n, _ := s.Claim(ctx, other, 10, time.Hour); n != 10 {
		t.Fatalf("the lead claimed %d of the excluded posts, want 10", n)
	}
}

// approvalFor is a category's default approval reason.
func approvalFor(t *testing.T, s *Store, category string) string {
	t.Helper()
	c, ok := s.Policy().Category(category)
	if !ok {
		t.Fatalf("no category %q", category)
	}
	return c.DefaultApproval().Code
}

// Settings follow the reviewer: what one server saves another reads; a
// refused exclusion changes nothing; every change is logged.
func TestReviewerSettingsAreStoredWithTheReviewer(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	if _, err := s.ReviewerSettings(ctx, "nobody"); !errors.Is(err, ErrUnknownReviewer) {
		t.Fatalf("settings of an unregistered name: %v, want ErrUnknownReviewer", err)
	}
	if err := s.AddReviewer(ctx, "alice", model.RoleReviewer, nil); err != nil {
		t.Fatal(err)
	}
	want := model.Settings{Lang: "kk", Theme: "high-contrast", Reveal: true, Keys: "vim",
		Bind: map[string][]string{"reject": {"r", "x"}}, Exclude: []string{"drugs"}}
	if err := s.SaveSettings(ctx, "local:root", "alice", want.Pairs()); err != nil {
		t.Fatal(err)
	}
	got, err := s.ReviewerSettings(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if got.Lang != "kk" || got.Theme != "high-contrast" || !got.Reveal || got.Keys != "vim" ||
		!slices.Equal(got.Bind["reject"], []string{"r", "x"}) || !slices.Equal(got.Exclude, []string{"drugs"}) {
		t.Fatalf("read back %+v, saved %+v", got, want)
	}
	// A console saves the one setting it changed: the others, and the
	// exclusions, stay as they were; so does a setting a newer build wrote.
	if _, err := s.w.Exec(`INSERT INTO reviewer_settings (reviewer, name, value) VALUES ('alice', 'future.thing', 'x')`); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSettings(ctx, "alice SHA256:x", "alice", [][2]string{{model.SettingLang, "ru"}}); err != nil {
		t.Fatal(err)
	}
	if got, _ = s.ReviewerSettings(ctx, "alice"); got.Lang != "ru" || got.Keys != "vim" || got.Theme != "high-contrast" || !slices.Equal(got.Exclude, []string{"drugs"}) {
		t.Fatalf("after the console's save: %+v", got)
	}
	var kept int
	if err := s.r.QueryRow(`SELECT count(*) FROM reviewer_settings WHERE name = 'future.thing'`).Scan(&kept); err != nil || kept != 1 {
		t.Fatalf("a setting this build does not know was dropped (%d, %v)", kept, err)
	}
	// An exclusion of a category the policy lacks is refused whole.
	err = s.SaveSettings(ctx, "local:root", "alice", [][2]string{{model.SettingLang, "en"}, {model.SettingExclude, "nonsense"}})
	if err == nil {
		t.Fatal("an unknown category was excluded")
	}
	if got, _ = s.ReviewerSettings(ctx, "alice"); got.Lang != "ru" || !slices.Equal(got.Exclude, []string{"drugs"}) {
		t.Fatalf("a refused change changed something: %+v", got)
	}
	var n int
	if err := s.r.QueryRow(`SELECT count(*) FROM settings_log WHERE reviewer = 'alice'`).Scan(&n); err != nil || n != 3 {
		t.Fatalf("settings log has %d rows (%v), want 3: settings+exclude, then settings", n, err)
	}
	if _, err := s.w.Exec(`DELETE FROM settings_log`); err == nil {
		t.Fatal("the settings log let a row be deleted")
	}
}

// Exposure adds up per reviewer and UTC day, and the dashboard shows the
// last days' rows, newest first.
func TestExposureAddsUpPerDay(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	day1 := testNow.Add(-24 * time.Hour)
	for _, r := range []struct {
		who     string
		at      time.Time
		reveals int
		secs    int
	}{{"alice", testNow, 3, 600}, {"alice", testNow, 2, 300}, {"alice", day1, 7, 60}, {"bob", testNow, 1, 0}} {
		if err := s.RecordExposure(ctx, r.who, r.at, r.reveals, r.secs); err != nil {
			t.Fatal(err)
		}
	}
	d, err := s.Dashboard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	today, yesterday := testNow.UTC().Format(time.DateOnly), day1.UTC().Format(time.DateOnly)
	want := []model.Exposure{{Reviewer: "alice", Day: today, Reveals: 5, Minutes: 15}, {Reviewer: "bob", Day: today, Reveals: 1},
		{Reviewer: "alice", Day: yesterday, Reveals: 7, Minutes: 1}}
	if !slices.Equal(d.Exposure, want) {
		t.Fatalf("exposure %+v, want %+v", d.Exposure, want)
	}
	st, err := s.Stats(ctx)
	if err != nil || !slices.Equal(st.Exposure, want) {
		t.Fatalf("stats --json exposure %+v (%v), want %+v", st.Exposure, err, want)
	}
}
