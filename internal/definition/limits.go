package definition

import (
	"cmp"
	"time"
)

// Limits are the configurable bounds validation enforces. The zero value
// means "use the default" for every field; see WithDefaults.
//
// AWS's object limit (100) was arbitrary; datapipe defaults to 10,000. The
// AWS floors that only protected a shared service (schedule periods under
// 15 minutes, retryDelay under 2 minutes, more than 5 retries, more than 5
// active instances) are reported as warnings and datapipe honours the
// smaller value.
type Limits struct {
	MaxObjects         int
	MaxFieldsPerObject int
	MaxKeyBytes        int
	MaxValueBytes      int
	MaxObjectBytes     int
	MaxParameters      int
	MaxMultiValues     int
	// MinPeriod is the hard floor for a schedule period (default 1 minute).
	MinPeriod time.Duration
	// MaxPeriod is the hard ceiling for a schedule period (default 3 years).
	MaxPeriod time.Duration
	// AWSMinPeriod, AWSMinRetryDelay, AWSMaxRetries and
	// AWSMaxActiveInstances are the service's floors and caps; crossing
	// one is a warning.
	AWSMinPeriod          time.Duration
	AWSMinRetryDelay      time.Duration
	AWSMaxRetries         int
	AWSMaxActiveInstances int
}

// WithDefaults returns l with every zero field set to its default.
func (l Limits) WithDefaults() Limits {
	l.MaxObjects = cmp.Or(l.MaxObjects, 10000)
	l.MaxFieldsPerObject = cmp.Or(l.MaxFieldsPerObject, 50)
	l.MaxKeyBytes = cmp.Or(l.MaxKeyBytes, 256)
	l.MaxValueBytes = cmp.Or(l.MaxValueBytes, 10240)
	l.MaxObjectBytes = cmp.Or(l.MaxObjectBytes, 15360)
	l.MaxParameters = cmp.Or(l.MaxParameters, 50)
	l.MaxMultiValues = cmp.Or(l.MaxMultiValues, 255)
	l.MinPeriod = cmp.Or(l.MinPeriod, time.Minute)
	l.MaxPeriod = cmp.Or(l.MaxPeriod, 3*365*24*time.Hour)
	l.AWSMinPeriod = cmp.Or(l.AWSMinPeriod, 15*time.Minute)
	l.AWSMinRetryDelay = cmp.Or(l.AWSMinRetryDelay, 2*time.Minute)
	l.AWSMaxRetries = cmp.Or(l.AWSMaxRetries, 5)
	l.AWSMaxActiveInstances = cmp.Or(l.AWSMaxActiveInstances, 5)
	return l
}
