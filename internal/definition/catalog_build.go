package definition

// This file holds NewCatalog and the small builder that lets the catalog_*
// files read as field tables. Builder identifiers carry an "f" or "cat"
// prefix so they stay clear of the rest of the package.

// NewCatalog returns the catalog of every object type of objects.md §5,
// with the common field groups of §4, the reference targets of §6.1, the
// multi-valued fields of §6.2 and the field-group rules of §16.3. Each call
// builds a fresh catalog that shares nothing with earlier ones; build it
// once per process and pass it where it is needed.
func NewCatalog() *Catalog {
	c := &Catalog{types: make(map[string]*TypeSpec)}
	families := [][]*TypeSpec{
		catActivities(), catDataNodes(), catResources(), catPreconditions(),
		catDatabases(), catDataFormats(), catActions(), catSchedules(), catUtilities(),
	}
	for _, family := range families {
		for _, t := range family {
			c.types[t.Name] = t
		}
	}
	return c
}

// catRow is one row of a type's field table: a FieldSpec under
// construction. Modifiers return modified copies, so rows can be chained.
type catRow struct{ spec FieldSpec }

func fKind(name string, k Kind) catRow { return catRow{FieldSpec{Name: name, Kind: k}} }

// fStr and its siblings start a row of the given kind.
func fStr(name string) catRow      { return fKind(name, KindString) }
func fInt(name string) catRow      { return fKind(name, KindInteger) }
func fDouble(name string) catRow   { return fKind(name, KindDouble) }
func fBool(name string) catRow     { return fKind(name, KindBoolean) }
func fDateTime(name string) catRow { return fKind(name, KindDateTime) }
func fPeriod(name string) catRow   { return fKind(name, KindPeriod) }

// fEnum starts an enumeration row with its allowed values.
func fEnum(name string, values ...string) catRow {
	d := fKind(name, KindEnum)
	d.spec.Enum = values
	return d
}

// fRef starts a reference row; no targets means any object.
func fRef(name string, targets ...string) catRow {
	d := fKind(name, KindRef)
	d.spec.Targets = targets
	return d
}

func (d catRow) req() catRow        { d.spec.Required = true; return d }
func (d catRow) multi() catRow      { d.spec.Multi = true; return d }
func (d catRow) legacy() catRow     { d.spec.Legacy = true; return d }
func (d catRow) literal() catRow    { d.spec.Literal = true; return d }
func (d catRow) secret() catRow     { d.spec.Secret = true; return d }
func (d catRow) notAllowed() catRow { d.spec.NotAllowed = true; return d }
func (d catRow) def(v string) catRow {
	d.spec.Default = v
	return d
}

// catTypeDef is a TypeSpec under construction.
type catTypeDef struct{ spec *TypeSpec }

// catDefine starts a type with group U (parent), which every object has.
func catDefine(name string, cat Category) *catTypeDef {
	d := &catTypeDef{&TypeSpec{Name: name, Category: cat, Fields: make(map[string]*FieldSpec)}}
	return d.with(catGroupU()...)
}

// with adds rows. A row replaces an earlier row of the same name, so a type
// can narrow a group field (runsOn targets, a required role).
func (d *catTypeDef) with(rows ...catRow) *catTypeDef {
	for _, r := range rows {
		spec := r.spec
		d.spec.Fields[spec.Name] = &spec
	}
	return d
}

func (d *catTypeDef) rule(k RuleKind, fields ...string) *catTypeDef {
	d.spec.Rules = append(d.spec.Rules, Rule{Kind: k, Fields: fields})
	return d
}

func (d *catTypeDef) exactlyOne(fields ...string) *catTypeDef { return d.rule(ExactlyOne, fields...) }
func (d *catTypeDef) atLeastOne(fields ...string) *catTypeDef { return d.rule(AtLeastOne, fields...) }
func (d *catTypeDef) exclusive(fields ...string) *catTypeDef  { return d.rule(Exclusive, fields...) }

func (d *catTypeDef) userManaged() *catTypeDef {
	d.spec.UserManaged = true
	return d
}

func (d *catTypeDef) build() *TypeSpec { return d.spec }

// catNames concatenates type-name lists into one fresh slice.
func catNames(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}
