package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"triage/model"
	"triage/tui/i18n"
)

// ServeStore is what the SSH server needs beyond the console's own Store.
type ServeStore interface {
	Store
	ReviewerByKey(ctx context.Context, fingerprint string) (model.Reviewer, error)
	ReviewerEnabled(ctx context.Context, name string) (bool, error)
	StartSession(ctx context.Context, a model.Actor, origin string) (string, error)
	EndSession(ctx context.Context, session string) error
	// A reviewer's own settings, which follow them to any server.
	ReviewerSettings(ctx context.Context, name string) (model.Settings, error)
	SaveSettings(ctx context.Context, by, name string, changes [][2]string) error
}

// ServerOptions configure the SSH server. Zero durations and counts take
// the defaults named beside them.
type ServerOptions struct {
	Store  ServeStore
	Policy *model.Policy
	// HostKeyPath is the host key, created (ed25519, 0600, missing parent
	// directories 0700) when the file does not exist.
	HostKeyPath string
	Lease       time.Duration // how long a claim lasts without activity
	Refresh     time.Duration // console refresh; 0: 3 s
	// AccessCheck is how often a live session re-checks that its reviewer is
	// still enabled and its client not idle; 0: 2 s.
	AccessCheck time.Duration
	// Idle ends a session whose client has sent nothing (no key, no resize)
	// for this long, with a goodbye line; 0: never.
	Idle time.Duration
	// WriteTimeout: a client that takes none of its output for this long
	// has its connection closed (its session ends, its posts are released);
	// 0: DefaultWriteTimeout.
	WriteTimeout time.Duration
	// ShutdownGrace is how long Shutdown lets sessions end by themselves
	// before it closes their connections; 0: DefaultShutdownGrace.
	ShutdownGrace time.Duration
	// HandshakeTimeout is how long a connection has to authenticate and open
	// its session; 0: DefaultHandshakeTimeout.
	HandshakeTimeout time.Duration
	// MaxUnauthenticated and MaxUnauthenticatedPerIP cap the connections that
	// have not authenticated yet; one beyond either is closed at once.
	// 0: DefaultMaxUnauthenticated, DefaultMaxUnauthenticatedPerIP.
	MaxUnauthenticated, MaxUnauthenticatedPerIP int
	Logf                                        func(format string, args ...any)
}

// Server serves one console per SSH session.
type Server struct {
	opt      ServerOptions
	ssh      *ssh.Server
	conns    *connLimiter
	channels *channelCaps
	log      *summaryLog // for what a client can cause by the thousand
	hostKey  string      // SHA256 fingerprint

	mu        sync.Mutex
	closing   bool // set once by Shutdown; no session starts after it
	listeners map[net.Listener]struct{}
	sessions  map[string]*liveSession // by store session id
	// handlers counts identified sessions in progress. Add happens only
	// under mu while !closing, so never concurrently with Shutdown's Wait.
	handlers sync.WaitGroup
}

type identityKey struct{}

// identity is who a session proved to be, bound after the handshake.
type identity struct {
	reviewer model.Reviewer
	keyFP    string
	session  string
	live     *liveSession
}

// Why the server ended a session, and what it tells the client.
const (
	endDisabled = "disabled"
	endIdle     = "idle"
	endShutdown = "shutdown"
	endPanic    = "panic"
)

// liveSession is a running console the server may have to end.
type liveSession struct {
	done   chan struct{} // closed when the session's handler returns
	hangup func()        // closes the connection
	guard  *channelGuard // nil only if the channel was not set up by sessionChannel

	mu      sync.Mutex
	program *tea.Program
	app     *App        // for the session's summary line at the end
	screen  *lineScreen // gives the client's terminal back at the end
	ended   bool
	reason  string
}

// attach records the console's program; false when the session was ended
// before the program could start.
func (l *liveSession) attach(p *tea.Program, app *App, scr *lineScreen) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ended {
		return false
	}
	l.program, l.app, l.screen = p, app, scr
	return true
}

// restoreScreen gives the client's terminal back, once the console's
// program has ended, and waits for that to have been sent, so that what the
// server says next (the summary, a goodbye) lands on the main screen.
func (l *liveSession) restoreScreen() {
	l.mu.Lock()
	scr := l.screen
	l.mu.Unlock()
	if scr != nil {
		scr.restore()
	}
}

// console is the session's console, once attached.
func (l *liveSession) console() *App {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.app
}

