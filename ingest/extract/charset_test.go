package extract

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"

	"github.com/sieve-data/sieve/internal/testdata"
)

// TestDecodeRealCrawl decodes every HTML response of the Common Crawl
// excerpt and the ClueWeb09 Japanese file and checks the result is text in
// the expected script, not mojibake.
func TestDecodeRealCrawl(t *testing.T) {
	dir := testdata.Shared(t, "warc")
	pages := readHTMLPayloads(t, filepath.Join(dir, "resiliparse__warcfile.warc.gz"))
	if len(pages) < 10 {
		t.Fatalf("got %d HTML payloads from warcfile.warc.gz, want >= 10", len(pages))
	}
	seen := map[string]int{}
	for _, p := range pages {
		out, cs, err := DecodeCharset(p.body, p.contentType)
		if err != nil {
			t.Errorf("%s: %v", p.url, err)
			continue
		}
		if !utf8.Valid(out) {
			t.Errorf("%s: output is not valid UTF-8", p.url)
		}
		seen[cs]++
		res, err := Extract(p.body, p.contentType, DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		bad := float64(strings.Count(res.Text, "\uFFFD")) / float64(utf8.RuneCountInString(res.Text)+1)
		t.Logf("%-60.60s %-30.30q -> %-12s %5d chars, %.4f U+FFFD, title %.40q", p.url, p.contentType, cs, len(res.Text), bad, res.Title)
		if bad > 0.01 {
			t.Errorf("%s: %.1f%% replacement characters after decoding as %s", p.url, 100*bad, cs)
		}
		switch cs {
		case "gb18030", "big5":
			if hanCount(res.Title+res.Text) < 4 {
				t.Errorf("%s: decoded as %s but little Han text: %.80q", p.url, cs, res.Title+" "+res.Text)
			}
		case "windows-1251":
			if cyrillicShare(res.Text+res.Title) < 0.3 {
				t.Errorf("%s: decoded as windows-1251 but little Cyrillic: %.80q", p.url, res.Text)
			}
		}
	}
	t.Logf("charsets: %v", seen)
	if seen["gb18030"] == 0 || seen["windows-1251"] == 0 || seen["utf-8"] == 0 {
		t.Errorf("expected gb18030, windows-1251 and utf-8 pages in the CC excerpt, got %v", seen)
	}

	jp := readHTMLPayloads(t, filepath.Join(dir, "resiliparse__clueweb-quirk.warc.gz"))
	if len(jp) < 20 {
		t.Fatalf("got %d HTML payloads from clueweb-quirk, want >= 20", len(jp))
	}
	for _, p := range jp {
		res, err := Extract(p.body, p.contentType, DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		if res.Charset != "euc-jp" {
			t.Errorf("%s: charset %s, want euc-jp (header %q)", p.url, res.Charset, p.contentType)
		}
		if japaneseShare(res.Text) < 0.3 {
			t.Errorf("%s: little Japanese text after decoding: %.100q", p.url, res.Text)
		}
	}
}

func shareOf(s string, in func(r rune) bool) float64 {
	var n, letters int
	for _, r := range s {
		if r < 0x80 && !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
			continue
		}
		letters++
		if in(r) {
			n++
		}
	}
	if letters == 0 {
		return 0
	}
	return float64(n) / float64(letters)
}

func hanCount(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x4E00 && r <= 0x9FFF {
			n++
		}
	}
	return n
}
func cyrillicShare(s string) float64 {
	return shareOf(s, func(r rune) bool { return r >= 0x0400 && r <= 0x04FF })
}
func japaneseShare(s string) float64 {
	return shareOf(s, func(r rune) bool {
		return r >= 0x3040 && r <= 0x30FF || r >= 0x4E00 && r <= 0x9FFF || r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFFEF
	})
}

