package shell

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// directCmd is a simple command prepared to run without a shell, the way
// bash would run it: path is the file to execute, argv its arguments
// (argv[0] the word as typed) and env the environment bash would hand it.
type directCmd struct {
	path string
	argv []string
	env  []string
}

// apply returns p running d instead of its own command line.
func (d directCmd) apply(p proc) proc {
	p.path, p.argv, p.env = d.path, d.argv, d.env
	return p
}

// direct reports whether sp can run without a shell and, if so, how.
// shell is the configured shell, env the environment the command gets,
// dir its working directory and phys dir's physical path ("" when not
// known); lookups, when set, remembers PATH searches. Anything bash could
// treat differently from a plain fork and exec (see the package doc)
// answers false, and the command goes through the shell.
func (sp spec) direct(shell string, env []string, dir, phys string, lookups *lookupCache) (directCmd, bool) {
	if filepath.Base(shell) != "bash" {
		return directCmd{}, false // what is reproduced below is bash's behaviour
	}
	words, ok := sp.simpleWords()
	if !ok || startupAffected(env) {
		return directCmd{}, false
	}
	path, pathSet := lookupEnv(env, "PATH")
	exe, found := lookups.find(words[0], path, pathSet, dir)
	if !found {
		return directCmd{}, false // bash reports "command not found" (127)
	}
	childEnv, ok := bashEnviron(env, dir, phys, exe)
	if !ok {
		return directCmd{}, false
	}
	return directCmd{path: absIn(dir, exe), argv: words, env: childEnv}, true
}

// simpleWords returns the words of sp's command when it is simple: a
// command (not a script) without arguments, made only of characters
// bash gives no meaning to, whose first word is neither an assignment,
// nor a job spec (%1 means fg %1), nor a bash builtin or keyword other
// than true and false (their binaries behave the same).
func (sp spec) simpleWords() ([]string, bool) {
	if sp.script != "" || len(sp.args) > 0 || !plainText(sp.command) {
		return nil, false
	}
	words := strings.Fields(sp.command) // only spaces are left to split on
	if len(words) == 0 {
		return nil, false
	}
	first := words[0]
	if strings.ContainsRune(first, '=') || strings.HasPrefix(first, "%") {
		return nil, false
	}
	if first != "true" && first != "false" && bashBuiltins[first] {
		return nil, false
	}
	return words, true
}

// plainText reports whether every byte of s is a letter, a digit, a
// plain space or one of -_./:,+@%= : characters that bash neither
// quotes, expands, redirects, nor treats as operators or comments.
func plainText(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte(" -_./:,+@%=", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// bashBuiltins holds the output of `compgen -b` and `compgen -k` in
// bash 5.2: words bash runs itself rather than searching PATH. It is
// never written.
var bashBuiltins = map[string]bool{
	// compgen -b
	".": true, ":": true, "[": true, "alias": true, "bg": true, "bind": true,
	"break": true, "builtin": true, "caller": true, "cd": true, "command": true,
	"compgen": true, "complete": true, "compopt": true, "continue": true,
	"declare": true, "dirs": true, "disown": true, "echo": true, "enable": true,
	"eval": true, "exec": true, "exit": true, "export": true, "false": true,
	"fc": true, "fg": true, "getopts": true, "hash": true, "help": true,
	"history": true, "jobs": true, "kill": true, "let": true, "local": true,
	"logout": true, "mapfile": true, "popd": true, "printf": true, "pushd": true,
	"pwd": true, "read": true, "readarray": true, "readonly": true, "return": true,
	"set": true, "shift": true, "shopt": true, "source": true, "suspend": true,
	"test": true, "times": true, "trap": true, "true": true, "type": true,
	"typeset": true, "ulimit": true, "umask": true, "unalias": true, "unset": true,
	"wait": true,
	// compgen -k
	"!": true, "[[": true, "]]": true, "case": true, "coproc": true, "do": true,
	"done": true, "elif": true, "else": true, "esac": true, "fi": true, "for": true,
	"function": true, "if": true, "in": true, "select": true, "then": true,
	"time": true, "until": true, "while": true, "{": true, "}": true,
}

// startupAffected reports whether env holds variables that make bash do
// more at startup than run the command: source a file (BASH_ENV), set
// options (SHELLOPTS, BASHOPTS), import functions (BASH_FUNC_*, which it
// also re-exports rewritten), or skip files in the PATH search
// (EXECIGNORE).
func startupAffected(env []string) bool {
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case name == "BASH_ENV", name == "SHELLOPTS", name == "BASHOPTS", name == "EXECIGNORE":
			return true
		case strings.HasPrefix(name, "BASH_FUNC_"):
			return true
		}
	}
	return false
}

