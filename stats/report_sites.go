package stats

import (
	"sort"

	"github.com/sieve-data/sieve/data"
)

// SiteSection is the site-category table: kept documents and tokens per
// UT1 category, over all languages and for the largest languages. A
// document may be in several categories or in none, so the rows do not add
// up to the corpus.
type SiteSection struct {
	LookedUp         int64   `json:"docs_looked_up"`
	Categorized      int64   `json:"docs_categorized"`
	CategorizedShare float64 `json:"categorized_share"`
	// Languages are the columns of the per-language part (the largest
	// languages of the kept corpus, at most maxSiteLanguages).
	Languages []string  `json:"languages"`
	Rows      []SiteRow `json:"rows"`
}

// SiteRow is one category. ByLanguage aligns with SiteSection.Languages;
// its shares are of that language's kept documents.
type SiteRow struct {
	Category    string         `json:"category"`
	Description string         `json:"description,omitempty"`
	Docs        int64          `json:"docs"`
	DocShare    float64        `json:"doc_share"`
	Tokens      int64          `json:"tokens"`
	TokenShare  float64        `json:"token_share"`
	ByLanguage  []SiteLangCell `json:"by_language"`
}

// SiteLangCell is one category's documents and tokens in one language.
type SiteLangCell struct {
	Docs     int64   `json:"docs"`
	Tokens   int64   `json:"tokens"`
	DocShare float64 `json:"doc_share"`
}

// maxSiteLanguages bounds the per-language columns of the site table.
const maxSiteLanguages = 6

// siteNote explains the table in both renderings.
const siteNote = "Site categories are UT1's web-site lists (Université Toulouse Capitole, CC BY-SA 4.0; shipped in data/ut1): a kept document counts in every category whose list holds its host or a parent domain of it, so a document may be in several or none. The lists lean to French and English sites and are a coarse signal, not ground truth. Shares are of the kept documents (of the language's, per language)."

func (r *Report) buildSites(c *Collector) {
	s := &r.Sites
	s.LookedUp, s.Categorized = c.SitesLookedUp, c.SitesCategorized
	s.CategorizedShare = share(c.SitesCategorized, c.SitesLookedUp)
	for _, l := range r.Languages {
		if len(s.Languages) >= maxSiteLanguages || l.Docs == 0 {
			break
		}
		s.Languages = append(s.Languages, l.Language)
	}
	var cats *data.SiteCategories
	if len(c.Sites) > 0 {
		cats, _ = data.UT1()
	}
	for name, ss := range c.Sites {
		row := SiteRow{Category: name, Docs: ss.Docs, DocShare: share(ss.Docs, c.Kept.Docs),
			Tokens: ss.Tokens, TokenShare: share(ss.Tokens, c.Kept.Tokens)}
		if cats != nil {
			row.Description = cats.Description(name)
		}
		for _, lang := range s.Languages {
			var cell SiteLangCell
			if lc := ss.Languages[lang]; lc != nil {
				cell = SiteLangCell{Docs: lc.Docs, Tokens: lc.Tokens}
			}
			if ls := c.Languages[lang]; ls != nil {
				cell.DocShare = share(cell.Docs, ls.Docs)
			}
			row.ByLanguage = append(row.ByLanguage, cell)
		}
		s.Rows = append(s.Rows, row)
	}
	sort.Slice(s.Rows, func(i, j int) bool {
		a, b := s.Rows[i], s.Rows[j]
		if a.Docs != b.Docs {
			return a.Docs > b.Docs
		}
		return a.Category < b.Category
	})
}
