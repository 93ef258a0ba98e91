package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"triage/model"
)

// fakeApp is a console on the fake store, driven synchronously (drive runs
// every command to the end, as the runtime would between key and frame).
func fakeApp(t *testing.T, f *fakeStore, w, h int) *App {
	t.Helper()
	return fakeAppWith(t, f, w, h, nil)
}

// fakeAppWith is fakeApp with options changed by set first.
func fakeAppWith(t *testing.T, f *fakeStore, w, h int, set func(*Options)) *App {
	t.Helper()
	opt := Options{Reviewer: "alice", Session: "s1", Store: f, Now: func() time.Time { return fixedNow }, Refresh: time.Hour}
	if set != nil {
		set(&opt)
	}
	a := New(context.Background(), opt)
	drive(a, tea.WindowSizeMsg{Width: w, Height: h})
	return a
}

func screen(a *App) []string { return strings.Split(ansi.Strip(a.View().Content), "\n") }

// Every line of every screen is exactly the terminal's width, whatever the
// size, so nothing wraps and nothing is left of an older frame.
func TestEveryLineFillsTheWidth(t *testing.T) {
	for _, size := range [][2]int{{60, 16}, {80, 24}, {119, 30}, {120, 40}, {200, 60}} {
		a := fakeApp(t, newFakeStore(300), size[0], size[1])
		for _, keys := range []string{"", "?", "S", "\r"} {
			for _, k := range keys {
				drive(a, tea.KeyPressMsg{Code: k, Text: string(k)})
			}
			lines := screen(a)
			if len(lines) != size[1] {
				t.Fatalf("%v after %q: %d lines", size, keys, len(lines))
			}
			for i, l := range lines {
				if w := ansi.StringWidthWc(l); w != size[0] {
					t.Fatalf("%v after %q: line %d is %d cells: %q", size, keys, i, w, l)
				}
			}
			drive(a, tea.KeyPressMsg{Code: tea.KeyEscape})
		}
	}
}

// The list window holds a few screens of rows, however long the queue, and
// moving far down reads pages as it goes, keeping the selection in view.
func TestListWindowStaysSmall(t *testing.T) {
	f := newFakeStore(5000)
	reads := 0
	f.pageHook = func(model.PageQuery) { reads++ }
	a := fakeApp(t, f, 120, 40)
	l := a.current()
	for i := 0; i < 400; i++ {
		drive(a, tea.KeyPressMsg{Code: 'j', Text: "j"})
	}
	if it, _ := l.selected(); it.PostID != 401 {
		t.Fatalf("after 400 moves the selection is #%d, want #401", it.PostID)
	}
	if len(l.rows) > l.maxRows() {
		t.Fatalf("the window holds %d rows, more than %d", len(l.rows), l.maxRows())
	}
	if l.sel < l.top || l.sel >= l.top+l.height {
		t.Fatalf("selection %d is off screen [%d, %d)", l.sel, l.top, l.top+l.height)
	}
	if reads > 60 {
		t.Fatalf("%d page reads for 400 moves: the window reads more than it needs", reads)
	}
	// ctrl+d moves half a page, as in vim and less.
	before := l.sel
	drive(a, tea.KeyPressMsg{Code: 'd', Mod: tea.ModCtrl})
	if l.sel-before != l.height/2 {
		t.Fatalf("ctrl+d moved %d rows, want %d", l.sel-before, l.height/2)
	}
}

// Keys route to the focused component: digits choose in a picker and never
// reach the list; the picker's help is what the hint line shows.
func TestKeysGoToTheFocusedComponent(t *testing.T) {
	f := newFakeStore(30)
	a := fakeAppWith(t, f, 120, 40, readsAll)
	first, _ := a.current().selected()
	drive(a, tea.KeyPressMsg{Code: 'r', Text: "r"})
	if _, ok := a.open.(*picker); !ok {
		t.Fatalf("r opened %T, want the reason picker", a.open)
	}
	if hint := screen(a)[39]; !strings.Contains(hint, "1-9 select") {
		t.Fatalf("the hint line is not the picker's: %q", hint)
	}
	drive(a, tea.KeyPressMsg{Code: 'j', Text: "j"}) // moves in the picker, not the list
	if it, _ := a.current().selected(); it.PostID != first.PostID {
		t.Fatalf("j in the picker moved the list to #%d", it.PostID)
	}
	drive(a, tea.KeyPressMsg{Code: tea.KeyEnter})
	if a.open != nil || len(f.decided) != 1 || f.decided[0].PostID != first.PostID || f.decided[0].Action != model.ActionReject {
		t.Fatalf("after enter: open %T, decided %+v", a.open, f.decided)
	}
}

