//go:build !unix

package experiments

import (
	"io/fs"
	"os"
)

// sameOwner does nothing where files have no Unix owner.
func sameOwner(string, fs.FileInfo) {}

// sameOwnerFile does nothing where files have no Unix owner.
func sameOwnerFile(*os.File, fs.FileInfo) {}
