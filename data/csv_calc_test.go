package data

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// hostileCells are cells a post's author or platform name can put in a CSV
// that leaves the tool, each trying to become a formula.
var hostileCells = []string{
	"=1+1", " =1+1", "  \n =1+1", "\u00a0=1+1", "\uff1d1+1", "\n=1+1", "\t=1+1", "\r=1+1",
	"+1+1", "-1+1", "@SUM(1,1)", "\u22121+1", "\u3000=1+1", "\u200b=1+1", "\ufeff=1+1", "\u202e=1+1",
	"=HYPERLINK(\"http://evil\",\"x\")", "=cmd|' /C calc'!A0",
}

// calcFilters are LibreOffice's CSV import settings tried: its defaults, and
// with "trim spaces" and "evaluate formulas" on, which evaluates " =1+1".
var calcFilters = []string{"", "CSV:44,34,76,1,,0,false,true,false,false,true,-1,true"}

// formulasInCalc converts csvPath to xlsx with LibreOffice under filter and
// counts the cells it made formulas of.
func formulasInCalc(t *testing.T, csvPath, filter string) int {
	t.Helper()
	dir := t.TempDir()
	args := []string{"--headless", "-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--convert-to", "xlsx", "--outdir", dir}
	if filter != "" {
		args = append(args, "--infilter="+filter)
	}
	if out, err := exec.Command("soffice", append(args, csvPath)...).CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v: %s", err, out)
	}
	name := strings.TrimSuffix(filepath.Base(csvPath), ".csv") + ".xlsx"
	zr, err := zip.OpenReader(filepath.Join(dir, name))
	if err != nil {
		t.Fatalf("soffice made no workbook: %v", err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			return len(regexp.MustCompile(`<f[ >]`).FindAll(b, -1))
		}
	}
	t.Fatal("no sheet in the workbook")
	return 0
}

// LibreOffice Calc opens every cell the tool writes as text, whatever the
// import settings; the same cells written raw become formulas (so the check
// can fail).
func TestCSVCellsStayTextInLibreOffice(t *testing.T) {
	if _, err := exec.LookPath("soffice"); err != nil {
		if os.Getenv("TRIAGE_REQUIRE_LIBREOFFICE") == "1" {
			t.Fatal("LibreOffice (soffice) required but not installed")
		}
		t.Skip("no LibreOffice (package libreoffice-calc-nogui)")
	}
	dir := t.TempDir()
	var safe, raw bytes.Buffer
	sw := newSafeCSV(&safe)
	for _, c := range hostileCells {
		sw.Write([]string{c, "k"})
		raw.WriteString(`"` + strings.ReplaceAll(c, `"`, `""`) + `",k` + "\r\n")
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "safe.csv"), safe.Bytes(), 0o600)
	os.WriteFile(filepath.Join(dir, "raw.csv"), raw.Bytes(), 0o600)
	for _, f := range calcFilters {
		if n := formulasInCalc(t, filepath.Join(dir, "safe.csv"), f); n != 0 {
			t.Errorf("import settings %q: %d cells of ours became formulas", f, n)
		}
	}
	if n := formulasInCalc(t, filepath.Join(dir, "raw.csv"), calcFilters[1]); n < 2 {
		t.Errorf("the raw cells made %d formulas: the check cannot tell", n)
	}
}

// Every hostile form gets the apostrophe; text that merely contains one of
// the characters later does not.
func TestNeutraliseCell(t *testing.T) {
	for _, c := range hostileCells {
		if got := NeutraliseCell(c); got != "'"+c {
			t.Errorf("NeutraliseCell(%q) = %q", c, got)
		}
	}
	for _, c := range []string{"", "plain", "a=b", "email@x", " x = 1", "Қазақ -", "10"} {
		if got := NeutraliseCell(c); got != c {
			t.Errorf("NeutraliseCell(%q) = %q, want it unchanged", c, got)
		}
	}
}

// A cell that hides text in tag characters or reorders itself with bidi
// controls shows it in the CSV; a flag emoji is kept.
func TestCSVShowsHiddenText(t *testing.T) {
	var b bytes.Buffer
	w := newSafeCSV(&b)
	w.Write([]string{"HR Dept\U000E0050\U000E004D\U000E0043", "https://vk.com/\u202Egpj.exe", "\U0001F3F4\U000E0067\U000E0062\U000E0077\U000E006C\U000E0073\U000E007F"})
	w.Flush()
	want := "HR Dept⟨tags:PMC⟩,https://vk.com/⟨RLO⟩gpj.exe,\U0001F3F4\U000E0067\U000E0062\U000E0077\U000E006C\U000E0073\U000E007F\n"
	if b.String() != want {
		t.Fatalf("CSV row %q, want %q", b.String(), want)
	}
}
