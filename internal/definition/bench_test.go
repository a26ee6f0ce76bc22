package definition

import (
	"bytes"
	"fmt"
	"testing"
)

// generatedDefinition returns a CLI-format definition with n objects: a
// Default, a Schedule, and chains of input node → activity → output node
// with expressions, references and arrays, like a large real pipeline.
func generatedDefinition(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"objects":[
{"id":"Default","scheduleType":"cron","failureAndRerunMode":"CASCADE","schedule":{"ref":"Daily"},"workerGroup":"wg","pipelineLogUri":"#{myLogs}","maximumRetries":"2"},
{"id":"Daily","type":"Schedule","period":"1 day","startDateTime":"2024-01-01T00:00:00"}`)
	count := 2
	for i := 0; count+3 <= n; i, count = i+1, count+3 {
		fmt.Fprintf(&b, `,
{"id":"In%d","type":"S3DataNode","directoryPath":"s3://bucket/in/%d/#{format(@scheduledStartTime,'YYYY-MM-dd')}","myComment":"input %d"}`, i, i, i)
		fmt.Fprintf(&b, `,
{"id":"Work%d","type":"ShellCommandActivity","input":{"ref":"In%d"},"output":{"ref":"Out%d"},"stage":"true","command":"cp -r ${INPUT1_STAGING_DIR} ${OUTPUT1_STAGING_DIR} # #{input.directoryPath}","scriptArgument":["a","#{@scheduledStartTime.format('HH')}"],"retryDelay":"10 minutes"%s}`, i, i, i, dependsOn(i))
		fmt.Fprintf(&b, `,
{"id":"Out%d","type":"S3DataNode","directoryPath":"s3://bucket/out/%d/#{format(plusDays(@scheduledStartTime,1),'YYYY-MM-dd')}"}`, i, i)
	}
	for ; count < n; count++ {
		fmt.Fprintf(&b, `,
{"id":"Pad%d","type":"S3DataNode","filePath":"s3://bucket/pad/%d"}`, count, count)
	}
	b.WriteString(`],
"parameters":[{"id":"myLogs","type":"AWS::S3::ObjectKey","default":"s3://bucket/logs"}]}`)
	return b.Bytes()
}

func dependsOn(i int) string {
	if i == 0 {
		return ""
	}
	return fmt.Sprintf(`,"dependsOn":{"ref":"Work%d"}`, i-1)
}

// BenchmarkLoadValidateCompile measures the whole definition path on a
// generated 10,000-object definition. Goal: under 200 ms.
func BenchmarkLoadValidateCompile(b *testing.B) {
	data := generatedDefinition(10000)
	cat := NewCatalog()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		doc, err := Load("gen.json", data, LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		g, res := Compile(&doc.Definition, cat, Options{})
		if g == nil {
			b.Fatal(report(res))
		}
		if len(g.Components) < 10000 {
			b.Fatalf("compiled %d components", len(g.Components))
		}
	}
}
