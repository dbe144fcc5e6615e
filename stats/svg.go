package stats

import (
	"fmt"
	"html"
	"html/template"
	"strings"
)

// Charts are plain SVG written here, so report.html needs no script
// library and no network.

// series is one set of bars in a chart.
type series struct {
	Name   string
	Color  string
	Values []float64
}

// palette is colour-blind safe (Okabe-Ito).
var palette = []string{"#0072B2", "#E69F00", "#009E73", "#999999", "#CC79A7", "#56B4E9"}

// hbarChart draws horizontal grouped bars, one group per label.
func hbarChart(title string, labels []string, ss []series, format func(float64) string) template.HTML {
	return hbarChartW(title, labels, ss, format, 560)
}

// hbarChartW is hbarChart with a bar area barAreaW wide (narrower charts
// sit side by side without being scaled down).
func hbarChartW(title string, labels []string, ss []series, format func(float64) string, barAreaW int) template.HTML {
	if len(labels) == 0 {
		return ""
	}
	const labelW, valueW = 150, 90
	barH := 12
	groupH := barH*len(ss) + 8
	legendH := 0
	if len(ss) > 1 {
		legendH = 24
	}
	width := labelW + barAreaW + valueW
	height := legendH + groupH*len(labels) + 10
	maxV := 0.0
	for _, s := range ss {
		for _, v := range s.Values {
			maxV = max(maxV, v)
		}
	}
	if maxV <= 0 {
		maxV = 1
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" role="img" aria-label="%s" viewBox="0 0 %d %d" width="%d" height="%d" xmlns="http://www.w3.org/2000/svg">`,
		html.EscapeString(title), width, height, width, height)
	fmt.Fprintf(&b, `<title>%s</title>`, html.EscapeString(title))
	if len(ss) > 1 {
		x := labelW
		for _, s := range ss {
			fmt.Fprintf(&b, `<rect x="%d" y="6" width="12" height="12" fill="%s"/><text x="%d" y="16" class="lg">%s</text>`,
				x, s.Color, x+16, html.EscapeString(s.Name))
			x += 30 + 7*len(s.Name)
		}
	}
	for i, label := range labels {
		y0 := legendH + i*groupH
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" class="lb">%s</text>`, labelW-6, y0+groupH/2+4, html.EscapeString(truncate(label, 22)))
		for j, s := range ss {
			v := 0.0
			if i < len(s.Values) {
				v = s.Values[i]
			}
			w := int(v / maxV * float64(barAreaW))
			if v > 0 && w < 1 {
				w = 1
			}
			y := y0 + 4 + j*barH
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"><title>%s %s: %s</title></rect>`,
				labelW, y, w, barH-2, s.Color, html.EscapeString(label), html.EscapeString(s.Name), html.EscapeString(format(v)))
			fmt.Fprintf(&b, `<text x="%d" y="%d" class="vl">%s</text>`, labelW+w+4, y+barH-3, html.EscapeString(format(v)))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// columnChart draws one vertical bar per label (a histogram).
func columnChart(title string, labels []string, values []int64) template.HTML {
	if len(labels) == 0 {
		return ""
	}
	const height, top, bottom, left = 220, 20, 54, 50
	colW := 44
	width := left + colW*len(labels) + 10
	var maxV int64 = 1
	for _, v := range values {
		maxV = max(maxV, v)
	}
	plotH := height - top - bottom
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" role="img" aria-label="%s" viewBox="0 0 %d %d" width="%d" height="%d" xmlns="http://www.w3.org/2000/svg">`,
		html.EscapeString(title), width, height, width, height)
	fmt.Fprintf(&b, `<title>%s</title>`, html.EscapeString(title))
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" class="ax"/>`, left, height-bottom, width-5, height-bottom)
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" class="vl">%s</text>`, left-4, top+8, FormatInt(maxV))
	for i, label := range labels {
		var v int64
		if i < len(values) {
			v = values[i]
		}
		h := int(float64(v) / float64(maxV) * float64(plotH))
		if v > 0 && h < 1 {
			h = 1
		}
		x := left + i*colW + 4
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"><title>%s: %s</title></rect>`,
			x, height-bottom-h, colW-8, h, palette[0], html.EscapeString(label), FormatInt(v))
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" transform="rotate(-40 %d %d)" class="lb">%s</text>`,
			x+colW/2, height-bottom+14, x+colW/2, height-bottom+14, html.EscapeString(label))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
