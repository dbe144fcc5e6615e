// Package warc reads WARC files (WARC/1.0, 1.1 and the older 0.17/0.18 used
// by ClueWeb09) as a stream of records, with bounded memory.
//
// The reader is written for crawl data as it is found in the wild, not as the
// standard describes it: gzip is detected by its magic bytes (not the file
// name); a file may be one gzip member per record (Common Crawl), one gzip
// stream for the whole file, or members that do not line up with records.
// Damage (a wrong Content-Length, garbage between records, a corrupt or
// truncated gzip member, a gzip bomb) is recorded as a Damage with its byte
// offset and the reader resynchronises at the next gzip member or the next
// "WARC/" line, so no intact record after the damage is lost.
//
// Decompression: gzip members are decoded by inflate.go, a decoder of our own
// that takes eight compressed bytes at a time and decodes through one-lookup
// tables, in 55-65% of klauspost/compress's CPU per byte on WARC members
// (BenchmarkGunzip). It is exact on intact members and gives up
// on anything else (a header it does not handle, damage, a bad checksum);
// such a member is decoded again from its first byte by klauspost's
// decoder, which then reports the damage as it always did, so damaged files
// read the same as with klauspost's decoder alone (TestInflateSameAsKlauspost,
// FuzzInflateSame).
//
// ARC files are detected and reported as one Damage ("ARC format, not
// WARC"); they are not read.
package warc
