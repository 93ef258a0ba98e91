package tui

import (
	"fmt"
	"time"
)

// platformShort abbreviates known platforms for the list's two-cell column;
// others show their first letters.
var platformShort = map[string]string{
	"telegram": "TG", "instagram": "IG", "tiktok": "TT", "facebook": "FB",
	"vk": "VK", "x": "X", "youtube": "YT", "ok": "OK", "whatsapp": "WA",
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

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}
