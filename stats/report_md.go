package stats

import (
	"fmt"
	"strings"
)

// Markdown renders the report as GitHub-flavoured Markdown.
func (r *Report) Markdown() string {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	cell := func(s string) string { return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s) }

	p("# sieve corpus report\n\n")
	if r.Run.Pipeline != "" {
		p("Pipeline **%s**, %s input files (%s), %d workers, %.1f s: %s docs/s, %s MB/s.\n\n",
			cell(r.Run.Pipeline), FormatInt(int64(r.Run.Inputs)), formatBytes(r.Run.InputBytes), r.Run.Workers,
			r.Run.ElapsedSecs, FormatFloat(r.Run.DocsPerSec), FormatFloat(r.Run.MBPerSec))
	}
	s := r.Summary
	p("## Summary\n\n| measure | value |\n|---|---:|\n")
	for _, kv := range summaryRows(s) {
		p("| %s | %s |\n", kv[0], kv[1])
	}

	p("\n## Languages\n\n")
	if r.Reference != "" {
		p("Compared with the reference distribution **%s** (share of documents).\n\n", cell(r.Reference))
		p("| language | name | docs | doc share | reference share | difference | chars | char share | tokens | token share | tokens/1k chars | mean score |\n")
		p("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	} else {
		p("| language | name | docs | doc share | chars | char share | tokens | token share | tokens/1k chars | mean score |\n")
		p("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	}
	for _, l := range r.Languages {
		if r.Reference != "" {
			p("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", cell(l.Language), cell(l.Name), FormatInt(l.Docs), FormatShare(l.DocShare),
				FormatShare(deref(l.RefShare)), FormatDiff(deref(l.Diff)), FormatInt(l.Chars), FormatShare(l.CharShare),
				FormatInt(l.Tokens), FormatShare(l.TokenShare), FormatFloat(l.TokensPer1000Chars), FormatScore(l.MeanScore))
		} else {
			p("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", cell(l.Language), cell(l.Name), FormatInt(l.Docs), FormatShare(l.DocShare),
				FormatInt(l.Chars), FormatShare(l.CharShare), FormatInt(l.Tokens), FormatShare(l.TokenShare),
				FormatFloat(l.TokensPer1000Chars), FormatScore(l.MeanScore))
		}
	}

	for _, t := range []struct {
		title string
		kt    KeyTable
	}{{"Top registered domains", r.Domains}, {"Top-level domains", r.TLDs}} {
		p("\n## %s\n\n%s\n\n| key | docs | err | doc share | chars |\n|---|---:|---:|---:|---:|\n", t.title, t.kt.ErrorNote)
		for _, row := range t.kt.Rows {
			p("| %s | %s | %s | %s | %s |\n", cell(row.Key), FormatInt(row.Docs), FormatInt(row.Err), FormatShare(row.DocShare), FormatInt(row.Chars))
		}
	}

	p("\n## Filter funnel\n\n| step | in | out | dropped | docs/s | MB/s |\n|---|---:|---:|---:|---:|---:|\n")
	for _, f := range r.Funnel {
		p("| %s | %s | %s | %s | %s | %s |\n", cell(f.Step), FormatInt(f.In), FormatInt(f.Out), FormatInt(f.Dropped), FormatFloat(f.DocsPerSec), FormatFloat(f.MBPerSec))
	}
	p("\n### Drop reasons\n\n| step | reason | docs | chars |\n|---|---|---:|---:|\n")
	for _, f := range r.Funnel {
		for _, rr := range f.Reasons {
			p("| %s | %s | %s | %s |\n", cell(f.Step), cell(rr.Reason), FormatInt(rr.Docs), FormatInt(rr.Chars))
		}
	}
	for _, f := range r.Funnel {
		for _, rr := range f.Reasons {
			if len(rr.Examples) == 0 {
				continue
			}
			p("\n**%s / %s** examples:\n\n", cell(f.Step), cell(rr.Reason))
			for _, ex := range rr.Examples {
				lang := ""
				if ex.Language != "" {
					lang = " (" + cell(ex.Language) + ")"
				}
				p("- <%s>%s: %s\n", ex.URL, lang, cell(ex.Snippet))
			}
		}
	}

	p("\n## Tokens per 1,000 characters\n\n| language | name | tokens/1k chars | tokens | docs |\n|---|---|---:|---:|---:|\n")
	for _, l := range tokenRateRows(r.Languages) {
		p("| %s | %s | %s | %s | %s |\n", cell(l.Language), cell(l.Name), FormatFloat(l.TokensPer1000Chars), FormatInt(l.Tokens), FormatInt(l.Docs))
	}

	p("\n## Document lengths\n\nDocuments per length bucket (characters, then words).\n\n")
	for _, unit := range []string{"chars", "words"} {
		p("| language (%s) | %s |\n|---|%s\n", unit, strings.Join(r.Lengths.Buckets, " | "), strings.Repeat("---:|", len(r.Lengths.Buckets)))
		for _, row := range r.Lengths.Rows {
			vals := row.Chars
			if unit == "words" {
				vals = row.Words
			}
			cells := make([]string, len(vals))
			for i, v := range vals {
				cells[i] = FormatInt(v)
			}
			p("| %s | %s |\n", cell(row.Language), strings.Join(cells, " | "))
		}
		p("\n")
	}

	p("## Deduplication\n\n")
	if r.Dedup.DocsIn == 0 {
		p("No deduplication step ran.\n")
	} else {
		p("%s documents in.\n\n| method | removed |\n|---|---:|\n", FormatInt(r.Dedup.DocsIn))
		for _, c := range r.Dedup.Removed {
			p("| %s | %s |\n", cell(c.Name), FormatInt(c.Count))
		}
		p("\n| cluster size | clusters |\n|---:|---:|\n")
		for _, c := range r.Dedup.Clusters {
			p("| %s | %s |\n", FormatInt(c.Size), FormatInt(c.Clusters))
		}
	}

	p("\n## Input files\n\n%s files, %s damaged places in %s files.\n\n", FormatInt(int64(r.Files.Files)), FormatInt(r.Files.Damaged), FormatInt(int64(r.Files.WithDamage)))
	if len(r.Records) > 0 {
		p("| record type | records |\n|---|---:|\n")
		for _, c := range r.Records {
			p("| %s | %s |\n", cell(c.Name), FormatInt(c.Count))
		}
		p("\n")
	}
	if len(r.Skipped) > 0 {
		p("| skip reason | records |\n|---|---:|\n")
		for _, c := range r.Skipped {
			p("| %s | %s |\n", cell(c.Name), FormatInt(c.Count))
		}
		p("\n")
	}
	if len(r.Files.Rows) > 0 {
		p("| damaged file | records | documents | damaged | first damage |\n|---|---:|---:|---:|---|\n")
		for _, f := range r.Files.Rows {
			first := ""
			if len(f.Damaged) > 0 {
				first = fmt.Sprintf("at %d: %s", f.Damaged[0].Offset, f.Damaged[0].Msg)
			}
			p("| %s | %s | %s | %s | %s |\n", cell(f.Path), FormatInt(f.Records), FormatInt(f.Documents), FormatInt(f.DamagedCount), cell(first))
		}
		if r.Files.RowsOmitted > 0 {
			p("\n%d more damaged files are in stats.json.\n", r.Files.RowsOmitted)
		}
	}
	p("\n## Notes\n\n")
	for _, n := range r.Notes {
		p("- %s\n", n)
	}
	return b.String()
}

func summaryRows(s Summary) [][2]string {
	return [][2]string{
		{"input files", FormatInt(int64(s.Files))},
		{"input bytes", FormatInt(s.InputBytes)},
		{"WARC records", FormatInt(s.Records)},
		{"HTML responses", FormatInt(s.HTMLResponses)},
		{"documents read", FormatInt(s.DocumentsRead)},
		{"documents dropped by filters", FormatInt(s.DocsDropped)},
		{"documents removed by dedup", FormatInt(s.DedupRemoved)},
		{"documents kept", FormatInt(s.DocsKept)},
		{"characters kept", FormatInt(s.Chars)},
		{"words kept", FormatInt(s.Words)},
		{"tokens kept", FormatInt(s.Tokens)},
		{"tokens per 1,000 characters", FormatFloat(s.TokensPer1000)},
		{"languages", FormatInt(int64(s.Languages))},
		{"damaged places in input", FormatInt(s.Damaged)},
	}
}

func deref(f *float64) float64 {
	if f == nil {
		return 0
	}
	return *f
}

// tokenRateRows are the languages with counted tokens, costliest first.
func tokenRateRows(langs []LanguageRow) []LanguageRow {
	var out []LanguageRow
	for _, l := range langs {
		if l.Tokens > 0 {
			out = append(out, l)
		}
	}
	sortByRate(out)
	return out
}
