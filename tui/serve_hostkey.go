package tui

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	gossh "golang.org/x/crypto/ssh"
)

// hostKey loads the server's host key from path, creating it first when the
// file is missing: ed25519, mode 0600, written whole under a temporary name
// and linked into place without replacing a file that appeared meanwhile.
// Only directories that do not exist are created (0700); the mode of an
// existing directory is never touched (wish's own key generator chmods the
// key's directory, the current one by default, to 0700). created says whether
// this call made the key.
func hostKey(path string) (signer gossh.Signer, created bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		created, err = createHostKey(path)
		if err != nil {
			return nil, false, err
		}
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, false, err
	}
	if err := ownedByUs(path); err != nil {
		return nil, false, err
	}
	signer, err = gossh.ParsePrivateKey(b)
	if err != nil {
		return nil, false, fmt.Errorf("%s: not an unencrypted SSH private key: %w", path, err)
	}
	return signer, created, nil
}

// createHostKey writes a new ed25519 key to path; false (and no error) when
// another process created the file first.
func createHostKey(path string) (bool, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return false, err
	}
	block, err := gossh.MarshalPrivateKey(priv, "triage host key")
	if err != nil {
		return false, err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil { // creates only what is missing; chmods nothing
		return false, err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".new-*") // 0600, O_EXCL
	if err != nil {
		return false, err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(pem.EncodeToMemory(block)); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Close(); err != nil {
		return false, err
	}
	// A hard link fails where a file exists: the key appears whole, once.
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return false, nil
		}
		return false, err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return true, nil
}

// hostKeyWarning describes what is wrong with an existing key file's mode,
// or is empty.
func hostKeyWarning(path string) string {
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm()&0o077 == 0 {
		return ""
	}
	return fmt.Sprintf("warning: host key %s has mode %04o; others can read it (chmod 600)", path, st.Mode().Perm())
}

// ownedByUs refuses a host key file another account owns: in a directory
// others can write to, someone could plant a key before the first start
// and impersonate the server.
func ownedByUs(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	if sys, ok := st.Sys().(*syscall.Stat_t); ok && int(sys.Uid) != os.Geteuid() {
		return fmt.Errorf("%s is owned by uid %d, not by this account (uid %d); refusing a host key someone else could have planted", path, sys.Uid, os.Geteuid())
	}
	return nil
}
