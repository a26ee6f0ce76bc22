package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/datapipeline"
)

// Exit codes of the client commands, as aws CLI v2 uses them.
const (
	exitClientUsage   = 252 // bad command line or parameter value; nothing was sent
	exitClientConfig  = 253 // bad environment or configuration, such as no credentials
	exitClientService = 254 // the service answered with an error
	exitClientOther   = 255 // anything else, such as a connection failure
)

// clientCommand is one aws-cli-style command: `datapipe <name> --option
// value …`, with the options and flags `aws datapipeline <name>` takes.
type clientCommand struct {
	name string
	// operation is the API operation called, which titles --output table.
	operation string
	// required and optional are the options taking values; multi are those
	// of them that take several words (--pipeline-ids a b c); flags take
	// none.
	required, optional, multi, flags []string
	// paginated commands also take --max-items, --starting-token and
	// --no-paginate; pageSize ones --page-size too.
	paginated, pageSize bool
	run                 func(ctx context.Context, c *clientCall) (*result, error)
}

// clientCommands returns the client commands by name.
func clientCommands() map[string]*clientCommand {
	all := slices.Concat(pipelineCommands(), definitionCommands(), objectCommands(), tagCommands(), []*clientCommand{listRunsCommand()})
	byName := make(map[string]*clientCommand, len(all))
	for _, c := range all {
		byName[c.name] = c
	}
	return byName
}

// globalOptions returns the options every client command takes, as the
// aws CLI's global options. --color is accepted and ignored: output is
// never coloured.
func globalOptions() []string {
	return []string{"endpoint-url", "region", "output", "profile", "color"}
}

// globalFlags returns the flags every client command takes.
func globalFlags() []string { return []string{"no-sign-request"} }

// clientCall is one run of a client command: its arguments and the API
// client.
type clientCall struct {
	m    *Main
	cmd  *clientCommand
	args *args
	api  *datapipeline.Client
	// output is the format; explicitOutput says --output was given.
	output         string
	explicitOutput bool
	// now is the clock (list-runs' default interval).
	now func() time.Time
}

// runClient runs the client command named in words, which may be preceded
// by global options (`datapipe --region r list-pipelines`). It reports
// false when words name no client command.
func (m *Main) runClient(ctx context.Context, words []string) (int, bool) {
	i := skipGlobals(words)
	if i >= len(words) {
		return 0, false
	}
	cmd, ok := clientCommands()[words[i]]
	if !ok {
		return 0, false
	}
	rest := slices.Concat(words[:i], words[i+1:])
	return m.runClientCommand(ctx, cmd, rest), true
}

// skipGlobals returns the index of the first word after any leading
// global options.
func skipGlobals(words []string) int {
	i := 0
	for i < len(words) && strings.HasPrefix(words[i], "--") {
		name, _, hasVal := strings.Cut(strings.TrimPrefix(words[i], "--"), "=")
		switch {
		case slices.Contains(globalFlags(), name), hasVal && slices.Contains(globalOptions(), name):
			i++
		case slices.Contains(globalOptions(), name):
			i += 2
		default:
			return i
		}
	}
	return i
}

// runClientCommand parses the arguments, calls the service and prints
// the result or the error.
func (m *Main) runClientCommand(ctx context.Context, cmd *clientCommand, words []string) int {
	c, err := m.newClientCall(cmd, words)
	if errors.Is(err, errHelp) {
		fmt.Fprint(m.Stdout, cmd.usage())
		return exitOK
	}
	if err == nil {
		c.api, err = newAPI(ctx, c.args, os.Getenv)
	}
	var res *result
	if err == nil {
		res, err = cmd.run(ctx, c)
	}
	if err != nil {
		return m.clientError(cmd, err)
	}
	if res != nil && res.title == "" {
		res.title = cmd.operation
	}
	if err := writeResult(m.Stdout, c.output, res, terminalWidth(m.Stdout)); err != nil {
		return m.clientError(cmd, err)
	}
	return exitOK
}

