// Reads sieve's output with real readers and prints what they found as
// JSON: DuckDB (read_parquet, documents per language) and polars
// (readParquet, readIPC, readIPCStream; .arrow files are given as a
// Buffer: nodejs-polars takes a path ending in .arrow for something else).
// Usage: node read-outputs.mjs duckdb-parquet GLOB
//        node read-outputs.mjs polars-parquet|polars-ipc|polars-ipc-stream FILE...
import fs from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import pl from 'nodejs-polars';

const [mode, ...args] = process.argv.slice(2);
if (mode === 'duckdb-parquet') {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const glob = args[0].replaceAll("'", "''");
  const reader = await con.runAndReadAll(
    `SELECT language, count(*)::INTEGER AS docs, sum(length(text))::BIGINT AS chars FROM read_parquet('${glob}') GROUP BY language ORDER BY language`);
  const byLang = {};
  for (const [language, docs, chars] of reader.getRows()) byLang[language] = { docs, chars: Number(chars) };
  const cols = await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${glob}')`);
  const types = {};
  for (const r of cols.getRowObjects()) types[r.column_name] = r.column_type;
  console.log(JSON.stringify({ languages: byLang, types }));
} else {
  let rows = 0;
  const columns = new Set();
  const dtypes = {};
  for (const f of args) {
    let df;
    if (mode === 'polars-parquet') df = pl.readParquet(f);
    else if (mode === 'polars-ipc') df = pl.readIPC(fs.readFileSync(f));
    else if (mode === 'polars-ipc-stream') df = pl.readIPCStream(fs.readFileSync(f));
    else throw new Error(`unknown mode ${mode}`);
    rows += df.height;
    df.columns.forEach((c, i) => { columns.add(c); dtypes[c] = String(df.dtypes[i]); });
    // Touch the text so a bad buffer fails here, not silently.
    if (df.height > 0) df.getColumn('text').str.lengths().sum();
  }
  console.log(JSON.stringify({ rows, columns: [...columns], dtypes }));
}
