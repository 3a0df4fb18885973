package experiments

import "strconv"

// fnv1a32 is the 32-bit FNV-1a hash of b.
func fnv1a32(b []byte) uint32 {
	h := uint32(0x811C9DC5)
	for _, c := range b {
		h ^= uint32(c)
		h *= 16777619
	}
	return h
}

// Bucket places a visitor in 0..9999 for an experiment seed, per
// ../shared/spec/assignment.md (GrowthBook's version 2 hash). The snippet
// implements the same function in JavaScript; both pass the shared vectors.
func Bucket(seed, visitor string) int {
	inner := fnv1a32([]byte(seed + visitor))
	return int(fnv1a32([]byte(strconv.FormatUint(uint64(inner), 10))) % 10000)
}

// Assign returns the index of the variant a visitor gets, or -1 when the
// visitor is not in the experiment. weightsBP must sum to 10000.
//
// Each variant's range grows from a fixed start as coverage rises, so raising
// coverage keeps everyone already in the experiment in the same variant.
func Assign(seed, visitor string, weightsBP []int, coverageBP int) int {
	b := int64(Bucket(seed, visitor)) * 10000
	start := int64(0)
	for i, w := range weightsBP {
		lo := start * 10000
		if b >= lo && b < lo+int64(coverageBP)*int64(w) {
			return i
		}
		start += int64(w)
	}
	return -1
}
