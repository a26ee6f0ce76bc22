package definition

import (
	"slices"
	"strings"
	"testing"
)

// catTypeTable is every type of objects.md §5 by category, written out
// independently of the catalog code.
var catTypeTable = map[Category][]string{
	CategoryActivity: {"CopyActivity", "EmrActivity", "HadoopActivity", "HiveActivity",
		"HiveCopyActivity", "PigActivity", "RedshiftCopyActivity", "ShellCommandActivity", "SqlActivity"},
	CategoryDataNode: {"S3DataNode", "SqlDataNode", "MySqlDataNode", "DynamoDBDataNode", "RedshiftDataNode"},
	CategoryResource: {"Ec2Resource", "EmrCluster"},
	CategoryPrecondition: {"DynamoDBDataExists", "DynamoDBTableExists", "S3KeyExists",
		"S3PrefixNotEmpty", "Exists", "ShellCommandPrecondition", "RdsSqlPrecondition"},
	CategoryDatabase:   {"JdbcDatabase", "RdsDatabase", "RedshiftDatabase"},
	CategoryDataFormat: {"CSV", "TSV", "Custom", "RegEx", "DynamoDBDataFormat", "DynamoDBExportDataFormat"},
	CategoryAction:     {"SnsAlarm", "Terminate"},
	CategorySchedule:   {"Schedule"},
	CategoryUtility: {"ShellScriptConfig", "EmrConfiguration", "Property", "HttpProxy",
		"EbsConfiguration", "EbsBlockDeviceConfig", "VolumeSpecification"},
}

func catMustType(t *testing.T, c *Catalog, name string) *TypeSpec {
	t.Helper()
	ts, ok := c.Type(name)
	if !ok {
		t.Fatalf("type %s missing", name)
	}
	return ts
}

func catMustField(t *testing.T, c *Catalog, typ, field string) *FieldSpec {
	t.Helper()
	f, ok := catMustType(t, c, typ).Field(field)
	if !ok {
		t.Fatalf("%s.%s missing", typ, field)
	}
	return f
}

// catEachField calls fn for every field of every type.
func catEachField(c *Catalog, fn func(*TypeSpec, *FieldSpec)) {
	for _, ts := range c.Types() {
		for _, f := range ts.Fields {
			fn(ts, f)
		}
	}
}

func TestNewCatalog_Types(t *testing.T) {
	c := NewCatalog()
	total := 0
	for cat, names := range catTypeTable {
		for _, name := range names {
			total++
			ts := catMustType(t, c, name)
			if ts.Name != name || ts.Category != cat {
				t.Errorf("%s: got name %q category %q, want %q", name, ts.Name, ts.Category, cat)
			}
			if !c.InCategory(name, cat) {
				t.Errorf("InCategory(%s, %s) = false", name, cat)
			}
		}
	}
	if got := len(c.Types()); got != total {
		t.Errorf("catalog has %d types, want %d", got, total)
	}
}

func TestNewCatalog_NameLists(t *testing.T) {
	lists := map[Category][]string{
		CategoryActivity: catActivityNames(), CategoryDataNode: catDataNodeNames(),
		CategoryResource: catResourceNames(), CategoryPrecondition: catPreconditionNames(),
		CategoryDatabase: catDatabaseNames(), CategoryDataFormat: catDataFormatNames(),
		CategoryAction: catActionNames(), CategoryUtility: catUtilityNames(),
	}
	for cat, got := range lists {
		if !catSameSet(got, catTypeTable[cat]) {
			t.Errorf("%s names = %v, want %v", cat, got, catTypeTable[cat])
		}
	}
}

func TestNewCatalog_UserManaged(t *testing.T) {
	c := NewCatalog()
	for _, ts := range c.Types() {
		want := ts.Name == "Exists" || ts.Name == "ShellCommandPrecondition" || ts.Name == "RdsSqlPrecondition"
		if ts.UserManaged != want {
			t.Errorf("%s.UserManaged = %v, want %v", ts.Name, ts.UserManaged, want)
		}
	}
}

