package static

import (
	"errors"
	"math"
	"math/rand"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The declarations of snippet.js's var statement are in the order that
// gzips smallest, not in reading order (see the comment above it).
// TestSnippetOrder finds such an order again after a change:
//
//	COPYLAB_SNIPPET_ORDER=/tmp/snippet.js go test ./static -run TestSnippetOrder -v
//
// writes the source with the best order it found to that file (diff it
// against snippet/snippet.js, and copy it over once the sizes suit).
// COPYLAB_SNIPPET_ORDER_ITERS sets how many orders it tries (default
// 5000, about 40 s), COPYLAB_SNIPPET_ORDER_SEED the random seed. It
// minimizes the sizes of the budget tests (TestSnippetBudget,
// TestVisibleRegion, TestGuardRegion), the visible-only one first. Only
// declarations move, with the comments above them; code and comments
// stay as they are, so each declaration's comment must stand on its own.
// Without the variable, it only checks that the source still splits into
// declarations and joins back byte for byte.
func TestSnippetOrder(t *testing.T) {
	src, err := SnippetFS.ReadFile("snippet/snippet.js")
	if err != nil {
		t.Fatal(err)
	}
	d, err := splitDecls(string(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := d.join(d.decls); got != string(src) {
		t.Fatal("the var statement's declarations do not join back into snippet.js")
	}
	out := os.Getenv("COPYLAB_SNIPPET_ORDER")
	if out == "" {
		return
	}
	iters, seed := 5000, int64(1)
	if v, err := strconv.Atoi(os.Getenv("COPYLAB_SNIPPET_ORDER_ITERS")); err == nil {
		iters = v
	}
	if v, err := strconv.ParseInt(os.Getenv("COPYLAB_SNIPPET_ORDER_SEED"), 10, 64); err == nil {
		seed = v
	}
	cost := func(decls []decl) (int, [3]int, bool) {
		if !d.valid(decls) {
			return 0, [3]int{}, false
		}
		sizes, err := orderSizes(t, d.join(decls))
		if err != nil {
			return 0, sizes, false
		}
		return 3*sizes[1] + sizes[0] + sizes[2], sizes, true
	}
	cur := d.decls
	curCost, sizes, ok := cost(cur)
	if !ok {
		t.Fatal("snippet.js as it is does not build")
	}
	t.Logf("now: plain %d, visible-only %d, guard with visible-only %d bytes gzipped", sizes[0], sizes[1], sizes[2])
	best, bestCost, bestSizes := cur, curCost, sizes
	r := rand.New(rand.NewSource(seed))
	for it := 0; it < iters; it++ {
		next := append([]decl(nil), cur...)
		a, b := r.Intn(len(next)), r.Intn(len(next))
		if a == b {
			continue
		}
		if r.Intn(2) == 0 {
			next[a], next[b] = next[b], next[a]
		} else {
			x := next[a]
			next = append(next[:a], next[a+1:]...)
			next = append(next[:b], append([]decl{x}, next[b:]...)...)
		}
		c, s, ok := cost(next)
		if !ok {
			continue
		}
		// Annealing: a worse order is taken now and then, less often as
		// the search goes on, to get out of local minima.
		temp := 4 * (1 - float64(it)/float64(iters))
		if c <= curCost || r.Float64() < math.Exp(-float64(c-curCost)/temp) {
			cur, curCost = next, c
			if c < bestCost {
				best, bestCost, bestSizes = next, c, s
			}
		}
	}
	t.Logf("best: plain %d, visible-only %d, guard with visible-only %d bytes gzipped", bestSizes[0], bestSizes[1], bestSizes[2])
	if err := os.WriteFile(out, []byte(d.join(best)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// orderSizes renders the budget config from src as the plain tag, with a
// visible-only experiment, and as the guard build with one, gzipped.
func orderSizes(t *testing.T, src string) ([3]int, error) {
	var sizes [3]int
	s := &Snippet{source: []byte(src), builds: map[uint]runtime{}}
	for i, set := range []uint{0, visibleBuild, visibleBuild | guardBuild} {
		rt, err := s.minify(set)
		if err != nil {
			return sizes, err
		}
		cfg := budgetConfig()
		cfg.Experiments[0].VisibleOnly = set&visibleBuild != 0
		w, _, err := wire(cfg)
		if err != nil {
			return sizes, err
		}
		j, err := scriptJSON(w)
		if err != nil {
			return sizes, err
		}
		sizes[i] = gzipped(t, append(append(append([]byte(nil), rt.head...), j...), rt.tail...))
	}
	return sizes, nil
}

// decl is one declaration of the var statement: its lines, with the
// comments above it, and without the "," or ";" that ends it. A region
// ("// #if" to "// #endif") at the statement's level is one declaration.
type decl struct {
	name   string
	lines  []string
	region bool
}

type declList struct {
	head, tail string // the source before the first and after the last declaration
	decls      []decl
}

var declName = regexp.MustCompile(`^    ([A-Za-z_$][\w$]*)\b`)

// splitDecls cuts snippet.js's var statement (from "var w = window," to
// the declaration before "// Loading the tag twice") into declarations:
// one starts at each line indented by 4 spaces that follows code, unless
// it closes a bracket or is inside a region. The first one, w, stays in
// head.
func splitDecls(src string) (*declList, error) {
	lines := strings.Split(src, "\n")
	start, end := -1, -1
	for i, l := range lines {
		if start < 0 && strings.HasPrefix(l, "  var w = window,") {
			start = i
		}
		if start >= 0 && strings.HasPrefix(l, "  // Loading the tag twice") {
			end = i - 1
			break
		}
	}
	if start < 0 || end < 0 {
		return nil, errors.New("snippet.js: no var statement from w = window to the loading check")
	}
	for strings.TrimSpace(lines[end]) == "" {
		end--
	}
	d := &declList{
		head: strings.Join(lines[:start+1], "\n") + "\n",
		tail: "\n" + strings.Join(lines[end+1:], "\n"),
	}
	var cur decl
	code, depth := false, 0
	for _, l := range lines[start+1 : end+1] {
		t := strings.TrimSpace(l)
		top := strings.HasPrefix(l, "    ") && !strings.HasPrefix(l, "     ")
		closer := top && (strings.HasPrefix(t, "}") || strings.HasPrefix(t, ")"))
		comment := strings.HasPrefix(t, "//")
		if top && depth == 0 && code && !closer && t != "// #endif" {
			d.decls = append(d.decls, cur)
			cur, code = decl{}, false
		}
		switch {
		case top && strings.HasPrefix(t, "// #if"):
			depth++
			cur.region = true
		case top && t == "// #endif":
			depth--
		}
		if m := declName.FindStringSubmatch(l); m != nil && top && !comment && !closer && cur.name == "" {
			cur.name = m[1]
		}
		code = code || !comment
		cur.lines = append(cur.lines, l)
	}
	d.decls = append(d.decls, cur)
	for i := range d.decls {
		x := &d.decls[i]
		j := x.last()
		if x.name == "" || j < 0 {
			return nil, errors.New("snippet.js: a declaration of the var statement has no name")
		}
		x.lines[j] = strings.TrimSuffix(strings.TrimSuffix(x.lines[j], ","), ";")
	}
	return d, nil
}

// last is the index of the declaration's last line of code.
func (x decl) last() int {
	for j := len(x.lines) - 1; j >= 0; j-- {
		if t := strings.TrimSpace(x.lines[j]); t != "" && !strings.HasPrefix(t, "//") {
			return j
		}
	}
	return -1
}

// join writes the source with the declarations in this order.
func (d *declList) join(decls []decl) string {
	var b strings.Builder
	b.WriteString(d.head)
	for i, x := range decls {
		last := x.last()
		for j, l := range x.lines {
			b.WriteString(l)
			if j == last {
				if i == len(decls)-1 {
					b.WriteString(";")
				} else {
					b.WriteString(",")
				}
			}
			b.WriteString("\n")
		}
	}
	return strings.TrimSuffix(b.String(), "\n") + d.tail
}

// valid says whether an order keeps what runs while the var statement
// runs working: route is G(...), so G comes first (a new declaration
// that calls another as the statement runs needs a rule here too); and a
// region cannot end the statement (cut out, it would leave a trailing
// ",").
func (d *declList) valid(decls []decl) bool {
	g, r := -1, -1
	for i, x := range decls {
		switch x.name {
		case "G":
			g = i
		case "route":
			r = i
		}
	}
	return g < r && !decls[len(decls)-1].region
}
