package shard

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// hfState mirrors what datasets.load_from_disk reads from state.json.
type hfState struct {
	DataFiles []struct {
		Filename string `json:"filename"`
	} `json:"_data_files"`
	Fingerprint      string          `json:"_fingerprint"`
	FormatColumns    []string        `json:"_format_columns"`
	FormatKwargs     map[string]any  `json:"_format_kwargs"`
	FormatType       *string         `json:"_format_type"`
	OutputAllColumns *bool           `json:"_output_all_columns"`
	Split            json.RawMessage `json:"_split"`
}

func TestWriteDatasetMetadata(t *testing.T) {
	dir := t.TempDir()
	docs := realDocs(t)
	files := writeAll(t, WriterOptions{Dir: dir, Prefix: "00000", MaxBytes: 512 << 10, SignalNames: testSignals}, docs)
	files = append(files, writeAll(t, WriterOptions{Dir: dir, Prefix: "00001", SignalNames: testSignals}, docs[:3])...)
	schema := Schema(testSignals, false)
	if err := WriteDatasetMetadata(dir, files, schema); err != nil {
		t.Fatal(err)
	}
	assertNoTemp(t, dir)

	raw, err := os.ReadFile(filepath.Join(dir, StateFileName))
	if err != nil {
		t.Fatal(err)
	}
	var st hfState
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range st.DataFiles {
		names = append(names, f.Filename)
		if _, err := os.Stat(filepath.Join(dir, f.Filename)); err != nil || strings.Contains(f.Filename, "/") {
			t.Errorf("state.json names %q, which is not a file in the folder (%v)", f.Filename, err)
		}
	}
	if len(names) != len(files) || names[0] != "00000-00000.arrow" || names[len(names)-1] != "00001-00000.arrow" {
		t.Errorf("_data_files %v, want the %d shards in order", names, len(files))
	}
	if len(st.Fingerprint) != 16 || st.FormatType != nil || st.FormatColumns != nil || st.FormatKwargs == nil ||
		st.OutputAllColumns == nil || *st.OutputAllColumns || string(st.Split) != "null" {
		t.Errorf("state.json fields as datasets expects them: %s", raw)
	}

	raw, err = os.ReadFile(filepath.Join(dir, DatasetInfoFileName))
	if err != nil {
		t.Fatal(err)
	}
	var info map[string]json.RawMessage
	if err := json.Unmarshal(raw, &info); err != nil {
		t.Fatalf("dataset_info.json: %v\n%s", err, raw)
	}
	// Column order is part of the contract: datasets compares the features'
	// Arrow type with the shards' schema, and struct order matters there.
	keys := orderedKeys(t, info["features"])
	var cols []string
	for _, f := range schema.Fields() {
		cols = append(cols, f.Name)
	}
	if !slices.Equal(keys, cols) {
		t.Errorf("features keys %v, want %v", keys, cols)
	}
	var features map[string]map[string]any
	if err := json.Unmarshal(info["features"], &features); err != nil {
		t.Fatal(err)
	}
	for col, dtype := range map[string]string{
		ColText: "string", ColLanguageScore: "float32", ColDate: "timestamp[us, tz=UTC]", ColTokenCount: "int64",
	} {
		if features[col]["dtype"] != dtype || features[col]["_type"] != "Value" {
			t.Errorf("feature %s = %v, want Value %s", col, features[col], dtype)
		}
	}
	sig := features[ColQualitySignals]
	if _, isValue := sig["_type"]; isValue || len(sig) != len(testSignals) {
		t.Errorf("quality_signals feature %v, want a dict of %d Values", sig, len(testSignals))
	}
	if v, _ := sig["gopher_word_count"].(map[string]any); v["dtype"] != "float64" {
		t.Errorf("signal feature %v", sig["gopher_word_count"])
	}
}

func TestWriteDatasetMetadataRefuses(t *testing.T) {
	dir := t.TempDir()
	docs := realDocs(t)[:3]
	schema := Schema(testSignals, false)
	fileFmt := writeAll(t, WriterOptions{Dir: dir, Prefix: "f", Format: FormatFile, SignalNames: testSignals}, docs)
	if err := WriteDatasetMetadata(dir, fileFmt, schema); !errors.Is(err, ErrNotStreamFormat) {
		t.Errorf("file-format shard: err %v, want ErrNotStreamFormat", err)
	}
	other := writeAll(t, WriterOptions{Dir: dir, Prefix: "o"}, docs)
	if err := WriteDatasetMetadata(dir, other, schema); err == nil {
		t.Error("shard with another schema accepted")
	}
	if err := WriteDatasetMetadata(dir, nil, schema); err == nil {
		t.Error("empty file list accepted")
	}
	if err := WriteDatasetMetadata(dir, []string{"missing.arrow"}, schema); err == nil {
		t.Error("missing shard accepted")
	}
	if err := WriteDatasetMetadata(dir, []string{"/elsewhere/x.arrow"}, schema); err == nil {
		t.Error("shard outside the folder accepted")
	}
	if _, err := os.Stat(filepath.Join(dir, StateFileName)); !os.IsNotExist(err) {
		t.Errorf("a refused call left state.json (%v)", err)
	}
}

// orderedKeys returns the keys of a JSON object in document order.
func orderedKeys(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", raw)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}