// end asks the console to quit, without waiting (Quit blocks while a
// console is stuck); if the session has not ended after grace, its
// connection is closed. The first reason is the one reported.
func (l *liveSession) end(reason string, grace time.Duration) {
	l.mu.Lock()
	if l.ended {
		l.mu.Unlock()
		return
	}
	l.ended, l.reason = true, reason
	p := l.program
	l.mu.Unlock()
	if p != nil {
		go p.Quit()
	}
	go func() {
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-l.done:
		case <-t.C:
			l.hangup()
		}
	}()
}

// prog is the console's program, once it has been attached.
// onBreak reports a console on a break that still holds its batch: a
// reviewer away from the keyboard on purpose is not idle.
func (l *liveSession) onBreak() bool {
	app := l.console()
	return app != nil && app.OnBreakAt(time.Now())
}

func (l *liveSession) prog() *tea.Program {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.program
}

func (l *liveSession) why() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.reason
}

// NewServer builds the server; Serve starts it.
func NewServer(opt ServerOptions) (*Server, error) {
	if opt.Logf == nil {
		opt.Logf = func(string, ...any) {}
	}
	if opt.AccessCheck <= 0 {
		opt.AccessCheck = 2 * time.Second
	}
	if opt.WriteTimeout <= 0 {
		opt.WriteTimeout = DefaultWriteTimeout
	}
	if opt.ShutdownGrace <= 0 {
		opt.ShutdownGrace = DefaultShutdownGrace
	}
	if opt.HandshakeTimeout <= 0 {
		opt.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if opt.MaxUnauthenticated <= 0 {
		opt.MaxUnauthenticated = DefaultMaxUnauthenticated
	}
	if opt.MaxUnauthenticatedPerIP <= 0 {
		opt.MaxUnauthenticatedPerIP = DefaultMaxUnauthenticatedPerIP
	}
	signer, created, err := hostKey(opt.HostKeyPath)
	if err != nil {
		return nil, err
	}
	if opt.Policy == nil {
		opt.Policy = model.DefaultPolicy()
	}
	log := newSummaryLog(opt.Logf)
	s := &Server{opt: opt, hostKey: gossh.FingerprintSHA256(signer.PublicKey()), log: log,
		listeners: map[net.Listener]struct{}{}, sessions: map[string]*liveSession{},
		conns:    newConnLimiter(opt.MaxUnauthenticated, opt.MaxUnauthenticatedPerIP, opt.HandshakeTimeout, log),
		channels: newChannelCaps(DefaultMaxSessionsPerConn, opt.Policy.Limits.Consoles())}
	if created {
		opt.Logf("created host key %s", opt.HostKeyPath)
	} else if w := hostKeyWarning(opt.HostKeyPath); w != "" {
		opt.Logf("%s", w)
	}
	opt.Logf("host key %s (%s)", s.hostKey, opt.HostKeyPath)
	srv, err := wish.NewServer(
		func(srv *ssh.Server) error { srv.AddHostKey(signer); return nil },
		ssh.AllocatePty(),
		// The offer callback only says whether a key may try: a client can
		// offer keys it cannot prove, so nothing about identity is decided here.
		// A known key marks its connection as one a flood may not evict.
		wish.WithPublicKeyAuth(func(ctx ssh.Context, key ssh.PublicKey) bool {
			r, err := opt.Store.ReviewerByKey(ctx, gossh.FingerprintSHA256(key))
			if err == nil && r.Enabled {
				s.conns.offeredKey(ctx)
			}
			return err == nil && r.Enabled
		}),
		// Middlewares run last-listed first: recover wraps identity, which
		// wraps the console.
		wish.WithMiddleware(
			s.console,
			s.identify,
			s.recover,
		),
		func(srv *ssh.Server) error {
			// The limiter also times the handshake: a connection has
			// HandshakeTimeout to authenticate and open its session.
			srv.ConnCallback = s.conns.admit
			srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": s.sessionChannel}
			return nil
		},
	)
	if err != nil {
		return nil, fmt.Errorf("ssh server: %w", err)
	}
	s.ssh = srv
	return s, nil
}

// HostKey is the SHA256 fingerprint of the server's host key.
func (s *Server) HostKey() string { return s.hostKey }

// Serve accepts connections on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		ln.Close()
		return nil
	}
	s.listeners[ln] = struct{}{}
	s.mu.Unlock()
	err := s.ssh.Serve(ln)
	s.mu.Lock()
	closing := s.closing
	s.mu.Unlock()
	if errors.Is(err, ssh.ErrServerClosed) || closing {
		return nil
	}
	return err
}

