package expr_test

import (
	"testing"

	"github.com/datapipe/datapipe/internal/expr"
)

// BenchmarkTemplate_Render renders a typical S3 path field of an instance.
func BenchmarkTemplate_Render(b *testing.B) {
	tpl := mustTemplate(b, "#{myS3OutputLoc}/#{format(@scheduledStartTime, 'YYYY-MM-dd-HH')}/#{node.@scheduledStartTime.plusMonths(1).format('YYYY')}")
	scope := newScope()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tpl.Render(scope); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseTemplate parses the same field value.
func BenchmarkParseTemplate(b *testing.B) {
	const src = "#{myS3OutputLoc}/#{format(@scheduledStartTime, 'YYYY-MM-dd-HH')}/#{node.@scheduledStartTime.plusMonths(1).format('YYYY')}"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := expr.ParseTemplate(src); err != nil {
			b.Fatal(err)
		}
	}
}
