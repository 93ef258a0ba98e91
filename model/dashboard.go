package model

import "time"

// DashboardHours is how far back the per-hour decision series reach.
const DashboardHours = 24

// Dashboard is the state of the work at a glance: what the stats view draws
// and `triage stats --json` carries.
type Dashboard struct {
	Now time.Time
	// PerHour is each reviewer's decisions in each of the last
	// DashboardHours hours, oldest first; the last hour is the current one.
	PerHour map[string][]int
	// Mix counts audit events by action (notes left out) in the same last
	// DashboardHours hours as PerHour.
	Mix map[Action]int
	// Queue is pending posts per category; Breaches the pending posts past
	// their category's target time.
	Queue    map[string]int
	Breaches map[string]int
	// Clusters is the number of near-duplicate clusters with at least two
	// pending posts: campaigns that one cluster decision could clear.
	Clusters int
	// Platforms is what each platform did with the posts it was sent.
	Platforms map[string]PlatformStats
	// Exposure is what each reviewer read on each of the last ExposureDays
	// days (UTC), newest first.
	Exposure []Exposure
	// Agreement is how far second looks agreed with first decisions.
	Agreement AgreementStats
	// Blind QA checks still open: their first decisions within the Mix's
	// hours, by action, and their posts by status. A console takes them
	// out of what it shows anyone but a lead, so that no count tells a
	// checker what the first reviewer decided.
	OpenQAMix    map[Action]int `json:"-"`
	OpenQAStatus map[Status]int `json:"-"`
}

// ForReviewer is the dashboard as a reviewer who is not a lead may see it,
// and status counts c likewise: blind QA checks still open left out.
func (d Dashboard) ForReviewer(c Counts) (Dashboard, Counts) {
	mix := make(map[Action]int, len(d.Mix))
	for a, n := range d.Mix {
		mix[a] = max(0, n-d.OpenQAMix[a])
	}
	by := make(map[Status]int, len(c.ByStatus))
	for s, n := range c.ByStatus {
		by[s] = max(0, n-d.OpenQAStatus[s])
	}
	d.Mix, c.ByStatus = mix, by
	return d, c
}

// ExposureDays is how many days of exposure the dashboard shows.
const ExposureDays = 7

// Exposure is what one reviewer read on one day: how many sensitive posts'
// text the console showed them, and how long they spent in it (breaks
// not counted).
type Exposure struct {
	Reviewer string `json:"reviewer"`
	Day      string `json:"day"` // 2026-11-27, UTC
	Reveals  int    `json:"sensitive_reveals"`
	Minutes  int    `json:"minutes"`
}

// PlatformStats is what one platform did with the posts it was sent.
type PlatformStats struct {
	Sent                 int     `json:"sent"`
	Removed              int     `json:"removed"`
	StillUp              int     `json:"still_up"` // sent and not (yet) removed; restricted counts as still up
	RemovalRate          float64 `json:"removal_rate"`
	MedianHoursToRemoval float64 `json:"median_hours_to_removal"` // from the packet to the removal; 0 when none
}

// Since is the start of the first hour of the PerHour series.
func (d Dashboard) Since() time.Time {
	return d.Now.Truncate(time.Hour).Add(-(DashboardHours - 1) * time.Hour)
}
