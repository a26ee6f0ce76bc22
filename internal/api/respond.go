package api

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/datapipe/datapipe/internal/pipeline"
)

// contentType is the media type of every API request and response.
const contentType = "application/x-amz-json-1.1"

// The response headers AWS clients read. HTTP header names are
// case-insensitive; these are the canonical forms of x-amzn-RequestId and
// X-Amzn-ErrorType.
const (
	headerRequestID = "X-Amzn-Requestid"
	headerErrorType = "X-Amzn-Errortype"
)

// newRequestID returns a random version-4 UUID.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// marshal encodes v as compact JSON without HTML escaping.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// writeJSON writes an API response with the given status and body.
func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeError writes the error response for code and message and returns
// its status.
func writeError(w http.ResponseWriter, code pipeline.Code, message string) int {
	body, err := marshal(errorBody{Type: code, Message: message})
	if err != nil { // cannot happen: two strings
		body = []byte(`{"__type":"InternalServiceError"}`)
	}
	status := httpStatus(code)
	w.Header().Set(headerErrorType, string(code))
	writeJSON(w, status, body)
	return status
}
