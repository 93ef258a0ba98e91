package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// platformShort abbreviates known platforms for the list's narrow column.
var platformShort = map[string]string{
	"telegram": "TG", "instagram": "IG", "tiktok": "TT", "facebook": "FB",
	"vk": "VK", "x": "X", "youtube": "YT",
}

func shortPlatform(p string) string {
	if s, ok := platformShort[p]; ok {
		return s
	}
	return p // sanitised and truncated by the caller
}

// age is a compact "how long ago": 45s, 12m, 3h, 5d.
func age(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", max(0, int(d.Seconds())))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

// fit makes s exactly w cells wide: truncated with an ellipsis, or padded.
// Width is measured in terminal cells, never bytes.
// s must be a single line. It runs for every row of every frame, so it
// measures once unless it had to cut.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	if pad := w - sw; pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	return s
}

// padLeft right-aligns s in w cells.
func padLeft(s string, w int) string {
	if pad := w - ansi.StringWidth(s); pad > 0 {
		return strings.Repeat(" ", pad) + s
	}
	return s
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}
