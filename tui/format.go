package tui

import (
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

func (c *Context) formatTime(t time.Time) string {
	if t.IsZero() {
		return c.T.S("time.unknown")
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}
