package tui

import (
	"bytes"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// lineScreen draws an SSH session's console. After a message the console
// handles, the lines of its frame that changed are written to the client at
// once, each whole, inside one synchronized update (mode 2026); a burst of
// messages is drawn at most 120 times a second (paced).
//
// Bubble Tea's own renderer draws on a ticker (at most 120 a second), so a
// key waited up to a tick before its frame left, and it parsed every frame
// into cells and compared them one by one. With fifty sessions on two cores
// that was a third of the server's CPU, and most of the key-to-frame tail
// (BenchmarkSSHFiftySessions, README). The console's frame is already lines
// of exactly the terminal's width (App.View), so a line is the unit of
// change: one that differs is rewritten, the rest are left alone.
//
// Autowrap is off while the console runs: a line that the client's terminal
// measures wider than the console did (an emoji it draws wider) overwrites
// its last column instead of wrapping into the next line or, on the last
// row, scrolling the whole screen.
//
// The local console keeps Bubble Tea's renderer: one terminal, nothing to
// share the CPU with.
type lineScreen struct {
	app *App
	out io.Writer // the client's PTY, colours downsampled to its profile
	pty *sentCounter

	// carried is how many bytes the session's channel has sent the client
	// (nil: unknown), and base how many it had sent, or the PTY held, when
	// the console took the PTY: restore waits for the rest to cross.
	carried func() int64
	base    int64

	last    []string // lines on the client's screen; nil: repaint them all
	frame   string   // the frame they were split from
	title   string
	height  int
	entered bool // Init has taken the terminal
	unicode bool // mode 2027 was turned on
	painted time.Time
	waiting bool // a paintMsg is on its way
	buf     bytes.Buffer
}

// sentCounter counts what is written to the PTY, by the line screen and by
// Bubble Tea itself (a copied URL, OSC 52).
type sentCounter struct {
	w io.Writer
	n atomic.Int64
}

func (c *sentCounter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n.Add(int64(n))
	return n, err
}

// newLineScreen draws app on the PTY tty (whose other end is master) of a
// client whose environment (TERM, COLORTERM, NO_COLOR…) is environ; carried
// counts what the session's channel has sent (nil: not known). The PTY is
// made raw here: without its own renderer Bubble Tea leaves the terminal's
// modes alone, and raw it passes bytes through unchanged, so the bytes into
// it are the bytes the channel carries.
func newLineScreen(app *App, tty, master *os.File, environ []string, carried func() int64) (*lineScreen, error) {
	if _, err := term.MakeRaw(int(tty.Fd())); err != nil {
		return nil, err
	}
	profile := colorprofile.Detect(tty, environ)
	if profile < colorprofile.Ascii {
		// NoTTY would strip every escape sequence, cursor moves included;
		// the client is a terminal, so no colour is the least it gets.
		profile = colorprofile.Ascii
	}
	s := &lineScreen{app: app, pty: &sentCounter{w: tty}, carried: carried}
	s.out = &colorprofile.Writer{Forward: s.pty, Profile: profile}
	if carried != nil {
		// What the PTY echoed before it was raw (keys typed early) is on
		// its way too; one still between the copier's read and its write
		// is missed, and then restore waits out its limit.
		pending, _ := unix.IoctlGetInt(int(master.Fd()), unix.TIOCINQ)
		s.base = carried() + int64(pending)
	}
	return s, nil
}

// Output is where Bubble Tea writes what it sends itself.
func (s *lineScreen) Output() io.Writer { return s.pty }

// screenEnter and screenLeave are the modes the console runs in, and their
// undoing: the alternate screen, no cursor, no autowrap, bracketed paste,
// and the keyboard enhancements Bubble Tea's renderer asks for (key
// disambiguation, modifyOtherKeys). Mode 2027 is asked about, and turned on
// when the terminal has it (Update).
var (
	screenEnter = ansi.SetModeAltScreenSaveCursor + ansi.HideCursor + ansi.ResetModeAutoWrap +
		ansi.SetModeBracketedPaste + ansi.SetModifyOtherKeys2 + ansi.PushKittyKeyboard(1) + ansi.RequestModeUnicodeCore
	screenLeave = ansi.ResetStyle + ansi.SetModeAutoWrap + ansi.ResetModifyOtherKeys + ansi.PopKittyKeyboard(1) +
		ansi.ResetModeBracketedPaste + ansi.ResetModeAltScreenSaveCursor + ansi.ShowCursor
)

// Init takes the terminal and asks it its background colour at once, in
// raw mode: an answer that came after the session had ended would be read
// by nobody.
func (s *lineScreen) Init() tea.Cmd {
	s.entered = true
	io.WriteString(s.out, screenEnter+ansi.RequestBackgroundColor)
	return s.app.start()
}

func (s *lineScreen) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		s.resized(msg.Height)
	case paintMsg:
		s.waiting = false
		s.paint()
		return s, nil
	}
	_, cmd := s.app.Update(msg)
	if s.app.c.Graphemes && !s.unicode {
		// The terminal said it clusters graphemes (mode 2027) and the
		// console now measures so; as Bubble Tea's renderer did, the mode
		// is turned on, for a terminal that has it but off.
		s.unicode = true
		io.WriteString(s.out, ansi.SetModeUnicodeCore)
	}
	return s, tea.Batch(cmd, s.paced())
}

