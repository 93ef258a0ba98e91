package model

// InQASample reports whether a decided post is in the blind QA sample of a
// category sampled at rate (0–1), for the policy's seed. It depends on
// nothing but the post's id and the seed — not on when, by whom or in what
// order posts are decided — so the sample can be predicted, and is the
// same on every server and backend.
func InQASample(postID int64, seed uint64, rate float64) bool {
	switch {
	case rate <= 0:
		return false
	case rate >= 1:
		return true
	}
	h := splitmix64(uint64(postID) ^ splitmix64(seed))
	return float64(h>>11)/(1<<53) < rate // the top 53 bits as a uniform number in [0, 1)
}

// splitmix64 is the output function of Vigna's SplitMix64 generator: a
// bijection of 64-bit words whose outputs pass BigCrush, so consecutive
// post ids land independently.
func splitmix64(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9
	x = (x ^ (x >> 27)) * 0x94D049BB133111EB
	return x ^ (x >> 31)
}