// Every refusal comes from the binding table: b for a reviewer says leads
// only, and a key that cannot act says why instead of doing nothing.
func TestRefusalsComeFromTheTable(t *testing.T) {
	a := fakeApp(t, newFakeStore(5), 120, 40)
	for key, want := range map[rune]string{
		'b': "b is for leads only",
		'R': "R is for leads only",
		'C': "no near-duplicates",
	} {
		drive(a, tea.KeyPressMsg{Code: key, Text: string(key)})
		if !strings.Contains(a.status, want) {
			t.Errorf("%c: status %q, want %q", key, a.status, want)
		}
	}
	drive(a, tea.KeyPressMsg{Code: tea.KeyTab})
	drive(a, tea.KeyPressMsg{Code: 'a', Text: "a"})
	if !strings.Contains(a.status, "Decisions are made in the Pending queue") {
		t.Errorf("a in My decisions: %q", a.status)
	}
}

// Help is contextual and scrolls: at 60×16 every browsing key can be
// reached, quit included, and the descriptions are never cut.
func TestHelpFitsAndScrolls(t *testing.T) {
	a := fakeAppWith(t, newFakeStore(5), 60, 16, readsAll)
	drive(a, tea.KeyPressMsg{Code: '?', Text: "?"})
	seen := map[string]bool{}
	for i := 0; i < 80; i++ {
		for _, l := range screen(a) {
			seen[strings.TrimSpace(l)] = true
		}
		drive(a, tea.KeyPressMsg{Code: 'j', Text: "j"})
	}
	all := strings.Join(mapKeys(seen), "\n")
	for _, b := range a.visible() {
		if !strings.Contains(all, b.key.Help().Key) {
			t.Errorf("help never showed %q", b.key.Help().Key)
		}
	}
	if !strings.Contains(all, "quit") {
		t.Error("help never showed quit")
	}
	// A picker's help is the picker's keys, not the list's.
	drive(a, tea.KeyPressMsg{Code: tea.KeyEscape})
	drive(a, tea.KeyPressMsg{Code: 'r', Text: "r"})
	drive(a, tea.KeyPressMsg{Code: '?', Text: "?"}) // in the picker, ? is just a key
	if _, ok := a.open.(*picker); !ok {
		t.Fatalf("? in a picker left it: %T", a.open)
	}
}

func mapKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// heldStore says every pending post is held by another session.
type heldStore struct{ *fakeStore }

func (h heldStore) Counts(ctx context.Context) (model.Counts, error) {
	c, err := h.fakeStore.Counts(ctx)
	c.Held = c.ByStatus[model.StatusPending]
	return c, err
}

func (h heldStore) Page(ctx context.Context, q model.PageQuery) ([]model.Item, error) {
	if q.Queue == model.QueuePending {
		return nil, nil // this session holds none of them
	}
	return h.fakeStore.Page(ctx, q)
}

// The empty-queue message never shows while posts are pending: held by
// others it says so, and the hint is wrapped, never cut.
func TestEmptyBatchNeverSaysTheQueueIsEmpty(t *testing.T) {
	a := New(context.Background(), Options{Reviewer: "alice", Session: "s1", Store: heldStore{newFakeStore(7)}, Now: func() time.Time { return fixedNow }, Refresh: time.Hour})
	drive(a, tea.WindowSizeMsg{Width: 60, Height: 16})
	drive(a, countsMsgFor(a))
	s := strings.Join(screen(a), "\n")
	if strings.Contains(s, "queue is empty") || !strings.Contains(s, "All 7 pending posts are open with") || !strings.Contains(s, "other reviewers") {
		t.Fatalf("empty batch with 7 held:\n%s", s)
	}
}

func countsMsgFor(a *App) tea.Msg { return a.loadCounts(a.c.Filter)() }

// The post gets the room: at 120×40 each row shows 40 or more characters of
// its post; full screen at 80×24, ten or more lines of a long post.
func TestThePostGetsTheRoom(t *testing.T) {
	f := newFakeStore(10)
	long := strings.Repeat("Строка текста поста, которую рецензент читает целиком. ", 30)
	for i := range f.posts {
		f.posts[i].Text = long
		f.posts[i].Extra = []byte(`{"campaign":"c1","_demo_expected":"reject"}`)
	}
	a := fakeApp(t, f, 120, 40)
	if row := screen(a)[2]; !strings.Contains(row, "⚠ sensitive") { // the first post's category is sensitive
		t.Fatalf("a sensitive post's text shows in the list: %q", row)
	}
	drive(a, tea.KeyPressMsg{Code: 'X', Text: "X"})
	row := screen(a)[2]
	text := row[strings.Index(row, "Строка"):strings.Index(row, "│")]
	if n := len([]rune(strings.TrimRight(text, " …"))); n < 40 {
		t.Fatalf("the list shows %d characters of the post: %q", n, row)
	}
	a = fakeApp(t, f, 80, 24)
	drive(a, tea.KeyPressMsg{Code: 'X', Text: "X"}) // the first post's category is sensitive
	drive(a, tea.KeyPressMsg{Code: tea.KeyEnter})
	lines := 0
	for _, l := range screen(a) {
		if strings.Contains(l, "Строка") || strings.Contains(l, "рецензент") || strings.Contains(l, "целиком") {
			lines++
		}
	}
	if lines < 10 {
		t.Fatalf("full screen at 80×24 shows %d lines of the post:\n%s", lines, strings.Join(screen(a), "\n"))
	}
	for i := 0; i < 6; i++ {
		drive(a, tea.KeyPressMsg{Code: ' ', Text: " "})
	}
	all := strings.Join(screen(a), "\n")
	if !strings.Contains(all, "campaign: c1") || strings.Contains(all, "_demo_expected") || strings.Contains(all, "reject\n") {
		t.Fatalf("fields shown wrongly (the answer key must stay hidden):\n%s", all)
	}
}

