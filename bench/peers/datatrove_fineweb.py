"""datatrove's FineWeb pipeline (examples/fineweb.py, its first stage without
the dedup stages) on local WARC files, one task, one worker:

  WarcReader -> URLFilter -> Trafilatura(favour_precision=True, timeout=60) -> LanguageFilter(en)
  -> GopherRepetitionFilter -> GopherQualityFilter
  -> C4QualityFilter(filter_no_terminal_punct=False) -> FineWebQualityFilter -> JsonlWriter

Usage: python datatrove_fineweb.py WARC_DIR OUT_DIR LID_MODEL

LID_MODEL is a local lid.176 file: the LanguageFilter's download address is
unreachable here, so FT176LID's model URL is pointed at it. Writes
OUT_DIR/output/*.jsonl.gz (the kept documents) and prints one JSON line with
the pages read and kept (from datatrove's stats).
"""
import json
import os
import sys


def main(warc_dir, out_dir, lid_model):
    from datatrove.executor.local import LocalPipelineExecutor
    from datatrove.pipeline.extractors import Trafilatura
    from datatrove.pipeline.filters import (
        C4QualityFilter,
        FineWebQualityFilter,
        GopherQualityFilter,
        GopherRepetitionFilter,
        LanguageFilter,
        URLFilter,
    )
    from datatrove.pipeline.readers import WarcReader
    from datatrove.pipeline.writers.jsonl import JsonlWriter
    from datatrove.utils import lid

    lid.FT176LID.MODEL_URL = "file://" + os.path.abspath(lid_model)

    executor = LocalPipelineExecutor(
        pipeline=[
            WarcReader(warc_dir, glob_pattern="*.warc*", default_metadata={"dump": "bench"}),
            URLFilter(),
            # timeout: datatrove's default (1 s of wall time per page) skipped
            # a third of the corpus's pages on this shared machine; every page
            # is extracted here, as sieve extracts every page.
            Trafilatura(favour_precision=True, timeout=60),
            # English only, as FineWeb (and sieve's side, language_filter
            # languages: [en]); datatrove 0.10's default (None) keeps every
            # language above the threshold.
            LanguageFilter(languages=["en"]),
            GopherRepetitionFilter(),
            GopherQualityFilter(),
            C4QualityFilter(filter_no_terminal_punct=False),
            FineWebQualityFilter(),
            JsonlWriter(os.path.join(out_dir, "output")),
        ],
        tasks=1,
        workers=1,
        logging_dir=os.path.join(out_dir, "logs"),
    )
    executor.run()
    with open(os.path.join(out_dir, "logs", "stats.json")) as f:
        stats = json.load(f)
    print(json.dumps({"stats": stats}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
