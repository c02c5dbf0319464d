package face

import (
	"time"

	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/store"
)

// CloseMonths closes every month the business clock has finished since the last closing
// (R-DECOMPTE: a month is closed once it is over, and an advancing clock that crosses a month
// closes it). The CAAMI and CPAS statement operations call it on each request, the harness after
// moving the clock. A read answers whether there is anything to do, so the common case writes
// nothing; the closings are one transaction, checked again inside it.
func CloseMonths(st store.Store, today rules.Date, at time.Time) error {
	var due []rules.Month
	if err := st.View(func(r store.Reader) error {
		last, err := r.LastClosedMonth()
		due = rules.MonthsToClose(last, today)
		return err
	}); err != nil || len(due) == 0 {
		return err
	}
	return st.Update(func(w store.Writer) error {
		last, err := w.LastClosedMonth()
		if err != nil {
			return err
		}
		for _, m := range rules.MonthsToClose(last, today) {
			if _, err := w.CloseMonth(m, today, at); err != nil {
				return err
			}
		}
		return nil
	})
}
