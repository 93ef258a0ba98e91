package data

import (
	"context"
	"sync"
	"time"
)

// Changes tells consoles that posts changed in another process: on a
// shared (PostgreSQL) database every server LISTENs on one channel, and
// the triggers that keep the counters NOTIFY it once per committing
// transaction. A console refreshes when told instead of waiting for its
// next poll; polling stays, for a notification lost with a connection.
// On SQLite nothing is sent (a file has one server, and its consoles poll).

// changesChannel is the NOTIFY channel the posts' triggers signal.
const changesChannel = "triage_changes"

type changeFeed struct {
	mu   sync.Mutex
	subs map[chan struct{}]struct{}
}

// Changes subscribes to change signals: the channel receives (at most one
// pending) signal after any change elsewhere; cancel unsubscribes.
func (s *Store) Changes() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	s.feed.mu.Lock()
	if s.feed.subs == nil {
		s.feed.subs = map[chan struct{}]struct{}{}
	}
	s.feed.subs[ch] = struct{}{}
	s.feed.mu.Unlock()
	return ch, func() {
		s.feed.mu.Lock()
		delete(s.feed.subs, ch)
		s.feed.mu.Unlock()
	}
}

func (f *changeFeed) signal() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for ch := range f.subs {
		select {
		case ch <- struct{}{}:
		default: // one signal already waits: the refresh it causes reads everything
		}
	}
}

// startListener LISTENs for changes on a connection of its own, and
// reconnects after losing it (signalling once, since notifications sent
// meanwhile are lost). It returns once the first LISTEN is in place (or
// has failed), so a store is listening from the moment Open returns.
func (s *Store) startListener() {
	ctx, cancel := context.WithCancel(context.Background())
	s.stopListen = cancel
	s.listenDone = make(chan struct{})
	ready := make(chan struct{})
	markReady := sync.OnceFunc(func() { close(ready) })
	go func() {
		defer close(s.listenDone)
		for ctx.Err() == nil {
			s.listen(ctx, markReady)
			s.feed.signal()
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(5 * time.Second): // a slow server: polling covers the gap
	}
}

// listen holds one LISTEN until its connection fails; markReady is called
// once it is in place, or has failed.
func (s *Store) listen(ctx context.Context, markReady func()) {
	defer markReady()
	c, err := s.pg.Acquire(ctx)
	if err != nil {
		return
	}
	defer c.Release()
	if _, err := c.Exec(ctx, "LISTEN "+changesChannel); err != nil {
		return
	}
	markReady()
	for {
		if _, err := c.Conn().WaitForNotification(ctx); err != nil {
			// The connection may be mid-wait: it cannot go back to the pool.
			c.Conn().Close(context.Background())
			return
		}
		s.feed.signal()
	}
}

func (s *Store) stopListener() {
	if s.stopListen != nil {
		s.stopListen()
		<-s.listenDone
		s.stopListen = nil
	}
}
