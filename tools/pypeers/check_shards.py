"""Reads sieve's shards with Hugging Face datasets, pyarrow, polars and DuckDB
and compares every row, the schema and the features with what
`sieve inspect --json` printed for the same shards.

Usage: python check_shards.py SHARDS_DIR FORMAT EXPECTED.json [FEATURES.json]
  FORMAT    stream, file, parquet or jsonl (the writer's format)
  EXPECTED  {"shards": [{"name": "000002-00000.arrow", "inspect": {...}}, ...]}:
            `sieve inspect --json -n ALL --width 0` of each shard, in name order
            (for parquet and jsonl: of the Arrow stream shards of the same
            pipeline)
  FEATURES  for parquet: the dataset_info.json whose features the Parquet
            schema must equal (that of the Arrow stream run)

Prints one JSON line (readers and the rows each returned) and exits 0, or
prints what differs and exits 1. The readers:
  datasets  stream: load_from_disk(SHARDS_DIR) with no cast (Table.cast is
            watched), Dataset.from_file per shard; both formats:
            load_dataset("arrow", data_files=...). (Dataset.from_file
            memory-maps the stream format only, so not for file shards.)
            Parquet: load_dataset("parquet", data_files=...), whose
            features must equal dataset_info.json's with no cast.
  pyarrow   ipc.open_stream / ipc.open_file, and feather.read_table (file);
            parquet.read_table
  polars    read_ipc_stream / read_ipc / read_parquet
  JSONL     ({id, text, metadata}: datatrove's and dolma's names; nulls left
            out): load_dataset("json"), pyarrow.json, polars.read_ndjson,
            DuckDB's read_json, and datatrove's JsonlReader
  duckdb    Arrow: SQL over the shards through pyarrow (DuckDB has no
            built-in Arrow IPC reader; its `arrow` extension is a download,
            unreachable here); Parquet: DuckDB's own read_parquet
"""
import datetime as dt
import json
import math
import os
import sys
import tempfile

import numpy as np

errors = []


def fail(msg):
    errors.append(msg)


def norm(v, typ):
    """A value in one comparable form: dates as epoch microseconds, float32
    rounded to float32, NaN as the string 'NaN'."""
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        if v.tzinfo is None:
            v = v.replace(tzinfo=dt.timezone.utc)
        return (v - dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)) // dt.timedelta(microseconds=1)
    if typ.startswith("timestamp") and isinstance(v, str):
        return norm(dt.datetime.fromisoformat(v.replace("Z", "+00:00")), typ)
    if isinstance(v, dict):
        # A null struct child is left out of sieve's JSONL (nulls are not
        # written), so absent and null are one here.
        return {k: norm(x, "float64") for k, x in v.items() if x is not None}
    if isinstance(v, str) and v in ("NaN", "+Inf", "-Inf", "Inf"):
        return v.replace("+", "").replace("Inf", "Inf")
    if isinstance(v, (float, int, np.floating, np.integer)) and typ in ("float32", "float64"):
        f = float(np.float32(v)) if typ == "float32" else float(v)
        if math.isnan(f):
            return "NaN"
        if math.isinf(f):
            return "Inf" if f > 0 else "-Inf"
        return f
    if isinstance(v, np.integer):
        return int(v)
    return v


def compare_rows(reader, got_rows, want_rows, types):
    if len(got_rows) != len(want_rows):
        fail(f"{reader}: {len(got_rows)} rows, sieve inspect has {len(want_rows)}")
        return
    for i, (g, w) in enumerate(zip(got_rows, want_rows)):
        if list(g.keys()) != list(w.keys()):
            fail(f"{reader}: row {i} columns {list(g.keys())} != {list(w.keys())}")
            return
        for k in w:
            a, b = norm(g[k], types[k]), norm(w[k], types[k])
            if a != b:
                fail(f"{reader}: row {i} column {k}: {str(a)[:120]!r} != sieve inspect {str(b)[:120]!r}")
                return


def arrow_type_name(t):
    """pyarrow's type spelled as sieve inspect (arrow-go) spells it."""
    import pyarrow as pa

    if pa.types.is_string(t):
        return "utf8"
    if pa.types.is_struct(t):
        return "struct"
    if pa.types.is_float32(t):
        return "float32"
    return str(t)


def check_schema(reader, schema, want_schema):
    got = [(f.name, arrow_type_name(f.type), f.nullable) for f in schema]
    want = [(f["name"], "struct" if f["type"].startswith("struct<") else f["type"], f["nullable"]) for f in want_schema]
    if got != want:
        fail(f"{reader}: schema {got} != sieve inspect {want}")


