package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// expandArgs turns file, folder and glob arguments into a list of files: a
// folder stands for the files in it that match pattern (e.g. "*.arrow"),
// in name order; a glob must match something.
func expandArgs(args []string, pattern string) ([]string, error) {
	var out []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			m, gerr := filepath.Glob(a)
			if gerr != nil || len(m) == 0 {
				return nil, err
			}
			sort.Strings(m)
			out = append(out, m...)
			continue
		}
		if !st.IsDir() {
			out = append(out, a)
			continue
		}
		m, err := filepath.Glob(filepath.Join(a, pattern))
		if err != nil {
			return nil, err
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("%s: no %s files in the folder", a, pattern)
		}
		sort.Strings(m)
		out = append(out, m...)
	}
	return out, nil
}
