package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"triage/data"
	"triage/model"
	"triage/tui"
)

func newServeCmd(g *globals) *cobra.Command {
	var listen, hostKey string
	var lease, idle time.Duration
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the console over SSH to registered reviewers",
		Long:  serveHelp(),
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if lease < time.Minute || lease > data.MaxLease {
				return fmt.Errorf("flag --lease: %s is outside 1m to %s", lease, data.MaxLease)
			}
			if idle < 0 {
				return fmt.Errorf("flag --idle: %s is negative (0 turns the limit off)", idle)
			}
			survivePipes()
			st, err := g.open(false)
			if err != nil {
				return err
			}
			defer st.Close()
			// The address first: a mistaken --listen changes nothing, not
			// even a new host key file.
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return fmt.Errorf("flag --listen: %w", err)
			}
			defer ln.Close()
			// One server per SQLite file: a second would end the first's
			// sessions as orphans below. A PostgreSQL database is shared by
			// design: any number of servers, each ending only sessions that
			// went silent.
			if !st.Shared() {
				release, err := st.HoldLock(cmd.Context(), "serve")
				if errors.Is(err, data.ErrBusy) {
					errf("triage: %s\n", strings.Replace(err.Error(), "another serve run", "another triage serve", 1))
					return exitCode(1)
				}
				if err != nil {
					return err
				}
				defer release()
			}
			logger := log.New(os.Stderr, "triage serve: ", log.LstdFlags|log.LUTC)
			// A server starting again owns no sessions: any SSH session left
			// open is from a crash, and its leases go back to the queue now.
			if n, err := st.EndOrphanedSessions(cmd.Context(), data.OriginSSH); err != nil {
				return err
			} else if n > 0 {
				logger.Printf("ended %s left open by a previous server, releasing their posts", model.Count(int64(n), "session", "sessions"))
			}
			srv, err := tui.NewServer(tui.ServerOptions{Store: st, Policy: st.Policy(), HostKeyPath: hostKey,
				Lease: lease, Idle: idle, Logf: logger.Printf})
			if err != nil {
				return fmt.Errorf("flag --host-key: %w", err)
			}
			logger.Printf("listening on %s (database %s)", ln.Addr(), st.Path())
			served := make(chan error, 1)
			go func() { served <- srv.Serve(ln) }()
			select {
			case err := <-served:
				return err
			case <-cmd.Context().Done():
			}
			logger.Printf("shutting down: ending sessions and releasing their posts")
			// Shutdown bounds itself: a grace period for the sessions, then
			// every connection is closed.
			if err := srv.Shutdown(context.Background()); err != nil {
				logger.Printf("shutdown: %v", err)
			}
			<-served
			logger.Printf("stopped")
			return nil
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:2222", "address to listen on")
	cmd.Flags().StringVar(&hostKey, "host-key", "triage_host_ed25519", "host key file (ed25519, created with mode 0600 when missing)")
	cmd.Flags().DurationVar(&lease, "lease", data.DefaultLease, "how long a claimed post stays with an inactive session")
	cmd.Flags().DurationVar(&idle, "idle", 30*time.Minute, "end a session whose client has sent nothing for this long (0: never)")
	return cmd
}

// serveHelp is serve's --help: what every client meets, with the limits
// as the server has them.
func serveHelp() string {
	return fmt.Sprintf(`Serve the review console over SSH. Only public keys of enabled reviewers
(see 'triage reviewer') get in; the SSH user name plays no part. Each session
gets its own terminal and claims posts in small batches under a lease; a
session that ends releases its posts at once, and a crashed server's leases
run out after --lease.

The host key (--host-key) is created when missing: ed25519, mode 0600, with
only missing parent directories created (0700); an existing directory's mode
is never changed. Its SHA256 fingerprint is logged at start, for reviewers to
check against what their client shows.

Every client is hostile until its key is proven:
  - a connection has %s to authenticate and open its session, or is closed;
  - at most %d connections may be unauthenticated at once, %d from one IPv4
    address or IPv6 /64; one beyond either cap is closed at once (sessions
    of reviewers who are in do not count);
  - terminal sizes are clamped to %d columns × %d rows (and at least 1×1)
    before anything is allocated for them;
  - a client that takes none of its output for %s (it stopped reading) has
    its connection closed, its session ended and its posts released;
  - a session whose client sends nothing (no key, no resize) for --idle is
    ended with a one-line notice and its posts released;
  - a failure (panic) while serving one session ends that session only.

An authenticated key is an insider, and an address is cheap:
  - a connection may have %d sessions open, a reviewer the policy's
    consoles_per_reviewer; a session whose console has not started within the
    handshake time is closed and its terminal freed, and so is a connection
    with no console running for as long;
  - a session takes %d env requests of %d bytes at most before its console;
  - under a flood of connections from many addresses, one of the flood (the
    most crowded network first) makes room for a newcomer, never one that
    has offered an enabled reviewer's key;
  - refusals and closings are logged as one line per kind a second, counted.

SIGINT or SIGTERM stops accepting, closes unauthenticated connections, tells
each console to quit, lets commits in flight finish, ends the sessions and
releases their leases (each client is told "server shutting down; your posts
are back in the queue"). Connections still open after a %s grace period,
such as a client that stopped reading, are closed; then serve exits 0.`,
		tui.DefaultHandshakeTimeout, tui.DefaultMaxUnauthenticated, tui.DefaultMaxUnauthenticatedPerIP,
		tui.MaxColumns, tui.MaxRows, tui.DefaultWriteTimeout, tui.DefaultMaxSessionsPerConn, tui.MaxEnvRequests, tui.MaxEnvBytes,
		tui.DefaultShutdownGrace)
}
