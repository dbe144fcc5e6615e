package stats

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/sieve-data/sieve/ingest/warc"
)

// Report is what report.json holds: the numbers of report.md and
// report.html, derived from a Collector (and an optional Reference) once,
// so the three files cannot disagree.
type Report struct {
	Format    int           `json:"format"`
	Run       RunSummary    `json:"run"`
	Summary   Summary       `json:"summary"`
	Languages []LanguageRow `json:"languages"`
	Reference string        `json:"reference,omitempty"`
	// ReferenceNote says what the reference's figures are.
	ReferenceNote string `json:"reference_note,omitempty"`
	// ReferenceOmitted counts the reference languages absent from the
	// corpus whose reference share is under MinListedRefShare (not listed
	// in Languages); ReferenceOmittedShare is their summed share.
	ReferenceOmitted      int          `json:"reference_omitted,omitempty"`
	ReferenceOmittedShare float64      `json:"reference_omitted_share,omitempty"`
	Domains               KeyTable     `json:"domains"`
	TLDs                  KeyTable     `json:"tlds"`
	Funnel                []FunnelStep `json:"funnel"`
	// Time is where the run's time went: each step and each phase
	// outside the steps (Collector.TimeRows).
	Time []TimeRow `json:"time"`
	// Sites is the UT1 site-category table.
	Sites SiteSection `json:"site_categories"`
	// Classifiers are the fasttext_classifier steps' best-label mixes.
	Classifiers []ClassifierSection `json:"classifiers,omitempty"`
	// FilterLanguages is the filters × languages table.
	FilterLanguages FilterLanguages `json:"filters_by_language"`
	Lengths         LengthSection   `json:"lengths"`
	Dedup           DedupSection    `json:"dedup"`
	Files           FilesSection    `json:"files"`
	Notes           []string        `json:"notes"`
	Skipped         []CountRow      `json:"skipped"`
	Records         []CountRow      `json:"records_by_type"`
}

// RunSummary describes the run. Its rates are the ones `sieve run`'s
// closing line gives: input HTML pages (documents that entered the
// pipeline) and MB of uncompressed WARC per second of wall time.
type RunSummary struct {
	RunInfo
	PagesPerSec  float64 `json:"pages_per_sec"`
	WARCMBPerSec float64 `json:"warc_mb_per_sec"`
	// DocsPerSec is kept (written) documents per second; MBPerSec is input
	// file bytes (compressed as stored) per second.
	DocsPerSec float64 `json:"docs_per_sec"`
	MBPerSec   float64 `json:"mb_per_sec"`
}

// Summary holds the corpus-wide totals.
type Summary struct {
	Files          int     `json:"files"`
	InputBytes     int64   `json:"input_bytes"`
	Records        int64   `json:"records"`
	HTMLResponses  int64   `json:"html_responses"`
	DocumentsRead  int64   `json:"documents_read"`
	DocsKept       int64   `json:"docs_kept"`
	DocsDropped    int64   `json:"docs_dropped"`
	DedupRemoved   int64   `json:"dedup_removed"`
	Chars          int64   `json:"chars"`
	Bytes          int64   `json:"bytes"`
	Words          int64   `json:"words"`
	Tokens         int64   `json:"tokens"`
	TokenDocs      int64   `json:"token_docs"`
	Languages      int     `json:"languages"`
	Damaged        int64   `json:"damaged"`
	TokensPer1000  float64 `json:"tokens_per_1000_chars"`
	MeanDocChars   float64 `json:"mean_doc_chars"`
	KeptShareOfDoc float64 `json:"kept_share_of_documents_read"`
}

