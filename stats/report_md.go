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
		p("Pipeline **%s**, %s input files (%s), %d workers, %.1f s: %s pages/s, %s MB/s of WARC.\n\n",
			cell(r.Run.Pipeline), FormatInt(int64(r.Run.Inputs)), formatBytes(r.Run.InputBytes), r.Run.Workers,
			r.Run.ElapsedSecs, FormatFloat(r.Run.PagesPerSec), FormatFloat(r.Run.WARCMBPerSec))
	}
	s := r.Summary
	p("## Summary\n\n| measure | value |\n|---|---:|\n")
	for _, kv := range summaryRows(s) {
		p("| %s | %s |\n", kv[0], kv[1])
	}

	p("\n## Languages\n\n")
	if r.Reference != "" {
		p("Compared with the reference distribution **%s** (share of documents; ratio is this corpus's share over the reference's).", cell(r.Reference))
		if r.ReferenceNote != "" {
			p(" %s", cell(r.ReferenceNote))
		}
		if r.ReferenceOmitted > 0 {
			p(" %d reference languages under %s and absent here (together %s) are not listed.", r.ReferenceOmitted, FormatShare(MinListedRefShare), FormatShare(r.ReferenceOmittedShare))
		}
		p("\n\n")
	}
	p("Languages under %s of the kept documents are marked *long tail*. \"vs en\" is tokens per 1,000 characters over English's; coverage is the share of the language's documents with a token count.\n\n", FormatShare(LongTailShare))
	head := []string{"language", "name", "docs", "doc share", "tail"}
	if r.Reference != "" {
		head = append(head, "reference share", "difference", "ratio")
	}
	head = append(head, "chars", "char share", "tokens", "token share", "tokens/1k chars", "vs en", "token coverage", "mean score")
	p("| %s |\n|---|---|---:|---:|---|%s\n", strings.Join(head, " | "), strings.Repeat("---:|", len(head)-5))
	for _, l := range r.Languages {
		cells := []string{cell(l.Language), cell(l.Name), FormatInt(l.Docs), FormatShare(l.DocShare), FormatTail(l.LongTail)}
		if r.Reference != "" {
			cells = append(cells, FormatShare(deref(l.RefShare)), FormatDiff(deref(l.Diff)), FormatRatio(l.Ratio))
		}
		cells = append(cells, FormatInt(l.Chars), FormatShare(l.CharShare), FormatInt(l.Tokens), FormatShare(l.TokenShare),
			FormatFloat(l.TokensPer1000Chars), FormatRatio(l.RelTokens), FormatShare(l.TokenCoverage), FormatScore(l.MeanScore))
		p("| %s |\n", strings.Join(cells, " | "))
	}

	if st := r.Sites; st.LookedUp > 0 {
		p("\n## Site categories\n\n%s %s of %s kept documents are in at least one category (%s).\n\n", siteNote,
			FormatInt(st.Categorized), FormatInt(st.LookedUp), FormatShare(st.CategorizedShare))
		p("| category | docs | doc share | tokens | token share |")
		for _, l := range st.Languages {
			p(" %s docs | %s share |", cell(l), cell(l))
		}
		p("\n|---|---:|---:|---:|---:|%s\n", strings.Repeat("---:|---:|", len(st.Languages)))
		for _, row := range st.Rows {
			p("| %s | %s | %s | %s | %s |", cell(row.Category), FormatInt(row.Docs), FormatShare(row.DocShare), FormatInt(row.Tokens), FormatShare(row.TokenShare))
			for _, c := range row.ByLanguage {
				p(" %s | %s |", FormatInt(c.Docs), FormatShare(c.DocShare))
			}
			p("\n")
		}
	}
	r.classifiersMarkdown(p, cell)

	if fl := r.FilterLanguages; len(fl.Steps) > 0 {
		p("\n## Filters by language\n\n%s\n\n", cell(fl.note()))
		p("| language | name | read | kept |")
		for _, s := range fl.Steps {
			p(" %s |", cell(s))
		}
		p(" flagged |\n|---|---|---:|---:|%s---|\n", strings.Repeat("---:|", len(fl.Steps)))
		for _, row := range append([]FilterLanguageRow{fl.All}, fl.Rows...) {
			p("| %s | %s | %s | %s |", cell(row.Language), cell(row.Name), FormatInt(row.Read), FormatShare(row.KeptShare))
			for i, sh := range row.StepShares {
				flag := ""
				if row.flagged(fl.Steps[i]) {
					flag = " ⚑"
				}
				p(" %s%s |", FormatShare(sh), flag)
			}
			p(" %s |\n", cell(strings.Join(row.Flagged, ", ")))
		}
		p("\n### Filters by language and reason\n\n| language | name | read |")
		for _, k := range fl.Reasons {
			p(" %s |", cell(k))
		}
		p("\n|---|---|---:|%s\n", strings.Repeat("---:|", len(fl.Reasons)))
		for _, row := range append([]FilterLanguageRow{fl.All}, fl.Rows...) {
			p("| %s | %s | %s |", cell(row.Language), cell(row.Name), FormatInt(row.Read))
			for _, sh := range row.ReasonShares {
				p(" %s |", FormatShare(sh))
			}
			p("\n")
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
	if len(r.Time) > 0 {
		p("\n## Where the time went\n\nWall time, summed over the workers; steps in *italics*.\n\n| what | seconds | share |\n|---|---:|---:|\n")
		for _, t := range r.Time {
			what := cell(t.What)
			if t.Step {
				what = "*" + what + "*"
			}
			p("| %s | %.2f | %s |\n", what, t.Seconds, FormatShare(t.Share))
		}
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
