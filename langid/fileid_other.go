//go:build !linux

package langid

import "os"

// fileIdentity is "" outside Linux: no stamp is kept, and every process
// verifies the table cache whole.
func fileIdentity(os.FileInfo) (id string, changed int64) { return "", 0 }