// LanguageRow is one line of the language table. Shares are fractions of
// the kept corpus (0 to 1).
type LanguageRow struct {
	Language           string   `json:"language"`
	Name               string   `json:"name"`
	Docs               int64    `json:"docs"`
	DocShare           float64  `json:"doc_share"`
	Chars              int64    `json:"chars"`
	CharShare          float64  `json:"char_share"`
	Tokens             int64    `json:"tokens"`
	TokenShare         float64  `json:"token_share"`
	Bytes              int64    `json:"bytes"`
	Words              int64    `json:"words"`
	MeanScore          float64  `json:"mean_score"`
	TokensPer1000Chars float64  `json:"tokens_per_1000_chars"`
	RefShare           *float64 `json:"ref_share,omitempty"`
	// Diff is DocShare minus RefShare; Ratio is DocShare / RefShare (nil
	// when the reference share is 0).
	Diff  *float64 `json:"diff,omitempty"`
	Ratio *float64 `json:"ratio,omitempty"`
	// LongTail marks a language under LongTailShare of the kept documents.
	LongTail bool `json:"long_tail"`
	// TokenCoverage is the share of the language's kept documents that had
	// a token count; RelTokens is TokensPer1000Chars over English's (nil
	// without English tokens or without this language's).
	TokenCoverage float64  `json:"token_coverage"`
	RelTokens     *float64 `json:"tokens_rel_english,omitempty"`
}

// LongTailShare is the kept-document share under which a language is
// marked as long tail.
const LongTailShare = 0.01

// MinListedRefShare is the reference share from which a reference language
// absent from the corpus still gets a row (with 0 documents); smaller ones
// are counted in Report.ReferenceOmitted.
const MinListedRefShare = 0.001

// KeyTable is the top of a TopK summary.
type KeyTable struct {
	Rows      []KeyRow `json:"rows"`
	Tracked   int      `json:"tracked"`
	Total     int64    `json:"total_docs"`
	Bound     int64    `json:"untracked_bound"`
	Exact     bool     `json:"exact"`
	ErrorNote string   `json:"error_note"`
}

// KeyRow is one domain or TLD.
type KeyRow struct {
	Key      string  `json:"key"`
	Docs     int64   `json:"docs"`
	Err      int64   `json:"err"`
	Chars    int64   `json:"chars"`
	DocShare float64 `json:"doc_share"`
}

// FunnelStep is one step of the filter funnel.
type FunnelStep struct {
	Step       string      `json:"step"`
	In         int64       `json:"in"`
	Out        int64       `json:"out"`
	Dropped    int64       `json:"dropped"`
	Reasons    []ReasonRow `json:"reasons,omitempty"`
	Seconds    float64     `json:"seconds"`
	DocsPerSec float64     `json:"docs_per_sec"`
	MBPerSec   float64     `json:"mb_per_sec"`
}

// ReasonRow is one drop reason of a step.
type ReasonRow struct {
	Reason   string    `json:"reason"`
	Docs     int64     `json:"docs"`
	Chars    int64     `json:"chars"`
	Examples []Example `json:"examples,omitempty"`
}

// LengthSection holds the length histograms.
type LengthSection struct {
	Buckets []string    `json:"buckets"`
	Rows    []LengthRow `json:"rows"`
}

// LengthRow is one language's histograms ("all" for the whole corpus).
type LengthRow struct {
	Language string  `json:"language"`
	Chars    []int64 `json:"chars"`
	Words    []int64 `json:"words"`
}

// DedupSection reports deduplication.
type DedupSection struct {
	DocsIn   int64      `json:"docs_in"`
	Removed  []CountRow `json:"removed"`
	Clusters []SizeRow  `json:"clusters"`
}

// SizeRow is how many duplicate clusters had a size.
type SizeRow struct {
	Size     int64 `json:"size"`
	Clusters int64 `json:"clusters"`
}

// CountRow is a named count.
type CountRow struct {
	Name  string `json:"name"`
	Count int64  `json:"count"`
}

// FilesSection reports input files; Rows lists the files with damage or
// skipped records (at most MaxFileRows).
type FilesSection struct {
	Files       int       `json:"files"`
	WithDamage  int       `json:"with_damage"`
	Damaged     int64     `json:"damaged"`
	Rows        []FileRow `json:"rows"`
	RowsOmitted int       `json:"rows_omitted"`
}

// FileRow is one input file.
type FileRow struct {
	Path          string        `json:"path"`
	Bytes         int64         `json:"bytes"`
	Records       int64         `json:"records"`
	HTMLResponses int64         `json:"html_responses"`
	Documents     int64         `json:"documents"`
	Skipped       int64         `json:"skipped"`
	DamagedCount  int64         `json:"damaged_count"`
	Damaged       []warc.Damage `json:"damaged,omitempty"`
}

