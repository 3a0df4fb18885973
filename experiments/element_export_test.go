package experiments

import (
	"strconv"
	"sync/atomic"
)

var elementSeq atomic.Int64

// OwnElement is a selector no other experiment of the tests uses
// ("h1.own-7"), for a fixture that runs several experiments on one site at
// once: two tests of one element on the same pages cannot both run
// (element_in_test).
func OwnElement() string { return "h1.own-" + strconv.FormatInt(elementSeq.Add(1), 10) }
