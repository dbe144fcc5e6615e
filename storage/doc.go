// Package storage reads and writes sieve's inputs and outputs on a local
// disk or on S3-compatible object storage, behind one set of functions.
//
// A location is a local path or s3://bucket/prefix/key. Remote reads are
// streamed (never downloaded whole) and resume with a Range request at the
// byte where a connection broke; writes go through a Writer that makes the
// object visible only on Commit (a local temp file renamed into place, or an
// S3 multipart upload completed on Commit and aborted on Abort). Throttling
// ("SlowDown", 503, other 5xx) and dropped connections are retried with
// exponential backoff and full jitter.
//
// Code that needs local files stages remote data one way: LocalCopy for a
// single file (the Arrow and Parquet readers read by offset), Mirror for a
// folder (sieve run with an s3:// OUT uploads each input file's outputs
// and marker through one and restores them in a fresh folder; finalize
// fetches its small inputs and publishes what it wrote through one).
//
// The package-level functions use Default(), which cmd/sieve configures
// from the usual AWS environment variables (SetDefault, OptionsFromEnv);
// the package itself reads no environment.
package storage

// Typical use by a task:
//
//	inputs, err := storage.Glob(ctx, "s3://commoncrawl/crawl-data/CC-MAIN-2024-22/segments/*/warc/*.warc.gz")
//	r, err := storage.Open(ctx, inputs[i].Loc) // stream into the WARC reader
//	w, err := storage.Create(ctx, storage.Join(out, "shards", name))
//	defer w.Abort()                            // no-op after Commit
//	... write the shard to w ...
//	err = w.Commit()                           // the shard appears, whole
//	err = storage.WriteFile(ctx, storage.Join(out, "completions", idx), nil)
