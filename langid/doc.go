// Package langid identifies the language of every document: the pipeline
// step "langid" sets Document.Language (ISO 639-1 where the language has
// such a code, else ISO 639-3, in langcode.Canonical's spelling; "und"
// without an answer) and Document.LanguageScore, and "language_filter"
// keeps chosen languages.
//
// Three backends (Config.Backend): "lingua" (below; 75 languages),
// "fasttext" (a fastText language-ID model read by langid/fasttext: the
// embedded lid.176.ftz with 176 languages, or any file such as GlotLID's
// model.bin, whose xxx_Scrp labels come out as code_Script), and
// "combined", the default: lid.176 first on the same sample; its answer
// when it names a language lingua lacks with probability >= 0.5, or is
// sure (>= 0.90) of one of lingua's languages outside the close groups
// lingua separates better (bs/hr/sr, nb/nn/da, id/ms); lingua's answer
// otherwise, and lid.176's again where lingua has none. On lingua's own
// 74,141 test sentences the combined default agrees with lingua alone on
// 99.4% (accuracy 96.2% against lingua's 96.1%), on the real pages on all
// of them, and it identifies Burmese, Amharic, Khmer and the rest of
// lid.176's languages, which lingua cannot name. It runs at lingua's
// documents per CPU-second on real pages and 0.9x on a mix of all 75
// languages. NOTE.md has the per-language tables and speeds.
//
// lingua-go (github.com/pemistahl/lingua-go v1.4.0) is the reference, and
// the answers are its answers: the same rule engine (alphabets and letters
// that name a language, then narrowing by alphabet and shared letters), the
// same n-gram models (read from lingua-go's own embedded model files), the
// same back-off (each language scores an n-gram by its longest prefix the
// language's model holds), the same split between short texts (1- to
// 5-grams, divided by the unigram count) and texts of 120 letters or more
// (trigrams only), and the same confidence, a softmax over the summed
// log-probabilities. What changes is the machinery: n-grams are packed into
// integer keys (12 bits a letter, length on top), every language's
// probability of one n-gram sits in one slot of a shared open-addressing
// table of float32 log-probabilities, and bigram and trigram entries already
// hold each language's back-off, so a trigram costs one look-up and no
// allocation. lingua-go spends its time in string-keyed map look-ups per
// language and in math/big decimals for the softmax; here the softmax is
// computed in log space in float64.
//
// Long documents are sampled: Config.MaxChars (default 1,000) characters in
// windows of 250 spread from start to end. On the shared real pages and
// 4,000-character texts in all 75 languages the sampled answer agrees with
// lingua-go on the whole text in at least 99% of cases (TestSampledAgreesWith
// Lingua); examining all of the text (MaxChars -1) gives lingua's answer
// and confidence exactly on every test text (TestMatchesLingua). NOTE.md
// has the measured speed, memory, agreement and accuracy figures.
//
// Known differences from lingua-go: ties between equally frequent alphabets
// are broken by alphabet order (lingua: at random), and 181 model n-grams
// that mix a Han, Hangul or kana letter into a longer n-gram are left out:
// lingua makes those letters words of their own, so they can only match a
// text where a run of other letters runs on into Han.
package langid
