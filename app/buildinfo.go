package app

import (
	"runtime"
	"runtime/debug"
)

// BuildInfo is what Go recorded of the build that runs: the module's
// version, the commit it was built from, and the Go release. `copylab
// version` prints it, serve logs it at start, and /metrics exposes it
// (copylab_build_info), so that an operator can tell which copylab
// answers.
type BuildInfo struct {
	Version  string // the module's: a tag, a pseudo-version, or (devel)
	Revision string // the commit's first 12 digits; "" when not built from a checkout
	Time     string // the commit's time, as Go records it (RFC 3339)
	Modified bool   // the checkout had changes not committed
	Go       string
}

// ReadBuildInfo reads the build information of the running binary.
func ReadBuildInfo() BuildInfo {
	v := BuildInfo{Version: "(devel)", Go: runtime.Version()}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	if info.Main.Version != "" {
		v.Version = info.Main.Version
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Revision = s.Value[:min(12, len(s.Value))]
		case "vcs.time":
			v.Time = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	return v
}