// TestNewCatalog_Fields spot-checks kinds, required, multi, defaults and
// flags. Enum values and targets are checked by their own tests.
func TestNewCatalog_Fields(t *testing.T) {
	c := NewCatalog()
	tests := []struct {
		typ  string
		want FieldSpec
	}{
		{"ShellCommandActivity", FieldSpec{Name: "parent", Kind: KindRef}},
		{"ShellCommandActivity", FieldSpec{Name: "command", Kind: KindString}},
		{"ShellCommandActivity", FieldSpec{Name: "scriptArgument", Kind: KindString, Multi: true}},
		{"ShellCommandActivity", FieldSpec{Name: "stage", Kind: KindBoolean, Default: "false"}},
		{"ShellCommandActivity", FieldSpec{Name: "maximumRetries", Kind: KindInteger, Default: "2"}},
		{"ShellCommandActivity", FieldSpec{Name: "retryDelay", Kind: KindPeriod, Default: "10 minutes"}},
		{"ShellCommandActivity", FieldSpec{Name: "reportProgressTimeout", Kind: KindPeriod, Default: "15 minutes"}},
		{"ShellCommandActivity", FieldSpec{Name: "failureAndRerunMode", Kind: KindEnum, Default: "none"}},
		{"ShellCommandActivity", FieldSpec{Name: "scheduleType", Kind: KindEnum, Default: "timeseries"}},
		{"ShellCommandActivity", FieldSpec{Name: "maxActiveInstances", Kind: KindInteger, Default: "1"}},
		{"ShellCommandActivity", FieldSpec{Name: "schedule", Kind: KindRef}},
		{"ShellCommandActivity", FieldSpec{Name: "onFail", Kind: KindRef, Multi: true}},
		{"ShellCommandActivity", FieldSpec{Name: "dependsOn", Kind: KindRef, Multi: true}},
		{"ShellCommandActivity", FieldSpec{Name: "input", Kind: KindRef, Multi: true}},
		{"PigActivity", FieldSpec{Name: "stage", Kind: KindBoolean, Default: "false"}},
		{"PigActivity", FieldSpec{Name: "generatedScriptsPath", Kind: KindString, Legacy: true}},
		{"HiveActivity", FieldSpec{Name: "stage", Kind: KindBoolean, Default: "true"}},
		{"HiveActivity", FieldSpec{Name: "input", Kind: KindRef, Required: true, Multi: true}},
		{"HiveActivity", FieldSpec{Name: "output", Kind: KindRef, Required: true, Multi: true}},
		{"HiveActivity", FieldSpec{Name: "scriptVariable", Kind: KindString, Multi: true}},
		{"SqlActivity", FieldSpec{Name: "database", Kind: KindRef, Required: true}},
		{"HadoopActivity", FieldSpec{Name: "jarUri", Kind: KindString, Required: true}},
		{"HadoopActivity", FieldSpec{Name: "argument", Kind: KindString, Multi: true}},
		{"EmrActivity", FieldSpec{Name: "step", Kind: KindString, Multi: true}},
		{"EmrActivity", FieldSpec{Name: "resizeClusterMaxInstances", Kind: KindInteger}},
		{"RedshiftCopyActivity", FieldSpec{Name: "insertMode", Kind: KindEnum, Required: true}},
		{"RedshiftCopyActivity", FieldSpec{Name: "commandOptions", Kind: KindString, Multi: true}},
		{"S3DataNode", FieldSpec{Name: "compression", Kind: KindEnum, Default: "none"}},
		{"S3DataNode", FieldSpec{Name: "s3EncryptionType", Kind: KindEnum, Default: "SERVER_SIDE_ENCRYPTION"}},
		{"SqlDataNode", FieldSpec{Name: "table", Kind: KindString, Required: true}},
		{"SqlDataNode", FieldSpec{Name: "password", Kind: KindString, Legacy: true, Secret: true}},
		{"MySqlDataNode", FieldSpec{Name: "connectionString", Kind: KindString, Legacy: true}},
		{"DynamoDBDataNode", FieldSpec{Name: "tableName", Kind: KindString, Required: true}},
		{"DynamoDBDataNode", FieldSpec{Name: "readThroughputPercent", Kind: KindDouble}},
		{"DynamoDBDataNode", FieldSpec{Name: "region", Kind: KindString}},
		{"RedshiftDataNode", FieldSpec{Name: "schemaName", Kind: KindString, Default: "PUBLIC"}},
		{"RedshiftDataNode", FieldSpec{Name: "database", Kind: KindRef, Required: true}},
		{"RedshiftDataNode", FieldSpec{Name: "primaryKeys", Kind: KindString, Multi: true}},
		{"Ec2Resource", FieldSpec{Name: "role", Kind: KindString, Required: true}},
		{"Ec2Resource", FieldSpec{Name: "resourceRole", Kind: KindString, Required: true}},
		{"Ec2Resource", FieldSpec{Name: "runsOn", Kind: KindRef, NotAllowed: true}},
		{"Ec2Resource", FieldSpec{Name: "workerGroup", Kind: KindString, NotAllowed: true}},
		{"Ec2Resource", FieldSpec{Name: "securityGroups", Kind: KindString, Multi: true, Default: "default"}},
		{"Ec2Resource", FieldSpec{Name: "logUri", Kind: KindString, Legacy: true}},
		{"Ec2Resource", FieldSpec{Name: "instanceCount", Kind: KindInteger, Legacy: true}},
		{"Ec2Resource", FieldSpec{Name: "terminateAfter", Kind: KindPeriod}},
		{"Ec2Resource", FieldSpec{Name: "actionOnResourceFailure", Kind: KindEnum, Default: "retryall"}},
		{"Ec2Resource", FieldSpec{Name: "actionOnTaskFailure", Kind: KindEnum, Default: "continue"}},
		{"EmrCluster", FieldSpec{Name: "role", Kind: KindString}},
		{"EmrCluster", FieldSpec{Name: "runsOn", Kind: KindRef, NotAllowed: true}},
		{"EmrCluster", FieldSpec{Name: "terminateAfter", Kind: KindPeriod}},
		{"EmrCluster", FieldSpec{Name: "coreInstanceCount", Kind: KindInteger}},
		{"EmrCluster", FieldSpec{Name: "applications", Kind: KindString, Multi: true}},
		{"EmrCluster", FieldSpec{Name: "configuration", Kind: KindRef, Multi: true}},
		{"EmrCluster", FieldSpec{Name: "masterEbsConfiguration", Kind: KindRef}},
		{"EmrCluster", FieldSpec{Name: "emrLogUri", Kind: KindString, Legacy: true}},
		{"EmrCluster", FieldSpec{Name: "keypair", Kind: KindString, Legacy: true}},
		{"EmrCluster", FieldSpec{Name: "visibleToAllUsers", Kind: KindBoolean, Legacy: true}},
		{"S3KeyExists", FieldSpec{Name: "s3Key", Kind: KindString, Required: true}},
		{"S3KeyExists", FieldSpec{Name: "role", Kind: KindString, Required: true}},
		{"S3KeyExists", FieldSpec{Name: "preconditionTimeout", Kind: KindPeriod}},
		{"DynamoDBTableExists", FieldSpec{Name: "tableName", Kind: KindString, Required: true}},
		{"S3PrefixNotEmpty", FieldSpec{Name: "s3Prefix", Kind: KindString, Required: true}},
		{"Exists", FieldSpec{Name: "maximumRetries", Kind: KindInteger, Default: "2"}},
		{"JdbcDatabase", FieldSpec{Name: "password", Kind: KindString, Required: true, Secret: true}},
		{"JdbcDatabase", FieldSpec{Name: "jdbcDriverClass", Kind: KindString, Required: true}},
		{"RdsDatabase", FieldSpec{Name: "rdsInstanceId", Kind: KindString, Required: true}},
		{"RedshiftDatabase", FieldSpec{Name: "jdbcProperties", Kind: KindString, Multi: true}},
		{"RedshiftDatabase", FieldSpec{Name: "clusterId", Kind: KindString}},
		{"TSV", FieldSpec{Name: "columnSeparator", Kind: KindString, Default: "\t"}},
		{"TSV", FieldSpec{Name: "recordSeparator", Kind: KindString, Default: "\n"}},
		{"Custom", FieldSpec{Name: "columnSeparator", Kind: KindString, Required: true}},
		{"CSV", FieldSpec{Name: "column", Kind: KindString, Multi: true}},
		{"SnsAlarm", FieldSpec{Name: "topicArn", Kind: KindString, Required: true}},
		{"SnsAlarm", FieldSpec{Name: "role", Kind: KindString, Required: true}},
		{"Schedule", FieldSpec{Name: "period", Kind: KindPeriod, Required: true, Literal: true}},
		{"Schedule", FieldSpec{Name: "startDateTime", Kind: KindDateTime, Literal: true}},
		{"Schedule", FieldSpec{Name: "endDateTime", Kind: KindDateTime, Literal: true}},
		{"Schedule", FieldSpec{Name: "startAt", Kind: KindEnum, Literal: true}},
		{"Schedule", FieldSpec{Name: "occurrences", Kind: KindInteger, Literal: true}},
		{"Schedule", FieldSpec{Name: "maxActiveInstances", Kind: KindInteger, Legacy: true}},
		{"EmrConfiguration", FieldSpec{Name: "classification", Kind: KindString, Required: true}},
		{"EmrConfiguration", FieldSpec{Name: "property", Kind: KindRef, Multi: true}},
		{"Property", FieldSpec{Name: "key", Kind: KindString, Required: true}},
		{"HttpProxy", FieldSpec{Name: "port", Kind: KindString, Required: true}},
		{"HttpProxy", FieldSpec{Name: "password", Kind: KindString, Secret: true}},
		{"HttpProxy", FieldSpec{Name: "s3NoProxy", Kind: KindBoolean}},
		{"EbsConfiguration", FieldSpec{Name: "ebsBlockDeviceConfig", Kind: KindRef, Multi: true, Legacy: true}},
		{"VolumeSpecification", FieldSpec{Name: "sizeInGB", Kind: KindInteger, Legacy: true}},
	}
	for _, tt := range tests {
		t.Run(tt.typ+"."+tt.want.Name, func(t *testing.T) {
			got := *catMustField(t, c, tt.typ, tt.want.Name)
			got.Enum, got.Targets = nil, nil
			if got.Name != tt.want.Name || got.Kind != tt.want.Kind || got.Required != tt.want.Required ||
				got.Multi != tt.want.Multi || got.Default != tt.want.Default || got.NotAllowed != tt.want.NotAllowed ||
				got.Legacy != tt.want.Legacy || got.Literal != tt.want.Literal || got.Secret != tt.want.Secret {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestNewCatalog_Absent checks fields that a type must not declare.
func TestNewCatalog_Absent(t *testing.T) {
	c := NewCatalog()
	notOnPrecondition := []string{"schedule", "scheduleType", "maxActiveInstances", "pipelineLogUri",
		"runsOn", "workerGroup", "dependsOn", "precondition", "input", "output"}
	for _, name := range catTypeTable[CategoryPrecondition] {
		for _, f := range notOnPrecondition {
			if _, ok := catMustType(t, c, name).Field(f); ok {
				t.Errorf("%s declares %s", name, f)
			}
		}
	}
	for _, f := range []string{"role", "tableName"} {
		if _, ok := catMustType(t, c, "Exists").Field(f); ok {
			t.Errorf("Exists declares %s", f)
		}
	}
	for _, name := range []string{"SnsAlarm", "Terminate", "CopyActivity"} {
		if _, ok := catMustType(t, c, name).Field("node"); ok {
			t.Errorf("%s declares the runtime field node", name)
		}
	}
	if n := len(catMustType(t, c, "Terminate").Fields); n != 1 {
		t.Errorf("Terminate has %d fields, want only parent", n)
	}
	catEachField(c, func(ts *TypeSpec, f *FieldSpec) {
		switch {
		case f.Name == "id" || f.Name == "name" || f.Name == "type":
			t.Errorf("%s declares object property %s", ts.Name, f.Name)
		case strings.HasPrefix(f.Name, "@") || strings.HasPrefix(f.Name, "*"):
			t.Errorf("%s declares prefixed field %s", ts.Name, f.Name)
		case ts.Fields[f.Name] != f:
			t.Errorf("%s: field %s stored under another key", ts.Name, f.Name)
		}
	})
}

func TestNewCatalog_Parent(t *testing.T) {
	c := NewCatalog()
	for _, ts := range c.Types() {
		f, ok := ts.Field("parent")
		if !ok || f.Kind != KindRef || len(f.Targets) != 0 || f.Multi || f.Required {
			t.Errorf("%s.parent = %+v, want optional ref to any object", ts.Name, f)
		}
	}
}

func TestNewCatalog_Rules(t *testing.T) {
	runner := Rule{AtLeastOne, []string{"runsOn", "workerGroup"}}
	want := map[string][]Rule{
		"CopyActivity":             {runner},
		"EmrActivity":              {runner},
		"HadoopActivity":           {runner},
		"HiveCopyActivity":         {runner},
		"RedshiftCopyActivity":     {runner},
		"ShellCommandActivity":     {runner, {ExactlyOne, []string{"command", "scriptUri"}}},
		"SqlActivity":              {runner, {ExactlyOne, []string{"script", "scriptUri"}}},
		"PigActivity":              {runner, {ExactlyOne, []string{"script", "scriptUri"}}},
		"HiveActivity":             {runner, {ExactlyOne, []string{"hiveScript", "scriptUri"}}},
		"ShellCommandPrecondition": {{ExactlyOne, []string{"command", "scriptUri"}}},
		"S3DataNode":               {{ExactlyOne, []string{"filePath", "directoryPath"}}},
		"RedshiftDatabase":         {{ExactlyOne, []string{"clusterId", "connectionString"}}},
		"Schedule": {
			{ExactlyOne, []string{"startDateTime", "startAt"}},
			{Exclusive, []string{"endDateTime", "occurrences"}},
		},
	}
	c := NewCatalog()
	for _, ts := range c.Types() {
		if !slices.EqualFunc(ts.Rules, want[ts.Name], catEqualRule) {
			t.Errorf("%s rules = %v, want %v", ts.Name, ts.Rules, want[ts.Name])
		}
		for _, r := range ts.Rules {
			for _, f := range r.Fields {
				if _, ok := ts.Field(f); !ok {
					t.Errorf("%s rule names undeclared field %s", ts.Name, f)
				}
			}
		}
	}
}

func catEqualRule(a, b Rule) bool { return a.Kind == b.Kind && slices.Equal(a.Fields, b.Fields) }

func TestNewCatalog_Targets(t *testing.T) {
	c := NewCatalog()
	catEachField(c, func(ts *TypeSpec, f *FieldSpec) {
		if f.Kind != KindRef && len(f.Targets) > 0 {
			t.Errorf("%s.%s: %s field has targets", ts.Name, f.Name, f.Kind)
		}
		for _, target := range f.Targets {
			if _, ok := c.Type(target); !ok {
				t.Errorf("%s.%s: unknown target type %s", ts.Name, f.Name, target)
			}
		}
	})
	dataNodes := catTypeTable[CategoryDataNode]
	tests := []struct {
		typ, field string
		want       []string
	}{
		{"ShellCommandActivity", "runsOn", []string{"Ec2Resource", "EmrCluster"}},
		{"S3DataNode", "runsOn", []string{"Ec2Resource", "EmrCluster"}},
		{"EmrActivity", "runsOn", []string{"EmrCluster"}},
		{"HadoopActivity", "runsOn", []string{"EmrCluster"}},
		{"HiveActivity", "runsOn", []string{"EmrCluster"}},
		{"HiveCopyActivity", "runsOn", []string{"EmrCluster"}},
		{"PigActivity", "runsOn", []string{"EmrCluster"}},
		{"CopyActivity", "schedule", []string{"Schedule"}},
		{"CopyActivity", "input", dataNodes},
		{"HiveActivity", "output", dataNodes},
		{"SqlDataNode", "dependsOn", append(slices.Clone(catTypeTable[CategoryActivity]), dataNodes...)},
		{"S3DataNode", "precondition", catTypeTable[CategoryPrecondition]},
		{"S3KeyExists", "onFail", []string{"SnsAlarm", "Terminate"}},
		{"SqlActivity", "database", catTypeTable[CategoryDatabase]},
		{"MySqlDataNode", "database", catTypeTable[CategoryDatabase]},
		{"RedshiftDataNode", "database", []string{"RedshiftDatabase"}},
		{"S3DataNode", "dataFormat", catTypeTable[CategoryDataFormat]},
		{"DynamoDBDataNode", "dataFormat", []string{"DynamoDBDataFormat", "DynamoDBExportDataFormat"}},
		{"PigActivity", "preActivityTaskConfig", []string{"ShellScriptConfig"}},
		{"EmrCluster", "coreGroupConfiguration", []string{"EmrConfiguration"}},
		{"EmrCluster", "taskEbsConfiguration", []string{"EbsConfiguration"}},
		{"Ec2Resource", "httpProxy", []string{"HttpProxy"}},
		{"EmrConfiguration", "configuration", []string{"EmrConfiguration"}},
		{"EmrConfiguration", "property", []string{"Property"}},
		{"EbsBlockDeviceConfig", "volumeSpecification", []string{"VolumeSpecification"}},
	}
	for _, tt := range tests {
		if got := catMustField(t, c, tt.typ, tt.field).Targets; !catSameSet(got, tt.want) {
			t.Errorf("%s.%s targets = %v, want %v", tt.typ, tt.field, got, tt.want)
		}
	}
}

func TestNewCatalog_Enums(t *testing.T) {
	c := NewCatalog()
	catEachField(c, func(ts *TypeSpec, f *FieldSpec) {
		if (f.Kind == KindEnum) != (len(f.Enum) > 0) {
			t.Errorf("%s.%s: kind %s with enum values %v", ts.Name, f.Name, f.Kind, f.Enum)
		}
		if f.Kind == KindEnum && f.Default != "" && !slices.ContainsFunc(f.Enum, func(v string) bool {
			return strings.EqualFold(v, f.Default)
		}) {
			t.Errorf("%s.%s: default %q not among %v", ts.Name, f.Name, f.Default, f.Enum)
		}
	})
	tests := []struct {
		typ, field string
		want       []string
	}{
		{"CopyActivity", "failureAndRerunMode", []string{"cascade", "none"}},
		{"S3DataNode", "scheduleType", []string{"cron", "timeseries", "ondemand"}},
		{"RedshiftCopyActivity", "insertMode", []string{"KEEP_EXISTING", "OVERWRITE_EXISTING", "TRUNCATE", "APPEND"}},
		{"S3DataNode", "compression", []string{"none", "gzip"}},
		{"S3DataNode", "s3EncryptionType", []string{"SERVER_SIDE_ENCRYPTION", "NONE"}},
		{"EmrCluster", "actionOnResourceFailure", []string{"retryall", "retrynone"}},
		{"Ec2Resource", "actionOnTaskFailure", []string{"continue", "terminate"}},
		{"EmrCluster", "hadoopSchedulerType",
			[]string{"PARALLEL_FAIR_SCHEDULING", "PARALLEL_CAPACITY_SCHEDULING", "DEFAULT_SCHEDULER"}},
		{"Schedule", "startAt", []string{"FIRST_ACTIVATION_DATE_TIME", "ONDEMAND_ACTIVATION_TIME"}},
	}
	for _, tt := range tests {
		if got := catMustField(t, c, tt.typ, tt.field).Enum; !catSameSet(got, tt.want) {
			t.Errorf("%s.%s enum = %v, want %v", tt.typ, tt.field, got, tt.want)
		}
	}
}

// TestNewCatalog_Multi checks that exactly the fields of §6.2 (less the
// runtime ones) are multi-valued, wherever they are declared.
func TestNewCatalog_Multi(t *testing.T) {
	multi := []string{"input", "output", "dependsOn", "precondition", "onSuccess", "onFail",
		"onLateAction", "step", "preStepCommand", "postStepCommand", "bootstrapAction",
		"scriptArgument", "scriptVariable", "argument", "commandOptions", "column", "securityGroups",
		"securityGroupIds", "additionalMasterSecurityGroupIds", "additionalSlaveSecurityGroupIds",
		"applications", "configuration", "property", "ebsBlockDeviceConfig", "primaryKeys", "jdbcProperties"}
	c := NewCatalog()
	seen := map[string]bool{}
	catEachField(c, func(ts *TypeSpec, f *FieldSpec) {
		want := slices.Contains(multi, f.Name)
		if f.Multi != want {
			t.Errorf("%s.%s Multi = %v, want %v", ts.Name, f.Name, f.Multi, want)
		}
		seen[f.Name] = true
	})
	for _, name := range multi {
		if !seen[name] {
			t.Errorf("multi-valued field %s is declared on no type", name)
		}
	}
}

func TestTypeSpec_Field(t *testing.T) {
	c := NewCatalog()
	for _, typ := range []string{"JdbcDatabase", "RdsDatabase", "RedshiftDatabase", "HttpProxy",
		"SqlDataNode", "MySqlDataNode"} {
		for _, key := range []string{"*password", "password"} {
			if f := catMustField(t, c, typ, key); f.Name != "password" || !f.Secret {
				t.Errorf("%s.Field(%q) = %+v, want the secret password field", typ, key, f)
			}
		}
	}
	if _, ok := catMustType(t, c, "ShellCommandActivity").Field("noSuchField"); ok {
		t.Error("Field(noSuchField) found a field")
	}
}

// TestNewCatalog_Fresh checks that catalogs and types share no field specs.
func TestNewCatalog_Fresh(t *testing.T) {
	a, b := NewCatalog(), NewCatalog()
	catMustField(t, a, "CopyActivity", "maximumRetries").Default = "5"
	if got := catMustField(t, b, "CopyActivity", "maximumRetries").Default; got != "2" {
		t.Errorf("second catalog sees the first one's change: default %q", got)
	}
	owner := map[*FieldSpec]string{}
	catEachField(a, func(ts *TypeSpec, f *FieldSpec) {
		if other, ok := owner[f]; ok {
			t.Errorf("%s.%s shares its spec with %s", ts.Name, f.Name, other)
		}
		owner[f] = ts.Name
	})
}

func catSameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
