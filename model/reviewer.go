package model

import (
	"fmt"
	"time"
)

// Role is what a reviewer may do. Leads also decide escalated posts.
type Role string

const (
	RoleReviewer Role = "reviewer"
	RoleLead     Role = "lead"
)

// ParseRole checks a role name from a flag or the database.
func ParseRole(s string) (Role, error) {
	switch Role(s) {
	case RoleReviewer, RoleLead:
		return Role(s), nil
	}
	return "", fmt.Errorf("unknown role %q (want reviewer or lead)", s)
}

// Reviewer is a person who may open the console over SSH.
type Reviewer struct {
	Name     string    `json:"name"`
	Role     Role      `json:"role"`
	Enabled  bool      `json:"enabled"`
	Keys     []string  `json:"key_fingerprints"`
	LastSeen time.Time `json:"last_seen,omitzero"` // zero: never (left out of JSON)
}

// Actor is who performs an action, as the store checks it: the reviewer's
// name, their console session (which holds the leases) and, over SSH, the
// fingerprint of the key that proved who they are.
type Actor struct {
	Reviewer string
	Session  string
	KeyFP    string
}
