package data

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/BurntSushi/toml"

	"triage/model"
)

// LoadPolicy reads a TOML policy file and validates it. Unknown keys are an
// error: a misspelt "sensitive" must not silently leave a category exposed.
func LoadPolicy(path string) (*model.Policy, error) {
	b, err := os.ReadFile(path)
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // the path is named once, here
	}
	if err != nil {
		return nil, fmt.Errorf("policy %s: %w", path, err)
	}
	var p model.Policy
	md, err := toml.Decode(string(b), &p)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("policy %s:%d: %s", path, pe.Position.Line, pe.Message)
		}
		return nil, fmt.Errorf("policy %s: %w", path, err)
	}
	if un := md.Undecoded(); len(un) > 0 {
		keys := make([]string, len(un))
		for i, k := range un {
			keys[i] = k.String()
		}
		return nil, fmt.Errorf("policy %s: unknown key(s): %s", path, strings.Join(keys, ", "))
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("policy %s: %s", path, strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	return &p, nil
}

// EncodePolicy writes p as TOML, the format LoadPolicy reads.
func EncodePolicy(p *model.Policy) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("# triage review policy. Load it with --policy PATH.\n\n")
	err := toml.NewEncoder(&b).Encode(p)
	return b.Bytes(), err
}
