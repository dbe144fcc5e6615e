// Package filter holds sieve's quality heuristics: the rules C4, Gopher
// (MassiveText) and FineWeb used to clean Common Crawl, with datatrove's
// semantics and defaults, plus URL block/allow lists, PII masking and
// length limits.
//
// Every filter measures a document once, stores each measure as a quality
// signal (also for kept documents, as RedPajama-V2 does), and takes its
// decision from those signals alone (Decide), so a run can be re-filtered
// with other thresholds without re-reading the crawl.
//
// All filters share one analysis of the text (Analysis: lines, paragraphs,
// UAX#29 words) cached in Document.Analysis.
//
// Step types: gopher_quality, gopher_repetition, fineweb_quality,
// c4_quality (changes Text), c4_badwords, url_filter, pii (changes Text,
// never drops), length and fasttext_classifier (any supervised fastText
// model, datatrove's FastTextClassifierFilter in document mode; see
// FastTextClassifier for its departures). Put pii before the filters and
// c4_quality after the ones that should see the uncleaned text.
//
// Departures from datatrove, and why:
//   - Words come from Unicode (UAX#29) word segmentation instead of NLTK's
//     English tokenizer, so spaceless scripts are not one giant word. UAX#29
//     has no dictionary: a Han character or a kana is one word, Thai is split
//     per grapheme. Rules that cannot work on such words are switched off per
//     language (see data/languages.yaml) and counted as
//     rule_off_for_language:<rule>:<lang>. Hyphenated compounds are glued
//     back into one word, as NLTK keeps them.
//   - sieve's Text separates blocks with a blank line, trafilatura's (which
//     FineWeb's thresholds were tuned on) does not. Line rules therefore look
//     at non-empty lines only and count a run of newlines as one newline.
//   - Parameters for where datatrove has changed since FineWeb v1 or where
//     sieve offers another reading; each has a test showing both behaviours,
//     and datatrove_conformance_test.go runs datatrove's own 33 filter-test
//     cases (all agree with the defaults):
//     url_filter match: exact (default; datatrove: a listed registered
//     domain blocks its subdomains, a listed host only itself) or parents
//     (a listed host also blocks the hosts below it, as squidGuard reads UT1
//     lists). fineweb_quality comparison: inclusive (default; FineWeb v1: a
//     ratio equal to its threshold drops) or strict (datatrove since PR
//     #285). gopher_quality stop_word_count: occurrences (default; FineWeb
//     v1's datatrove counts every stop-word token) or distinct (datatrove
//     since PR #329 counts different stop words). fineweb_quality
//     end_punctuation: empty is FineWeb v1's line-end set (. ' " ! ?), a
//     list replaces it for languages without their own set in
//     data/languages.yaml (FineWeb-2's sets stay per language).
//     url_filter word_case: sensitive (default; datatrove splits the URL as
//     written, so upper-case words never meet its lower-case lists) or
//     insensitive (the URL lower-cased first). Soft words count once each,
//     as datatrove's set of URL words does.
//     match, word_case, block_categories, stop_word_count and
//     end_punctuation change what is measured (the stored signals), not
//     only the decision: a refilter with other values of them needs a new
//     run.
//   - gopher_quality's stop_words, when set to another list than Gopher's,
//     are used for default_language even when the language table has a
//     list for it (they used to be ignored there).
//   - Random choices are deterministic: c4_badwords' keep_fraction draws
//     from a hash of the document id, and pii cycles its placeholders per
//     document, so results do not depend on how work is split.
package filter
