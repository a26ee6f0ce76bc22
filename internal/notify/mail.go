package notify

import (
	"bytes"
	"crypto/rand"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
	"unicode"
)

// compose returns the normalized m as an RFC 5322 message with CRLF line
// endings:
//
//	Date: <m.At, or now when m.At is zero, as RFC 5322 date-time>
//	From: <from>
//	To: <to, comma-separated>
//	Subject: <m.Subject, RFC 2047 encoded when not ASCII>
//	Message-ID: <random@the sender's domain>
//	MIME-Version: 1.0
//	Content-Type: text/plain; charset=utf-8
//	Content-Transfer-Encoding: quoted-printable
//	X-Datapipe-Event, X-Datapipe-Pipeline-Id, X-Datapipe-Object-Id,
//	X-Datapipe-Node-Id, X-Datapipe-Topic-Arn: <each when not empty>
//
// followed by m.Body, quoted-printable. Header values never contain line
// breaks, so a value cannot inject headers.
func compose(from *mail.Address, to []*mail.Address, m Message, now time.Time) []byte {
	var b bytes.Buffer
	date := m.At
	if date.IsZero() {
		date = now
	}
	header(&b, "Date", date.Format(time.RFC1123Z))
	header(&b, "From", from.String())
	header(&b, "To", joinAddresses(to))
	header(&b, "Subject", encodeText(m.Subject))
	header(&b, "Message-ID", messageID(from))
	header(&b, "MIME-Version", "1.0")
	header(&b, "Content-Type", "text/plain; charset=utf-8")
	header(&b, "Content-Transfer-Encoding", "quoted-printable")
	for _, h := range [][2]string{
		{"X-Datapipe-Event", m.Event},
		{"X-Datapipe-Pipeline-Id", m.PipelineID},
		{"X-Datapipe-Object-Id", m.ObjectID},
		{"X-Datapipe-Node-Id", m.NodeID},
		{"X-Datapipe-Topic-Arn", m.TopicArn},
	} {
		if h[1] != "" {
			header(&b, h[0], encodeText(h[1]))
		}
	}
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	_, _ = qp.Write([]byte(m.Body)) // a bytes.Buffer does not fail
	_ = qp.Close()
	return b.Bytes()
}

// header writes one header field.
func header(b *bytes.Buffer, name, value string) {
	b.WriteString(name)
	b.WriteString(": ")
	b.WriteString(value)
	b.WriteString("\r\n")
}

// encodeText returns s as an unstructured header value: control
// characters become spaces, and non-ASCII text becomes RFC 2047 encoded
// words.
func encodeText(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	return mime.QEncoding.Encode("utf-8", s)
}

// joinAddresses formats addresses for a To header.
func joinAddresses(addrs []*mail.Address) string {
	parts := make([]string, len(addrs))
	for i, a := range addrs {
		parts[i] = a.String()
	}
	return strings.Join(parts, ", ")
}

// messageID returns a new unique Message-ID in the sender's domain.
func messageID(from *mail.Address) string {
	domain := "datapipe.invalid"
	if i := strings.LastIndexByte(from.Address, '@'); i >= 0 {
		domain = from.Address[i+1:]
	}
	return "<" + rand.Text() + "@" + domain + ">"
}