// Shutdown stops accepting, closes connections that have not authenticated,
// tells every console to quit (their in-flight commits finish: commits never
// depend on a session's context) and waits for the sessions to end and
// release their leases, each client told why. After the grace period (or
// when ctx ends, if sooner) it closes every remaining connection, and it
// returns once their sessions have ended, or after a second grace period if
// some never do.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	live := make([]*liveSession, 0, len(s.sessions))
	for _, l := range s.sessions {
		live = append(live, l)
	}
	lns := s.listeners
	s.listeners = map[net.Listener]struct{}{}
	s.mu.Unlock()
	for ln := range lns {
		ln.Close()
	}
	s.conns.closeUnauthenticated()
	for _, l := range live {
		l.end(endShutdown, s.opt.ShutdownGrace)
	}
	done := make(chan struct{})
	go func() { s.handlers.Wait(); close(done) }()
	grace := time.NewTimer(s.opt.ShutdownGrace)
	defer grace.Stop()
	select {
	case <-done:
	case <-grace.C:
	case <-ctx.Done():
	}
	err := s.ssh.Close()
	s.conns.closeAll()
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	// Connections are closed now, and a closed connection closes its
	// console's PTY, so every handler returns; the bound is for a store call
	// that never does.
	last := time.NewTimer(s.opt.ShutdownGrace)
	defer last.Stop()
	select {
	case <-done:
	case <-last.C:
		s.mu.Lock()
		n := len(s.sessions)
		s.mu.Unlock()
		return errors.Join(err, fmt.Errorf("%s still running after their connections were closed", model.Count(int64(n), "session", "sessions")))
	}
	return err
}

// enter admits a session unless shutdown has begun.
func (s *Server) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	s.handlers.Add(1)
	return true
}

// recover ends a session whose handling panics, and logs it: one session's
// bug never takes the server down. (The console's own panics are caught by
// Bubble Tea, which ends its program; the watcher goroutine recovers its own.)
func (s *Server) recover(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		defer func() {
			if r := recover(); r != nil {
				s.opt.Logf("%s: panic, session ended: %v\n%s", sess.RemoteAddr(), r, debug.Stack())
				wish.Fatalln(sess, "triage: internal error; this session has ended")
			}
		}()
		next(sess)
	}
}

// identify binds the reviewer to the session from the key the handshake
// proved (sess.PublicKey), never from the user name, then runs the console
// inside a store session that is ended, and its leases released, however
// the session ends.
func (s *Server) identify(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if !s.enter() {
			wish.Fatalln(sess, "triage: server shutting down; try again later")
			return
		}
		defer s.handlers.Done()
		ctx := sess.Context()
		g, _ := ctx.Value(guardKey{}).(*channelGuard)
		if g != nil && !g.start() {
			return // the channel's deadline passed first; it is closed
		}
		if tc, ok := ctx.Value(trackedConnKey{}).(*trackedConn); ok {
			defer tc.consoleStarted()()
		}
		pty, _, ok := sess.Pty()
		if !ok {
			wish.Fatalln(sess, "triage: this is an interactive console; connect with a terminal (ssh -t)")
			return
		}
		finished := make(chan struct{})
		defer close(finished)
		// A console blocked writing to its PTY (its client stopped reading)
		// must not outlive the connection. Once the connection is gone
		// nobody copies the PTY's output any more: read and drop it, so the
		// write completes and the console sees its context end. (Closing the
		// PTY instead would race Bubble Tea's input reader, which still uses
		// the file.) charm.land/ssh closes the PTY when the session ends,
		// which ends the drain.
		go func() {
			select {
			case <-ctx.Done():
				if pty.Master != nil { // nil only for an emulated PTY, which this server never uses
					io.Copy(io.Discard, pty.Master)
				}
			case <-finished:
			}
		}()
		r, fp, session, ok := s.startSession(sess)
		if !ok {
			return
		}
		live := &liveSession{done: finished, hangup: func() { sess.Close() }, guard: g}
		if g != nil {
			live.hangup = func() { g.conn.Close() }
		}
		s.register(session, live)
		defer s.endSession(sess, live, r.Name, session)
		s.opt.Logf("session %s: %s (%s) from %s, key %s", session, r.Name, r.Role, ctx.RemoteAddr(), fp)
		ctx.SetValue(identityKey{}, identity{reviewer: r, keyFP: fp, session: session, live: live})
		go s.watch(sess, g, live, r.Name, session)
		if g != nil {
			// Resizes come from the guard, in order; the pty-req's size is
			// the console's first.
			go resizer(g, pty, live)
		}
		next(sess)
	}
}