// MaxFileRows bounds the file table.
const MaxFileRows = 200

// MaxTableRows bounds the domain and TLD tables of the report.
const MaxTableRows = 50

// BuildReport derives the report from c and an optional reference.
func BuildReport(c *Collector, ref *Reference) *Report {
	c.normalize()
	r := &Report{Format: FormatVersion}
	r.Run = RunSummary{RunInfo: c.Run, DocsPerSec: c.Run.DocsPerSec(), MBPerSec: c.Run.MBPerSec()}
	if in := c.InputTotals(); c.Run.ElapsedSecs > 0 {
		r.Run.PagesPerSec = float64(in.Documents) / c.Run.ElapsedSecs
		r.Run.WARCMBPerSec = float64(in.UncompressedBytes) / 1e6 / c.Run.ElapsedSecs
	}
	r.buildSummary(c)
	r.buildLanguages(c, ref)
	r.Domains = keyTable(c.Domains, "registered domains")
	r.TLDs = keyTable(c.TLDs, "TLDs")
	r.buildFunnel(c)
	r.Time = c.TimeRows()
	r.buildFilterLanguages(c)
	r.buildSites(c)
	r.buildClassifiers(c)
	r.buildLengths(c)
	r.buildDedup(c)
	r.buildFiles(c)
	r.Notes = []string{
		"Shares are of the kept documents (after filters and dedup). Characters are Unicode code points; words are white-space separated runs (a whole sentence in Chinese, Japanese or Thai).",
		fmt.Sprintf("Tokens are cl100k_base (tiktoken) counts, available for %d of %d kept documents.", c.Kept.TokenDocs, c.Kept.Docs),
		r.Domains.ErrorNote,
		"Drop examples are the documents whose ID hashes lowest for each reason, so any split of the work shows the same ones.",
	}
	return r
}

func share(n, total int64) float64 {
	if total == 0 {
		return 0
	}
	return float64(n) / float64(total)
}

func (r *Report) buildSummary(c *Collector) {
	s := &r.Summary
	s.Files = len(c.Files)
	skipped := map[string]int64{}
	types := map[string]int64{}
	for _, f := range c.Files {
		s.InputBytes += f.CompressedBytes
		s.Records += f.Records
		s.HTMLResponses += f.HTMLResponses
		s.DocumentsRead += f.Documents
		s.Damaged += f.DamagedCount
		for k, v := range f.Skipped {
			skipped[k] += v
		}
		for k, v := range f.RecordsByType {
			types[k] += v
		}
	}
	if s.InputBytes == 0 {
		s.InputBytes = c.Run.InputBytes
	}
	r.Skipped = countRows(skipped)
	r.Records = countRows(types)
	for _, d := range c.Drops {
		s.DocsDropped += d.Docs
	}
	s.DedupRemoved = c.Dedup.RemovedTotal()
	k := c.Kept
	s.DocsKept, s.Chars, s.Bytes, s.Words, s.Tokens, s.TokenDocs = k.Docs, k.Chars, k.Bytes, k.Words, k.Tokens, k.TokenDocs
	s.Languages = len(c.Languages)
	s.TokensPer1000 = k.TokensPer1000Chars()
	if k.Docs > 0 {
		s.MeanDocChars = float64(k.Chars) / float64(k.Docs)
	}
	s.KeptShareOfDoc = share(k.Docs, s.DocumentsRead)
}

func countRows(m map[string]int64) []CountRow {
	rows := make([]CountRow, 0, len(m))
	for k, v := range m {
		rows = append(rows, CountRow{k, v})
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Count != rows[j].Count {
			return rows[i].Count > rows[j].Count
		}
		return rows[i].Name < rows[j].Name
	})
	return rows
}

