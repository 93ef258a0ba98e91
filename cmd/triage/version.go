package main

import (
	"runtime/debug"
	"strings"
)

// version is what `triage --version` prints: the module version and the VCS
// revision the binary was built from, as the Go toolchain recorded them.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown (no build information)"
	}
	parts := []string{info.Main.Version}
	var rev, when, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = " with local changes"
			}
		}
	}
	if rev != "" {
		parts = append(parts, "revision "+rev[:min(12, len(rev))]+dirty)
	}
	if when != "" {
		parts = append(parts, "committed "+when)
	}
	parts = append(parts, info.GoVersion)
	return strings.Join(parts, ", ")
}
