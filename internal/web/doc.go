// Package web is the console: server-rendered HTML pages (html/template,
// assets embedded, a little vanilla JavaScript) served by `datapipe
// server` at GET / and under /console/.
//
// Pages: the pipelines list (/), a pipeline (/console/pipelines/{id}: the
// component graph as SVG, the definition with its validation problems,
// parameters with secret values masked, actions), its runs grid
// (/…/runs) and timeline (/…/timeline), an instance or attempt
// (/…/object?id=: fields, attempts, log tailing, "why is this not
// running?"), and the metrics overview (/console/metrics).
//
// JSON endpoints, for scripts and `datapipe explain`:
//
//	GET /console/api/explain?pipelineId=P&objectId=O  explain.Explanation
//	GET /console/api/log?pipelineId=P&attemptId=A&offset=N
//	    {"text": …, "offset": N, "status": …, "done": bool}
//
// Reads go to the store (bounded queries: every page stays fast with
// 1,000 pipelines and 50,000 instances); every change goes through
// control.Service, as the API's do.
//
// Auth: with access keys, a person signs in with an access key id and
// secret (checked against the keys the API uses) and gets a session
// cookie (HttpOnly, SameSite=Strict, HMAC-signed, expiring); every POST
// carries a CSRF token bound to the session. The JSON endpoints also
// accept SigV4-signed requests (service datapipeline), verified by the
// API's Authenticator. Without keys (local mode) the console is open to
// loopback clients only.
package web
