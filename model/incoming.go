package model

// Incoming is one validated import record: a post as flagged, before it is
// stored or merged into an existing post.
type Incoming struct {
	Post
	Flag Flag
}

// DedupKey identifies the same post across flags: platform and external ID,
// else platform and URL.
func (in *Incoming) DedupKey() string {
	if in.ExternalID != "" {
		return in.Platform + "\x00id\x00" + in.ExternalID
	}
	return in.Platform + "\x00url\x00" + in.URL
}
