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
// never drops) and length. Put pii before the filters and c4_quality after
// the ones that should see the uncleaned text.
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
//   - Random choices are deterministic: c4_badwords' keep_fraction draws
//     from a hash of the document id, and pii cycles its placeholders per
//     document, so results do not depend on how work is split.
package filter
