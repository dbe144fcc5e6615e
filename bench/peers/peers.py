"""The Python peers of bench/peers, one stage per call, timed like sievepeer:
CPU seconds (user+system of the process, time.process_time) spent in the
loop, after imports, model loading and one warm-up call. Prints one JSON line.

  peers.py warc fastwarc|warcio FILE...
  peers.py langid lingua|fasttext MODEL IN.jsonl OUT.jsonl   (MODEL: lid.176.ftz, ignored by lingua)
  peers.py tokens tiktoken IN.jsonl OUT.jsonl
  peers.py extract trafilatura|trafilatura-fast|resiliparse DEVDIR OUTDIR
"""
import json
import os
import sys
import time


def emit(**kw):
    print(json.dumps(kw))


def warc(tool, files):
    if tool == "fastwarc":
        from fastwarc.warc import ArchiveIterator

        def records(path):
            # fastwarc 2 opens the path and detects gzip itself;
            # parse_http=False: the block as bytes, as sieve's reader gives it.
            for rec in ArchiveIterator(path, parse_http=False):
                yield rec.reader.read()
    else:
        from warcio.archiveiterator import ArchiveIterator

        def records(path):
            with open(path, "rb") as f:
                for rec in ArchiveIterator(f, arc2warc=False, ensure_http_headers=False):
                    yield rec.raw_stream.read()

    n = size = 0
    start = time.process_time()
    for p in files:
        for block in records(p):
            n += 1
            size += len(block)
    emit(records=n, block_bytes=size, file_bytes=sum(os.path.getsize(p) for p in files), cpu_s=time.process_time() - start)


def read_texts(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l)["text"] for l in f]


def write_lines(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")


def langid(tool, model, inp, out):
    texts = read_texts(inp)
    if tool == "lingua":
        from lingua import LanguageDetectorBuilder

        det = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()

        def fn(t):
            lang = det.detect_language_of(t)
            return lang.iso_code_639_1.name.lower() if lang is not None else "und"
    else:
        import fasttext

        m = fasttext.load_model(model)

        def fn(t):
            labels, _ = m.predict(t.replace("\n", " "))
            return labels[0].removeprefix("__label__")

    fn("warm up the models")
    start = time.process_time()
    res = [fn(t) for t in texts]
    spent = time.process_time() - start
    write_lines(out, [{"lang": l} for l in res])
    emit(docs=len(texts), bytes=sum(len(t.encode()) for t in texts), cpu_s=spent)


def tokens(inp, out):
    import tiktoken

    enc = tiktoken.get_encoding("cl100k_base")
    texts = read_texts(inp)
    enc.encode_ordinary("warm up")
    start = time.process_time()
    res = [len(enc.encode_ordinary(t)) for t in texts]
    spent = time.process_time() - start
    write_lines(out, [{"n": n} for n in res])
    emit(docs=len(texts), bytes=sum(len(t.encode()) for t in texts), cpu_s=spent)


def extract(tool, devdir, outdir):
    index = json.load(open(os.path.join(devdir, "index.json")))
    pages = []
    for p in index:
        with open(os.path.join(devdir, p["file"]), "rb") as f:
            pages.append((p, f.read()))
    if tool.startswith("trafilatura"):
        import trafilatura

        fast = tool == "trafilatura-fast"

        def fn(html, url):
            return trafilatura.extract(html, url=url, fast=fast) or ""
    else:
        from resiliparse.extract.html2text import extract_plain_text
        from resiliparse.parse.encoding import bytes_to_str, detect_encoding
        from resiliparse.parse.html import HTMLTree

        def fn(html, url):
            tree = HTMLTree.parse(bytes_to_str(html, detect_encoding(html)))
            return extract_plain_text(tree, main_content=True)

    fn(pages[0][1], pages[0][0].get("url"))
    failed = 0
    out = {}
    by_set = {}
    for p, html in pages:
        t0 = time.process_time()
        try:
            text = fn(html, p.get("url"))
        except Exception:
            text, failed = "", failed + 1
        spent = time.process_time() - t0
        s = by_set.setdefault(p["set"], [0, 0.0])
        s[0] += 1
        s[1] += spent
        out[p["file"]] = text
    for f, text in out.items():
        path = os.path.join(outdir, f[: -len(".html")] + ".txt")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    emit(sets={k: {"pages": v[0], "cpu_s": v[1]} for k, v in by_set.items()}, failed=failed)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "warc":
        warc(args[0], args[1:])
    elif cmd == "langid":
        langid(*args[:4])
    elif cmd == "tokens":
        tokens(args[1], args[2])
    elif cmd == "extract":
        extract(*args[:3])
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
