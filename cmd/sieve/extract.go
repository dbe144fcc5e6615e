package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sieve-data/sieve/ingest/extract"
)

var extractFlags struct {
	json        bool
	contentType string
	format      string
	explain     bool
}

var extractCmd = &cobra.Command{
	Use:   "extract [--json] [--format text|markdown] [--explain] FILE.html|-",
	Short: "Print the main text of one HTML page",
	Long: `Extract reads one HTML page as raw bytes (a file, or - for standard input),
decodes its charset itself (HTTP Content-Type given with --content-type, BOM,
<meta charset>, or by sniffing the bytes) and prints the main text that
sieve run would keep, boilerplate removed: paragraphs separated by blank
lines, list items and table rows on their own lines (cells separated by
" | "), or with --format markdown "#" headings, "-" lists, "|" tables and
fenced code. --json adds the title, the charset and the extraction signals
(blocks kept, share of the page's text kept, link density). --explain
lists every block of the page instead, kept (K) or not, with what was
weighed: its kind, weighted characters, link density, whether it lies in
the container chosen as the article's, and the class/id evidence of its
nearest named ancestor.`,
	Example: `  sieve extract page.html
  curl -s https://example.org/ | sieve extract --json -
  sieve extract --content-type 'text/html; charset=windows-1251' page.html
  sieve extract --format markdown page.html
  sieve extract --explain page.html | grep -v '^K'   # what was dropped, and why`,
	Args: cobra.ExactArgs(1),
	RunE: func(cmd *cobra.Command, args []string) error {
		var in io.Reader = os.Stdin
		if args[0] != "-" {
			f, err := os.Open(args[0])
			if err != nil {
				return usageError{err}
			}
			defer f.Close()
			in = f
		}
		opts := extract.DefaultOptions()
		format, ok := extract.ParseFormat(extractFlags.format)
		if !ok {
			return usageError{fmt.Errorf("--format %q: want text or markdown", extractFlags.format)}
		}
		opts.Format = format
		// Read at most what the extractor would examine, plus one byte to
		// know whether the page was cut.
		raw, err := io.ReadAll(io.LimitReader(in, int64(opts.MaxHTMLBytes)+1))
		if err != nil {
			return err
		}
		if extractFlags.explain {
			return explainPage(cmd.OutOrStdout(), raw, opts)
		}
		res, err := extract.Extract(raw, extractFlags.contentType, opts)
		if err != nil {
			return err
		}
		out := cmd.OutOrStdout()
		if extractFlags.json {
			enc := json.NewEncoder(out)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			return enc.Encode(map[string]any{"title": res.Title, "text": res.Text, "charset": res.Charset, "truncated": res.Truncated,
				"blocks": res.Blocks, "text_share": res.TextShare, "link_density": res.LinkDensity})
		}
		_, err = fmt.Fprintln(out, res.Text)
		return err
	},
}

func init() {
	extractCmd.Flags().BoolVar(&extractFlags.json, "json", false, "print title, text, charset and truncation as JSON")
	extractCmd.Flags().StringVar(&extractFlags.contentType, "content-type", "", "HTTP Content-Type header of the page, for its charset")
	extractCmd.Flags().StringVar(&extractFlags.format, "format", "text", "text or markdown")
	extractCmd.Flags().BoolVar(&extractFlags.explain, "explain", false, "list every block with the decision and the evidence (with --json: as JSON)")
	rootCmd.AddCommand(extractCmd)
}

// explainPage prints extract.Explain's decisions: one line a block, or
// JSON with --json.
func explainPage(out io.Writer, raw []byte, opts extract.Options) error {
	decisions, err := extract.Explain(raw, extractFlags.contentType, opts)
	if err != nil {
		return err
	}
	if extractFlags.json {
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(decisions)
	}
	w := bufio.NewWriter(out)
	fmt.Fprintf(w, "%-4s %-7s %6s %5s %-6s %-8s %-40s %s\n", "kept", "kind", "chars", "links", "region", "hint", "name", "text")
	for _, d := range decisions {
		kept, region := "-", "-"
		if d.Kept {
			kept = "K"
		}
		if d.InRegion {
			region = "yes"
		}
		text := strings.Join(strings.Fields(d.Text), " ")
		if r := []rune(text); len(r) > 80 {
			text = string(r[:80]) + "…"
		}
		name := d.Name
		if r := []rune(name); len(r) > 40 {
			name = string(r[:39]) + "…"
		}
		fmt.Fprintf(w, "%-4s %-7s %6d %5.2f %-6s %-8s %-40s %s\n", kept, d.Kind, d.Chars, d.LinkDensity, region, d.Hint, name, text)
	}
	return w.Flush()
}