// The header never drops what narrows the list: at 80 and 60 columns, with
// a long view name, the filter label is cut with "…", not left out.
func TestHeaderKeepsTheFilter(t *testing.T) {
	for _, w := range []int{60, 80, 120} {
		a := fakeApp(t, newFakeStore(20), w, 24)
		f, _ := model.ParseFilter("platform:vk category:fraud,drugs,gambling lang:ru,kk sev:3 age>1h")
		for _, m := range runCmd(a.applyFilter(f, "длинное_название_представления")) {
			drive(a, m)
		}
		head := screen(a)[0]
		if !strings.Contains(head, "[view длинное") || !strings.Contains(head, "pending") {
			t.Fatalf("at %d columns the header is %q", w, head)
		}
	}
}

// A digit with no reason behind it selects nothing, says so, and keeps the
// picker open: enter then decides nothing until a reason is picked.
func TestPickerRefusesADigitOutOfRange(t *testing.T) {
	f := newFakeStore(5)
	a := fakeAppWith(t, f, 120, 40, readsAll)
	drive(a, tea.KeyPressMsg{Code: 'r', Text: "r"})
	cat, _ := model.DefaultPolicy().Category(f.posts[a.detail.post.ID-1].Category)
	n := len(cat.Violations())
	wrong := fmt.Sprint(n + 1)
	drive(a, tea.KeyPressMsg{Code: rune(wrong[0]), Text: wrong})
	if s := strings.Join(screen(a), "\n"); !strings.Contains(s, fmt.Sprintf("There is no choice %s here: pick 1 to %d.", wrong, n)) {
		t.Fatalf("after %s in a picker of %d:\n%s", wrong, n, s)
	}
	drive(a, tea.KeyPressMsg{Code: tea.KeyEnter})
	if len(f.decided) != 0 {
		t.Fatalf("enter after a wrong digit decided %+v", f.decided)
	}
	if s := strings.Join(screen(a), "\n"); !strings.Contains(s, "Nothing is selected") || !strings.Contains(s, cat.Violations()[0].Code) {
		t.Fatalf("the picker closed or said nothing:\n%s", s)
	}
	drive(a, tea.KeyPressMsg{Code: '1', Text: "1"})
	drive(a, tea.KeyPressMsg{Code: tea.KeyEnter})
	if len(f.decided) != 1 || f.decided[0].ReasonCode != cat.Violations()[0].Code {
		t.Fatalf("decided %+v", f.decided)
	}
}

// A collapsed sensitive post cannot be approved: approving says it breaks
// no rule, about a text nobody read. Once shown, it can.
func TestJudgingAnUnreadSensitivePostIsRefused(t *testing.T) {
	f := newFakeStore(5)
	a := fakeApp(t, f, 120, 40)
	id := a.detail.post.ID
	if cat, _ := model.DefaultPolicy().Category(f.posts[id-1].Category); !cat.Sensitive {
		t.Fatalf("the test needs a sensitive post first, not %s", cat.Key)
	}
	press(a, "a")
	if len(f.decided) != 0 || !strings.Contains(shown(a), fmt.Sprintf("#%d is collapsed: read it before approving or rejecting", id)) {
		t.Fatalf("approved unread (%v):\n%s", f.decided, shown(a))
	}
	press(a, "A") // approve with a reason: the same
	press(a, "r") // and a rejection, which goes to a platform
	press(a, "Ca")
	press(a, "Cr")
	if len(f.decided) != 0 || strings.Contains(shown(a), "Reject #") {
		t.Fatalf("judged unread: %v\n%s", f.decided, shown(a))
	}
	press(a, " a")
	if len(f.decided) != 1 || f.decided[0].PostID != id || f.decided[0].Action != model.ActionApprove {
		t.Fatalf("after reading: %v", f.decided)
	}
}

