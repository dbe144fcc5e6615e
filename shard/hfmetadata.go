package shard

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
)

// ErrNotStreamFormat is returned by WriteDatasetMetadata for a shard in the
// IPC file format: Hugging Face datasets memory-maps .arrow files as IPC
// streams and cannot load file-format shards through load_from_disk.
var ErrNotStreamFormat = errors.New("Hugging Face datasets reads only IPC stream shards")

// Names datasets.load_from_disk looks for (datasets.config
// DATASET_STATE_JSON_FILENAME and DATASET_INFO_FILENAME).
const (
	StateFileName       = "state.json"
	DatasetInfoFileName = "dataset_info.json"
)

// WriteDatasetMetadata writes state.json and dataset_info.json into dir so
// that datasets.load_from_disk(dir) opens the shards as one Dataset, as if
// Dataset.save_to_disk had written them. files are shard names relative to
// dir (a path is reduced to its base name, and must lie in dir), in order;
// every shard must be a stream-format shard with exactly schema, because
// load_from_disk concatenates them and checks the features against them.
func WriteDatasetMetadata(dir string, files []string, schema *arrow.Schema) error {
	m := NewDatasetMetadata(schema)
	for _, f := range files {
		name := filepath.Base(f)
		if f != name && filepath.Clean(filepath.Dir(f)) != filepath.Clean(dir) {
			return fmt.Errorf("shard: %s is not in %s; state.json can only name files in its own folder", f, dir)
		}
		if err := m.Add(filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	return m.Write(dir)
}

// DatasetMetadata builds the metadata of WriteDatasetMetadata one shard at
// a time, for shards that are not all on local disk together (finalize
// over S3 fetches one, checks it, and lets it go).
type DatasetMetadata struct {
	schema *arrow.Schema
	names  []string
	fp     hash.Hash
}

// NewDatasetMetadata starts the metadata of shards with schema.
func NewDatasetMetadata(schema *arrow.Schema) *DatasetMetadata {
	m := &DatasetMetadata{schema: schema, fp: sha256.New()}
	fmt.Fprintln(m.fp, schema.String())
	return m
}

// Add checks the shard at path (stream format, the schema) and lists it
// under its base name, in the order of the calls.
func (m *DatasetMetadata) Add(path string) error {
	if err := checkHFShard(path, m.schema); err != nil {
		return err
	}
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("shard: %w", err)
	}
	name := filepath.Base(path)
	fmt.Fprintf(m.fp, "%s %d %d\n", name, st.Size(), st.ModTime().UnixNano())
	m.names = append(m.names, name)
	return nil
}

// Write writes state.json and dataset_info.json into dir, the folder that
// holds the shards added.
func (m *DatasetMetadata) Write(dir string) error {
	if len(m.names) == 0 {
		return errors.New("shard: WriteDatasetMetadata needs at least one shard (datasets cannot load an empty list)")
	}
	features, err := hfFeatures(m.schema)
	if err != nil {
		return err
	}
	state, err := stateJSON(m.names, hex.EncodeToString(m.fp.Sum(nil))[:16])
	if err != nil {
		return err
	}
	info := datasetInfoJSON(features)
	// dataset_info.json first: load_from_disk treats state.json as the
	// sign of a complete dataset folder.
	if err := writeFileAtomic(filepath.Join(dir, DatasetInfoFileName), info); err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, StateFileName), state)
}

func checkHFShard(path string, schema *arrow.Schema) error {
	format, err := DetectFormat(path)
	if err != nil {
		return err
	}
	if format != FormatStream {
		return fmt.Errorf("shard: %s: %w (write with format %q)", path, ErrNotStreamFormat, FormatStream)
	}
	r, err := Open(path)
	if err != nil {
		return err
	}
	defer r.Close()
	if !r.Schema().Equal(schema) {
		return fmt.Errorf("shard: %s has schema %v, want %v", path, r.Schema(), schema)
	}
	return nil
}

// stateJSON is state.json as Dataset.save_to_disk writes it: no format set,
// no split, sorted keys.
func stateJSON(names []string, fingerprint string) ([]byte, error) {
	type dataFile struct {
		Filename string `json:"filename"`
	}
	state := struct {
		DataFiles        []dataFile     `json:"_data_files"`
		Fingerprint      string         `json:"_fingerprint"`
		FormatColumns    []string       `json:"_format_columns"`
		FormatKwargs     map[string]any `json:"_format_kwargs"`
		FormatType       *string        `json:"_format_type"`
		OutputAllColumns bool           `json:"_output_all_columns"`
		Split            *string        `json:"_split"`
	}{Fingerprint: fingerprint, FormatKwargs: map[string]any{}}
	for _, n := range names {
		state.DataFiles = append(state.DataFiles, dataFile{n})
	}
	b, err := json.MarshalIndent(state, "", "  ")
	return append(b, '\n'), err
}

// datasetInfoJSON is a minimal dataset_info.json. features is inserted as
// raw JSON because its key order is the column order, which datasets
// checks against the Arrow schema (a Go map would sort it).
func datasetInfoJSON(features []byte) []byte {
	var b bytes.Buffer
	b.WriteString("{\n  \"builder_name\": null,\n  \"citation\": \"\",\n")
	b.WriteString("  \"description\": \"Web text extracted, filtered and deduplicated by sieve.\",\n")
	b.WriteString("  \"features\": ")
	b.Write(features)
	b.WriteString(",\n  \"homepage\": \"\",\n  \"license\": \"\"\n}\n")
	return b.Bytes()
}

// hfFeatures renders schema as datasets' Features JSON: a Value is
// {"dtype": ..., "_type": "Value"}, a struct a nested object, in column order.
func hfFeatures(schema *arrow.Schema) ([]byte, error) {
	var b bytes.Buffer
	if err := writeHFFields(&b, schema.Fields()); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeHFFields(b *bytes.Buffer, fields []arrow.Field) error {
	b.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(f.Name)
		b.Write(name)
		b.WriteByte(':')
		if st, ok := f.Type.(*arrow.StructType); ok {
			if err := writeHFFields(b, st.Fields()); err != nil {
				return err
			}
			continue
		}
		dtype, err := hfDtype(f.Type)
		if err != nil {
			return fmt.Errorf("shard: column %s: %w", f.Name, err)
		}
		d, _ := json.Marshal(dtype)
		fmt.Fprintf(b, `{"dtype":%s,"_type":"Value"}`, d)
	}
	b.WriteByte('}')
	return nil
}

// hfDtype is datasets' name for an Arrow type (features._arrow_to_datasets_dtype).
func hfDtype(t arrow.DataType) (string, error) {
	switch t := t.(type) {
	case *arrow.StringType:
		return "string", nil
	case *arrow.LargeStringType:
		return "large_string", nil
	case *arrow.Float32Type:
		return "float32", nil
	case *arrow.Float64Type:
		return "float64", nil
	case *arrow.Int64Type:
		return "int64", nil
	case *arrow.Int32Type:
		return "int32", nil
	case *arrow.BooleanType:
		return "bool", nil
	case *arrow.TimestampType:
		if t.TimeZone == "" {
			return "timestamp[" + t.Unit.String() + "]", nil
		}
		return "timestamp[" + t.Unit.String() + ", tz=" + t.TimeZone + "]", nil
	}
	return "", fmt.Errorf("no Hugging Face datasets dtype for %s", t)
}

// writeFileAtomic writes data to path through a fsynced temp file.
func writeFileAtomic(path string, data []byte) error {
	f, err := createAtomic(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.abort()
		return fmt.Errorf("shard: %w", err)
	}
	return f.commit()
}
