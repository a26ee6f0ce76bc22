package redshift

import (
	"strings"
	"testing"
)

func TestParseOptions(t *testing.T) {
	for _, tc := range []struct {
		name   string
		values []string
		want   loadSpec
	}{
		{"OKDefaults", nil, loadSpec{delimiter: '|'}},
		{"OKCSV", []string{"CSV", "IGNOREHEADER 1"}, loadSpec{csv: true, delimiter: ',', header: 1}},
		{"OKCSVQuoteDelimiter", []string{`CSV QUOTE AS '"' DELIMITER AS ';'`}, loadSpec{csv: true, delimiter: ';'}},
		{"OKFormatAsCSV", []string{"FORMAT AS CSV", "GZIP"}, loadSpec{csv: true, delimiter: ',', gzip: true}},
		{"OKTextTab", []string{`DELIMITER '\t'`, `NULL AS 'NULL'`, "ESCAPE"}, loadSpec{delimiter: '\t', null: "NULL", nullSet: true}},
		{"OKIgnored", []string{"COMPUPDATE OFF STATUPDATE ON", "REGION 'us-west-2'", "MAXERROR 0", "DATEFORMAT 'auto'", "ACCEPTINVCHARS", "MANIFEST"}, loadSpec{delimiter: '|'}},
		{"OKQuotedQuote", []string{`NULL AS 'it''s'`}, loadSpec{delimiter: '|', null: "it's", nullSet: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseOptions(tc.values)
			if err != nil || got != tc.want {
				t.Fatalf("parseOptions(%q) = %+v, %v; want %+v", tc.values, got, err, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		name   string
		values []string
		want   string
	}{
		{"ErrUnknown", []string{"JSON 'auto'"}, "JSON is not supported"},
		{"ErrFormatJSON", []string{"FORMAT AS JSON"}, "FORMAT JSON is not supported"},
		{"ErrQuote", []string{"CSV QUOTE AS '%'"}, "QUOTE"},
		{"ErrDelimiter", []string{"DELIMITER '||'"}, "not one character"},
		{"ErrHeader", []string{"IGNOREHEADER x"}, "not a line count"},
		{"ErrNoValue", []string{"NULL AS"}, "NULL needs a value"},
		{"ErrUnterminated", []string{"DELIMITER 'x"}, "unterminated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseOptions(tc.values)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v; want %q", err, tc.want)
			}
		})
	}
}
