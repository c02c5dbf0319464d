package cpas

import (
	"strconv"

	"github.com/carmed/carmed/face"
	"github.com/carmed/carmed/gen"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/server"
	"github.com/carmed/carmed/store"
)

// consultNotices delivers the calling CPAS's pending notices (R-NOTICE), oldest first. A notice
// stays pending until the CPAS acknowledges it: the request may acknowledge ids of an earlier
// answer, all or none (an unknown or foreign id refuses the lot, NOTICE_UNKNOWN), in the same
// transaction that lists what is still pending. An acknowledging request is a write, once per
// ticket: its retry gets the first answer.
func (s *service) consultNotices(c *server.Call) (*server.Answer, error) {
	var req gen.ConsultNoticesRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	ic, bad, err := checkCustomer(c, &req.RequestBaseType)
	if err != nil {
		return nil, err
	}
	q := store.NoticeQuery{Manager: c.Party().ID}
	if req.MaxNotices != nil {
		q.Limit = int(*req.MaxNotices)
	}
	const name = "consultNoticesResponse"
	answer := func(ns []rules.Notice, more bool, ms []rules.Message) (*server.Answer, error) {
		value := face.ReadValue(ms, len(ns))
		resp := &gen.ConsultNoticesResponseType{ResponseBaseType: *responseBase(c, ic, value, ms)}
		for _, n := range ns {
			resp.Notice = append(resp.Notice, genNotice(n))
		}
		if more {
			resp.MoreNotices = &more
		}
		return answerRead(name, value, resp, resp.Status.Code)
	}
	if bad != nil {
		return answer(nil, false, []rules.Message{*bad})
	}
	if len(req.Acknowledge) == 0 {
		var ns []rules.Notice
		var more bool
		if err := s.store.View(func(r store.Reader) error {
			var err error
			ns, more, err = r.Notices(q)
			return err
		}); err != nil {
			return nil, err
		}
		return answer(ns, more, nil)
	}
	ids := make([]string, len(req.Acknowledge))
	for i, id := range req.Acknowledge {
		ids[i] = string(id)
	}
	reused := func() (*server.Answer, error) {
		return answer(nil, false, []rules.Message{rules.MsgTicketReused(string(ic.Ticket))})
	}
	return c.Once(string(ic.Ticket), reused, func(w store.Writer) (*server.Answer, error) {
		unknown, err := w.AckNotices(c.Party().ID, ids)
		if err != nil {
			return nil, err
		}
		if len(unknown) > 0 {
			ms := []rules.Message{rules.NewMessage(rules.CodeNoticeUnknown, rules.Info{Name: "noticeId", Value: unknown[0]},
				rules.Info{Name: "unknownCount", Value: strconv.Itoa(len(unknown))})}
			a, err := answer(nil, false, ms)
			if err != nil {
				return nil, err
			}
			return nil, server.Reject(a)
		}
		ns, more, err := w.Notices(q)
		if err != nil {
			return nil, err
		}
		return answer(ns, more, nil)
	})
}

// genNotice is a notice on the CPAS face.
func genNotice(n rules.Notice) gen.NoticeType {
	out := gen.NoticeType{NoticeId: gen.NoticeIdType(n.ID), CreationTime: gen.MakeDateTime(n.Created),
		Ssin: gen.SsinType(n.SSIN), CarmedNumber: gen.CarmedNumberType(n.Number), VersionNumber: gen.VersionNumberType(n.Version),
		Status: gen.CarmedStatusType(n.Status), Cause: gen.MutationCauseType(n.Cause),
		MutationId: gen.MutationIdType(strconv.FormatUint(n.Mutation, 10)), EffectiveDate: genDate(n.Effective)}
	if n.OldSSIN != "" {
		o := gen.SsinType(n.OldSSIN)
		out.OldSsin = &o
	}
	if n.Suspension != nil {
		gs := genSuspension(n.Suspension)
		out.Suspension = &gs
	}
	for _, a := range n.Actions {
		na := gen.NextActionType{Action: gen.NextActionKindType(a.Action)}
		if a.MinStopDate.Valid() {
			lo, hi := genDate(a.MinStopDate), genDate(a.MaxStopDate)
			na.MinStopDate, na.MaxStopDate = &lo, &hi
		}
		out.NextAction = append(out.NextAction, na)
	}
	return out
}
