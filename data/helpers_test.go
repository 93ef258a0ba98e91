package data

import (
	"context"
	"strings"
	"testing"

	"triage/model"
)

func importLines(t *testing.T, s *Store, lines ...string) (ImportResult, []LineError) {
	t.Helper()
	var errs []LineError
	res, err := s.Import(context.Background(), strings.NewReader(strings.Join(lines, "\n")+"\n"),
		ImportOptions{Name: "in.jsonl", Report: func(e LineError) { errs = append(errs, e) }})
	if err != nil {
		t.Fatal(err)
	}
	return res, errs
}

func decide(t *testing.T, s *Store, id int64, who string, a model.Action, reason string) model.Event {
	t.Helper()
	ev, err := s.Decide(context.Background(), model.Decision{PostID: id, Actor: model.Actor{Reviewer: who}, Action: a, ReasonCode: reason})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}
