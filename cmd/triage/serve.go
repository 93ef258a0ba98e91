package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"time"

	"github.com/spf13/cobra"

	"triage/data"
	"triage/tui"
)

func newServeCmd(g *globals) *cobra.Command {
	var listen, hostKey string
	var lease time.Duration
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the console over SSH to registered reviewers",
		Long: `Serve the review console over SSH. Only public keys of enabled reviewers
(see 'triage reviewer') get in; the SSH user name plays no part. Each session
gets its own terminal and claims posts in small batches under a lease; a
session that ends releases its posts at once, and a crashed server's leases
run out after --lease. SIGINT or SIGTERM stops accepting, lets commits in
flight finish, ends the sessions, releases their leases and exits 0.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if lease < time.Minute || lease > data.MaxLease {
				return fmt.Errorf("flag --lease: %s is outside 1m to %s", lease, data.MaxLease)
			}
			st, err := g.open(false)
			if err != nil {
				return err
			}
			defer st.Close()
			logger := log.New(os.Stderr, "triage serve: ", log.LstdFlags|log.LUTC)
			// A server starting again owns no sessions: any SSH session left
			// open is from a crash, and its leases go back to the queue now.
			if n, err := st.EndOrphanedSessions(cmd.Context(), data.OriginSSH); err != nil {
				return err
			} else if n > 0 {
				logger.Printf("ended %d session(s) left open by a previous server, releasing their posts", n)
			}
			srv, err := tui.NewServer(tui.ServerOptions{Store: st, Policy: st.Policy(), HostKeyPath: hostKey,
				Lease: lease, Logf: logger.Printf})
			if err != nil {
				return fmt.Errorf("flag --host-key %s: %w", hostKey, err)
			}
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return fmt.Errorf("flag --listen: %w", err)
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
			ln.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, net.ErrClosed) {
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
	return cmd
}
