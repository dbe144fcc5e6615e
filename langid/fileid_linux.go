package langid

import (
	"fmt"
	"os"
	"syscall"
)

// fileIdentity names one version of a file: device, inode, size,
// modification and status-change times (nanoseconds). Any write to the
// file, a truncation, a replacement by rename or a utimes call changes
// one of them (ctime cannot be set back by a user); "" when the status
// does not carry them. changed is the newer of the two times, for the
// rule that a just-changed file is not stamped (see stampMinAge).
func fileIdentity(info os.FileInfo) (id string, changed int64) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return "", 0
	}
	ctime := st.Ctim.Nano()
	return fmt.Sprintf("dev=%d ino=%d size=%d mtime=%d ctime=%d", st.Dev, st.Ino, st.Size, st.Mtim.Nano(), ctime), max(ctime, st.Mtim.Nano())
}
