package data

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// repairExtras is the step after migration 5. Before it, unknown import
// fields were stored with Go's string quoting ("\a", "\x07"), which is not
// JSON, so one such field broke `export` for the whole database. Every row
// that is not valid JSON is read back with Go's quoting rules and written
// again by encoding/json; a row that cannot be read even so is kept, whole,
// as one string field "_unreadable" rather than dropped.
func repairExtras(tx *sql.Tx) error {
	rows, err := tx.Query(`SELECT id, extra FROM posts WHERE extra IS NOT NULL AND NOT json_valid(extra)`)
	if err != nil {
		return err
	}
	type fix struct {
		id    int64
		extra []byte
	}
	var fixes []fix
	for rows.Next() {
		var id int64
		var extra string
		if err := rows.Scan(&id, &extra); err != nil {
			rows.Close()
			return err
		}
		v, err := readGoQuotedJSON(extra)
		if err != nil {
			v = map[string]any{"_unreadable": extra}
		}
		b, err := json.Marshal(v)
		if err != nil {
			rows.Close()
			return fmt.Errorf("post %d: %w", id, err)
		}
		fixes = append(fixes, fix{id, b})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, f := range fixes {
		if _, err := tx.Exec(`UPDATE posts SET extra = ? WHERE id = ?`, string(f.extra), f.id); err != nil {
			return err
		}
	}
	return nil
}

// readGoQuotedJSON reads JSON whose strings may use Go's quoting.
func readGoQuotedJSON(s string) (any, error) {
	p := &goJSON{s: s}
	v, err := p.value()
	if err == nil && strings.TrimSpace(p.s[p.i:]) != "" {
		err = errors.New("trailing bytes")
	}
	return v, err
}

type goJSON struct {
	s string
	i int
}

func (p *goJSON) skip() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

func (p *goJSON) value() (any, error) {
	p.skip()
	if p.i >= len(p.s) {
		return nil, errors.New("unexpected end")
	}
	switch c := p.s[p.i]; {
	case c == '"':
		return p.str()
	case c == '{':
		p.i++
		out := map[string]any{}
		for {
			p.skip()
			if p.i < len(p.s) && p.s[p.i] == '}' {
				p.i++
				return out, nil
			}
			k, err := p.str()
			if err != nil {
				return nil, err
			}
			p.skip()
			if p.i >= len(p.s) || p.s[p.i] != ':' {
				return nil, errors.New("want ':'")
			}
			p.i++
			if out[k], err = p.value(); err != nil {
				return nil, err
			}
			if err := p.sep('}'); err != nil {
				return nil, err
			}
		}
	case c == '[':
		p.i++
		out := []any{}
		for {
			p.skip()
			if p.i < len(p.s) && p.s[p.i] == ']' {
				p.i++
				return out, nil
			}
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			out = append(out, v)
			if err := p.sep(']'); err != nil {
				return nil, err
			}
		}
	default:
		end := p.i
		for end < len(p.s) && strings.IndexByte(",]} \t\r\n", p.s[end]) < 0 {
			end++
		}
		tok := p.s[p.i:end]
		p.i = end
		switch tok {
		case "true":
			return true, nil
		case "false":
			return false, nil
		case "null":
			return nil, nil
		}
		if !json.Valid([]byte(tok)) {
			return nil, fmt.Errorf("bad token %q", tok)
		}
		return json.Number(tok), nil
	}
}

// sep consumes a ',' (and leaves the closer) or the closer itself (and
// leaves it for the caller's loop to see).
func (p *goJSON) sep(closer byte) error {
	p.skip()
	if p.i < len(p.s) && p.s[p.i] == ',' {
		p.i++
		return nil
	}
	if p.i < len(p.s) && p.s[p.i] == closer {
		return nil
	}
	return fmt.Errorf("want ',' or %q", closer)
}

func (p *goJSON) str() (string, error) {
	q, err := strconv.QuotedPrefix(p.s[p.i:])
	if err != nil {
		return "", err
	}
	p.i += len(q)
	return strconv.Unquote(q)
}
