"""datatrove's filters on the documents sieve judged, and a comparison.

Usage: python datatrove_filters.py DOCS.jsonl [LISTS_DIR]

DOCS.jsonl: one document a line, {id, source, url, text, sieve: {filter:
reason or ""}, signals} (written by TestDatatroveFilterDifferential).
LISTS_DIR: datatrove's URL word lists (banned_words.txt, banned_subwords.txt,
soft_banned_words.txt); both sides get the same lists.

Each of datatrove's filters runs on every document on its own, with its
defaults (English). Prints one JSON object: per filter the documents where
keep/drop and the reason agree, and each difference traced to a departure
that filter/doc.go documents, by re-running datatrove on the text as that
departure describes it:

  blank_line_blocks  sieve's text separates blocks with a blank line and its
                     line rules count a run of newlines as one; datatrove on
                     the text with runs of newlines collapsed agrees with sieve.
  uax29_words        the rule that differs is word-based (word counts, mean
                     word length, hash/ellipsis per word, stop words,
                     alphabetic words, n-gram repetition, sentences): sieve's
                     words come from UAX#29 segmentation, datatrove's English
                     words from spaCy's blank English tokenizer (datatrove
                     0.10; older versions used NLTK). Traced by the rule, not
                     re-measured: the examples are listed for review.

Anything else is "untraced", with examples, and fails the Go test.
"""
import json
import os
import re
import sys

from datatrove.data import Document
from datatrove.pipeline.filters import (
    C4QualityFilter,
    FineWebQualityFilter,
    GopherQualityFilter,
    GopherRepetitionFilter,
    URLFilter,
)

# sieve's reason = its filter's prefix + datatrove's reason.
PREFIX = {"gopher_repetition": "", "gopher_quality": "", "c4_quality": "c4_", "fineweb_quality": "fineweb_", "url_filter": "url_"}

# Reasons of rules whose measure is made of words.
WORD_RULES = {
    "gopher_short_doc", "gopher_long_doc", "gopher_below_avg_threshold", "gopher_above_avg_threshold",
    "gopher_too_many_hashes", "gopher_too_many_ellipsis", "gopher_below_alpha_threshold", "gopher_enough_stop_words",
    "top_n_gram", "duplicated_n_grams",
    "c4_too_few_sentences", "too_few_sentences",
}


def make_filters(lists_dir):
    url_kw = {}
    if lists_dir:
        def words(name):
            with open(os.path.join(lists_dir, name), encoding="utf-8") as f:
                return [w.strip() for w in f if w.strip() and not w.startswith("#")]

        url_kw = dict(
            use_integrated_lists=False,
            banned_words=words("banned_words.txt"),
            banned_subwords=words("banned_subwords.txt"),
            soft_banned_words=words("soft_banned_words.txt"),
        )
    return {
        "gopher_repetition": GopherRepetitionFilter,
        "gopher_quality": GopherQualityFilter,
        "c4_quality": C4QualityFilter,
        "fineweb_quality": FineWebQualityFilter,
        "url_filter": lambda: URLFilter(**url_kw),
    }


def decide(f, text, doc_id, url):
    d = Document(text=text, id=doc_id, metadata={"url": url})
    r = f.filter(d)
    if r is True:
        return ""
    if isinstance(r, tuple):
        keep, reason = r
        return "" if keep else (reason or "dropped")
    return "" if r else "dropped"


def base(reason):
    # datatrove's n-gram reasons carry the n: top_3_gram, duplicated_7_n_grams.
    if re.fullmatch(r"top_\d+_gram", reason):
        return "top_n_gram"
    if re.fullmatch(r"duplicated_\d+_n_grams", reason):
        return "duplicated_n_grams"
    return reason


def main(path, lists_dir=None):
    builders = make_filters(lists_dir)
    filters = {k: b() for k, b in builders.items()}
    docs = [json.loads(l) for l in open(path, encoding="utf-8")]
    out = {"docs": len(docs), "filters": {}}
    for name, f in filters.items():
        agree = 0
        traced = {}
        untraced = []
        traced_examples = []
        sieve_drops = dt_drops = 0
        for d in docs:
            s = d["sieve"].get(name, "")
            s_reason = s[len(PREFIX[name]):] if s.startswith(PREFIX[name]) else s
            dt = decide(f, d["text"], d["id"], d["url"])
            sieve_drops += bool(s)
            dt_drops += bool(dt)
            if dt == s_reason:
                agree += 1
                continue
            # Departure 1: blank-line separated blocks.
            collapsed = re.sub(r"\n\s*\n+", "\n", d["text"])
            if collapsed != d["text"] and decide(builders[name](), collapsed, d["id"], d["url"]) == s_reason:
                traced["blank_line_blocks"] = traced.get("blank_line_blocks", 0) + 1
                traced_examples.append(f"blank_line_blocks: {d['id']} ({d['source']}): sieve {s or 'keep'!r}, datatrove {dt or 'keep'!r}")
                continue
            # Departure 2: UAX#29 words; the rule that differs is word-based.
            if base(s_reason or dt) in WORD_RULES and (not s_reason or not dt or base(s_reason) in WORD_RULES):
                traced["uax29_words"] = traced.get("uax29_words", 0) + 1
                traced_examples.append(f"uax29_words: {d['id']} ({d['source']}): sieve {s or 'keep'!r}, datatrove {dt or 'keep'!r}")
                continue
            untraced.append(f"{d['id']} ({d['source']}): sieve {s or 'keep'!r}, datatrove {dt or 'keep'!r}")
        out["filters"][name] = {
            "agree": agree,
            "share": agree / len(docs) if docs else 0,
            "sieve_drops": sieve_drops,
            "datatrove_drops": dt_drops,
            "traced": traced,
            "untraced": len(untraced),
            "untraced_examples": untraced[:15],
            "traced_examples": traced_examples[:30],
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main(*sys.argv[1:3])
