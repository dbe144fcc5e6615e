package stats

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"strconv"
)

//go:embed report.html.tmpl
var reportTemplate string

// maxChartRows bounds the bars of one chart.
const maxChartRows = 25

var funcs = template.FuncMap{
	"int":         FormatInt,
	"share":       FormatShare,
	"diff":        FormatDiff,
	"float":       FormatFloat,
	"score":       FormatScore,
	"bytes":       formatBytes,
	"deref":       deref,
	"raw":         func(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) },
	"int0":        func(n int) string { return FormatInt(int64(n)) },
	"rates":       tokenRateRows,
	"add":         func(a, b int) int { return a + b },
	"summaryRows": func(s Summary) [][2]string { return summaryRows(s) },
	"ratio":       FormatRatio,
	"heat":        func(f float64) template.CSS { return heatStyle(f, 180, 35, 24) },
	"keep":        func(f float64) template.CSS { return heatStyle(f, 26, 127, 55) },
}

// heatStyle colours a heat-map cell: the share f as the opacity of one
// colour, with white text once the cell is dark.
func heatStyle(f float64, r, g, b int) template.CSS {
	f = min(max(f, 0), 1)
	a := 0.08 + 0.85*f
	if f == 0 {
		a = 0
	}
	fg := ""
	if a > 0.55 {
		fg = ";color:#fff"
	}
	return template.CSS(fmt.Sprintf("background:rgba(%d,%d,%d,%.2f)%s", r, g, b, a, fg))
}

// AllRows is the corpus-wide row followed by the language rows.
func (fl FilterLanguages) AllRows() []FilterLanguageRow {
	return append([]FilterLanguageRow{fl.All}, fl.Rows...)
}

// Note is the table's explanation.
func (fl FilterLanguages) Note() string { return fl.note() }

// IsFlagged says whether step i is flagged for the row (for the template).
func (row FilterLanguageRow) IsFlagged(i int) bool {
	if ss := row.stepsRef; i < len(ss) {
		return row.flagged(ss[i])
	}
	return false
}

var htmlTemplate = template.Must(template.New("report").Funcs(funcs).Parse(reportTemplate))

// htmlView is the template's data: the report plus its charts.
type htmlView struct {
	*Report
	LanguageChart template.HTML
	RateChart     template.HTML
	DomainChart   template.HTML
	TLDChart      template.HTML
	FunnelChart   template.HTML
	CharHist      template.HTML
	WordHist      template.HTML
	ClusterChart  template.HTML
	// OpenReasons shows the drop examples unfolded when there are few.
	OpenReasons bool
	SiteChart   template.HTML
	SiteNote    string
	// Constants shown in the notes.
	LongTailShare, MinListedRefShare float64
}

// HTML renders the report as one self-contained page: inline CSS, inline
// SVG charts, a few lines of inline script (table sorting), no network.
func (r *Report) HTML() ([]byte, error) {
	v := htmlView{Report: r, LongTailShare: LongTailShare, MinListedRefShare: MinListedRefShare}
	for i := range r.FilterLanguages.Rows {
		r.FilterLanguages.Rows[i].stepsRef = r.FilterLanguages.Steps
	}
	r.FilterLanguages.All.stepsRef = r.FilterLanguages.Steps
	langs := r.Languages
	if len(langs) > maxChartRows {
		langs = langs[:maxChartRows]
	}
	var labels []string
	docS := series{Name: "documents", Color: palette[0]}
	charS := series{Name: "characters", Color: palette[1]}
	tokS := series{Name: "tokens", Color: palette[2]}
	refS := series{Name: "reference share", Color: palette[3]}
	for _, l := range langs {
		labels = append(labels, langLabel(l))
		docS.Values = append(docS.Values, l.DocShare)
		charS.Values = append(charS.Values, l.CharShare)
		tokS.Values = append(tokS.Values, l.TokenShare)
		refS.Values = append(refS.Values, deref(l.RefShare))
	}
	ss := []series{docS, charS, tokS}
	if r.Reference != "" {
		ss = append(ss, refS)
	}
	v.LanguageChart = hbarChart("Share of documents, characters and tokens by language", labels, ss, FormatShare)

	rates := tokenRateRows(r.Languages)
	if len(rates) > maxChartRows {
		rates = rates[:maxChartRows]
	}
	labels = nil
	rs := series{Name: "tokens per 1,000 characters", Color: palette[2]}
	for _, l := range rates {
		labels = append(labels, langLabel(l))
		rs.Values = append(rs.Values, l.TokensPer1000Chars)
	}
	v.RateChart = hbarChart("Tokens per 1,000 characters by language", labels, []series{rs}, FormatFloat)

	v.SiteNote = siteNote
	if rows := r.Sites.Rows; len(rows) > 0 {
		var labels []string
		docs := series{Name: "share of documents", Color: palette[0]}
		toks := series{Name: "share of tokens", Color: palette[2]}
		for i, row := range rows {
			if i >= maxChartRows {
				break
			}
			labels = append(labels, row.Category)
			docs.Values = append(docs.Values, row.DocShare)
			toks.Values = append(toks.Values, row.TokenShare)
		}
		v.SiteChart = hbarChart("Kept documents and tokens by site category", labels, []series{docs, toks}, FormatShare)
	}
	v.DomainChart = keyChart("Top registered domains (documents)", r.Domains)
	v.TLDChart = keyChart("Top-level domains (documents)", r.TLDs)

	labels = nil
	in := series{Name: "in", Color: palette[0]}
	out := series{Name: "out", Color: palette[2]}
	for _, f := range r.Funnel {
		labels = append(labels, f.Step)
		in.Values = append(in.Values, float64(f.In))
		out.Values = append(out.Values, float64(f.Out))
	}
	v.FunnelChart = hbarChart("Documents into and out of each step", labels, []series{in, out}, func(f float64) string { return FormatInt(int64(f)) })

	if len(r.Lengths.Rows) > 0 {
		v.CharHist = columnChart("Documents by length in characters", r.Lengths.Buckets, r.Lengths.Rows[0].Chars)
		v.WordHist = columnChart("Documents by length in words", r.Lengths.Buckets, r.Lengths.Rows[0].Words)
	}
	if len(r.Dedup.Clusters) > 0 {
		var ls []string
		var vals []int64
		for _, c := range r.Dedup.Clusters {
			ls = append(ls, FormatInt(c.Size))
			vals = append(vals, c.Clusters)
		}
		v.ClusterChart = columnChart("Duplicate clusters by size", ls, vals)
	}
	reasons := 0
	for _, f := range r.Funnel {
		reasons += len(f.Reasons)
	}
	v.OpenReasons = reasons <= 8
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, v); err != nil {
		return nil, fmt.Errorf("rendering report.html: %w", err)
	}
	return buf.Bytes(), nil
}

func keyChart(title string, kt KeyTable) template.HTML {
	var labels []string
	s := series{Name: "documents", Color: palette[0]}
	for i, row := range kt.Rows {
		if i >= maxChartRows {
			break
		}
		labels = append(labels, row.Key)
		s.Values = append(s.Values, float64(row.Docs))
	}
	return hbarChartW(title, labels, []series{s}, func(f float64) string { return FormatInt(int64(f)) }, 280)
}

// langLabel is "Burmese (my)", or the code alone when it has no name.
func langLabel(l LanguageRow) string {
	if l.Name == "" {
		return l.Language
	}
	return l.Name + " (" + l.Language + ")"
}
