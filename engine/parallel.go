package engine

import (
	"sync"

	"github.com/kql-offline/kql/tables"
)

// runLegs runs independent plans (the legs of a union) at the same time and
// returns their results in order. Plans share nothing mutable but the
// context: each leg gets its own runCtx, let-bound tables are computed once
// (cached uses sync.Once), and tables are immutable. The flagship's two
// legs each filter, group and expand AIAgentsInfo; run side by side they
// take the time of the longer one on a machine with two cores.
//
// A panic in a leg (a bug) is raised again in the caller, where Query.Run
// turns it into an internal error; the first error in leg order wins.
func runLegs(rc *runCtx, legs []plan) ([]*tables.Table, error) {
	out := make([]*tables.Table, len(legs))
	if len(legs) == 1 {
		t, err := legs[0].run(rc)
		out[0] = t
		return out, err
	}
	errs := make([]error, len(legs))
	panics := make([]any, len(legs))
	var wg sync.WaitGroup
	for i, l := range legs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					panics[i] = r
				}
			}()
			lrc := *rc
			out[i], errs[i] = l.run(&lrc)
		}()
	}
	wg.Wait()
	for i := range legs {
		if panics[i] != nil {
			panic(panics[i])
		}
		if errs[i] != nil {
			return nil, errs[i]
		}
	}
	return out, nil
}
