// Package demo generates a realistic, deterministic queue of flagged posts as
// JSONL, so the demo goes through the same import path as real data.
package demo

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Options controls Generate.
type Options struct {
	Posts int       // distinct posts to generate
	Seed  uint64    // same seed, same queue
	Now   time.Time // flags fall within the 72 hours before Now
	CSV   bool      // write CSV with a header row instead of JSONL
}

// record is one JSONL line. _demo_campaign and _demo_expected are not
// import fields: they are kept with the post as unknown fields, which lets
// tests measure how well the tool finds campaigns. Their leading underscore
// keeps them out of what reviewers see (the answer must not be on screen).
type record struct {
	Platform     string `json:"platform"`
	ExternalID   string `json:"external_id"`
	URL          string `json:"url"`
	Author       string `json:"author"`
	AuthorID     string `json:"author_id"`
	Language     string `json:"language"`
	Text         string `json:"text"`
	Category     string `json:"category"`
	PostedAt     string `json:"posted_at"`
	FlaggedAt    string `json:"flagged_at"`
	Reason       string `json:"reason,omitempty"`
	Source       string `json:"source"`
	Severity     int    `json:"severity"`
	Reports      int    `json:"reports"`
	Campaign     string `json:"_demo_campaign,omitempty"`
	Expected     string `json:"_demo_expected"`
	DemoHostile  bool   `json:"_demo_hostile,omitempty"`
	ReflagOfLine int    `json:"-"`
}

