package termtest

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"image/color"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// NewSigner makes a fresh ed25519 key.
func NewSigner(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Dial connects to an SSH server on loopback with the given auth methods.
func Dial(addr string, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	return DialFrom("", addr, auth...)
}

// DialFrom is Dial from a given local IP address (any of 127.0.0.0/8 works
// on Linux loopback), so that tests can play several client hosts; "" lets
// the system choose.
func DialFrom(localIP, addr string, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	d := net.Dialer{Timeout: 5 * time.Second}
	if localIP != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(localIP)}
	}
	conn, err := d.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	cfg := &gossh.ClientConfig{User: "anyone", Auth: auth, HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second}
	c, chans, reqs, err := gossh.NewClientConn(conn, addr, cfg)
	if err != nil {
		conn.Close()
		return nil, err
	}
	return gossh.NewClient(c, chans, reqs), nil
}

// Console is an SSH client with a PTY whose output is drawn on a Screen.
type Console struct {
	*Screen
	Client   *gossh.Client
	sess     *gossh.Session
	stdin    io.WriteCloser
	done     chan struct{}
	received atomic.Int64
	stderr   lockedBuffer
}

// lockedBuffer collects what the server sends on the session's stderr.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// counter counts what the server sends.
type counter struct{ c *Console }

func (w counter) Write(p []byte) (int, error) {
	w.c.received.Add(int64(len(p)))
	return w.c.Screen.Write(p)
}

// Received is how many bytes the server has sent so far.
func (c *Console) Received() int64 { return c.received.Load() }

// ConsoleOptions describe the client's terminal.
type ConsoleOptions struct {
	Env        map[string]string // sent with SetEnv before the PTY request
	Background color.Color       // the terminal's background; nil: the emulator's default (black)
	LocalIP    string            // the client's address; "": the system's choice
}

// OpenConsole connects with the keys (offered in order), asks for a w×h PTY
// and starts the shell. It returns an error rather than failing, so that
// tests which kill servers can retry.
func OpenConsole(addr string, w, h int, keys ...gossh.Signer) (*Console, error) {
	return OpenConsoleWith(addr, w, h, ConsoleOptions{}, keys...)
}

// OpenConsoleWith is OpenConsole for a client terminal described by opt.
func OpenConsoleWith(addr string, w, h int, opt ConsoleOptions, keys ...gossh.Signer) (*Console, error) {
	client, sh, err := openShell(addr, w, h, opt, keys...)
	if err != nil {
		return nil, err
	}
	sess, stdin, stdout, stderr := sh.sess, sh.stdin, sh.stdout, sh.stderr
	scr := NewScreen(w, h, false)
	if opt.Background != nil {
		scr.term.SetBackgroundColor(opt.Background)
	}
	c := &Console{Screen: scr, Client: client, sess: sess, stdin: stdin, done: make(chan struct{})}
	var copied sync.WaitGroup
	copied.Add(2)
	go func() { io.Copy(counter{c}, stdout); copied.Done() }()
	go func() { io.Copy(&c.stderr, stderr); copied.Done() }()
	go func() { copied.Wait(); close(c.done) }()
	go io.Copy(stdin, c.Screen) // the terminal's answers to queries
	return c, nil
}

// shell is a started session's standard streams.
type shell struct {
	sess           *gossh.Session
	stdin          io.WriteCloser
	stdout, stderr io.Reader
}

// openShell connects, sends opt's environment, asks for a w×h PTY and
// starts the shell.
func openShell(addr string, w, h int, opt ConsoleOptions, keys ...gossh.Signer) (*gossh.Client, shell, error) {
	client, err := DialFrom(opt.LocalIP, addr, gossh.PublicKeys(keys...))
	if err != nil {
		return nil, shell{}, err
	}
	sess, err := client.NewSession()
	if err != nil {
		client.Close()
		return nil, shell{}, err
	}
	for k, v := range opt.Env {
		if err := sess.Setenv(k, v); err != nil {
			client.Close()
			return nil, shell{}, err
		}
	}
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		client.Close()
		return nil, shell{}, err
	}
	sh := shell{sess: sess}
	sh.stdin, _ = sess.StdinPipe()
	sh.stdout, _ = sess.StdoutPipe()
	sh.stderr, _ = sess.StderrPipe()
	if err := sess.Shell(); err != nil {
		client.Close()
		return nil, shell{}, err
	}
	return client, sh, nil
}

// MustOpenConsole is OpenConsole for tests that expect to get in; the
// connection is closed when the test ends.
func MustOpenConsole(t testing.TB, addr string, w, h int, keys ...gossh.Signer) *Console {
	t.Helper()
	return MustOpenConsoleWith(t, addr, w, h, ConsoleOptions{}, keys...)
}

// MustOpenConsoleWith is MustOpenConsole for a described client terminal.
func MustOpenConsoleWith(t testing.TB, addr string, w, h int, opt ConsoleOptions, keys ...gossh.Signer) *Console {
	t.Helper()
	c, err := OpenConsoleWith(addr, w, h, opt, keys...)
	if err != nil {
		t.Fatalf("ssh: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// Stderr is what the server has written to the session's stderr: the
// goodbye line of a session the server ended.
func (c *Console) Stderr() string { return c.stderr.String() }

// Await is WaitFor for goroutines, which must not call t.Fatal: it returns
// an error instead. The limit only turns a hang into a failure.
func (c *Console) Await(texts ...string) (string, error) {
	deadline := time.Now().Add(Patience)
	for {
		got := c.String()
		ok := true
		for _, want := range texts {
			ok = ok && strings.Contains(got, want)
		}
		if ok {
			return got, nil
		}
		if time.Now().After(deadline) {
			return got, fmt.Errorf("screen never showed %q; it shows:\n%s", texts, got)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// WindowChange tells the server the terminal is now w×h (the local screen
// keeps its size).
func (c *Console) WindowChange(w, h int) error { return c.sess.WindowChange(h, w) }

// Send types keys.
func (c *Console) Send(keys string) error {
	_, err := io.WriteString(c.stdin, keys)
	return err
}

// Close hangs up.
func (c *Console) Close() { c.sess.Close(); c.Client.Close() }

// Done is closed when the server ends the session.
func (c *Console) Done() <-chan struct{} { return c.done }
