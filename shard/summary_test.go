package shard

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSummarize(t *testing.T) {
	docs := realDocs(t)
	for _, format := range []Format{FormatStream, FormatFile} {
		files := writeAll(t, WriterOptions{Dir: t.TempDir(), Prefix: "s", Format: format, Compression: CompressionZstd,
			BatchRows: 40, SignalNames: testSignals}, docs)
		s, err := Summarize(files[0], 2, 30)
		if err != nil {
			t.Fatal(err)
		}
		if s.Format != format || s.Rows != int64(len(docs)) || s.Batches != (len(docs)+39)/40 || len(s.First) != 2 {
			t.Errorf("%s: format %s, rows %d, batches %d, %d first rows", format, s.Format, s.Rows, s.Batches, len(s.First))
		}
		if len(s.Schema) != 13 || s.Schema[8].Name != ColDate || s.Schema[8].Type != "timestamp[us, tz=UTC]" {
			t.Errorf("schema %v", s.Schema)
		}
		text := s.First[1].Values[5].(string)
		if !strings.HasPrefix(text, docs[1].Text[:10]) || !strings.Contains(text, "… (") || !utf8.ValidString(text) {
			t.Errorf("cut text %q", text)
		}
		var js bytes.Buffer
		if err := json.NewEncoder(&js).Encode(s); err != nil {
			t.Fatal(err)
		}
		var back struct {
			Rows  int64            `json:"rows"`
			First []map[string]any `json:"first"`
		}
		if err := json.Unmarshal(js.Bytes(), &back); err != nil {
			t.Fatalf("JSON does not parse: %v", err)
		}
		if back.Rows != s.Rows || back.First[0][ColHost] != docs[0].Host || back.First[0][ColLanguage] != docs[0].Language {
			t.Errorf("JSON round trip: %+v", back.First[0])
		}
		// column order is kept in JSON
		if i, j := strings.Index(js.String(), `"id":`), strings.Index(js.String(), `"url":`); i < 0 || j < i {
			t.Error("JSON rows lost the column order")
		}
		var out bytes.Buffer
		if err := s.WriteText(&out); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"format: Arrow IPC " + string(format), "rows: 133 in 4 record batches", "quality_signals", "row 1:"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("text output lacks %q:\n%s", want, out.String())
			}
		}
	}
	// The edge document with +Inf and non-ASCII cut inside multibyte runes.
	files := writeAll(t, WriterOptions{Dir: t.TempDir(), Prefix: "e", SignalNames: testSignals}, edgeDocs())
	s, err := Summarize(files[0], 3, 7)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := json.Marshal(s); err != nil {
		t.Errorf("edge rows do not marshal: %v", err)
	}
	for _, v := range s.First[1].Values {
		if str, ok := v.(string); ok && !utf8.ValidString(str) && !strings.Contains(str, "\x00") {
			t.Errorf("cut produced invalid UTF-8: %q", str)
		}
	}
}
