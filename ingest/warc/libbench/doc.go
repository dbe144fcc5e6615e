// Package libbench compares sieve's WARC reader with two Go WARC libraries
// (internetarchive/gowarc and nlnwa/gowarc/v3) on speed and on recovery
// from damage. It is a separate module so that those libraries and their
// dependency trees stay out of sieve's go.mod. Run from this directory:
//
//	go test -bench=. -benchtime=2x
//	go test -run=TestRecovery -v
package libbench
