// Package config reads datapipe's YAML configuration file, the one that
// `datapipe server`, `datapipe taskrunner` and `datapipe run` take with
// --config. docs/config.md documents every key.
//
// The file has four sections, all optional:
//
//	aws:         # regions, endpoints and credentials for S3, DynamoDB, SNS…
//	notify:      # the SnsAlarm backends (notify.Config)
//	server:      # defaults for `datapipe server`'s flags
//	taskrunner:  # defaults for `datapipe taskrunner`'s flags
//
// Parsing is strict: an unknown or repeated key, a value of the wrong type
// (durations are Go durations such as "20s") or an invalid value is an
// *Error naming the line and the dotted key at fault. String values may
// refer to environment variables as ${NAME} or ${NAME:-default}; $${ is a
// literal ${.
//
// A zero field means "not set in the file": the command's built-in default
// applies, and a command-line flag given explicitly overrides both.
// The package does no I/O besides Load reading the file and Parse reading
// the environment.
package config
