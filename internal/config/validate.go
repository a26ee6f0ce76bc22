package config

import (
	"log/slog"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// rule is one semantic check: the key it is about and the problem, if
// any ("" when the value is fine).
type rule struct {
	key string
	msg string
}

// validate checks the values that decoded but mean nothing, reporting
// the first problem at the line of its key.
func validate(cfg Config, lines map[string]int) error {
	rules := slices.Concat(awsRules(cfg.AWS), serverRules(cfg.Server), taskRunnerRules(cfg.TaskRunner))
	for _, r := range rules {
		if r.msg != "" {
			return errorf(lineOf(lines, r.key), r.key, ErrBadValue, "%s", r.msg)
		}
	}
	return nil
}

// lineOf returns the line of key, else of its nearest parent, else 0.
func lineOf(lines map[string]int, key string) int {
	for key != "" {
		if l, ok := lines[key]; ok {
			return l
		}
		i := strings.LastIndexByte(key, '.')
		if i < 0 {
			break
		}
		key = key[:i]
	}
	return 0
}

// regionName matches region codes such as us-east-1 (and local stand-ins
// such as local-1).
var regionName = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// awsRules checks the aws section.
func awsRules(a AWS) []rule {
	rules := []rule{{"aws.region", checkRegion(a.Region)}}
	rules = append(rules, endpointRules("aws.endpoints", a.Endpoints)...)
	for _, region := range sortedKeys(a.RegionEndpoints) {
		key := "aws.regionEndpoints." + region
		rules = append(rules, rule{key, checkRegion(region)})
		rules = append(rules, endpointRules(key, a.RegionEndpoints[region])...)
	}
	return append(rules, credentialRules(a)...)
}

// checkRegion checks a region code; empty is fine.
func checkRegion(r string) string {
	if r != "" && !regionName.MatchString(r) {
		return "region " + quote(r) + ": want a region code such as us-east-1"
	}
	return ""
}

// endpointRules checks a service → URL map.
func endpointRules(key string, eps map[string]string) []rule {
	var rules []rule
	for _, svc := range sortedKeys(eps) {
		k := key + "." + svc
		if !slices.Contains(services, svc) {
			rules = append(rules, rule{k, "unknown service: want one of " + strings.Join(services, ", ")})
			continue
		}
		rules = append(rules, rule{k, checkURL(eps[svc])})
	}
	return rules
}

// checkURL checks an http(s) base URL.
func checkURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return quote(raw) + ": want an http:// or https:// URL"
	}
	return ""
}

// credentialRules checks that static credentials come in pairs.
func credentialRules(a AWS) []rule {
	var r rule
	switch {
	case a.AccessKeyID != "" && a.SecretAccessKey == "":
		r = rule{"aws.accessKeyId", "aws.secretAccessKey is required with it"}
	case a.AccessKeyID == "" && a.SecretAccessKey != "":
		r = rule{"aws.secretAccessKey", "aws.accessKeyId is required with it"}
	case a.AccessKeyID == "" && a.SessionToken != "":
		r = rule{"aws.sessionToken", "aws.accessKeyId and aws.secretAccessKey are required with it"}
	}
	return []rule{r}
}

// serverRules checks the server section.
func serverRules(s Server) []rule {
	return []rule{
		{"server.addr", checkAddr(s.Addr)},
		{"server.store", checkStore(s.Store)},
		{"server.logFormat", checkLogFormat(s.LogFormat)},
		{"server.logLevel", checkLogLevel(s.LogLevel)},
	}
}

// checkAddr checks a host:port listen address; empty is fine.
func checkAddr(addr string) string {
	if _, _, err := net.SplitHostPort(addr); addr != "" && err != nil {
		return quote(addr) + ": want host:port, e.g. 127.0.0.1:8080"
	}
	return ""
}

// checkStore checks a store URL; empty is fine.
func checkStore(s string) string {
	for _, p := range []string{"", "sqlite:", "postgres://", "postgresql://"} {
		if (p == "" && s == "") || (p != "" && strings.HasPrefix(s, p)) {
			return ""
		}
	}
	return quote(s) + ": want sqlite:PATH or postgres://…"
}

// checkLogFormat checks text or json; empty is fine.
func checkLogFormat(f string) string {
	if f != "" && f != "text" && f != "json" {
		return quote(f) + ": want text or json"
	}
	return ""
}

// checkLogLevel checks a slog level; empty is fine.
func checkLogLevel(l string) string {
	var level slog.Level
	if l != "" && level.UnmarshalText([]byte(l)) != nil {
		return quote(l) + ": want debug, info, warn or error"
	}
	return ""
}

// taskRunnerRules checks the taskrunner section.
func taskRunnerRules(t TaskRunner) []rule {
	rules := []rule{{"taskrunner.concurrency", ""}}
	if t.Concurrency < 0 {
		rules[0].msg = "want a whole number of at least 1"
	}
	if t.EndpointURL != "" {
		rules = append(rules, rule{"taskrunner.endpointUrl", checkURL(t.EndpointURL)})
	}
	return rules
}

// quote quotes a value for messages.
func quote(s string) string { return strconv.Quote(s) }
