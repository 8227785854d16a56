package scenarios

import (
	"fmt"
	"sort"
)

// validateFollow checks report.follow: each id an agent (a population's
// members by their own ids) or a prime broker.
func (v *validator) validateFollow(brokers map[string]bool, ids map[string]string, agentIDs map[string]bool) {
	follow := v.f.Config.Report.Follow
	if len(follow) == 0 {
		return
	}
	var known []string
	for id := range agentIDs {
		known = append(known, id)
	}
	for id := range brokers {
		known = append(known, id)
	}
	sort.Strings(known)
	for k, id := range follow {
		p := fmt.Sprintf("report.follow[%d]", k)
		where, claimed := ids[id]
		switch {
		case agentIDs[id], brokers[id]:
		case id == "":
			v.fail(p, "missing id: the id of an agent or a prime broker to follow")
		case id == "outside":
			v.fail(p, "the outside sector cannot be followed: follow takes agents and prime brokers")
		case claimed:
			v.fail(p, "%s is a dealer (%s): follow takes agents and prime brokers", id, where)
		default:
			some := ""
			if len(known) > 0 && len(known) <= 12 {
				some = " (have " + joinIDs(known) + ")"
			}
			v.fail(p, "unknown agent %q%s: follow takes the ids of agents, of population members (gs-fund-001) and of prime brokers%s", id, didYouMean(id, known), some)
		}
	}
}

func joinIDs(ids []string) string {
	s := ""
	for k, id := range ids {
		if k > 0 {
			s += ", "
		}
		s += id
	}
	return s
}
