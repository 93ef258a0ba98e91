package tui

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"triage/model"
)

// ServeStore is what the SSH server needs beyond the console's own Store.
type ServeStore interface {
	Store
	ReviewerByKey(ctx context.Context, fingerprint string) (model.Reviewer, error)
	ReviewerEnabled(ctx context.Context, name string) (bool, error)
	StartSession(ctx context.Context, a model.Actor, origin string) (string, error)
	EndSession(ctx context.Context, session string) error
}

// ServerOptions configure the SSH server.
type ServerOptions struct {
	Store       ServeStore
	Policy      *model.Policy
	HostKeyPath string        // created (ed25519, 0600) when missing
	Lease       time.Duration // how long a claim lasts without activity
	Refresh     time.Duration // console refresh; 0: 3 s
	// AccessCheck is how often a live session re-checks that its reviewer is
	// still enabled; 0: 2 s.
	AccessCheck time.Duration
	Logf        func(format string, args ...any)
}

// Server serves one console per SSH connection.
type Server struct {
	opt      ServerOptions
	ssh      *ssh.Server
	mu       sync.Mutex
	programs map[string]*tea.Program // live consoles by session id
	handlers sync.WaitGroup
}

type identityKey struct{}

// identity is who a connection proved to be, bound after the handshake.
type identity struct {
	reviewer model.Reviewer
	keyFP    string
	session  string
}

// NewServer builds the server; Serve starts it.
func NewServer(opt ServerOptions) (*Server, error) {
	if opt.Logf == nil {
		opt.Logf = func(string, ...any) {}
	}
	if opt.AccessCheck <= 0 {
		opt.AccessCheck = 2 * time.Second
	}
	s := &Server{opt: opt, programs: map[string]*tea.Program{}}
	srv, err := wish.NewServer(
		wish.WithHostKeyPath(opt.HostKeyPath),
		ssh.AllocatePty(),
		// The offer callback only says whether a key may try: a client can
		// offer keys it cannot prove, so nothing about identity is decided here.
		wish.WithPublicKeyAuth(func(ctx ssh.Context, key ssh.PublicKey) bool {
			r, err := opt.Store.ReviewerByKey(ctx, gossh.FingerprintSHA256(key))
			return err == nil && r.Enabled
		}),
		// Middlewares run last-listed first: identity wraps the console.
		wish.WithMiddleware(
			bubbletea.MiddlewareWithProgramHandler(s.program),
			s.identify,
		),
	)
	if err != nil {
		return nil, fmt.Errorf("ssh server: %w", err)
	}
	s.ssh = srv
	return s, nil
}

// Serve accepts connections on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	err := s.ssh.Serve(ln)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops accepting, asks every console to quit (their in-flight
// commits finish: commits never depend on a session's context), waits for
// the sessions to end and release their leases, then closes what is left.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	for _, p := range s.programs {
		p.Quit()
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.handlers.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
	err := s.ssh.Close()
	<-done // connections are closed now, so every handler returns
	return err
}

// identify binds the reviewer to the connection from the key the handshake
// proved (sess.PublicKey), never from the user name, then runs the console
// inside a store session that is ended, and its leases released, however
// the connection ends.
func (s *Server) identify(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		s.handlers.Add(1)
		defer s.handlers.Done()
		ctx := sess.Context()
		if _, _, ok := sess.Pty(); !ok {
			wish.Fatalln(sess, "triage: this is an interactive console; connect with a terminal (ssh -t)")
			return
		}
		key := sess.PublicKey()
		if key == nil {
			wish.Fatalln(sess, "triage: public key authentication required")
			return
		}
		fp := gossh.FingerprintSHA256(key)
		r, err := s.opt.Store.ReviewerByKey(ctx, fp)
		if err != nil || !r.Enabled {
			s.opt.Logf("refused %s: key %s: not an enabled reviewer", ctx.RemoteAddr(), fp)
			wish.Fatalln(sess, "triage: access denied")
			return
		}
		session, err := s.opt.Store.StartSession(ctx, model.Actor{Reviewer: r.Name, KeyFP: fp}, "ssh")
		if err != nil {
			s.opt.Logf("session for %s: %v", r.Name, err)
			wish.Fatalln(sess, "triage: cannot start a session; try again")
			return
		}
		s.opt.Logf("session %s: %s (%s) from %s, key %s", session, r.Name, r.Role, ctx.RemoteAddr(), fp)
		ctx.SetValue(identityKey{}, identity{reviewer: r, keyFP: fp, session: session})
		stop := make(chan struct{})
		disabled := make(chan struct{})
		go s.watchAccess(sess, r.Name, session, stop, disabled)
		next(sess)
		close(stop)
		s.mu.Lock()
		delete(s.programs, session)
		s.mu.Unlock()
		if err := s.opt.Store.EndSession(context.WithoutCancel(ctx), session); err != nil {
			s.opt.Logf("end session %s: %v", session, err)
		}
		s.opt.Logf("session %s ended", session)
		select {
		case <-disabled:
			wish.Fatalln(sess, "triage: access for "+r.Name+" has been disabled")
		default:
		}
	}
}

// watchAccess ends the console within AccessCheck of the reviewer being
// disabled.
func (s *Server) watchAccess(sess ssh.Session, name, session string, stop, disabled chan struct{}) {
	t := time.NewTicker(s.opt.AccessCheck)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-sess.Context().Done():
			return
		case <-t.C:
		}
		ok, err := s.opt.Store.ReviewerEnabled(sess.Context(), name)
		if err != nil || ok {
			continue
		}
		s.opt.Logf("session %s: %s was disabled; ending it", session, name)
		close(disabled)
		s.mu.Lock()
		p := s.programs[session]
		s.mu.Unlock()
		if p != nil {
			p.Quit()
		} else {
			sess.Close()
		}
		return
	}
}

// program builds the console for an identified connection. Colour profile
// and background are the client's: the program talks to the client's PTY
// and environment (NO_COLOR included), never to the server's terminal.
func (s *Server) program(sess ssh.Session) *tea.Program {
	id, ok := sess.Context().Value(identityKey{}).(identity)
	if !ok {
		return nil
	}
	app := New(sess.Context(), Options{Reviewer: id.reviewer.Name, Role: id.reviewer.Role, Session: id.session,
		KeyFP: id.keyFP, Lease: s.opt.Lease, Policy: s.opt.Policy, Store: s.opt.Store, Refresh: s.opt.Refresh})
	opts := append(bubbletea.MakeOptions(sess), tea.WithoutSignalHandler(), tea.WithContext(sess.Context()), tea.WithFPS(120))
	p := tea.NewProgram(app, opts...)
	s.mu.Lock()
	s.programs[id.session] = p
	s.mu.Unlock()
	return p
}
