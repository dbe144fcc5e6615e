package stats

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// UnmarshalJSON reads a collector and restores what JSON leaves out (nil
// maps, the file index), so a loaded collector is ready for Merge.
func (c *Collector) UnmarshalJSON(b []byte) error {
	type plain Collector
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*c = Collector(p)
	if c.Format > FormatVersion {
		return fmt.Errorf("stats format %d is newer than this sieve understands (%d)", c.Format, FormatVersion)
	}
	c.normalize()
	return nil
}

func (c *Collector) normalize() {
	c.Config = c.Config.withDefaults()
	if c.Languages == nil {
		c.Languages = make(map[string]*LanguageStats)
	}
	for k, ls := range c.Languages {
		if ls == nil {
			delete(c.Languages, k)
		}
	}
	if c.Domains == nil {
		c.Domains = newTopK(c.Config.TopKDomains)
	}
	if c.TLDs == nil {
		c.TLDs = newTopK(c.Config.TopKTLDs)
	}
	if c.Drops == nil {
		c.Drops = make(map[string]*DropStats)
	}
	for k, d := range c.Drops {
		if d == nil {
			delete(c.Drops, k)
		}
	}
	c.files = nil
}

// Load reads a stats.json written by Save.
func Load(path string) (*Collector, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c Collector
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("%s: not a sieve stats file: %w", path, err)
	}
	if c.Format == 0 {
		return nil, fmt.Errorf("%s: not a sieve stats file (no format field)", path)
	}
	return &c, nil
}

// Save writes c as JSON to path atomically (a temporary file in the same
// folder, synced, then renamed over path).
func (c *Collector) Save(path string) error {
	b, err := json.MarshalIndent(c, "", " ")
	if err != nil {
		return err
	}
	return writeAtomic(path, b)
}

func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
