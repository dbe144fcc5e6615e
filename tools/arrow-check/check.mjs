// check.mjs reads one Arrow IPC shard (stream or file format, optionally
// zstd body-compressed) with the Apache Arrow JavaScript implementation,
// an implementation independent of the arrow-go writer that made it, and
// prints JSON: {format, rows, batches, columns, types, first, all?}.
//
//   node check.mjs SHARD.arrow          first row only
//   node check.mjs --all SHARD.arrow    every row under "all"
//
// Values are made JSON-safe: int64 as decimal strings, timestamps as the
// raw integer in the column's unit (a string, so microseconds survive),
// non-finite floats as "NaN"/"Infinity"/"-Infinity", nulls as null.
import { readFileSync } from 'node:fs';
import { tableFromIPC, compressionRegistry, CompressionType, Type, makeVector } from 'apache-arrow';
import { decompress } from 'fzstd';

// apache-arrow reads compressed bodies only through a registered codec, and
// ships none: zstd comes from fzstd, a pure JavaScript decoder. fzstd may
// return a view at any byte offset, but apache-arrow lays typed arrays
// (BigInt64Array for int64 and timestamps) directly over the result, which
// needs 8-byte alignment: such a view is copied.
compressionRegistry.set(CompressionType.ZSTD, {
  decode: (buf) => {
    const out = decompress(buf);
    return out.byteOffset % 8 === 0 ? out : out.slice();
  },
});

const args = process.argv.slice(2);
const all = args.includes('--all');
const paths = args.filter((a) => a !== '--all');
if (paths.length !== 1) {
  console.error('usage: node check.mjs [--all] SHARD.arrow');
  process.exit(2);
}

const bytes = readFileSync(paths[0]);
const format = bytes.subarray(0, 6).toString('latin1') === 'ARROW1' ? 'file' : 'stream';
let table;
try {
  table = tableFromIPC(bytes);
} catch (err) {
  console.error(`check.mjs: ${paths[0]}: ${err.message}`);
  process.exit(1);
}

function jsonValue(type, data, i) {
  if (!data.getValid(i)) return null;
  switch (type.typeId) {
    case Type.Timestamp:
      // The raw stored integer: the getter would round to milliseconds.
      return data.values[data.offset + i].toString();
    case Type.Int:
      return type.bitWidth === 64 ? data.values[data.offset + i].toString() : data.values[data.offset + i];
    case Type.Float: {
      const v = data.values[data.offset + i];
      return Number.isFinite(v) ? v : String(v);
    }
    case Type.Struct: {
      const out = {};
      type.children.forEach((f, j) => {
        out[f.name] = jsonValue(f.type, data.children[j], i);
      });
      return out;
    }
    default:
      // utf8 and the rest, through apache-arrow's own getter.
      return makeVector(data).get(i);
  }
}

function row(batch, r) {
  const out = {};
  batch.schema.fields.forEach((f, c) => {
    out[f.name] = jsonValue(f.type, batch.data.children[c], r);
  });
  return out;
}

const rows = [];
let first = null;
for (const batch of table.batches) {
  for (let r = 0; r < batch.numRows; r++) {
    if (first === null) first = row(batch, r);
    if (all) rows.push(row(batch, r));
    else break;
  }
  if (!all && first !== null) break;
}

const result = {
  format,
  rows: table.numRows,
  batches: table.batches.length,
  columns: table.schema.fields.map((f) => f.name),
  types: table.schema.fields.map((f) => String(f.type)),
  first,
};
if (all) result.all = rows;
process.stdout.write(JSON.stringify(result) + '\n');