func (r *Report) buildLanguages(c *Collector, ref *Reference) {
	k := c.Kept
	seen := map[string]bool{}
	for lang, ls := range c.Languages {
		seen[lang] = true
		row := LanguageRow{
			Language: lang, Docs: ls.Docs, DocShare: share(ls.Docs, k.Docs),
			Chars: ls.Chars, CharShare: share(ls.Chars, k.Chars),
			Tokens: ls.Tokens, TokenShare: share(ls.Tokens, k.Tokens),
			Bytes: ls.Bytes, Words: ls.Words, MeanScore: ls.MeanScore(),
			TokensPer1000Chars: ls.TokensPer1000Chars(),
			TokenCoverage:      share(ls.TokenDocs, ls.Docs),
		}
		row.LongTail = row.Docs > 0 && row.DocShare < LongTailShare
		r.Languages = append(r.Languages, row)
	}
	if en := c.Languages["en"]; en != nil && en.TokenChars > 0 && en.Tokens > 0 {
		base := en.TokensPer1000Chars()
		for i := range r.Languages {
			if l := &r.Languages[i]; l.TokensPer1000Chars > 0 {
				rel := l.TokensPer1000Chars / base
				l.RelTokens = &rel
			}
		}
	}
	defer func() {
		for i := range r.Languages {
			r.Languages[i].Name = LanguageName(r.Languages[i].Language)
		}
	}()
	if ref != nil {
		r.Reference = ref.Name
		r.ReferenceNote = ref.Note
		for lang, rs := range ref.Shares {
			if seen[NormalizeLanguage(lang)] || seen[lang] {
				continue
			}
			if rs < MinListedRefShare {
				r.ReferenceOmitted++
				r.ReferenceOmittedShare += rs
				continue
			}
			r.Languages = append(r.Languages, LanguageRow{Language: lang})
		}
		for i := range r.Languages {
			row := &r.Languages[i]
			rs, ok := ref.Shares[NormalizeLanguage(row.Language)]
			if !ok {
				rs = ref.Shares[row.Language]
			}
			d := row.DocShare - rs
			row.RefShare, row.Diff = &rs, &d
			if rs > 0 {
				q := row.DocShare / rs
				row.Ratio = &q
			}
		}
	}
	sort.Slice(r.Languages, func(i, j int) bool {
		a, b := r.Languages[i], r.Languages[j]
		if a.Docs != b.Docs {
			return a.Docs > b.Docs
		}
		if a.RefShare != nil && b.RefShare != nil && *a.RefShare != *b.RefShare {
			return *a.RefShare > *b.RefShare
		}
		return a.Language < b.Language
	})
}

func keyTable(t *TopK, what string) KeyTable {
	es := t.Entries()
	kt := KeyTable{Tracked: len(es), Total: t.Total(), Bound: t.Bound(), Exact: t.Exact()}
	for i, e := range es {
		if i >= MaxTableRows {
			break
		}
		kt.Rows = append(kt.Rows, KeyRow{Key: e.Key, Docs: e.Docs, Err: e.Err, Chars: e.Chars, DocShare: share(e.Docs, t.Total())})
	}
	if kt.Exact {
		kt.ErrorNote = fmt.Sprintf("Counts of %s are exact (%d distinct, fewer than the %d tracked).", what, len(es), t.k)
	} else {
		kt.ErrorNote = fmt.Sprintf("Counts of %s come from a space-saving top-%d summary: a listed count may exceed the true count by at most its err column, and any %s not tracked has at most %d documents.", what, t.k, what, t.Bound())
	}
	return kt
}