// Collapsed means collapsed in every list: a sensitive post decided
// without its text shown in this console (escalated, or decided in another)
// keeps its text hidden in My decisions.
func TestMyDecisionsKeepSensitiveTextCollapsed(t *testing.T) {
	f := newFakeStore(5)
	a := fakeApp(t, f, 120, 40)
	id := a.detail.post.ID
	f.mu.Lock()
	f.posts[id-1].Status = model.StatusEscalated
	f.decided = append(f.decided, model.Decision{PostID: id, Action: model.ActionEscalate, ReasonCode: "ESC-LEGAL", Actor: model.Actor{Reviewer: "alice"}})
	f.mu.Unlock()
	drive(a, tea.KeyPressMsg{Code: tea.KeyTab})
	s := shown(a)
	if !strings.Contains(s, "⚠ sensitive") || strings.Contains(s, fmt.Sprintf("post number %d,", id)) {
		t.Fatalf("My decisions shows a collapsed post's text:\n%s", s)
	}
}

// X, for the session, survives a change in the settings screen.
func TestSettingsChangeKeepsSessionReveal(t *testing.T) {
	f := newFakeStore(5)
	a := fakeApp(t, f, 120, 40)
	press(a, "X")
	if !a.c.RevealSensitive {
		t.Fatal("X did not show sensitive text")
	}
	press(a, "O")
	if !strings.Contains(shown(a), "Theme") {
		t.Fatalf("no settings screen:\n%s", shown(a))
	}
	press(a, "j") // to the theme row
	before := a.c.Settings.Theme
	drive(a, tea.KeyPressMsg{Code: tea.KeyEnter})
	drive(a, tea.KeyPressMsg{Code: tea.KeyEscape})
	if a.c.Settings.Theme == before {
		t.Fatalf("the theme did not change:\n%s", shown(a))
	}
	if !a.c.RevealSensitive {
		t.Fatalf("a settings change turned X off:\n%s", shown(a))
	}
}

// A status too long for its line is never cut where it matters: it takes
// the hint line too, or gives up its start. At 80 columns, in English and
// Russian, the four-eyes message ends as written.
func TestLongStatusKeepsItsEnd(t *testing.T) {
	for lang, end := range map[string]string{"en": "to confirm it.", "ru": "второго проверяющего."} {
		a := fakeAppWith(t, newFakeStore(5), 80, 24, func(o *Options) { o.Lang = lang })
		a.tell("done.reject_awaiting", 4, " — REC-GLO Recruitment for a foreign armed conflict")
		drive(a, tea.WindowSizeMsg{Width: 80, Height: 24}) // a frame is drawn after a message
		lines := screen(a)
		foot := strings.Join(lines[len(lines)-2:], " ")
		if !strings.Contains(strings.Join(strings.Fields(foot), " "), end) {
			t.Fatalf("%s: the status lost its end:\n%s", lang, strings.Join(lines[len(lines)-2:], "\n"))
		}
		a.tell("done.reject_awaiting", 4, " — "+strings.Repeat("very long reason label ", 12))
		drive(a, tea.WindowSizeMsg{Width: 80, Height: 24})
		lines = screen(a)
		if foot := strings.Join(lines[len(lines)-2:], "\n"); !strings.Contains(strings.Join(strings.Fields(foot), " "), end) || !strings.HasPrefix(lines[len(lines)-2], "…") {
			t.Fatalf("%s: a status over two lines:\n%s", lang, foot)
		}
	}
}

// A console whose reviewer holds the limit in other consoles says so, and a
// key typed there is refused, not kept until posts come and then applied
// to one nobody saw (it approved a post half a minute later).
func TestAtTheHoldingLimitKeysAreRefused(t *testing.T) {
	f := newFakeStore(5)
	f.atLimit = true
	a := fakeAppWith(t, f, 120, 40, readsAll)
	if s := shown(a); !strings.Contains(s, "You hold 50 posts in your other consoles") {
		t.Fatalf("at the limit:\n%s", s)
	}
	press(a, "a")
	if s := shown(a); len(f.decided) != 0 || !strings.Contains(s, "you already hold 50 posts, the limit") {
		t.Fatalf("a key at the limit (%v):\n%s", f.decided, s)
	}
	f.mu.Lock()
	f.atLimit = false // another console closed: posts come
	f.mu.Unlock()
	drive(a, claimedMsg{n: 5}) // the refresh's claim now gets posts
	if !strings.Contains(shown(a), "post number") {
		t.Fatalf("no batch after the limit lifted:\n%s", shown(a))
	}
	if len(f.decided) != 0 {
		t.Fatalf("a key typed at the limit acted later: %v", f.decided)
	}
}
