package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// page is one response of a paginated operation.
type page struct {
	raw   *object // the whole response, for --no-paginate
	items []any   // the result key's list
	next  *string // the marker for the next page
	more  bool    // hasMoreResults
}

// fetchPage gets the page starting at marker (nil for the first).
type fetchPage func(ctx context.Context, marker *string) (page, error)

// paginate runs a paginated command as the aws CLI does with botocore's
// paginator: it follows the marker while hasMoreResults is true and the
// marker non-empty, and prints {resultKey: all items}. --max-items stops
// after that many items and adds a "NextToken" that --starting-token
// resumes from (botocore's token: base64 of {"marker": …,
// "boto_truncate_amount": n}). --no-paginate prints the first response
// whole. A marker received twice in a row is an error, as in botocore.
func (c *clientCall) paginate(ctx context.Context, resultKey string, fetch fetchPage) (*result, error) {
	in := c.input()
	p := &pager{resultKey: resultKey, fetch: fetch, max: in.int("max-items")}
	if tok := c.args.one("starting-token", ""); tok != "" && in.err == nil {
		p.start, in.err = decodeToken(tok)
	}
	if in.err != nil {
		return nil, in.err
	}
	if c.args.flags["no-paginate"] {
		if err := noPaginateConflict(c.args); err != nil {
			return nil, err
		}
		pg, err := fetch(ctx, nil)
		return &result{value: pg.raw}, err
	}
	return p.run(ctx)
}

// noPaginateConflict reports pagination options given with --no-paginate,
// as the aws CLI does.
func noPaginateConflict(a *args) error {
	var given []string
	for _, name := range []string{"starting-token", "page-size", "max-items"} {
		if len(a.options[name]) > 0 {
			given = append(given, "--"+name)
		}
	}
	if len(given) == 0 {
		return nil
	}
	return paramErrorf("Error during pagination: Cannot specify --no-paginate along with pagination arguments: %s", strings.Join(given, ", "))
}

// pager holds the state of one paginated listing.
type pager struct {
	resultKey string
	fetch     fetchPage
	max       int        // --max-items, 0 for all
	start     pageToken  // --starting-token
	all       []any      // every item kept
	pages     []any      // each page as {resultKey: items}, for text output
	resume    *pageToken // where a truncated listing resumes
}

// run fetches pages until the last, or until max items.
func (p *pager) run(ctx context.Context) (*result, error) {
	marker, prev := p.start.marker, (*string)(nil)
	for first := true; ; first = false {
		pg, err := p.fetch(ctx, marker)
		if err != nil {
			return nil, err
		}
		skip := 0
		if first {
			skip = min(p.start.truncate, len(pg.items))
		}
		if p.add(pg.items[skip:], marker, skip) || !pg.more || pg.next == nil || *pg.next == "" {
			break
		}
		if p.max > 0 && len(p.all) == p.max {
			p.resume = &pageToken{marker: pg.next}
			break
		}
		if prev != nil && *prev == *pg.next {
			return nil, fmt.Errorf("The same next token was received twice: {'marker': %s}", pyReprString(*pg.next))
		}
		marker, prev = pg.next, pg.next
	}
	return p.result(), nil
}

// add keeps a page's items, truncated to max. It reports whether the
// listing was truncated; the resume token then points into the page
// fetched with marker, skip items of which were skipped at the start.
func (p *pager) add(items []any, marker *string, skip int) bool {
	truncated := p.max > 0 && len(p.all)+len(items) > p.max
	if truncated {
		keep := p.max - len(p.all)
		items = items[:keep]
		p.resume = &pageToken{marker: marker, truncate: keep + skip, hasTruncate: true}
	}
	p.all = append(p.all, items...)
	p.pages = append(p.pages, newObject().set(p.resultKey, items))
	return truncated
}

// result assembles what the formatters print.
func (p *pager) result() *result {
	all := p.all
	if all == nil {
		all = []any{}
	}
	v := newObject().set(p.resultKey, all)
	if p.resume != nil {
		tok := p.resume.encode()
		v.set("NextToken", tok)
		p.pages = append(p.pages, newObject().set("NextToken", newObject().set("NextToken", tok)))
	}
	return &result{value: v, pages: p.pages}
}

// pageToken is botocore's pagination token.
type pageToken struct {
	marker      *string
	truncate    int
	hasTruncate bool
}

// encode returns the token as botocore writes it: base64 of Python's
// json.dumps of {"marker": …[, "boto_truncate_amount": n]}.
func (t pageToken) encode() string {
	var b bytes.Buffer
	b.WriteString(`{"marker": `)
	if t.marker == nil {
		b.WriteString("null")
	} else {
		b.Write(asciiJSONString(*t.marker))
	}
	if t.hasTruncate {
		b.WriteString(`, "boto_truncate_amount": ` + strconv.Itoa(t.truncate))
	}
	b.WriteString("}")
	return base64.StdEncoding.EncodeToString(b.Bytes())
}

// asciiJSONString quotes s as Python's json.dumps does by default
// (ensure_ascii=True).
func asciiJSONString(s string) []byte {
	b := appendJSONString(nil, s)
	out := make([]byte, 0, len(b))
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		switch {
		case r < utf8.RuneSelf:
			out = append(out, byte(r))
		case r > 0xFFFF:
			r -= 0x10000
			out = fmt.Appendf(out, `\u%04x\u%04x`, 0xD800+(r>>10), 0xDC00+(r&0x3FF))
		default:
			out = fmt.Appendf(out, `\u%04x`, r)
		}
	}
	return out
}

// decodeToken parses a --starting-token.
func decodeToken(s string) (pageToken, error) {
	bad := paramErrorf("Bad starting token: %s", s)
	data, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return pageToken{}, bad
	}
	var raw struct {
		Marker   *string `json:"marker"`
		Truncate *int    `json:"boto_truncate_amount"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return pageToken{}, bad
	}
	t := pageToken{marker: raw.Marker}
	if raw.Truncate != nil {
		t.truncate, t.hasTruncate = *raw.Truncate, true
	}
	return t, nil
}
