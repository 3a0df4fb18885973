//go:build race

package main

// raceEnabled tells that the tests run under the race detector.
const raceEnabled = true
