package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sieve-data/sieve/langid"
)

// Input bounds of `sieve langid`: a whole input is one document, so it is
// read into memory; a line is one document with --lines.
const (
	langidMaxInput = 256 << 20
	langidMaxLine  = 16 << 20
)

var langidFlags struct {
	backend, model string
	lines          bool
	languages      string
	lowAccuracy    bool
	maxChars       int
}

var langidCmd = &cobra.Command{
	Use:   "langid [--lines] [FILE|-]",
	Short: "Identify the language of a text, or of every line of a file",
	Long: `Langid prints the language of its input (ISO 639-1 where the language has
such a code, else ISO 639-3) and the answering model's confidence, separated
by a tab ("und" and 0 when there are no letters or no clear answer). Without FILE, or with "-", it reads standard input.

The whole input is one document. With --lines every line is a document of its
own and gets a result line, in order (an empty line gives "und"), so a
labelled set is scored in one process.

By default (--backend combined) lingua answers for its 75 languages and
fastText's lid.176 model (embedded) for the other languages it knows, such as
Burmese, Amharic or Khmer; --backend lingua and --backend fasttext use one
model alone, --fasttext-model another fastText model (GlotLID's model.bin
answers code_Script). lingua's answers are lingua-go's (same models, rules
and confidence formula) from a faster scorer. Long documents are sampled: --max-chars characters in
windows spread over the text (-1 examines everything).`,
	Example: `  echo "Der schnelle braune Fuchs springt über den faulen Hund." | sieve langid
  sieve langid page.txt
  sieve langid --lines sentences.txt > predictions.tsv
  sieve langid --lines --languages en,de,fr,es - < mixed.txt
  sieve langid --backend fasttext --fasttext-model glotlid/model.bin page.txt
  sieve langid --low-accuracy --max-chars -1 book.txt`,
	Args: cobra.MaximumNArgs(1),
	RunE: runLangid,
}

func init() {
	f := langidCmd.Flags()
	f.BoolVar(&langidFlags.lines, "lines", false, "one document per input line, one result per line")
	f.StringVar(&langidFlags.languages, "languages", "", "comma-separated candidate languages, ISO 639-1 (default all 75)")
	f.BoolVar(&langidFlags.lowAccuracy, "low-accuracy", false, "lingua's low-accuracy mode (trigrams only)")
	f.IntVar(&langidFlags.maxChars, "max-chars", langid.DefaultMaxChars, "characters examined per document (-1: all)")
	f.StringVar(&langidFlags.backend, "backend", langid.BackendCombined, "combined (lingua for its 75 languages, fastText lid.176 for the rest), lingua or fasttext")
	f.StringVar(&langidFlags.model, "fasttext-model", "", "fastText language-ID model file (default: the embedded lid.176.ftz)")
	rootCmd.AddCommand(langidCmd)
}

func runLangid(cmd *cobra.Command, args []string) error {
	cfg := langid.Config{LowAccuracy: langidFlags.lowAccuracy, MaxChars: langidFlags.maxChars,
		Backend: langidFlags.backend, FastTextModel: langidFlags.model}
	if langidFlags.maxChars == 0 {
		return usagef("--max-chars must be -1 (all) or at least 200")
	}
	if s := strings.TrimSpace(langidFlags.languages); s != "" {
		for _, c := range strings.Split(s, ",") {
			if c = strings.TrimSpace(c); c != "" {
				cfg.Languages = append(cfg.Languages, c)
			}
		}
	}
	in := io.Reader(os.Stdin)
	name := "standard input"
	if len(args) == 1 && args[0] != "-" {
		f, err := os.Open(args[0])
		if err != nil {
			return usageError{err}
		}
		defer f.Close()
		in, name = f, args[0]
	}
	det, err := langid.NewDetector(cfg)
	if err != nil {
		return usageError{err}
	}
	out := bufio.NewWriter(cmd.OutOrStdout())
	defer out.Flush()
	if !langidFlags.lines {
		data, err := io.ReadAll(io.LimitReader(in, langidMaxInput+1))
		if err != nil {
			return fmt.Errorf("reading %s: %w", name, err)
		}
		if len(data) > langidMaxInput {
			return fmt.Errorf("%s is larger than %d MB; split it, or use --lines", name, langidMaxInput>>20)
		}
		writeLangidResult(out, det, string(data))
		return out.Flush()
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 64<<10), langidMaxLine)
	line := 0
	for sc.Scan() {
		line++
		writeLangidResult(out, det, sc.Text())
	}
	if err := sc.Err(); err != nil {
		if err == bufio.ErrTooLong {
			return fmt.Errorf("%s: line %d is longer than %d MB", name, line+1, langidMaxLine>>20)
		}
		return fmt.Errorf("reading %s: %w", name, err)
	}
	return out.Flush()
}

func writeLangidResult(w *bufio.Writer, det *langid.Detector, text string) {
	lang, score, _, _ := det.Detect(text)
	w.WriteString(lang)
	w.WriteByte('\t')
	w.WriteString(strconv.FormatFloat(float64(score), 'f', 4, 32))
	w.WriteByte('\n')
}