// lookupEnv returns the value of name in env, the last one when it is
// there more than once (as exec and bash take it), and whether it is
// set.
func lookupEnv(env []string, name string) (string, bool) {
	for i := len(env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(env[i], name+"="); ok {
			return v, true
		}
	}
	return "", false
}

// findCommand resolves a command word as bash does and returns the path
// bash would execute, in the form bash exports as $_: a word with a
// slash is used as is; otherwise each PATH entry is tried in order (an
// empty entry is the working directory), and the first executable file
// (not a directory) wins. Relative paths are relative to dir. An unset
// PATH (bash then uses a built-in default) finds nothing.
func findCommand(word string, path string, pathSet bool, dir string) (string, bool) {
	if strings.ContainsRune(word, '/') {
		return word, executable(absIn(dir, word))
	}
	if !pathSet {
		return "", false
	}
	for _, d := range filepath.SplitList(path) {
		cand := joinPathEntry(d, word)
		if executable(absIn(dir, cand)) {
			return cand, true
		}
	}
	return "", false
}

// joinPathEntry joins a PATH entry and a command name as bash does:
// "" and "." give "./name", and a trailing slash is not doubled.
func joinPathEntry(entry, name string) string {
	if entry == "" {
		entry = "."
	}
	if strings.HasSuffix(entry, "/") {
		return entry + name
	}
	return entry + "/" + name
}

// absIn returns the absolute form of path, which is relative to dir
// when relative (dir itself may be relative to the runner's directory).
func absIn(dir, path string) string {
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// executable reports whether path is a file (not a directory) that this
// process may execute.
func executable(path string) bool {
	const xOK = 1 // access(2)'s X_OK
	if syscall.Access(path, xOK) != nil {
		return false
	}
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir()
}

// bashEnviron returns the environment bash 5.2 passes to the one simple
// command of `bash -c`, which it executes in place: env with PWD set to
// the physical working directory, SHLVL as given (bash increments it and
// decrements it again before the exec; "0" when unset), OLDPWD dropped
// unless it names a directory, and _ set to the executed path. It
// answers false where bash would do something else (a SHLVL it warns
// about or resets, a PWD that already names dir, which bash keeps in its
// own canonical form). phys is dir's physical path when known, else "".
func bashEnviron(env []string, dir, phys, exe string) ([]string, bool) {
	level, ok := shellLevel(env)
	if !ok {
		return nil, false
	}
	if pwd, set := lookupEnv(env, "PWD"); set && sameDir(pwd, dir) {
		return nil, false
	}
	if phys == "" {
		var err error
		if phys, err = physical(dir); err != nil {
			return nil, false
		}
	}
	dropOld := false
	if old, set := lookupEnv(env, "OLDPWD"); set {
		fi, err := os.Stat(old)
		dropOld = err != nil || !fi.IsDir()
	}
	out := make([]string, 0, len(env)+3)
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if name == "PWD" || name == "SHLVL" || name == "_" || (dropOld && name == "OLDPWD") {
			continue
		}
		out = append(out, kv)
	}
	return append(out, "PWD="+phys, "SHLVL="+level, "_="+exe), true
}

// shellLevel returns the SHLVL a command exec'd by `bash -c` sees: the
// inherited value when it is a number bash accepts as is (0 to 998),
// "0" when unset; false otherwise.
func shellLevel(env []string) (string, bool) {
	v, set := lookupEnv(env, "SHLVL")
	if !set {
		return "0", true
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 || n > 998 {
		return "", false
	}
	return strconv.Itoa(n), true
}

// sameDir reports whether the absolute path pwd names dir.
func sameDir(pwd, dir string) bool {
	if !filepath.IsAbs(pwd) {
		return false
	}
	a, err := os.Stat(pwd)
	if err != nil {
		return false
	}
	b, err := os.Stat(dir)
	return err == nil && os.SameFile(a, b)
}

// physical returns the absolute path of dir without symbolic links, as
// getcwd(3) in dir would.
func physical(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}