func (r *Report) buildFunnel(c *Collector) {
	for _, s := range c.Steps {
		f := FunnelStep{Step: s.Name, In: s.In, Out: s.Out, Dropped: s.In - s.Out, Seconds: float64(s.Nanos) / 1e9}
		if f.Seconds > 0 {
			f.DocsPerSec = float64(s.In) / f.Seconds
			f.MBPerSec = float64(s.Bytes) / 1e6 / f.Seconds
		}
		for _, reason := range s.DropReasons() {
			row := ReasonRow{Reason: reason, Docs: s.Dropped[reason]}
			if d := c.Drops[s.Name+": "+reason]; d != nil {
				row.Chars = d.Chars
				row.Examples = d.Examples
			}
			f.Reasons = append(f.Reasons, row)
		}
		r.Funnel = append(r.Funnel, f)
	}
	// Drops observed without step metrics (e.g. merged from a run that
	// did not record them) still appear.
	known := map[string]bool{}
	for _, s := range c.Steps {
		known[s.Name] = true
	}
	var extra []string
	for key, d := range c.Drops {
		if !known[d.Step] {
			extra = append(extra, key)
		}
	}
	sort.Strings(extra)
	for _, key := range extra {
		d := c.Drops[key]
		r.Funnel = append(r.Funnel, FunnelStep{Step: d.Step, In: d.Docs, Dropped: d.Docs,
			Reasons: []ReasonRow{{Reason: d.Reason, Docs: d.Docs, Chars: d.Chars, Examples: d.Examples}}})
	}
	if c.Dedup.DocsIn > 0 {
		rm := c.Dedup.RemovedTotal()
		f := FunnelStep{Step: "dedup", In: c.Dedup.DocsIn, Out: c.Dedup.DocsIn - rm, Dropped: rm}
		for _, row := range countRows(c.Dedup.Removed) {
			f.Reasons = append(f.Reasons, ReasonRow{Reason: row.Name, Docs: row.Count})
		}
		r.Funnel = append(r.Funnel, f)
	}
}

// maxLengthLanguages bounds the per-language histograms in the report.
const maxLengthLanguages = 12

func (r *Report) buildLengths(c *Collector) {
	for i := range LengthBounds {
		r.Lengths.Buckets = append(r.Lengths.Buckets, BucketLabel(i))
	}
	r.Lengths.Buckets = append(r.Lengths.Buckets, BucketLabel(len(LengthBounds)))
	all := c.Kept
	all.CharHist.Merge(Histogram{})
	all.WordHist.Merge(Histogram{})
	r.Lengths.Rows = append(r.Lengths.Rows, LengthRow{Language: "all", Chars: all.CharHist.Counts, Words: all.WordHist.Counts})
	for _, row := range r.Languages {
		if len(r.Lengths.Rows) > maxLengthLanguages {
			break
		}
		ls := c.Languages[row.Language]
		if ls == nil || ls.Docs == 0 {
			continue
		}
		ls.CharHist.Merge(Histogram{})
		ls.WordHist.Merge(Histogram{})
		r.Lengths.Rows = append(r.Lengths.Rows, LengthRow{Language: row.Language, Chars: ls.CharHist.Counts, Words: ls.WordHist.Counts})
	}
}

func (r *Report) buildDedup(c *Collector) {
	r.Dedup.DocsIn = c.Dedup.DocsIn
	r.Dedup.Removed = countRows(c.Dedup.Removed)
	for size, n := range c.Dedup.ClusterSizes {
		r.Dedup.Clusters = append(r.Dedup.Clusters, SizeRow{size, n})
	}
	sort.Slice(r.Dedup.Clusters, func(i, j int) bool { return r.Dedup.Clusters[i].Size < r.Dedup.Clusters[j].Size })
}

func (r *Report) buildFiles(c *Collector) {
	r.Files.Files = len(c.Files)
	for _, f := range c.Files {
		var skipped int64
		for _, v := range f.Skipped {
			skipped += v
		}
		r.Files.Damaged += f.DamagedCount
		if f.DamagedCount > 0 {
			r.Files.WithDamage++
		}
		if f.DamagedCount == 0 {
			continue
		}
		if len(r.Files.Rows) >= MaxFileRows {
			r.Files.RowsOmitted++
			continue
		}
		r.Files.Rows = append(r.Files.Rows, FileRow{Path: f.Path, Bytes: f.CompressedBytes, Records: f.Records,
			HTMLResponses: f.HTMLResponses, Documents: f.Documents, Skipped: skipped,
			DamagedCount: f.DamagedCount, Damaged: f.Damaged})
	}
}

// WriteReport writes report.json, report.md and report.html into dir, each
// atomically.
func WriteReport(dir string, c *Collector, ref *Reference) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	r := BuildReport(c, ref)
	js, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		return err
	}
	md := r.Markdown()
	html, err := r.HTML()
	if err != nil {
		return err
	}
	for name, data := range map[string][]byte{"report.json": js, "report.md": []byte(md), "report.html": html} {
		if err := writeAtomic(filepath.Join(dir, name), data); err != nil {
			return fmt.Errorf("writing %s: %w", name, err)
		}
	}
	return nil
}
