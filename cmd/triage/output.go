package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/charmbracelet/x/term"
)

// survivePipes makes a write to a closed standard output or error fail
// instead of killing the process, Go's default for those two: a command
// that holds sessions and leases must reach its shutdown when the pipe it
// logs to goes away (`serve 2>&1 | tee serve.log`, then Ctrl-C, ends tee
// first). Batch commands keep the default: `export | head` just stops.
func survivePipes() { signal.Ignore(syscall.SIGPIPE) }

// output is where an export goes: a regular file written whole or not at
// all, or a stream (standard output, a pipe, a FIFO) written as it comes.
type output struct {
	io.Writer
	file *os.File    // the temporary file, for a regular file
	path string      // where it is renamed on Commit
	mode os.FileMode // the mode it gets
}

// openOutput opens path for an export. "-" is standard output, refused when
// it is a terminal: the posts' text would reach it unsanitised.
func openOutput(path string) (*output, error) {
	if path == "-" {
		if term.IsTerminal(os.Stdout.Fd()) {
			return nil, errors.New("standard output is a terminal; give --out FILE or pipe it (post text would reach the terminal raw)")
		}
		return &output{Writer: os.Stdout}, nil
	}
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		if st.IsDir() {
			return nil, fmt.Errorf("%s is a directory", path)
		}
		f, err := os.OpenFile(path, os.O_WRONLY, 0) // a FIFO or a device: no temporary file, no fsync
		if err != nil {
			return nil, err
		}
		if term.IsTerminal(f.Fd()) {
			f.Close()
			return nil, fmt.Errorf("%s is a terminal; post text would reach it raw (give a file, a pipe or a FIFO)", path)
		}
		return &output{Writer: f, file: nil, path: ""}, nil
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.partial")
	if err != nil {
		return nil, err
	}
	// The new file gets the mode the old one had, else what os.Create would
	// give (0666 less the umask): an export holds post text and names.
	mode := os.FileMode(0o666) &^ umask()
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	return &output{Writer: f, file: f, path: path, mode: mode}, nil
}

// umask reads the process's file-creation mask (setting it back at once).
func umask() os.FileMode {
	m := syscall.Umask(0)
	syscall.Umask(m)
	return os.FileMode(m)
}

// Commit makes a regular file durable and puts it in place.
func (o *output) Commit() error {
	if o.file == nil {
		if c, ok := o.Writer.(io.Closer); ok && o.Writer != os.Stdout {
			return c.Close()
		}
		return nil
	}
	f := o.file
	o.file = nil
	err := f.Chmod(o.mode)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), o.path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("%s: %w", o.path, err)
	}
	d, err := os.Open(filepath.Dir(o.path))
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Abort discards an uncommitted temporary file; after Commit it does nothing.
func (o *output) Abort() {
	if o.file != nil {
		o.file.Close()
		os.Remove(o.file.Name())
		o.file = nil
	}
}
