package sqlite

import "database/sql"

// maxStatements bounds the prepared statements a cache keeps. Statements
// with IN lists come in many lengths; past the bound, new texts run
// unprepared rather than grow the cache forever.
const maxStatements = 256

// stmtCache holds prepared statements by query text, for the writer's
// connection and the read pool (writer.go, reader.go). Its owner guards
// it with a mutex.
type stmtCache map[string]*sql.Stmt

// get returns query's statement, made by prepare on first use; nil, nil
// when the cache is full (run the query unprepared).
func (c stmtCache) get(query string, prepare func(string) (*sql.Stmt, error)) (*sql.Stmt, error) {
	if s, ok := c[query]; ok {
		return s, nil
	}
	if len(c) >= maxStatements {
		return nil, nil
	}
	s, err := prepare(query)
	if err != nil {
		return nil, err
	}
	c[query] = s
	return s, nil
}

// close closes and forgets every statement.
func (c stmtCache) close() {
	for _, s := range c {
		_ = s.Close()
	}
	clear(c)
}