def main(shards_dir, fmt, expected_path, features_path=None):
    import datasets
    import datasets.table
    import duckdb
    import polars as pl
    import pyarrow as pa
    import pyarrow.feather as feather
    import pyarrow.ipc as ipc

    datasets.disable_progress_bars()
    exp = json.load(open(expected_path))["shards"]
    paths = [os.path.join(shards_dir, s["name"]) for s in exp]
    want_schema = exp[0]["inspect"]["schema"]
    types = {f["name"]: f["type"] for f in want_schema}
    per_shard = [s["inspect"].get("first") or [] for s in exp]
    want_all = [r for rows in per_shard for r in rows]
    for s in exp:
        n = s["inspect"]["rows"]
        if n != len(s["inspect"].get("first") or []):
            fail(f"{s['name']}: inspect printed {len(s['inspect'].get('first') or [])} of {n} rows")
    seen = {}

    if fmt == "parquet":
        check_parquet(paths, per_shard, want_all, want_schema, types, features_path, seen, [])
        return finish(fmt, want_all, seen)
    if fmt == "jsonl":
        check_jsonl(paths, per_shard, want_all, types, seen)
        return finish(fmt, want_all, seen)

    # --- Hugging Face datasets
    casts = []
    for cls in (datasets.table.InMemoryTable, datasets.table.MemoryMappedTable, datasets.table.ConcatenationTable):
        orig = cls.cast

        def watched(self, *a, _orig=orig, _cls=cls.__name__, **k):
            casts.append(_cls)
            return _orig(self, *a, **k)

        cls.cast = watched
    info_features = None
    if fmt == "stream":
        info = json.load(open(os.path.join(shards_dir, "dataset_info.json")))
        info_features = datasets.Features.from_dict(info["features"])
        ds = datasets.load_from_disk(shards_dir)
        if casts:
            fail(f"datasets.load_from_disk cast the tables ({casts}): the shards' schema differs from dataset_info.json's features")
        if ds.features != info_features:
            fail(f"datasets.load_from_disk features {ds.features} != dataset_info.json {info_features}")
        if ds.data.schema != info_features.arrow_schema:
            fail("datasets.load_from_disk: table schema != features' arrow schema")
        compare_rows("datasets.load_from_disk", ds.to_list(), want_all, types)
        seen["datasets.load_from_disk"] = ds.num_rows
        n = 0
        for p, want in zip(paths, per_shard):
            d = datasets.Dataset.from_file(p)
            if d.features != info_features:
                fail(f"datasets.Dataset.from_file({os.path.basename(p)}) features differ from dataset_info.json")
            compare_rows(f"datasets.Dataset.from_file({os.path.basename(p)})", d.to_list(), want, types)
            n += d.num_rows
        seen["datasets.Dataset.from_file"] = n
    with tempfile.TemporaryDirectory() as cache:
        casts.clear()
        d = datasets.load_dataset("arrow", data_files=paths, split="train", cache_dir=cache)
        if info_features is not None and d.features != info_features:
            fail("datasets.load_dataset('arrow') features differ from dataset_info.json")
        compare_rows("datasets.load_dataset('arrow')", d.to_list(), want_all, types)
        seen["datasets.load_dataset('arrow')"] = d.num_rows
        del d

    # --- pyarrow, polars, DuckDB
    tables = []
    for p, want in zip(paths, per_shard):
        name = os.path.basename(p)
        with open(p, "rb") as f:
            t = ipc.open_stream(f).read_all() if fmt == "stream" else ipc.open_file(f).read_all()
        check_schema(f"pyarrow.ipc({name})", t.schema, want_schema)
        compare_rows(f"pyarrow.ipc({name})", t.to_pylist(), want, types)
        tables.append(t)
        if fmt == "file":
            ft = feather.read_table(p)
            compare_rows(f"pyarrow.feather({name})", ft.to_pylist(), want, types)
        df = pl.read_ipc_stream(p) if fmt == "stream" else pl.read_ipc(p)
        if df.columns != [f["name"] for f in want_schema]:
            fail(f"polars({name}): columns {df.columns}")
        compare_rows(f"polars({name})", df.to_dicts(), want, types)
    seen["pyarrow"] = sum(t.num_rows for t in tables)
    seen["polars"] = seen["pyarrow"]
    if fmt == "file":
        feather_n = sum(feather.read_table(p).num_rows for p in paths)
        seen["pyarrow.feather"] = feather_n
    con = duckdb.connect()
    n = 0
    for p, want in zip(paths, per_shard):
        with open(p, "rb") as f:
            reader = ipc.open_stream(f) if fmt == "stream" else ipc.open_file(f)
            src = reader if fmt == "stream" else reader.read_all()
            con.register("shard", src)
            rel = con.sql("select * from shard")
            cols = rel.columns
            rows = [dict(zip(cols, r)) for r in rel.fetchall()]
            con.unregister("shard")
        compare_rows(f"duckdb({os.path.basename(p)})", rows, want, types)
        n += len(rows)
    seen["duckdb"] = n

    finish(fmt, want_all, seen)


