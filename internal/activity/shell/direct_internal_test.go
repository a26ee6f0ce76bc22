package shell

import (
	"cmp"
	"errors"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestSpec_SimpleWords(t *testing.T) {
	for _, tc := range []struct {
		name string
		sp   spec
		want []string // nil: through the shell
	}{
		{"OKTrue", spec{command: "true"}, []string{"true"}},
		{"OKFalse", spec{command: "false"}, []string{"false"}},
		{"OKArgs", spec{command: "ls -l /tmp"}, []string{"ls", "-l", "/tmp"}},
		{"OKRunsOfSpaces", spec{command: "  ls   -l  "}, []string{"ls", "-l"}},
		{"OKPath", spec{command: "/usr/bin/env"}, []string{"/usr/bin/env"}},
		{"OKRelativePath", spec{command: "./run.sh"}, []string{"./run.sh"}},
		{"OKAssignmentArgument", spec{command: "env A=1"}, []string{"env", "A=1"}},
		{"OKPunctuation", spec{command: "cp a_b.csv c-d,e:f+g@h%i=j"}, []string{"cp", "a_b.csv", "c-d,e:f+g@h%i=j"}},
		{"OKBuiltinAsArgument", spec{command: "xargs echo"}, []string{"xargs", "echo"}},
		{"ErrBuiltinEcho", spec{command: "echo hi"}, nil},
		{"ErrBuiltinCd", spec{command: "cd /tmp"}, nil},
		{"ErrBuiltinExit", spec{command: "exit 3"}, nil},
		{"ErrBuiltinTest", spec{command: "test 1 = 1"}, nil},
		{"ErrBuiltinDot", spec{command: ". x"}, nil},
		{"ErrBuiltinColon", spec{command: ":"}, nil},
		{"ErrBuiltinKill", spec{command: "kill 1"}, nil},
		{"ErrBuiltinLocal", spec{command: "local x"}, nil},
		{"ErrKeywordTime", spec{command: "time ls"}, nil},
		{"ErrKeywordIf", spec{command: "if"}, nil},
		{"ErrAssignment", spec{command: "FOO=1 env"}, nil},
		{"ErrBareAssignment", spec{command: "FOO=1"}, nil},
		{"ErrJobSpec", spec{command: "%1"}, nil},
		{"ErrPipe", spec{command: "a|b"}, nil},
		{"ErrSingleQuotes", spec{command: "x 'y'"}, nil},
		{"ErrDoubleQuotes", spec{command: `x "y"`}, nil},
		{"ErrBackslash", spec{command: `x \y`}, nil},
		{"ErrVariable", spec{command: "$HOME"}, nil},
		{"ErrVariableArgument", spec{command: "ls $HOME"}, nil},
		{"ErrBacktick", spec{command: "ls `pwd`"}, nil},
		{"ErrGlobStar", spec{command: "ls *.csv"}, nil},
		{"ErrGlobQuestion", spec{command: "ls a?"}, nil},
		{"ErrGlobBracket", spec{command: "ls [ab]"}, nil},
		{"ErrTilde", spec{command: "ls ~"}, nil},
		{"ErrComment", spec{command: "ls # all"}, nil},
		{"ErrSemicolon", spec{command: "a;b"}, nil},
		{"ErrAnd", spec{command: "a && b"}, nil},
		{"ErrBackground", spec{command: "sleep 1 &"}, nil},
		{"ErrRedirectOut", spec{command: "ls > f"}, nil},
		{"ErrRedirectIn", spec{command: "wc < f"}, nil},
		{"ErrSubshell", spec{command: "(ls)"}, nil},
		{"ErrBraces", spec{command: "ls a{b,c}"}, nil},
		{"ErrBang", spec{command: "! ls"}, nil},
		{"ErrTab", spec{command: "ls\t/tmp"}, nil},
		{"ErrNewline", spec{command: "ls\nls"}, nil},
		{"ErrNonASCII", spec{command: "ls é"}, nil},
		{"ErrEmpty", spec{command: ""}, nil},
		{"ErrBlank", spec{command: "   "}, nil},
		{"ErrScriptArguments", spec{command: "ls", args: []string{"x"}}, nil},
		{"ErrScript", spec{script: "/x.sh"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := tc.sp.simpleWords()
			if ok != (tc.want != nil) || !slices.Equal(got, tc.want) {
				t.Errorf("simpleWords(%q) = %q, %v; want %q", tc.sp.command, got, ok, tc.want)
			}
		})
	}
}

func TestSpec_Direct(t *testing.T) {
	root := t.TempDir()
	bin, work := filepath.Join(root, "bin"), filepath.Join(root, "work")
	for _, f := range []struct {
		path string
		mode os.FileMode
	}{{filepath.Join(bin, "tool"), 0o755}, {filepath.Join(bin, "noexec"), 0o644}, {filepath.Join(work, "mytool"), 0o755}} {
		if err := os.MkdirAll(filepath.Dir(f.path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f.path, []byte("#!/bin/sh\n"), f.mode); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(bin, "adir"), 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(root, "link")
	if err := os.Symlink(work, link); err != nil {
		t.Fatal(err)
	}
	path := "PATH=/nonexistent:" + bin
	for _, tc := range []struct {
		name    string
		command string
		shell   string // default /bin/bash
		env     []string
		dir     string // default work
		chdir   string // the test's working directory, if set
		wantExe string // "": through the shell
		wantEnv []string
	}{
		{name: "OKPathSearch", command: "tool -x", env: []string{path, "A=1"},
			wantExe: filepath.Join(bin, "tool"), wantEnv: []string{path, "A=1", "PWD=" + work, "SHLVL=0", "_=" + bin + "/tool"}},
		{name: "OKTrailingSlashEntry", command: "tool", env: []string{"PATH=" + bin + "/"},
			wantExe: filepath.Join(bin, "tool"), wantEnv: []string{"PATH=" + bin + "/", "PWD=" + work, "SHLVL=0", "_=" + bin + "/tool"}},
		{name: "OKEmptyEntryIsWorkDir", command: "mytool", env: []string{"PATH=/nonexistent:"},
			wantExe: filepath.Join(work, "mytool"), wantEnv: []string{"PATH=/nonexistent:", "PWD=" + work, "SHLVL=0", "_=./mytool"}},
		{name: "OKDotEntry", command: "mytool", env: []string{"PATH=."},
			wantExe: filepath.Join(work, "mytool"), wantEnv: []string{"PATH=.", "PWD=" + work, "SHLVL=0", "_=./mytool"}},
		{name: "OKRelativeWord", command: "./mytool", env: []string{path},
			wantExe: filepath.Join(work, "mytool"), wantEnv: []string{path, "PWD=" + work, "SHLVL=0", "_=./mytool"}},
		{name: "OKAbsoluteWordWithoutPath", command: bin + "/tool",
			wantExe: filepath.Join(bin, "tool"), wantEnv: []string{"PWD=" + work, "SHLVL=0", "_=" + bin + "/tool"}},
		{name: "OKLastPathWins", command: "tool", env: []string{"PATH=/nonexistent", path},
			wantExe: filepath.Join(bin, "tool"), wantEnv: []string{"PATH=/nonexistent", path, "PWD=" + work, "SHLVL=0", "_=" + bin + "/tool"}},
		{name: "OKReplacesShellVariables", command: "tool", env: []string{path, "PWD=/", "SHLVL= 07", "_=/bin/x", "OLDPWD=/"},
			wantExe: filepath.Join(bin, "tool"), wantEnv: []string{path, "OLDPWD=/", "PWD=" + work, "SHLVL=7", "_=" + bin + "/tool"}},
		{name: "OKDropsOldpwdNotADirectory", command: "tool", env: []string{path, "OLDPWD=/nonexistent"},
			wantExe: filepath.Join(bin, "tool"), wantEnv: []string{path, "PWD=" + work, "SHLVL=0", "_=" + bin + "/tool"}},
		{name: "OKPhysicalWorkDir", command: "tool", env: []string{path}, dir: link,
			wantExe: filepath.Join(bin, "tool"), wantEnv: []string{path, "PWD=" + work, "SHLVL=0", "_=" + bin + "/tool"}},
		{name: "OKRelativeWorkDir", command: "./mytool", env: []string{path}, dir: "work", chdir: root,
			wantExe: filepath.Join(work, "mytool"), wantEnv: []string{path, "PWD=" + work, "SHLVL=0", "_=./mytool"}},
		{name: "OKBashByPath", command: "tool", shell: "/usr/local/bin/bash", env: []string{path},
			wantExe: filepath.Join(bin, "tool"), wantEnv: []string{path, "PWD=" + work, "SHLVL=0", "_=" + bin + "/tool"}},
		{name: "ErrNotSimple", command: "tool | tool", env: []string{path}},
		{name: "ErrNotFound", command: "no-such-tool", env: []string{path}},
		{name: "ErrNotExecutable", command: "noexec", env: []string{path}},
		{name: "ErrDirectory", command: "adir", env: []string{path}},
		{name: "ErrMissingPathWord", command: bin + "/none", env: []string{path}},
		{name: "ErrPathUnset", command: "tool"},
		{name: "ErrPathEmpty", command: "tool", env: []string{"PATH="}},
		{name: "ErrNotBash", command: "tool", shell: "/bin/sh", env: []string{path}},
		{name: "ErrBashEnv", command: "tool", env: []string{path, "BASH_ENV=/etc/profile"}},
		{name: "ErrShellopts", command: "tool", env: []string{path, "SHELLOPTS=xtrace"}},
		{name: "ErrBashopts", command: "tool", env: []string{path, "BASHOPTS=extglob"}},
		{name: "ErrExecignore", command: "tool", env: []string{path, "EXECIGNORE=*"}},
		{name: "ErrExportedFunction", command: "tool", env: []string{path, "BASH_FUNC_f%%=() { :\n}"}},
		{name: "ErrShlvlTooHigh", command: "tool", env: []string{path, "SHLVL=999"}},
		{name: "ErrShlvlNegative", command: "tool", env: []string{path, "SHLVL=-1"}},
		{name: "ErrShlvlNotANumber", command: "tool", env: []string{path, "SHLVL=abc"}},
		{name: "ErrPwdIsWorkDir", command: "tool", env: []string{path, "PWD=" + link}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.chdir != "" {
				t.Chdir(tc.chdir)
			}
			shell, dir := cmp.Or(tc.shell, "/bin/bash"), cmp.Or(tc.dir, work)
			sp := spec{command: tc.command}
			d, ok := sp.direct(shell, tc.env, dir, "", nil)
			if ok != (tc.wantExe != "") {
				t.Fatalf("direct = %+v, %v; want exe %q", d, ok, tc.wantExe)
			}
			if !ok {
				return
			}
			words, _ := sp.simpleWords()
			if d.path != tc.wantExe || !slices.Equal(d.argv, words) || !slices.Equal(d.env, tc.wantEnv) {
				t.Errorf("direct = %q %q %q; want %q %q %q", d.path, d.argv, d.env, tc.wantExe, words, tc.wantEnv)
			}
		})
	}
}

func TestBashBuiltins_MatchBash(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		out, err := exec.Command("bash", "-c", `[[ $BASH_VERSION == 5.2.* ]] || exit 9; compgen -b; compgen -k`).Output()
		if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 9 || errors.Is(err, exec.ErrNotFound) {
			t.Skip("bash 5.2 is not installed")
		}
		if err != nil {
			t.Fatal(err)
		}
		want := strings.Fields(string(out))
		got := slices.Collect(maps.Keys(bashBuiltins))
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("bashBuiltins = %q; bash 5.2 has %q", got, want)
		}
	})
}
