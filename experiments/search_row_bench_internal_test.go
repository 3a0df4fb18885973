package experiments

import "testing"

// BenchmarkSearchRow measures searchMatches on one experiment's text, as
// SQLite calls it for every row a searched list scans: in ASCII (the
// fast path) and with letters outside it, alone and from every processor
// at once (the read pool's connections search side by side):
//
//	go test ./experiments -run '^$' -bench BenchmarkSearchRow -count 5
func BenchmarkSearchRow(b *testing.B) {
	words := searchWords("GRÖSSE 料金")
	for _, tt := range []struct{ name, xname, page, site string }{
		{"ascii", "Hero test 1234", "/pricing/1234", "Shop"},
		{"letters", "Überschrift Größe 1234", "/%E6%96%99%E9%87%91/1234", "Café Zürich"},
	} {
		text := tt.page + "\n" + tt.xname + "\n" + tt.site // as the SQL writes it
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				searchMatches(words, text)
			}
		})
		b.Run(tt.name+"-parallel", func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					searchMatches(words, text)
				}
			})
		})
	}
}
