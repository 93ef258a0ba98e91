package model

import (
	"math"
	"time"
)

// Priority weights, in seconds of waiting they are worth.
const (
	SeverityWeight = 24 * 3600 // one severity level is worth a day in the queue
	ReportsWeight  = 12 * 3600 // each doubling of the report count is worth half a day
)

// Priority is the queue-order score: higher is reviewed first.
//
//	score = 86400·severity + 43200·log2(reports) + age_seconds
//
// Because every post ages at the same rate, age_seconds = now − flagged_at
// shifts every score by the same amount, so the order never changes with the
// clock. We store the clock-free part,
//
//	priority = 86400·severity + 43200·log2(reports) − flagged_at_unix
//
// which lets the queue be read straight off an index with keyset paging.
func Priority(severity, reports int, flaggedAt time.Time) int64 {
	if reports < 1 {
		reports = 1
	}
	return int64(SeverityWeight*severity) +
		int64(math.Round(ReportsWeight*math.Log2(float64(reports)))) -
		flaggedAt.Unix()
}
