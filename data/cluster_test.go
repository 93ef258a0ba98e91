package data

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"triage/data/demo"
)

// TestClusterPrecisionRecallOnDemo measures clustering against the campaigns
// the demo generator knows it wrote. Pairs of posts are counted: a pair in
// one cluster is right when both posts belong to the same campaign; a pair of
// one campaign is found when it is in one cluster. Pairs where neither post
// belongs to a campaign are not counted: the demo does not label them (a
// police warning posted twice is a near-duplicate, but of no campaign).
func TestClusterPrecisionRecallOnDemo(t *testing.T) {
	s := openTemp(t)
	var buf bytes.Buffer
	if err := demo.Generate(&buf, demo.Options{Posts: 3000, Seed: 7, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(context.Background(), &buf, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	rows, err := s.r.Query(`SELECT cluster, coalesce(extra, '{}') FROM posts`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type cell struct {
		cluster  int64
		campaign string
	}
	cells := map[cell]int{}
	clusterSize := map[int64]int{}
	campaignSize := map[string]int{}
	posts := 0
	for rows.Next() {
		var c cell
		var extra string
		if err := rows.Scan(&c.cluster, &extra); err != nil {
			t.Fatal(err)
		}
		var x struct {
			Campaign string `json:"_demo_campaign"`
		}
		json.Unmarshal([]byte(extra), &x)
		c.campaign = x.Campaign
		cells[c]++
		clusterSize[c.cluster]++
		campaignSize[c.campaign]++
		posts++
	}
	pairs := func(n int) int { return n * (n - 1) / 2 }
	var together, right, sameCampaign int
	for c, n := range cells {
		if c.campaign != "" {
			right += pairs(n)
		}
	}
	// Pairs in one cluster with at least one campaign post: all pairs of the
	// cluster minus those among its unlabelled posts.
	for id, n := range clusterSize {
		together += pairs(n) - pairs(cells[cell{id, ""}])
	}
	for camp, n := range campaignSize {
		if camp != "" {
			sameCampaign += pairs(n)
		}
	}
	if together == 0 || sameCampaign == 0 {
		t.Fatalf("no clustered pairs (%d) or no campaign pairs (%d) in %d posts", together, sameCampaign, posts)
	}
	precision := float64(right) / float64(together)
	recall := float64(right) / float64(sameCampaign)
	t.Logf("%d posts, %d clusters: precision %.3f, recall %.3f (pairs: %d clustered, %d right, %d of one campaign)",
		posts, len(clusterSize), precision, recall, together, right, sameCampaign)
	if precision < 0.99 {
		t.Errorf("precision %.3f: posts of different campaigns (or a report quoting one) were clustered together", precision)
	}
	if recall < 0.75 {
		t.Errorf("recall %.3f: a campaign's copies were left apart", recall)
	}
	// No benign report that quotes an ad may share the ad's cluster.
	var mixed int
	if err := s.r.QueryRow(`SELECT count(*) FROM posts a JOIN posts b ON a.cluster = b.cluster
		WHERE ` + jsonField(s, "a.extra", "_demo_expected") + ` = 'approve' AND ` + jsonField(s, "b.extra", "_demo_campaign") + ` IS NOT NULL`).Scan(&mixed); err != nil {
		t.Fatal(err)
	}
	if mixed != 0 {
		t.Errorf("%d benign posts share a cluster with a campaign post", mixed)
	}
}
