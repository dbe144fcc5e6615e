// Package pipelines ships the ready pipeline definitions (YAML) inside the
// sieve binary, so `--pipeline fineweb` works without the source tree.
package pipelines

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

//go:embed *.yaml
var files embed.FS

// Default is the pipeline `sieve run` uses when none is named: the fullest
// recipe that ships.
const Default = "fineweb"

// Names lists the shipped pipelines.
func Names() []string {
	entries, _ := fs.ReadDir(files, ".")
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// Get returns the YAML text of a shipped pipeline.
func Get(name string) ([]byte, error) {
	b, err := files.ReadFile(name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("no shipped pipeline %q (have: %s)", name, strings.Join(Names(), ", "))
	}
	return b, nil
}
