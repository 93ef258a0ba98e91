package tui

import (
	"os"
	"strings"
	"testing"
)

// The README's key table is the key map's; this keeps the two from drifting.
func TestReadmeKeyTableMatchesKeyMap(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if table := MarkdownTable(); !strings.Contains(string(readme), table) {
		t.Fatalf("README.md does not contain the key table; replace it with:\n%s", table)
	}
}
