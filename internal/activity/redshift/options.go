package redshift

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/datapipe/datapipe/internal/datanode/format"
	dsql "github.com/datapipe/datapipe/internal/datanode/sql"
)

// Supported is the commandOptions subset, as the documentation lists it.
const Supported = "CSV [QUOTE [AS] '\"'], FORMAT [AS] CSV, DELIMITER [AS] 'c', IGNOREHEADER [AS] n, NULL [AS] 'text', GZIP, ESCAPE, MANIFEST, " +
	"and, without effect, REGION 'r', COMPUPDATE x, STATUPDATE x, MAXERROR 0, DATEFORMAT 'auto', TIMEFORMAT 'auto', ACCEPTINVCHARS"

// loadSpec is how input files are laid out, from commandOptions.
type loadSpec struct {
	csv       bool
	delimiter byte
	null      string
	nullSet   bool
	header    int
	gzip      bool
}

// parseOptions parses commandOptions values (each may hold several
// options). Unsupported options fail, naming the option.
func parseOptions(values []string) (loadSpec, error) {
	toks, err := tokenize(strings.Join(values, " "))
	if err != nil {
		return loadSpec{}, err
	}
	p := optParser{toks: toks, spec: loadSpec{delimiter: '|'}}
	for p.more() {
		if err := p.option(); err != nil {
			return loadSpec{}, err
		}
	}
	if p.spec.csv && !p.delimSet {
		p.spec.delimiter = ','
	}
	return p.spec, nil
}

// optParser walks the tokens of commandOptions.
type optParser struct {
	toks     []token
	spec     loadSpec
	delimSet bool
}

// token is a word or a quoted string.
type token struct {
	text   string
	quoted bool
}

// more reports whether tokens are left.
func (p *optParser) more() bool { return len(p.toks) > 0 }

// next takes the next token.
func (p *optParser) next() (token, bool) {
	if len(p.toks) == 0 {
		return token{}, false
	}
	t := p.toks[0]
	p.toks = p.toks[1:]
	return t, true
}

// arg takes an option's argument, after an optional AS.
func (p *optParser) arg(opt string) (token, error) {
	if len(p.toks) > 0 && !p.toks[0].quoted && strings.EqualFold(p.toks[0].text, "AS") {
		p.toks = p.toks[1:]
	}
	t, ok := p.next()
	if !ok {
		return token{}, fmt.Errorf("commandOptions: %s needs a value", opt)
	}
	return t, nil
}

// option parses one option.
func (p *optParser) option() error {
	t, _ := p.next()
	opt := strings.ToUpper(t.text)
	switch opt {
	case "CSV":
		p.spec.csv = true
		return p.quote()
	case "FORMAT":
		a, err := p.arg(opt)
		if err == nil && !strings.EqualFold(a.text, "CSV") {
			err = fmt.Errorf("commandOptions: FORMAT %s is not supported (CSV is)", a.text)
		}
		p.spec.csv = true
		return err
	case "DELIMITER":
		return p.delimiter(opt)
	case "IGNOREHEADER":
		a, err := p.arg(opt)
		if err != nil {
			return err
		}
		if p.spec.header, err = strconv.Atoi(a.text); err != nil || p.spec.header < 0 {
			return fmt.Errorf("commandOptions: IGNOREHEADER %q is not a line count", a.text)
		}
	case "NULL":
		a, err := p.arg(opt)
		p.spec.null, p.spec.nullSet = unescape(a.text), true
		return err
	case "GZIP":
		p.spec.gzip = true
	case "ESCAPE", "MANIFEST", "ACCEPTINVCHARS":
	case "REGION", "COMPUPDATE", "STATUPDATE", "DATEFORMAT", "TIMEFORMAT", "MAXERROR":
		_, err := p.arg(opt)
		return err
	default:
		return fmt.Errorf("commandOptions: %s is not supported (supported: %s)", t.text, Supported)
	}
	return nil
}

// quote reads CSV's optional QUOTE [AS] '"'.
func (p *optParser) quote() error {
	if len(p.toks) == 0 || p.toks[0].quoted || !strings.EqualFold(p.toks[0].text, "QUOTE") {
		return nil
	}
	p.toks = p.toks[1:]
	a, err := p.arg("QUOTE")
	if err == nil && a.text != `"` {
		err = fmt.Errorf("commandOptions: QUOTE %q is not supported (only '\"')", a.text)
	}
	return err
}

// delimiter reads DELIMITER [AS] 'c'.
func (p *optParser) delimiter(opt string) error {
	a, err := p.arg(opt)
	if err != nil {
		return err
	}
	d := unescape(a.text)
	if len(d) != 1 {
		return fmt.Errorf("commandOptions: DELIMITER %q is not one character", a.text)
	}
	p.spec.delimiter, p.delimSet = d[0], true
	return nil
}

// tokenize splits options into words and '…' strings (” and \' escape
// a quote).
func tokenize(s string) ([]token, error) {
	var out []token
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',':
			i++
		case c == '\'':
			text, n, err := quotedString(s[i:])
			if err != nil {
				return nil, err
			}
			out = append(out, token{text: text, quoted: true})
			i += n
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\r\n',", rune(s[j])) {
				j++
			}
			out = append(out, token{text: s[i:j]})
			i = j
		}
	}
	return out, nil
}

// quotedString reads the '…' string s starts with; n is its length.
func quotedString(s string) (text string, n int, err error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			b.WriteByte('\\')
			b.WriteByte(s[i+1])
			i++
		case s[i] == '\'' && i+1 < len(s) && s[i+1] == '\'':
			b.WriteByte('\'')
			i++
		case s[i] == '\'':
			return b.String(), i + 1, nil
		default:
			b.WriteByte(s[i])
		}
	}
	return "", 0, fmt.Errorf("commandOptions: unterminated string %s", s)
}

// unescape turns \t, \n, \\ and \' into their characters; other text is
// kept.
func unescape(s string) string {
	r := strings.NewReplacer(`\t`, "\t", `\n`, "\n", `\\`, `\`, `\'`, "'", `\|`, "|")
	return r.Replace(s)
}

// copyOptions are the COPY options of the spec.
func (s loadSpec) copyOptions() dsql.CopyOptions {
	o := dsql.CopyOptions{CSV: s.csv, Delimiter: s.delimiter}
	if s.nullSet {
		o.Null = s.null
	}
	return o
}

// format is the record format of the spec, for loads that go record by
// record.
func (s loadSpec) format() *format.Format {
	if s.csv {
		f := format.CSV()
		f.ColumnSeparator = string(s.delimiter)
		return f
	}
	f := format.TSV()
	f.ColumnSeparator = string(s.delimiter)
	if s.nullSet {
		f.NullMarker = s.null
	}
	return f
}