func TestDecodeCharsetRules(t *testing.T) {
	cp1251 := []byte{0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2, 0x2c, 0x20, 0xec, 0xe8, 0xf0} // "Привет, мир"
	gbk := []byte{0xc4, 0xe3, 0xba, 0xc3, 0xca, 0xc0, 0xbd, 0xe7, 0xa3, 0xac, 0xd5, 0xe2, 0xca, 0xc7, 0xd6, 0xd0, 0xce, 0xc4}
	sjis := []byte{0x82, 0xb1, 0x82, 0xf1, 0x82, 0xc9, 0x82, 0xbf, 0x82, 0xcd, 0x90, 0xa2, 0x8a, 0x45} // こんにちは世界
	page := func(meta string, body []byte) []byte {
		return append([]byte("<html><head>"+meta+"<title>t</title></head><body><p>"), append(body, []byte("</p></body></html>")...)...)
	}
	cases := []struct {
		name, contentType string
		raw               []byte
		wantCharset       string
		wantText          string
	}{
		{"header utf-8, bytes windows-1251, meta windows-1251: trust the bytes", "text/html; charset=UTF-8",
			page(`<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">`, cp1251), "windows-1251", "Привет, мир"},
		{"declared iso-8859-1 but valid UTF-8", "text/html; charset=ISO-8859-1",
			page("", []byte("Grüße aus Köln, naïve café")), "utf-8", "Grüße aus Köln, naïve café"},
		{"gb2312 label decodes as gb18030", "text/html; charset=gb2312", page("", gbk), "gb18030", "你好世界，这是中文"},
		{"meta charset only", "", page(`<meta charset="shift_jis">`, sjis), "shift_jis", "こんにちは世界"},
		{"quoted header charset", `text/html; charset="windows-1251"`, page("", cp1251), "windows-1251", "Привет, мир"},
		{"koi8-r", "text/html;charset=koi8-r", page("", []byte{0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4}), "koi8-r", "Привет"},
		{"utf-8 BOM wins", "text/html; charset=windows-1252", append([]byte{0xef, 0xbb, 0xbf}, page("", []byte("Ελληνικά"))...), "utf-8", "Ελληνικά"},
		{"undeclared ASCII", "", page("", []byte("plain text")), "utf-8", "plain text"},
		{"XML declaration", "application/xhtml+xml", append([]byte(`<?xml version="1.0" encoding='windows-1251'?>`), page("", cp1251)...), "windows-1251", "Привет, мир"},
		{"undeclared windows-1252 falls back without U+FFFD", "", page("", []byte("caf\xe9 cr\xe8me")), "", "caf"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, cs, err := DecodeCharset(c.raw, c.contentType)
			if err != nil {
				t.Fatal(err)
			}
			if c.wantCharset != "" && cs != c.wantCharset {
				t.Errorf("charset %q, want %q", cs, c.wantCharset)
			}
			if !utf8.Valid(out) {
				t.Errorf("output not valid UTF-8")
			}
			if !strings.Contains(string(out), c.wantText) {
				t.Errorf("decoded %q does not contain %q", out, c.wantText)
			}
			if strings.ContainsRune(string(out), utf8.RuneError) {
				t.Errorf("decoded text has U+FFFD: %q", out)
			}
		})
	}
}

