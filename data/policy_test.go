package data

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"triage/model"
)

func TestPolicyRoundTripsThroughTOML(t *testing.T) {
	b, err := EncodePolicy(model.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "policy.toml")
	os.WriteFile(path, b, 0o644)
	p, err := LoadPolicy(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p, model.DefaultPolicy()) {
		t.Fatal("policy changed in the round trip")
	}
}

func TestPolicyErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o644)
		return p
	}
	valid := `[[category]]
key = "fraud"
label = "Fraud"
[[category.reason]]
code = "F1"
label = "Scam"
violation = true
[[category.reason]]
code = "F0"
label = "Fine"
[[escalation]]
code = "E1"
label = "Lead"
`
	if _, err := LoadPolicy(write("ok.toml", valid)); err != nil {
		t.Fatalf("valid policy refused: %v", err)
	}
	withTarget, err := LoadPolicy(write("target-ok.toml", strings.Replace(valid, "label = \"Fraud\"", "label = \"Fraud\"\ntarget = \"4h30m\"", 1)))
	if err != nil || withTarget.Categories[0].Target.Duration != 4*time.Hour+30*time.Minute {
		t.Fatalf("target: %+v %v", withTarget, err)
	}
	// Days are a unit too, and the target keeps its spelling for display.
	inDays, err := LoadPolicy(write("target-days.toml", strings.Replace(valid, "label = \"Fraud\"", "label = \"Fraud\"\ntarget = \"1d\"", 1)))
	if err != nil || inDays.Categories[0].Target.Duration != 24*time.Hour || inDays.Categories[0].Target.String() != "1d" {
		t.Fatalf("target in days: %+v %v", inDays, err)
	}
	// A label may be given per language; the default is the English one.
	multi, err := LoadPolicy(write("labels.toml", strings.Replace(valid, "label = \"Fraud\"", "label.en = \"Fraud\"\nlabel.ru = \"Мошенничество\"\nlabel.kk = \"Алаяқтық\"", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if l := multi.Categories[0].Label; l.In("ru") != "Мошенничество" || l.In("kk") != "Алаяқтық" || l.In("de") != "Fraud" || l.String() != "Fraud" {
		t.Fatalf("labels by language: %+v", l)
	}
	// Written back (triage policy), both forms read again the same.
	for _, p := range []*model.Policy{multi, model.DefaultPolicy()} {
		b, err := EncodePolicy(p)
		if err != nil {
			t.Fatal(err)
		}
		again, err := LoadPolicy(write("again.toml", string(b)))
		if err != nil {
			t.Fatalf("the encoded policy does not load: %v\n%s", err, b)
		}
		if again.Categories[0].Label.In("ru") != p.Categories[0].Label.In("ru") || again.Care != p.Care {
			t.Fatalf("round trip changed the policy: %+v vs %+v", again.Categories[0].Label, p.Categories[0].Label)
		}
	}
	cases := map[string]struct{ body, want string }{
		"missing":    {"", "no such file"},
		"label type": {strings.Replace(valid, "label = \"Fraud\"", "label = 3", 1), "a label is text"},
		"label lang": {strings.Replace(valid, "label = \"Fraud\"", "label.Russian = \"x\"", 1), "not a language code"},
		"syntax":     {"[[category]]\nkey = = 1\n", "syntax.toml:2:"},
		"duplicate":  {strings.Replace(valid, `code = "F0"`, `code = "F1"`, 1), `duplicate reason code "F1"`},
		"unknown":    {strings.Replace(valid, "label = \"Fraud\"", "label = \"Fraud\"\nsensitve = true", 1), "unknown key(s): category.sensitve"},
		"invalid":    {strings.Replace(valid, "violation = true", "", 1), "has 0 violation reasons"},
		"target":     {strings.Replace(valid, "label = \"Fraud\"", "label = \"Fraud\"\ntarget = \"soon\"", 1), "target"},
		"negative":   {strings.Replace(valid, "label = \"Fraud\"", "label = \"Fraud\"\ntarget = \"-4h\"", 1), `bad age "-4h"`},
	}
	for name, tc := range cases {
		path := filepath.Join(dir, name+".toml")
		if name != "missing" {
			path = write(name+".toml", tc.body)
		}
		_, err := LoadPolicy(path)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: err = %v, want %q naming %s", name, err, tc.want, path)
		}
	}
}