// startSession binds the reviewer from the key the handshake proved and
// starts their store session; false (the client told why) when the key is
// no enabled reviewer's, the reviewer has the policy's limit of consoles
// open, or the store fails.
func (s *Server) startSession(sess ssh.Session) (r model.Reviewer, fp, session string, ok bool) {
	ctx := sess.Context()
	key := sess.PublicKey()
	if key == nil {
		wish.Fatalln(sess, "triage: public key authentication required")
		return r, "", "", false
	}
	fp = gossh.FingerprintSHA256(key)
	r, err := s.opt.Store.ReviewerByKey(ctx, fp)
	if err != nil || !r.Enabled {
		s.opt.Logf("refused %s: key %s: not an enabled reviewer", ctx.RemoteAddr(), fp)
		wish.Fatalln(sess, "triage: access denied")
		return r, "", "", false
	}
	session, err = s.opt.Store.StartSession(ctx, model.Actor{Reviewer: r.Name, KeyFP: fp}, "ssh")
	limit := s.opt.Policy.Limits.Consoles()
	switch {
	case errors.Is(err, model.ErrTooManyConsoles):
		s.log.note("consoles-refused", consoleStarts, "refused %s, the latest for %s from %s: %d open, the limit", r.Name, ctx.RemoteAddr(), limit)
		wish.Fatalln(sess, fmt.Sprintf("triage: %s already has %d consoles open, the limit; close one and try again", r.Name, limit))
		return r, "", "", false
	case err != nil:
		s.opt.Logf("session for %s: %v", r.Name, err)
		wish.Fatalln(sess, "triage: cannot start a session; try again")
		return r, "", "", false
	}
	return r, fp, session, true
}

// endSession ends a console's store session, releasing its posts, however
// the console ended, and leaves the client with the terminal back and a
// goodbye line or the session's summary.
func (s *Server) endSession(sess ssh.Session, live *liveSession, name, session string) {
	ctx := context.WithoutCancel(sess.Context())
	live.restoreScreen()
	s.mu.Lock()
	delete(s.sessions, session)
	s.mu.Unlock()
	if app := live.console(); app != nil {
		if err := app.Close(ctx); err != nil {
			s.opt.Logf("session %s: exposure not recorded: %v", session, err)
		}
	}
	if err := s.opt.Store.EndSession(ctx, session); err != nil {
		s.opt.Logf("end session %s: %v", session, err)
	}
	s.opt.Logf("session %s ended", session)
	if msg := s.goodbye(live.why(), name); msg != "" {
		if live.guard != nil {
			live.guard.settle(50*time.Millisecond, time.Second)
		}
		wish.Fatalln(sess, msg)
	} else if app := live.console(); app != nil {
		// The reviewer quit: the same one-line summary a local console
		// prints, once the terminal is back.
		wish.Print(sess, app.Summary()+"\r\n") // the terminal is raw: CRLF
	}
}

// resizer applies the session's window changes, latest first, to its PTY
// and its console.
func resizer(g *channelGuard, pty ssh.Pty, live *liveSession) {
	for {
		select {
		case <-live.done:
			return
		case <-g.resized:
		}
		w, h, ok := g.window()
		if !ok {
			continue
		}
		pty.Resize(w, h)
		if p := live.prog(); p != nil {
			p.Send(tea.WindowSizeMsg{Width: w, Height: h}) // returns once the program has ended
		}
	}
}

// register records a live session; one that arrives as shutdown begins is
// ended at once.
func (s *Server) register(session string, live *liveSession) {
	s.mu.Lock()
	s.sessions[session] = live
	closing := s.closing
	s.mu.Unlock()
	if closing {
		live.end(endShutdown, s.opt.ShutdownGrace)
	}
}

// goodbye is the line a client is left with when the server ended its
// session, or empty.
func (s *Server) goodbye(reason, name string) string {
	switch reason {
	case endDisabled:
		return "triage: access for " + name + " has been disabled"
	case endIdle:
		return fmt.Sprintf("triage: idle for %s; session ended, your posts are back in the queue", s.opt.Idle)
	case endShutdown:
		return "triage: server shutting down; your posts are back in the queue"
	case endPanic:
		return "triage: internal error; session ended, your posts are back in the queue"
	}
	return ""
}