// Generate writes opt.Posts distinct flagged posts, plus re-flags of about
// one in ten of them (which import merges), as JSONL to w.
func Generate(w io.Writer, opt Options) error {
	g := &gen{rng: rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15)), now: opt.Now.UTC().Truncate(time.Second)}
	bw := bufio.NewWriter(w)
	enc := newEncoder(bw, opt.CSV)
	var reflags []record
	for i := 0; i < opt.Posts; i++ {
		r := g.post(i)
		if err := enc(r); err != nil {
			return err
		}
		if g.rng.IntN(10) == 0 {
			again := r
			again.Source = pick(g.rng, sources)
			again.Reason = pick(g.rng, reasons)
			again.Reports = 1 + g.rng.IntN(5)
			again.FlaggedAt = g.flagTime().Format(time.RFC3339)
			reflags = append(reflags, again)
		}
	}
	for _, r := range reflags {
		if err := enc(r); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// csvColumns are the CSV form's header: the import field names.
var csvColumns = []string{"platform", "external_id", "url", "author", "author_id", "language", "text", "category",
	"posted_at", "flagged_at", "reason", "source", "severity", "reports", "_demo_campaign", "_demo_expected"}

// newEncoder returns a function writing one record as a JSONL line or a CSV
// row (the header first).
func newEncoder(w io.Writer, asCSV bool) func(record) error {
	if !asCSV {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return func(r record) error { return enc.Encode(r) }
	}
	cw := csv.NewWriter(w)
	header := false
	return func(r record) error {
		if !header {
			header = true
			cw.Write(csvColumns)
		}
		cw.Write([]string{r.Platform, r.ExternalID, r.URL, r.Author, r.AuthorID, r.Language, r.Text, r.Category,
			r.PostedAt, r.FlaggedAt, r.Reason, r.Source, strconv.Itoa(r.Severity), strconv.Itoa(r.Reports), r.Campaign, r.Expected})
		cw.Flush()
		return cw.Error()
	}
}

type gen struct {
	rng *rand.Rand
	now time.Time
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

func (g *gen) flagTime() time.Time {
	return g.now.Add(-time.Duration(g.rng.IntN(72*3600)) * time.Second)
}

func (g *gen) post(i int) record {
	platform := platforms[i%len(platforms)]
	if g.rng.IntN(3) == 0 {
		platform = pick(g.rng, platforms)
	}
	var r record
	switch {
	case i%61 == 7: // a few hostile posts, spread through the queue
		r = record{Category: pick(g.rng, categoryOrder), Language: "en", Expected: "reject", DemoHostile: true,
			Text: hostile[(i/61)%len(hostile)]}
		if i%2 == 1 {
			r.Author = "admin\x1b]0;owned\x07\u202Eevil"
		}
	default:
		cat := categoryOrder[g.rng.IntN(len(categoryOrder))]
		tpls := categories[cat]
		t := tpls[g.rng.IntN(len(tpls))]
		// Campaigns are what floods real queues: bias towards them.
		if g.rng.IntN(3) == 0 {
			for _, c := range tpls {
				if c.campaign != "" {
					t = c
					break
				}
			}
		}
		r = record{Category: cat, Language: t.lang, Campaign: t.campaign, Text: g.fill(t)}
		r.Expected = "reject"
		if t.benign {
			r.Expected = "approve"
		}
		if t.campaign != "" {
			r.Text = g.edit(r.Text)
		}
	}
	if r.Author == "" {
		r.Author = pick(g.rng, names)
	}
	r.Platform = platform
	r.AuthorID = fmt.Sprintf("%s-%d", platform, 1000+g.rng.IntN(400))
	r.ExternalID = fmt.Sprintf("%d", 7_000_000+i*37+g.rng.IntN(30))
	r.URL = postURL(platform, r.AuthorID, r.ExternalID)
	flagged := g.flagTime()
	r.FlaggedAt = flagged.Format(time.RFC3339)
	r.PostedAt = flagged.Add(-time.Duration(10+g.rng.IntN(48*60)) * time.Minute).Format(time.RFC3339)
	r.Source = pick(g.rng, sources)
	r.Reason = pick(g.rng, reasons)
	sev := severity[r.Category]
	r.Severity = sev[0] + g.rng.IntN(sev[1]-sev[0]+1)
	r.Reports = 1 + g.rng.IntN(3)
	if g.rng.IntN(8) == 0 {
		r.Reports += g.rng.IntN(40)
	}
	if g.rng.IntN(12) == 0 { // a long post: the ad with a story around it
		r.Text = r.Text + "\n\n" + longTail[g.rng.IntN(len(longTail))]
	}
	return r
}

var longTail = []string{
	"Мы работаем уже третий год. Все условия прописаны в договоре, выплаты вовремя, семьям помогаем.\n\nВопросы? Пишите, ответим каждому. Не верьте тем, кто говорит иначе — они просто завидуют.\n\nP.S. Места ограничены.",
	"Біз үшінші жыл жұмыс істеп келеміз. Барлық шарттар келісімшартта жазылған, төлемдер уақытында.\n\nСұрақтарыңыз болса, жазыңыз. Әрқайсысына жауап береміз.",
	"We have been doing this for three years. Everything is in the contract, payments are on time.\n\nQuestions? Write to us, we answer everyone. Don't listen to the haters.\n\nPlaces are limited, first come first served. 🔥🔥🔥",
}

// fill replaces a template's placeholders with random values.
func (g *gen) fill(t template) string {
	s := t.text
	for strings.Contains(s, "{") {
		before := s
		s = strings.Replace(s, "{h}", "@"+pick(g.rng, handles), 1)
		s = strings.Replace(s, "{n}", fmt.Sprint(2+g.rng.IntN(300)), 1)
		s = strings.Replace(s, "{amt}", pick(g.rng, []string{"200 000 ₽", "500 000 ₸", "$2,500", "300 000 ₸", "1 000 000 ₸"}), 1)
		s = strings.Replace(s, "{city}", pick(g.rng, cities), 1)
		s = strings.Replace(s, "{link}", fmt.Sprintf("https://%s-%d.%s/r", pick(g.rng, []string{"bonus", "secure-login", "invest", "news", "help"}), g.rng.IntN(900), pick(g.rng, []string{"top", "xyz", "kz", "click"})), 1)
		s = strings.Replace(s, "{e}", pick(g.rng, emoji), 1)
		if s == before {
			break
		}
	}
	return s
}

// edit makes the small changes a copy-paste campaign shows: an emoji, a case
// change, a hashtag, a dropped word.
func (g *gen) edit(s string) string {
	switch g.rng.IntN(5) {
	case 0:
		s = pick(g.rng, emoji) + " " + s
	case 1:
		s = strings.Replace(s, ".", "!", 1)
	case 2:
		s += " #" + pick(g.rng, []string{"срочно", "жұмыс", "news", "kz", "работа"})
	case 3:
		if i := strings.Index(s, " "); i > 0 {
			s = strings.ToUpper(s[:i]) + s[i:]
		}
	}
	return s
}

func postURL(platform, author, id string) string {
	switch platform {
	case "telegram":
		return "https://t.me/" + author + "/" + id
	case "instagram":
		return "https://www.instagram.com/p/C" + id + "/"
	case "tiktok":
		return "https://www.tiktok.com/@" + author + "/video/" + id
	case "facebook":
		return "https://www.facebook.com/" + author + "/posts/" + id
	case "vk":
		return "https://vk.com/wall-" + id
	case "x":
		return "https://x.com/" + author + "/status/" + id
	}
	return "https://www.youtube.com/watch?v=" + id
}
