"""Builds bench/peers' table from the results folder of one run.

Usage: python table.py RESULTS WORK CORES SIZE [--readme README.md]
"""
import gzip
import json
import os
import re
import sys
import datetime as dt


def load(res, name):
    with open(os.path.join(res, name)) as f:
        return json.loads(f.read().strip().splitlines()[-1])


def lines(path, key):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l)[key] for l in f]


def fmt(x, d=0):
    if x is None:
        return "-"
    return f"{x:,.{d}f}"


def main(res, work, cores, size, readme=None):
    out = []
    w = out.append
    w(f"Run of {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC on {cores} shared cores; corpus `bench/gencorpus -size {size}`; "
      "every figure is CPU seconds (user+system) on one core, not wall time: the machine is shared with other work.")
    w("")

    # --- WARC reading
    s = load(res, "warc-sieve.json")
    mb = s["stream_bytes"] / 1e6
    w(f"### WARC reading ({s['records']:,} records, {mb:.1f} MB of WARC uncompressed, {s['file_bytes'] / 1e6:.1f} MB gzipped; every block read whole)")
    w("")
    w("| reader | records | CPU s | records/CPU-s | MB/CPU-s |")
    w("|---|---|---|---|---|")
    rows = [("sieve (ingest/warc)", s["records"], s["cpu_s"])]
    for name, f in (("fastwarc 2.0.1", "warc-fastwarc.json"), ("warcio 1.8.1", "warc-warcio.json")):
        r = load(res, f)
        rows.append((name, r["records"], r["cpu_s"]))
    for name, n, c in rows:
        w(f"| {name} | {n:,} | {c:.2f} | {fmt(n / c)} | {fmt(mb / c, 1)} |")
    fw = rows[1][2]
    w("")
    w(f"Target (sieve ≥ fastwarc's MB/s): sieve reads at {fw / s['cpu_s']:.2f}× fastwarc's MB per CPU-second: "
      + ("met." if s["cpu_s"] <= fw else "**behind**."))
    w("")

    # --- extraction
    w("### Extraction (F1 on both dev sets: readability word F1 averaged over 130 pages; trafilatura's comparison set, 983 pages, snippet F1)")
    w("")
    w("| extractor | readability F1 | comparison F1 | pages/CPU-s (readability) | pages/CPU-s (comparison) |")
    w("|---|---|---|---|---|")
    es, peers = {}, {}
    for l in open(os.path.join(res, "extract-score.txt")):
        m = re.match(r"\s*(readability|comparison)\s+(\S+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+\S+\s+(\d+)", l)
        if m:
            es.setdefault(m.group(2), {})[m.group(1)] = (float(m.group(6)), float(m.group(7)))
    for name in ("sieve", "go-trafilatura"):
        if name in es:
            r, c = es[name].get("readability", (None, None)), es[name].get("comparison", (None, None))
            label = "sieve" if name == "sieve" else "go-trafilatura 1.12.2"
            w(f"| {label} (tools/extract-score) | {fmt(r[0], 3)} | {fmt(c[0], 3)} | {fmt(r[1])} | {fmt(c[1])} |")
    for name, label in (("trafilatura", "trafilatura 2.3.1 (default)"), ("trafilatura-fast", "trafilatura 2.3.1 (fast=True)"),
                        ("resiliparse", "resiliparse 2.0.1 extract_plain_text(main_content=True)")):
        t, sc = load(res, f"extract-{name}.json"), load(res, f"extract-{name}-score.json")
        rs, cs = t["sets"]["readability"], t["sets"]["comparison"]
        w(f"| {label} | {sc['readability_f1']:.3f} | {sc['comparison_f1']:.3f} | {fmt(rs['pages'] / rs['cpu_s'])} | {fmt(cs['pages'] / cs['cpu_s'])} |")
        peers[name] = (sc, rs["pages"] / rs["cpu_s"], cs["pages"] / cs["cpu_s"])
    if "sieve" in es and "trafilatura" in peers:
        sr, sc_ = es["sieve"]["readability"], es["sieve"]["comparison"]
        tr = peers["trafilatura"][0]
        fastest = max(max(p[1], p[2]) for p in peers.values())
        f1ok = sr[0] >= tr["readability_f1"] and sc_[0] >= tr["comparison_f1"]
        w("")
        w(f"Target (faster than every peer at F1 ≥ trafilatura's): sieve is {min(sr[1], sc_[1]) / fastest:.1f}× the fastest peer's pages/CPU-s; "
          f"F1 {sr[0]:.3f} / {sc_[0]:.3f} against trafilatura's {tr['readability_f1']:.3f} / {tr['comparison_f1']:.3f}: "
          + ("met." if f1ok else "**behind on F1** where sieve's is lower."))
    w("")

    # --- language id
    labels = lines(os.path.join(work, "sentences.jsonl"), "label")
    got = {k: lines(os.path.join(res, f"langid-{k}.jsonl"), "lang") for k in ("sieve", "lingua", "fasttext")}
    w(f"### Language id ({len(labels):,} of lingua's test sentences, 100 in each of its 75 languages)")
    w("")
    speed, agree = {}, {}
    w("| identifier | docs/CPU-s | accuracy (label) | same answer as sieve |")
    w("|---|---|---|---|")
    for k, label in (("sieve", "sieve (lingua models, Go)"), ("lingua", "lingua-language-detector 2.1.1 (all languages, high accuracy)"),
                     ("fasttext", "fastText 0.9.2 bindings, lid.176.ftz")):
        t = load(res, f"langid-{k}.json")
        acc = sum(a == b for a, b in zip(got[k], labels)) / len(labels)
        same = sum(a == b for a, b in zip(got[k], got["sieve"])) / len(labels)
        w(f"| {label} | {fmt(t['docs'] / t['cpu_s'])} | {acc:.1%} | {same:.1%} |")
        speed[k], agree[k] = t["docs"] / t["cpu_s"], same
    w("")
    lingua_langs = set(labels)
    diff = [(l, a, b) for l, a, b in zip(labels, got["sieve"], got["lingua"]) if a != b]
    outside = sum(a not in lingua_langs for _, a, _ in diff)
    sieve_right = sum(a == l for l, a, _ in diff)
    lingua_right = sum(b == l for l, _, b in diff)
    w(f"Target (≥ lingua-py's speed, identical answers): {speed['sieve'] / speed['lingua']:.0f}× its docs/CPU-s; "
      f"identical answers on {agree['lingua']:.1%} of the sentences"
      + (": met." if not diff else
         f" (**{len(diff)} differ**: in {outside} sieve names a language lingua does not have (lid.176's sure answers); "
         f"of the {len(diff)}, sieve matches the label in {sieve_right}, lingua-py in {lingua_right})."))
    w("")

    # --- tokens
    ts, tt = load(res, "tokens-sieve.json"), load(res, "tokens-tiktoken.json")
    ns, nt = lines(os.path.join(res, "tokens-sieve.jsonl"), "n"), lines(os.path.join(res, "tokens-tiktoken.jsonl"), "n")
    same = sum(a == b for a, b in zip(ns, nt))
    w(f"### Tokens (cl100k_base, {ts['docs']:,} pages of the corpus as sieve extracts them, {ts['bytes'] / 1e6:.1f} MB of text)")
    w("")
    w("| counter | docs/CPU-s | MB/CPU-s | tokens | identical counts |")
    w("|---|---|---|---|---|")
    w(f"| sieve (tokens.Counter) | {fmt(ts['docs'] / ts['cpu_s'])} | {ts['bytes'] / 1e6 / ts['cpu_s']:.1f} | {sum(ns):,} | {same:,} of {len(ns):,} |")
    w(f"| tiktoken 0.14.0 encode_ordinary | {fmt(tt['docs'] / tt['cpu_s'])} | {tt['bytes'] / 1e6 / tt['cpu_s']:.1f} | {sum(nt):,} | (reference) |")
    w("")
    w(f"Target (≥ tiktoken's speed, identical counts): {tt['cpu_s'] / ts['cpu_s']:.1f}× its docs/CPU-s, "
      + ("identical counts on every document: met." if same == len(ns) else f"**{len(ns) - same} counts differ**."))
    w("")

    # --- pipeline
    def sieve_run(name):
        st = json.load(open(os.path.join(work, f"sieve-{name}", "stats.json")))
        t = load(res, f"pipeline-sieve-{name}-time.json")
        return st["steps"][0]["in"], t

    def datatrove_run(name):
        stats = load(res, f"pipeline-datatrove-{name}.json")["stats"]
        pages = next(x["stats"]["documents"]["total"] for x in stats if "READER" in x["name"])
        return pages, load(res, f"pipeline-datatrove-{name}-time.json")

    kept_s = set(x.strip("<>") for x in lines(os.path.join(res, "pipeline-sieve-kept.jsonl"), "id"))
    kept_d = set()
    outdir = os.path.join(work, "datatrove-corpus", "output")
    for f in os.listdir(outdir):
        with gzip.open(os.path.join(outdir, f), "rt", encoding="utf-8") as fh:
            kept_d |= {json.loads(l)["id"].strip("<>") for l in fh}
    both = len(kept_s & kept_d)
    w("### FineWeb pipeline (URL filter with datatrove's lists → extraction → English only → Gopher repetition → Gopher quality → C4 (no terminal-punctuation rule) → FineWeb; one worker)")
    w("")
    w("| pipeline | HTML pages | CPU s | CPU s per 1,000 pages | start-up CPU s (3-page run) | CPU s per 1,000 pages after start-up | peak RSS | kept | kept by both |")
    w("|---|---|---|---|---|---|---|---|---|")
    per_page = {}
    for key, label, run, kept in (("sieve", "sieve run", sieve_run, kept_s),
                                  ("datatrove", "datatrove 0.10.1 (trafilatura 1.11, fastText lid.176.ftz)", datatrove_run, kept_d)):
        pages, t = run("corpus")
        p0, t0 = run("tiny")
        c, c0 = t["user"] + t["sys"], t0["user"] + t0["sys"]
        per_page[key] = (c / pages, (c - c0) / (pages - p0))
        w(f"| {label} | {pages:,} | {c:.1f} | {1000 * c / pages:.1f} | {c0:.1f} | {1000 * (c - c0) / (pages - p0):.1f} | "
          f"{t['maxrss_kb'] / 1024:.0f} MiB | {len(kept):,} | {both:,} |")
    # Where sieve dropped the documents only datatrove kept.
    import pyarrow.ipc as ipc

    step = {}
    rdir = os.path.join(work, "sieve-removed", "removed")
    if os.path.isdir(rdir):
        for f in sorted(os.listdir(rdir)):
            if f.endswith(".arrow"):
                with open(os.path.join(rdir, f), "rb") as fh:
                    t = ipc.open_stream(fh).read_all().select(["id", "drop_step", "drop_reason"]).to_pylist()
                step.update({r["id"].strip("<>"): f"{r['drop_step']}: {r['drop_reason']}" for r in t})
        only_d = kept_d - kept_s
        where = {}
        for i in only_d:
            k = step.get(i, "not an HTML page for sieve")
            where[k] = where.get(k, 0) + 1
        w("")
        w(f"Kept by datatrove only ({len(only_d)}), by where sieve dropped them: "
          + ", ".join(f"{k} {v}" for k, v in sorted(where.items(), key=lambda x: -x[1])) + "; "
          f"kept by sieve only: {len(kept_s - kept_d)}.")
    whole = per_page["datatrove"][0] / per_page["sieve"][0]
    steady = per_page["datatrove"][1] / per_page["sieve"][1]
    w("")
    w(f"Target (≥ 10× datatrove's pages per CPU-second): sieve {whole:.1f}× over the whole runs"
      + (" (met)" if whole >= 10 else " (**behind**)") + f", {steady:.1f}× after start-up"
      + (" (met)." if steady >= 10 else " (**behind**)."))
    w("")

    # --- differential
    p = os.path.join(res, "differential.json")
    if os.path.exists(p):
        d = json.load(open(p))
        w(f"### Filter differential (datatrove's filter classes vs sieve's, {d['docs']:,} real English texts; tools/pypeers)")
        w("")
        w("| filter | decision and reason agree | drops sieve / datatrove | differences traced (filter/doc.go) | untraced |")
        w("|---|---|---|---|---|")
        for k, v in sorted(d["filters"].items()):
            tr = ", ".join(f"{a}: {b}" for a, b in sorted(v["traced"].items())) or "-"
            w(f"| {k} | {v['agree']:,} ({v['share']:.1%}) | {v['sieve_drops']:,} / {v['datatrove_drops']:,} | {tr} | {v['untraced']} |")
        w("")

    table = "\n".join(out)
    print(table)
    if readme:
        text = open(readme, encoding="utf-8").read()
        start, end = "<!-- RESULTS -->", "<!-- /RESULTS -->"
        i, j = text.index(start) + len(start), text.index(end)
        tmp = readme + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text[:i] + "\n" + table + "\n" + text[j:])
        os.replace(tmp, readme)


if __name__ == "__main__":
    a = sys.argv[1:]
    readme = None
    if "--readme" in a:
        k = a.index("--readme")
        readme = a[k + 1]
        a = a[:k] + a[k + 2:]
    main(*a, readme=readme)
