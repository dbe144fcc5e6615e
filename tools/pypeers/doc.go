// Package pypeers holds sieve's checks against the Python ecosystem it
// feeds and is compared with; it has no code sieve runs. Its tests drive
// the pinned virtual environment that scripts/install-python-peers builds
// (requirements-test.txt) from `go test`, so they run with the rest of the
// suite and the same skip rules: without the venv a test is skipped
// locally and fails under CI=true.
//
//   - TestPythonReadersLoadShards: the shards of the default (fineweb) and
//     extract pipelines, in Arrow stream, Arrow file (with and without
//     zstd), Parquet and JSONL, loaded by Hugging Face datasets
//     (load_from_disk without a cast, Dataset.from_file,
//     load_dataset("arrow"/"parquet"/"json")), pyarrow, polars and DuckDB
//     (and datatrove's JsonlReader for JSONL), row by row equal to
//     `sieve inspect --json` (check_shards.py).
//   - TestDatatroveFilterDifferential: datatrove's filter classes and
//     sieve's on the same real extracted texts: per filter, the share of
//     documents where the decision and the reason agree, and every
//     difference traced to a documented departure (datatrove_filters.py).
//
// A Go test rather than pytest so one runner, one skip rule and one
// closing line cover everything, and so the Go side (building sieve,
// running the filters) needs no Python bindings.
package pypeers
