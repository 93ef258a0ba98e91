package data

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// writeNewFile writes a file that appears whole or not at all, and never
// replaces another: the bytes go to a temporary file unique to this writer,
// are synced, and are hard-linked to path, which fails if path exists. If
// path exists with exactly the bytes we would write (a run that crashed after
// linking, before recording it), that is success; any other content is an
// error and the file is left alone. The directory is synced after the link.
// It returns the sha256 of the bytes, hex.
func writeNewFile(path string, write func(w io.Writer) error) (string, error) {
	sum, _, err := writeNew(path, write)
	return sum, err
}

// errTaken is a name another file holds with other bytes.
var errTaken = errors.New("exists with other content; not replaced")

// writeNew is writeNewFile that also reports whether it made the file (false
// when the same bytes were already there).
func writeNew(path string, write func(w io.Writer) error) (string, bool, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	suffix := make([]byte, 6)
	rand.Read(suffix)
	// The writer's pid is in the name, so a later run can tell the leftovers
	// of a killed writer (cleanPartials) from another's file in progress.
	tmp := filepath.Join(dir, fmt.Sprintf(".%s.%d-%s.partial", base, os.Getpid(), hex.EncodeToString(suffix)))
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return "", false, err
	}
	defer os.Remove(tmp) // the link keeps the bytes; the temporary name goes
	h := sha256.New()
	bw := bufio.NewWriterSize(io.MultiWriter(f, h), 256<<10)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", false, err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	made := true
	if err := os.Link(tmp, path); err != nil {
		if !errors.Is(err, os.ErrExist) {
			return "", false, err
		}
		same, cerr := sameSHA256(path, sum)
		if cerr != nil {
			return "", false, cerr
		}
		if !same {
			return "", false, errTaken
		}
		made = false
	}
	return sum, made, syncDir(dir)
}

// cleanPartials removes the temporary files that writers killed mid-write
// left in dir: those whose writer process is gone.
func cleanPartials(dir string) {
	m, _ := filepath.Glob(filepath.Join(dir, ".*.partial"))
	for _, f := range m {
		name := strings.TrimSuffix(filepath.Base(f), ".partial")
		i := strings.LastIndex(name, ".")
		pidText, _, _ := strings.Cut(name[i+1:], "-")
		if pid, err := strconv.Atoi(pidText); err == nil && !processAlive(pid) {
			os.Remove(f)
		}
	}
}

func sameSHA256(path, sum string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return false, err
	}
	return bytes.Equal([]byte(hex.EncodeToString(h.Sum(nil))), []byte(sum)), nil
}

// syncDir makes a new directory entry durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return nil
}
