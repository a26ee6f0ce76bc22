package sql

import "testing"

// An options value with spaces (and a literal +) reaches PostgreSQL whole.
func TestPgConfig_OptionsWithSpaces(t *testing.T) {
	cfg, err := pgConfig(Conn{Host: "127.0.0.1:5432", Database: "d", User: "u",
		Params: map[string]string{"options": "-c search_path=a+b -c statement_timeout=0"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.RuntimeParams["options"]; got != "-c search_path=a+b -c statement_timeout=0" {
		t.Errorf("options = %q", got)
	}
}
