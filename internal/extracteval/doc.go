// Package extracteval measures a main-text extractor against sieve's two
// development sets, so the regression tests in ingest/extract and the
// side-by-side tool in tools/extract-score count the same way.
//
// Two sets, two metrics, both as published:
//
//   - The mozilla/readability test pages in ../shared/testdata/html (130
//     pages, source.html with the expected article as expected.html) are
//     scored by word-level precision, recall and F1: the extracted text and
//     the expected text become bags of lower-cased words (Han, kana and
//     Hangul characters count one by one, since those scripts do not put
//     spaces between words) and the multiset overlap gives P and R. This is
//     the metric of the published extraction comparisons (the ScrapingHub
//     article-extraction benchmark, trafilatura's evaluation); a set's
//     score is the mean of the per-page scores.
//   - trafilatura's annotated comparison set (983 real pages, each with a
//     few snippets the main text must contain and a few it must not) is
//     read from the go-trafilatura module in the Go module cache, not
//     copied into this repository: the annotations are parsed from
//     scripts/comparison/data.go with go/parser, as published. It is
//     scored the way that comparison counts: a "with" snippet found is a
//     true positive, missed a false negative; a "without" snippet found is
//     a false positive, absent a true negative; an empty result finds
//     nothing. Precision, recall, accuracy and F1 come from the counts
//     summed over the set (micro average), as trafilatura reports them.
//
// The package has no dependency on any extractor: callers pass the text
// they extracted.
package extracteval