func TestCharsetParam(t *testing.T) {
	for in, want := range map[string]string{
		"text/html; charset=UTF-8":          "UTF-8",
		"text/html;charset=gbk;":            "gbk",
		`text/html; CHARSET="Shift_JIS"`:    "Shift_JIS",
		"text/html; charset = 'euc-kr'":     "euc-kr",
		"text/html":                         "",
		"charset":                           "",
		"text/html; charset=":               "",
		"text/html; charset=utf-8, foo=bar": "utf-8",
	} {
		if got := charsetParam(in); got != want {
			t.Errorf("charsetParam(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSniffUndeclaredRealPages strips every charset declaration from the
// real non-UTF-8 pages (Chinese GBK, Russian windows-1251, Japanese EUC-JP)
// and checks that sniffing alone decodes them to the same text.
func TestSniffUndeclaredRealPages(t *testing.T) {
	dir := testdata.Shared(t, "warc")
	var pages []httpPayload
	pages = append(pages, readHTMLPayloads(t, filepath.Join(dir, "resiliparse__warcfile.warc.gz"))...)
	jp := readHTMLPayloads(t, filepath.Join(dir, "resiliparse__clueweb-quirk.warc.gz"))
	pages = append(pages, jp[:min(5, len(jp))]...)
	tried := map[string]int{}
	for _, p := range pages {
		want, cs, err := DecodeCharset(p.body, p.contentType)
		if err != nil || cs == "utf-8" || cs == "windows-1252" {
			continue
		}
		undeclared := bytes.ReplaceAll(p.body, []byte("charset"), []byte("charzet"))
		undeclared = bytes.ReplaceAll(undeclared, []byte("CHARSET"), []byte("CHARZET"))
		undeclared = bytes.ReplaceAll(undeclared, []byte("Charset"), []byte("Charzet"))
		got, sniffed, err := DecodeCharset(undeclared, "text/html")
		if err != nil {
			t.Fatal(err)
		}
		tried[cs]++
		// Compare the decoded text, with the renamed attribute put back.
		got = bytes.ReplaceAll(got, []byte("charzet"), []byte("charset"))
		got = bytes.ReplaceAll(got, []byte("CHARZET"), []byte("CHARSET"))
		got = bytes.ReplaceAll(got, []byte("Charzet"), []byte("Charset"))
		if sniffed != cs && !bytes.Equal(got, want) {
			t.Errorf("%s: declared %s, sniffed %s, and the text differs", p.url, cs, sniffed)
		}
	}
	t.Logf("undeclared pages sniffed, by true charset: %v", tried)
	if tried["gb18030"] == 0 || tried["windows-1251"] == 0 || tried["euc-jp"] == 0 {
		t.Errorf("expected gb18030, windows-1251 and euc-jp pages, got %v", tried)
	}
}

// TestDeclaredLegacyCharsets round-trips text through each legacy encoding
// sieve must read, declared in the header or in <meta>.
func TestDeclaredLegacyCharsets(t *testing.T) {
	cases := []struct {
		label, want string
		enc         encoding.Encoding
		text        string
	}{
		{"EUC-KR", "euc-kr", korean.EUCKR, "대한민국의 수도는 서울이며, 인구는 약 천만 명이다."},
		{"Big5", "big5", traditionalchinese.Big5, "臺灣的首都是臺北，這是一段繁體中文的測試文字。"},
		{"Shift_JIS", "shift_jis", japanese.ShiftJIS, "日本の首都は東京です。これはテストの文章です。"},
		{"EUC-JP", "euc-jp", japanese.EUCJP, "日本の首都は東京です。これはテストの文章です。"},
		{"GB2312", "gb18030", simplifiedchinese.GBK, "中国的首都是北京，这是一段简体中文的测试文字。"},
		{"windows-1250", "windows-1250", charmap.Windows1250, "Příliš žluťoučký kůň úpěl ďábelské ódy. Zażółć gęślą jaźń."},
		{"ISO-8859-2", "iso-8859-2", charmap.ISO8859_2, "Příliš žluťoučký kůň úpěl ďábelské ódy."},
		{"windows-1252", "windows-1252", charmap.Windows1252, "Déjà vu – “naïve” café, crème brûlée."},
		{"ISO-8859-1", "windows-1252", charmap.ISO8859_1, "Grüße aus Köln, ça va très bien."},
		{"KOI8-R", "koi8-r", charmap.KOI8R, "Съешь же ещё этих мягких французских булок, да выпей чаю."},
		{"windows-1251", "windows-1251", charmap.Windows1251, "Съешь же ещё этих мягких французских булок, да выпей чаю."},
	}
	for _, c := range cases {
		body, err := c.enc.NewEncoder().Bytes([]byte("<p>" + c.text + "</p>"))
		if err != nil {
			t.Fatalf("%s: %v", c.label, err)
		}
		for _, how := range []string{"header", "meta"} {
			page, ct := body, "text/html; charset="+c.label
			if how == "meta" {
				page = append([]byte(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=`+c.label+`"></head><body>`), body...)
				ct = "text/html"
			}
			res, err := Extract(page, ct, DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			if res.Charset != c.want || res.Text != c.text {
				t.Errorf("%s in %s: charset %q text %q, want %q %q", c.label, how, res.Charset, res.Text, c.want, c.text)
			}
		}
	}
}