// newClientCall parses words for cmd.
func (m *Main) newClientCall(cmd *clientCommand, words []string) (*clientCall, error) {
	flags, multi := cmd.flagSet(), map[string]bool{}
	for _, name := range cmd.multi {
		multi[name] = true
	}
	a, err := parseArgs(words, flags, multi)
	if err != nil {
		return nil, argError(err.Error())
	}
	if slices.Contains(a.positional, "help") || a.flags["help"] {
		return nil, errHelp
	}
	if err := cmd.check(a); err != nil {
		return nil, err
	}
	c := &clientCall{m: m, cmd: cmd, args: a, now: time.Now}
	c.output, c.explicitOutput = a.one("output", ""), a.one("output", "") != ""
	c.output = cmp.Or(c.output, os.Getenv("AWS_DEFAULT_OUTPUT"), outputJSON)
	if !slices.Contains([]string{outputJSON, outputText, outputTable}, c.output) {
		return nil, argError(fmt.Sprintf("argument --output: Invalid choice %q, valid choices are: json | text | table", c.output))
	}
	return c, nil
}

// flagSet returns the boolean flags cmd takes, global ones included.
func (cmd *clientCommand) flagSet() map[string]bool {
	flags := map[string]bool{"help": true}
	for _, f := range slices.Concat(cmd.flags, globalFlags()) {
		flags[f] = true
	}
	if cmd.paginated {
		flags["no-paginate"] = true
	}
	return flags
}

// known returns every option name cmd takes.
func (cmd *clientCommand) known() []string {
	known := slices.Concat(cmd.required, cmd.optional, globalOptions())
	if cmd.paginated {
		known = append(known, "max-items", "starting-token")
	}
	if cmd.pageSize {
		known = append(known, "page-size")
	}
	return known
}

// check reports unknown options and missing required ones, as argparse
// does.
func (cmd *clientCommand) check(a *args) error {
	var unknown []string
	for name := range a.options {
		if !slices.Contains(cmd.known(), name) {
			unknown = append(unknown, "--"+name)
		}
	}
	slices.Sort(unknown)
	unknown = append(unknown, a.positional...)
	if len(unknown) > 0 {
		return argError("Unknown options: " + strings.Join(unknown, ", "))
	}
	var missing []string
	for _, name := range cmd.required {
		if len(a.options[name]) == 0 {
			missing = append(missing, "--"+name)
		}
	}
	if len(missing) > 0 {
		return argError("the following arguments are required: " + strings.Join(missing, ", "))
	}
	return nil
}

// usage returns the command's synopsis.
func (cmd *clientCommand) usage() string {
	var b strings.Builder
	fmt.Fprintf(&b, "usage: datapipe %s", cmd.name)
	for _, name := range cmd.required {
		fmt.Fprintf(&b, " --%s %s", name, valueWord(cmd, name))
	}
	for _, name := range cmd.optional {
		fmt.Fprintf(&b, " [--%s %s]", name, valueWord(cmd, name))
	}
	for _, name := range cmd.flags {
		fmt.Fprintf(&b, " [--%s]", name)
	}
	if cmd.paginated {
		b.WriteString(" [--max-items N] [--starting-token T] [--no-paginate]")
	}
	if cmd.pageSize {
		b.WriteString(" [--page-size N]")
	}
	b.WriteString("\n  global: [--endpoint-url URL] [--region R] [--output json|text|table] [--profile P] [--no-sign-request]\n")
	b.WriteString("  exit codes: 0 ok, 252 bad arguments or parameters, 253 configuration (credentials, profile), 254 service error, 255 other\n")
	return b.String()
}

// valueWord names an option's value in usage.
func valueWord(cmd *clientCommand, name string) string {
	if slices.Contains(cmd.multi, name) {
		return "<value> ..."
	}
	return "<value>"
}

// writeUsageHint prints the short usage that precedes an argument error.
func writeUsageHint(w io.Writer, cmd *clientCommand) {
	fmt.Fprint(w, cmd.usage())
	fmt.Fprintf(w, "To see help text, you can run:\n\n  datapipe help\n  datapipe %s help\n\n", cmd.name)
}