def finish(fmt, want_all, seen):
    print(json.dumps({"format": fmt, "rows": len(want_all), "readers": seen}))
    if errors:
        for e in errors[:20]:
            print(e, file=sys.stderr)
        sys.exit(1)


def flat(row):
    """A sieve JSONL row ({id, text, metadata: {...}}) as the shard's columns."""
    out = {"id": row.get("id"), "text": row.get("text")}
    meta = row.get("metadata") or {}
    if isinstance(meta, str):  # datatrove keeps metadata a dict; be strict
        fail(f"metadata is a string: {meta[:80]!r}")
        meta = {}
    out.update(meta)
    return out


def compare_jsonl(reader, got_rows, want_rows, types):
    got = [flat(g) for g in got_rows]
    # Nulls are left out of sieve's JSONL: compare on the shard's columns,
    # absent = null.
    got = [{k: g.get(k) for k in w} for g, w in zip(got, want_rows)]
    extra = [k for g in got_rows for k in flat(g) if want_rows and k not in want_rows[0]]
    if extra:
        fail(f"{reader}: fields not in the shard schema: {sorted(set(extra))}")
    compare_rows(reader, got, want_rows, types)


def check_jsonl(paths, per_shard, want_all, types, seen):
    import datasets
    import duckdb
    import polars as pl
    import pyarrow.json as pj
    from datatrove.pipeline.readers import JsonlReader

    n = 0
    for p, want in zip(paths, per_shard):
        name = os.path.basename(p)
        if not want:
            # pyarrow.json and polars refuse a file with no line ("Empty
            # JSON file"); datasets, DuckDB and datatrove below read it.
            continue
        t = pj.read_json(p)
        compare_jsonl(f"pyarrow.json({name})", t.to_pylist(), want, types)
        df = pl.read_ndjson(p)
        compare_jsonl(f"polars({name})", df.to_dicts(), want, types)
        rel = duckdb.sql(f"select * from read_json('{p}', format='newline_delimited')")
        cols = rel.columns
        compare_jsonl(f"duckdb({name})", [dict(zip(cols, r)) for r in rel.fetchall()], want, types)
        n += t.num_rows
    seen["pyarrow.json"] = seen["polars"] = seen["duckdb"] = n
    # datatrove's own reader, as a datatrove pipeline would read sieve's output.
    docs = list(JsonlReader(os.path.dirname(paths[0]), glob_pattern="*.jsonl*")())
    # file_path is the reader's own addition to metadata.
    rows = [{"id": d.id, "text": d.text, "metadata": {k: v for k, v in d.metadata.items() if k != "file_path"}} for d in docs]
    compare_jsonl("datatrove.JsonlReader", rows, want_all, types)
    seen["datatrove.JsonlReader"] = len(docs)
    with tempfile.TemporaryDirectory() as cache:
        d = datasets.load_dataset("json", data_files=paths, split="train", cache_dir=cache)
        compare_jsonl("datasets.load_dataset('json')", d.to_list(), want_all, types)
        seen["datasets.load_dataset('json')"] = d.num_rows


def check_parquet(paths, per_shard, want_all, want_schema, types, features_path, seen, casts):
    import datasets
    import duckdb
    import polars as pl
    import pyarrow.parquet as pq

    info = json.load(open(features_path))
    features = datasets.Features.from_dict(info["features"])
    n = 0
    for p, want in zip(paths, per_shard):
        name = os.path.basename(p)
        t = pq.read_table(p)
        check_schema(f"pyarrow.parquet({name})", t.schema, want_schema)
        if t.schema.remove_metadata() != features.arrow_schema:
            fail(f"pyarrow.parquet({name}): schema differs from dataset_info.json's features")
        compare_rows(f"pyarrow.parquet({name})", t.to_pylist(), want, types)
        n += t.num_rows
        df = pl.read_parquet(p)
        compare_rows(f"polars({name})", df.to_dicts(), want, types)
        rel = duckdb.sql(f"select * from read_parquet('{p}')")
        cols = rel.columns
        compare_rows(f"duckdb({name})", [dict(zip(cols, r)) for r in rel.fetchall()], want, types)
    seen["pyarrow.parquet"] = seen["polars"] = seen["duckdb"] = n
    with tempfile.TemporaryDirectory() as cache:
        casts.clear()
        d = datasets.load_dataset("parquet", data_files=paths, split="train", cache_dir=cache)
        if d.features != features:
            fail(f"datasets.load_dataset('parquet') features differ from dataset_info.json: {d.features}")
        compare_rows("datasets.load_dataset('parquet')", d.to_list(), want_all, types)
        seen["datasets.load_dataset('parquet')"] = d.num_rows


if __name__ == "__main__":
    main(*sys.argv[1:5])
