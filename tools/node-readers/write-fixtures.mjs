// Writes Arrow IPC files the way other tools write them, for sieve's
// reader tests: apache-arrow JS (its file writer puts the schema in the
// footer only; strings dictionary-encoded by default, or plain utf8) and
// polars (string_view, Categorical as a dictionary, zstd bodies).
// Usage: node write-fixtures.mjs OUTDIR TEXTS.json
// TEXTS.json is an array of {id, text, url}; every file holds all of them
// (texts repeat across files, so dedup has duplicates to find).
import fs from 'node:fs';
import path from 'node:path';
import { tableFromArrays, tableToIPC, vectorFromArray, makeTable, Utf8 } from 'apache-arrow';
import pl from 'nodejs-polars';

const [out, textsPath] = process.argv.slice(2);
const rows = JSON.parse(fs.readFileSync(textsPath, 'utf8'));
const ids = rows.map(r => r.id), texts = rows.map(r => r.text), urls = rows.map(r => r.url);
fs.mkdirSync(out, { recursive: true });
const put = (name, bytes) => fs.writeFileSync(path.join(out, name), bytes);

// apache-arrow JS: tableFromArrays dictionary-encodes string arrays.
const dict = tableFromArrays({ id: ids, text: texts, url: urls, n: Float64Array.from(rows.map((_, i) => i)) });
put('js-dictionary.file.arrow', tableToIPC(dict, 'file'));
put('js-dictionary.stream.arrow', tableToIPC(dict, 'stream'));
const plain = makeTable({
  id: vectorFromArray(ids, new Utf8()),
  text: vectorFromArray(texts, new Utf8()),
  url: vectorFromArray(urls, new Utf8()),
});
put('js-plain.file.arrow', tableToIPC(plain, 'file'));

// polars: strings are string_view; Categorical is a dictionary.
const df = pl.DataFrame({ id: ids, text: texts, url: urls });
put('polars-view.file.arrow', df.writeIPC());
put('polars-view-zstd.file.arrow', df.writeIPC(null, { compression: 'zstd' }));
put('polars-view.stream.arrow', df.writeIPCStream());
put('polars-categorical.file.arrow', df.withColumns(pl.col('text').cast(pl.Categorical)).writeIPC());

const kinds = { 'js-dictionary.file.arrow': dict.schema.fields.map(f => String(f.type)) };
console.log(JSON.stringify({ files: fs.readdirSync(out).sort(), rows: rows.length, kinds }));