// paintMsg is the paint a burst of messages was waiting for.
type paintMsg struct{}

// minFrameGap paces frames as Bubble Tea's renderer did at most: a key after
// a pause is drawn at once, a burst (a flood of keys, answers landing
// together) in frames this far apart, so a client cannot make the server
// draw, and send, a frame per byte it types.
const minFrameGap = time.Second / 120

// paced paints now, if the last frame is minFrameGap old; otherwise it asks
// for one paint when it will be.
func (s *lineScreen) paced() tea.Cmd {
	wait := minFrameGap - time.Since(s.painted)
	if wait <= 0 {
		s.paint()
		return nil
	}
	if s.waiting {
		return nil
	}
	s.waiting = true
	return tea.Tick(wait, func(time.Time) tea.Msg { return paintMsg{} })
}

// resized makes the next frame a full repaint, h lines tall: the client's
// terminal has reflowed or cut what it showed.
func (s *lineScreen) resized(h int) { s.height, s.last = h, nil }

// View is never drawn: the program runs without a renderer.
func (s *lineScreen) View() tea.View { return tea.View{} }

// paint writes what changed since the last frame.
func (s *lineScreen) paint() {
	s.painted = time.Now()
	s.draw(s.app.View())
}

// draw writes what changed between the frame on the client's screen and v.
func (s *lineScreen) draw(v tea.View) {
	if s.last != nil && v.Content == s.frame && v.WindowTitle == s.title {
		return
	}
	lines := strings.Split(v.Content, "\n")
	if len(lines) > s.height {
		lines = lines[:s.height]
	}
	b := &s.buf
	b.Reset()
	b.WriteString(ansi.SetModeSynchronizedOutput)
	if v.WindowTitle != s.title {
		s.title = v.WindowTitle
		b.WriteString(ansi.SetWindowTitle(s.title))
	}
	if s.last == nil {
		b.WriteString(ansi.ResetStyle + ansi.EraseEntireScreen)
	}
	for i, l := range lines {
		if s.last != nil && i < len(s.last) && s.last[i] == l {
			continue
		}
		// Each line starts from the default style on a blank row, so a
		// line shorter than the last one leaves nothing of it behind.
		b.WriteString(ansi.CursorPosition(1, i+1) + ansi.ResetStyle + ansi.EraseEntireLine)
		b.WriteString(trimBlank(l))
	}
	for i := len(lines); i < len(s.last); i++ {
		b.WriteString(ansi.CursorPosition(1, i+1) + ansi.ResetStyle + ansi.EraseEntireLine)
	}
	b.WriteString(ansi.ResetStyle + ansi.ResetModeSynchronizedOutput)
	s.last, s.frame = lines, v.Content
	// An error means the client is gone; the session's end follows.
	_, _ = s.out.Write(b.Bytes())
}

// restore gives the client's terminal back as it was, once the console has
// ended (its program has returned): the main screen, a cursor, wrapping, the
// window title cleared. Nothing is undone that Init never did. The server's
// PTY stays raw: it ends with the session, and echoing would only put a
// late answer to a query on the client's screen.
func (s *lineScreen) restore() {
	if !s.entered {
		return
	}
	undo := screenLeave + ansi.SetWindowTitle("")
	if s.unicode {
		undo = ansi.ResetModeUnicodeCore + undo
	}
	io.WriteString(s.out, undo)
	s.crossed(2 * time.Second)
}

// crossed waits, at most limit or until the session has ended, until the
// channel has carried everything written to the PTY. The channel closes
// when the session's handler returns, and what charm.land/ssh's copier has
// not yet passed on is lost — the terminal would stay on the alternate
// screen — while a line written to the channel directly (the summary)
// would overtake it.
func (s *lineScreen) crossed(limit time.Duration) {
	if s.carried == nil {
		return
	}
	done := s.app.c.Ctx.Done()
	for end := time.Now().Add(limit); s.carried() < s.base+s.pty.n.Load() && time.Now().Before(end); {
		select {
		case <-done:
			return
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// trimBlank drops the spaces that end a line in the default style: its row
// has just been erased, so they would draw nothing. Spaces after any other
// style (a selected row's background) are kept.
func trimBlank(l string) string {
	t := strings.TrimRight(l, " ")
	if len(t) == len(l) {
		return l
	}
	if esc := strings.LastIndexByte(t, ansi.ESC); esc >= 0 && !strings.HasPrefix(t[esc:], ansi.ResetStyle) && !strings.HasPrefix(t[esc:], "\x1b[0m") {
		return l
	}
	return t
}
