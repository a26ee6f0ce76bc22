package control

import (
	"time"

	"github.com/datapipe/datapipe/internal/schedule"
)

// timeValue renders optional times as the service does.
type timeValue time.Time

func (t timeValue) zero() bool     { return time.Time(t).IsZero() }
func (t timeValue) String() string { return schedule.FormatDateTime(time.Time(t)) }
