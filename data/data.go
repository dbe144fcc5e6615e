// Package data embeds the reference data sieve ships: Common Crawl's
// published language distribution (the report's default reference) and,
// in ut1/, UT1's web-site category lists (see UT1). Sources and licences are in
// SOURCES.md beside this file and in the repository's NOTICE.
package data

import "embed"

//go:embed commoncrawl/*.csv
var files embed.FS

// CommonCrawlCrawl is the crawl whose language shares are shipped.
const CommonCrawlCrawl = "CC-MAIN-2024-42"

// CommonCrawlLanguages returns the shipped CSV of Common Crawl's language
// table for CommonCrawlCrawl (crawl,primary_language,pages,urls,%pages/crawl).
func CommonCrawlLanguages() []byte {
	b, err := files.ReadFile("commoncrawl/languages-" + CommonCrawlCrawl + ".csv")
	if err != nil {
		panic("data: embedded Common Crawl table missing: " + err.Error())
	}
	return b
}