// watch ends the session within AccessCheck of its reviewer being disabled
// or its client passing the idle limit.
func (s *Server) watch(sess ssh.Session, g *channelGuard, live *liveSession, name, session string) {
	defer func() {
		if r := recover(); r != nil {
			s.opt.Logf("session %s: panic, session ended: %v\n%s", session, r, debug.Stack())
			live.end(endPanic, s.opt.ShutdownGrace)
		}
	}()
	t := time.NewTicker(s.opt.AccessCheck)
	defer t.Stop()
	for {
		select {
		case <-live.done:
			return
		case <-sess.Context().Done():
			return
		case <-t.C:
		}
		if s.opt.Idle > 0 && g != nil && g.idleFor() >= s.opt.Idle && !live.onBreak() {
			s.opt.Logf("session %s: %s idle for %s; ending it", session, name, s.opt.Idle)
			live.end(endIdle, s.opt.ShutdownGrace)
			return
		}
		ok, err := s.opt.Store.ReviewerEnabled(sess.Context(), name)
		if err != nil || ok {
			continue
		}
		s.opt.Logf("session %s: %s was disabled; ending it", session, name)
		live.end(endDisabled, s.opt.ShutdownGrace)
		return
	}
}

// console runs an identified session's console until it ends. It stands
// where wish's Bubble Tea middleware stood, which wrote every session a
// client had closed ("program was killed: context canceled") to the
// process's stderr through charm's global logger, and passed on window
// changes that the guard delivers (resizer): every session channel is
// sessionChannel's.
func (s *Server) console(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if p := s.program(sess); p != nil {
			if _, err := p.Run(); err != nil && sess.Context().Err() == nil {
				id, _ := sess.Context().Value(identityKey{}).(identity)
				s.opt.Logf("session %s: console ended: %v", id.session, err)
			}
		}
		next(sess)
	}
}

// program builds the console for an identified session. Colour profile
// and background are the client's: the program talks to the client's PTY
// and environment (NO_COLOR included), never to the server's terminal.
func (s *Server) program(sess ssh.Session) *tea.Program {
	id, ok := sess.Context().Value(identityKey{}).(identity)
	if !ok {
		return nil
	}
	name := id.reviewer.Name
	settings, err := s.opt.Store.ReviewerSettings(sess.Context(), name)
	if err != nil {
		s.opt.Logf("session %s: %s: settings not read, defaults used: %v", id.session, name, err)
	}
	// The language the client's locale asks for: OpenSSH sends LANG and
	// LC_* by default on Debian and macOS. The reviewer's setting wins.
	env := map[string]string{}
	for _, kv := range sess.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	locale, _ := i18n.FromLocale(func(k string) string { return env[k] })
	store := s.opt.Store
	save := func(setting, value string) error {
		return store.SaveSettings(context.WithoutCancel(sess.Context()), name+" "+id.keyFP, name, [][2]string{{setting, value}})
	}
	app := New(sess.Context(), Options{Reviewer: name, Role: id.reviewer.Role, Session: id.session,
		KeyFP: id.keyFP, Lease: s.opt.Lease, Policy: s.opt.Policy, Store: s.opt.Store, Refresh: s.opt.Refresh,
		Locale: locale, Settings: settings, SaveSetting: save, SettingsHome: SettingsInDatabase})
	pty, _, _ := sess.Pty()
	environ := append(sess.Environ(), "TERM="+pty.Term) // as Bubble Tea's middleware tells the program
	var carried func() int64
	if g, ok := sess.Context().Value(guardKey{}).(*channelGuard); ok {
		carried = g.carried.Load
	}
	scr, err := newLineScreen(app, pty.Slave, pty.Master, environ, carried)
	if err != nil {
		s.opt.Logf("session %s: %s: terminal not set up: %v", id.session, name, err)
		return nil
	}
	// The program runs without a renderer of its own: the line screen draws
	// (line_screen.go). Its ticker still flushes what Bubble Tea writes
	// itself (a copied URL, OSC 52), so it runs 20 times a second, not 120,
	// for fifty idle sessions' sake.
	opts := append(bubbletea.MakeOptions(sess), tea.WithoutSignalHandler(), tea.WithContext(sess.Context()),
		tea.WithoutRenderer(), tea.WithFPS(20), tea.WithOutput(scr.Output()))
	p := tea.NewProgram(scr, opts...)
	if !id.live.attach(p, app, scr) {
		return nil
	}
	if g := id.live.guard; g != nil {
		// A resize that came before the program was attached is applied
		// again now that it can be delivered.
		select {
		case g.resized <- struct{}{}:
		default:
		}
	}
	return p
}
