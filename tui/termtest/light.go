package termtest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// Frame is one frame the server drew: the bytes between the start and the
// end of a synchronized update (DEC mode 2026), and when its end arrived.
type Frame struct {
	Bytes []byte
	At    time.Time
}

// LightConsole is an SSH client with a PTY that does not emulate a
// terminal: it tells the server it supports synchronized output, so that
// every frame is bracketed by mode 2026, and yields whole frames as they
// end. Fifty of them cost a benchmark almost nothing, where fifty full
// emulators competed with the server for the same two cores.
type LightConsole struct {
	Client *gossh.Client
	stdin  io.WriteCloser
	frames chan Frame
	drawn  atomic.Int64 // frames received, read or not
}

// Queries the console sends once, and a modern terminal's answers: mode
// 2026 supported and reset, so the renderer turns it on; a black
// background.
var lightAnswers = []struct{ query, answer string }{
	{"\x1b[?2026$p", "\x1b[?2026;2$y"},
	{"\x1b]11;?", "\x1b]11;rgb:0000/0000/0000\x1b\\"},
}

var (
	frameBegin = []byte("\x1b[?2026h")
	frameEnd   = []byte("\x1b[?2026l")
)

// OpenLightConsole connects with key, asks for a w×h PTY and starts the
// shell.
func OpenLightConsole(addr string, w, h int, key gossh.Signer) (*LightConsole, error) {
	client, sh, err := openShell(addr, w, h, ConsoleOptions{}, key)
	if err != nil {
		return nil, err
	}
	go io.Copy(io.Discard, sh.stderr)
	c := &LightConsole{Client: client, stdin: sh.stdin, frames: make(chan Frame, 1024)}
	go c.read(sh.stdout)
	return c, nil
}

// read splits the output into frames and answers the console's queries.
func (c *LightConsole) read(stdout io.Reader) {
	defer close(c.frames)
	var pending []byte
	buf := make([]byte, 64<<10)
	for {
		n, err := stdout.Read(buf)
		if n > 0 {
			now := time.Now()
			pending = append(pending, buf[:n]...)
			for _, qa := range lightAnswers {
				if i := bytes.Index(pending, []byte(qa.query)); i >= 0 {
					io.WriteString(c.stdin, qa.answer)
					pending = append(pending[:i:i], pending[i+len(qa.query):]...)
				}
			}
			pending = c.split(pending, now)
		}
		if err != nil {
			return
		}
	}
}

// split emits the frames that pending holds and returns what is left: a
// frame begun but not yet ended, or the start of a bracket cut by a read.
// Output outside the brackets (drawn before the answer to the query
// arrived) is a frame of its own.
func (c *LightConsole) split(pending []byte, now time.Time) []byte {
	for len(pending) > 0 {
		begin := bytes.Index(pending, frameBegin)
		switch {
		case begin > 0:
			c.emit(pending[:begin], now)
			pending = pending[begin:]
		case begin < 0:
			keep := cutPrefixOf(pending, frameBegin)
			c.emit(pending[:len(pending)-keep], now)
			return pending[len(pending)-keep:]
		default:
			end := bytes.Index(pending, frameEnd)
			if end < 0 {
				return pending
			}
			c.emit(pending[len(frameBegin):end], now)
			pending = pending[end+len(frameEnd):]
		}
	}
	return pending
}

// cutPrefixOf is how many bytes at the end of b begin marker.
func cutPrefixOf(b, marker []byte) int {
	for n := min(len(b), len(marker)-1); n > 0; n-- {
		if bytes.HasSuffix(b, marker[:n]) {
			return n
		}
	}
	return 0
}

func (c *LightConsole) emit(frame []byte, at time.Time) {
	if len(frame) == 0 {
		return
	}
	c.drawn.Add(1)
	select {
	case c.frames <- Frame{Bytes: bytes.Clone(frame), At: at}:
	default: // nobody is reading: the benchmark drains before each key
	}
}

// Drawn is how many frames the server has sent so far.
func (c *LightConsole) Drawn() int64 { return c.drawn.Load() }

// NextFrame waits for the first frame done accepts, and returns it; the
// limit (Patience) only turns a hang into an error.
func (c *LightConsole) NextFrame(done func(Frame) bool) (Frame, error) {
	limit := time.After(Patience)
	for {
		select {
		case f, ok := <-c.frames:
			if !ok {
				return Frame{}, errors.New("the session ended")
			}
			if done(f) {
				return f, nil
			}
		case <-limit:
			return Frame{}, fmt.Errorf("no such frame within %s", Patience)
		}
	}
}

// AwaitText waits until the frames from now on, together, show text.
func (c *LightConsole) AwaitText(text string) error {
	var seen []byte
	_, err := c.NextFrame(func(f Frame) bool {
		seen = append(seen, f.Bytes...)
		return bytes.Contains(seen, []byte(text))
	})
	if err != nil {
		return fmt.Errorf("waiting for %q: %w", text, err)
	}
	return nil
}

// Frames yields each frame as it ends; closed when the session ends.
func (c *LightConsole) Frames() <-chan Frame { return c.frames }

// Drain discards the frames that have already arrived.
func (c *LightConsole) Drain() {
	for {
		select {
		case <-c.frames:
		default:
			return
		}
	}
}

// Send types keys.
func (c *LightConsole) Send(keys string) error {
	_, err := io.WriteString(c.stdin, keys)
	return err
}

// Close ends the connection.
func (c *LightConsole) Close() { c.Client.Close() }
