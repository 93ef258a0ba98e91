package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"triage/data"
	"triage/model"
)

// leadDecision is what retract and reopen share: a lead's action on one
// post, with a reason, from the command line. noReason is the refusal of
// an empty --reason.
func leadDecision(cmd *cobra.Command, g *globals, action model.Action, postArg, reason, as, noReason string) (model.Event, error) {
	id, err := strconv.ParseInt(postArg, 10, 64)
	if err != nil || id <= 0 {
		return model.Event{}, fmt.Errorf("POST_ID: %q is not a post number", cell(cutText(postArg)))
	}
	if strings.TrimSpace(reason) == "" {
		return model.Event{}, errors.New("flag --reason: " + noReason)
	}
	name, err := reviewerName(orDefaultReviewer(as))
	if err != nil {
		return model.Event{}, fmt.Errorf("flag --as: %w", err)
	}
	var ev model.Event
	err = g.withStore(func(st *data.Store) error {
		ev, err = st.Decide(cmd.Context(), model.Decision{PostID: id, Action: action, Note: reason,
			Actor: model.Actor{Reviewer: name, KeyFP: localOrigin()}})
		return err
	})
	return ev, err
}
