package app

import (
	"strconv"
	"testing"
	"time"
)

// BenchmarkLimiterReserve is one sign-in attempt's bookkeeping: under the
// key bound, and with the limiter full of live keys (a flood from many
// addresses), where every new key makes room for itself.
func BenchmarkLimiterReserve(b *testing.B) {
	for _, full := range []bool{false, true} {
		name := "room"
		if full {
			name = "full"
		}
		b.Run(name, func(b *testing.B) {
			clock := &fakeClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
			l := newLimiter(loginMaxFailures, loginWindow)
			l.now = clock.now
			if full {
				for i := 0; i < limiterMaxKeys/3+1; i++ {
					l.Reserve("fill"+strconv.Itoa(i), "fill"+strconv.Itoa(i)+"@example.com")
				}
			}
			keys := make([]string, 4096)
			for i := range keys {
				keys[i] = strconv.Itoa(i)
			}
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				k := keys[i%len(keys)] + "." + strconv.Itoa(i/len(keys))
				if _, ok, _ := l.Reserve("198.51.100."+k, k+"@example.com"); !ok {
					b.Fatal("refused")
				}
			}
		})
	}
}
