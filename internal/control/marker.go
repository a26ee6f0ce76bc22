package control

import (
	"encoding/base64"
	"encoding/json"
)

// Markers are opaque to clients: base64url of a small JSON document that
// names the last item returned, so pages stay stable under inserts.

func encodeMarker(v any) string {
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeMarker decodes marker into v; "" leaves v untouched. A garbled
// marker is InvalidRequestException.
func decodeMarker(marker string, v any) error {
	if marker == "" {
		return nil
	}
	b, err := base64.RawURLEncoding.DecodeString(marker)
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		return invalid("The marker %q is not valid.", marker)
	}
	return nil
}
