package variants

import (
	"context"
	"testing"
)

// Sentences of an answer that holds only a model's thinking.
const (
	onlyThinkingText = "The model sent only its thinking, and no answer after it; try again."
	// onlyThinkingTest is Test connection's, for an answer that ended
	// (finish_reason "stop") with only thinking in it.
	onlyThinkingTest = "copylab reached the model server, but the model gave no answer: it sent only its thinking, and no answer after it. " +
		"Test again; if it answers so again, choose a model that does not think before it answers (--llm-model, COPYLAB_LLM_MODEL)."
	// spentThinkingTest and spentThinkingRewrite are for thinking the
	// output limit cut off (finish_reason "length").
	spentThinkingTest = "copylab reached the model server, but the model gave no answer: it spent its whole answer thinking. " +
		"Raise the model server's output limit (its maximum tokens or context length), " +
		"or choose a model that does not think before it answers (--llm-model, COPYLAB_LLM_MODEL)."
	spentThinkingDrafts = "The model spent its whole answer thinking and wrote no drafts. " +
		"Whoever runs copylab can raise the model server's output limit, or choose a model that does not think before it answers."
	spentThinkingRewrite = "The model spent its whole answer thinking and wrote no draft. " +
		"Whoever runs copylab can raise the model server's output limit, or choose a model that does not think before it answers."
)

// Answers of a reasoning model with no answer in them.
const (
	closedThinking   = "<think>\nOkay, the user wants three variants. Let me think.\n</think>\n\n"
	unclosedThinking = "<think>\nOkay, the user wants three variants. {\"text\":\"Draft in thought\"} Let me think more"
)

// reasoningStop is a completion whose content is empty or null and whose
// thinking is in field, ended by the model (finish_reason "stop").
func reasoningStop(content, field string) string {
	return `{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"qwen3:8b","choices":[{"index":0,` +
		`"message":{"role":"assistant","content":` + content + `,"` + field + `":"I think the answer is {\"variants\":[]}"},` +
		`"finish_reason":"stop"}]}`
}

// TestF22ThinkingWithoutAnswer: an answer that holds only the model's
// thinking fails drafting, a rewrite and Test connection alike, each
// with the sentence for thinking. Test connection said "Connected" to
// thinking in the content (it never took the thinking out), a rewrite
// whose thinking the output limit cut off was "cut off before it was
// complete", and thinking sent beside a null content was "an empty
// answer".
func TestF22ThinkingWithoutAnswer(t *testing.T) {
	tests := []struct {
		name                  string
		body                  string
		code                  string
		drafts, rewrite, test string
	}{
		{"closed thinking, nothing after", completionBody(closedThinking, "stop"), CodeBadOutput,
			onlyThinkingText, onlyThinkingText, onlyThinkingTest},
		{"thinking never closed", completionBody(unclosedThinking, "stop"), CodeBadOutput,
			onlyThinkingText, onlyThinkingText, onlyThinkingTest},
		{"thinking never closed, cut off", completionBody(unclosedThinking, "length"), CodeTruncated,
			spentThinkingDrafts, spentThinkingRewrite, spentThinkingTest},
		{"closed thinking cut off", completionBody(closedThinking, "length"), CodeTruncated,
			spentThinkingDrafts, spentThinkingRewrite, spentThinkingTest},
		{"null content, reasoning_content", reasoningStop("null", "reasoning_content"), CodeBadOutput,
			onlyThinkingText, onlyThinkingText, onlyThinkingTest},
		{"empty content, Ollama's reasoning", reasoningStop(`""`, "reasoning"), CodeBadOutput,
			onlyThinkingText, onlyThinkingText, onlyThinkingTest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeLLM(t, reply{body: tt.body})
			_, err := f.generator().Generate(context.Background(), testBrief)
			if e := wantErrCode(t, err, tt.code); e.Message != tt.drafts {
				t.Errorf("drafts message = %q, want %q", e.Message, tt.drafts)
			}
			_, err = f.generator().Regenerate(context.Background(), testBrief, nil, good[0], InstructionDifferentAngle)
			if e := wantErrCode(t, err, tt.code); e.Message != tt.rewrite {
				t.Errorf("rewrite message = %q, want %q", e.Message, tt.rewrite)
			}
			err = f.generator().TestConnection(context.Background())
			if e := wantErrCode(t, err, tt.code); e.Message != tt.test {
				t.Errorf("test message = %q, want %q", e.Message, tt.test)
			}
			if f.calls() != 3 {
				t.Errorf("the server saw %d requests, want 3: one each, since asking again meets the same model", f.calls())
			}
		})
	}

	// The answer after the thinking still passes the test, and a null
	// content with no thinking is still an empty answer.
	t.Run("thinking, then an answer", func(t *testing.T) {
		f := newFakeLLM(t, okReply(closedThinking+"OK"))
		if err := f.generator().TestConnection(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("null content, no thinking", func(t *testing.T) {
		f := newFakeLLM(t, reply{body: `{"id":"chatcmpl-1","object":"chat.completion","model":"qwen3:8b","choices":[{"index":0,"message":{"role":"assistant","content":null},"finish_reason":"stop"}]}`})
		_, err := f.generator().Generate(context.Background(), testBrief)
		wantIn(t, "drafts message", wantErrCode(t, err, CodeBadOutput).Message, "The model sent an empty answer; try again.")
	})
}

// TestF22CallNoticeUsableAnswers: the notice says a request failed when
// the answer it brought could not be used, with the code its caller
// gets, once; and succeeded when the answer was used. An answer with
// only thinking, a cut-off answer with no whole draft and an answer not
// readable as drafts were reported as requests that succeeded, and a
// connection test that passed on a cut-off answer as one that failed.
func TestF22CallNoticeUsableAnswers(t *testing.T) {
	prose := okReply("Here are three options:\n1. Plan every client project\n2. See every deadline")
	refusal := reply{body: `{"id":"chatcmpl-1","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"","refusal":"I can't."},"finish_reason":"stop"}]}`}
	tests := []struct {
		name    string
		script  []reply
		call    string // drafts, rewrite or test
		wantErr string // the caller's code, "" for none
		want    string // the notices
	}{
		{"drafts: only thinking", []reply{okReply(closedThinking)}, "drafts", CodeBadOutput, "[llm_bad_output]"},
		{"drafts: null content, reasoning", []reply{{body: reasoningStop("null", "reasoning_content")}}, "drafts", CodeBadOutput, "[llm_bad_output]"},
		{"drafts: thinking cut off", []reply{{body: completionBody(unclosedThinking, "length")}}, "drafts", CodeTruncated, "[llm_truncated]"},
		{"drafts: cut off before a whole draft", []reply{{body: completionBody(`{"variants":[{"text":"Plan every cli`, "length")}}, "drafts", CodeTruncated, "[llm_truncated]"},
		{"drafts: prose, twice", []reply{prose, prose}, "drafts", CodeBadOutput, "[llm_bad_output llm_bad_output]"},
		{"drafts: a refusal", []reply{okReply("I'm sorry, but I can't help with that.")}, "drafts", CodeRefused, "[llm_refused]"},
		{"drafts: none meets the rules", []reply{okReply(variantsJSON(testBrief.CurrentCopy)), okReply(variantsJSON(testBrief.CurrentCopy))}, "drafts", CodeBadOutput, "[llm_bad_output llm_bad_output]"},
		{"drafts: some, then a follow-up with none", []reply{okReply(variantsJSON(good[:2]...)), prose}, "drafts", "", "[ok llm_bad_output]"},
		{"drafts: cut off after whole drafts, then the rest", []reply{{body: completionBody(cutAfter(good[:2]...), "length")}, okReply(variantsJSON(good[2:5]...))}, "drafts", "", "[ok ok]"},
		{"drafts: the follow-up cut off before a whole draft", []reply{okReply(variantsJSON(good[:2]...)), {body: completionBody(`{"variants":[{"text":"How agen`, "length")}}, "drafts", "", "[ok llm_truncated]"},
		{"drafts: all at once", []reply{okReply(variantsJSON(good[:5]...))}, "drafts", "", "[ok]"},

		{"rewrite: only thinking", []reply{okReply(unclosedThinking)}, "rewrite", CodeBadOutput, "[llm_bad_output]"},
		{"rewrite: thinking cut off", []reply{{body: completionBody(unclosedThinking, "length")}}, "rewrite", CodeTruncated, "[llm_truncated]"},
		{"rewrite: cut off", []reply{{body: completionBody(cutAfter(good[5]), "length")}}, "rewrite", CodeTruncated, "[llm_truncated]"},
		{"rewrite: prose, twice", []reply{prose, prose}, "rewrite", CodeBadOutput, "[llm_bad_output llm_bad_output]"},
		{"rewrite: the current copy, then a draft", []reply{okReply(variantsJSON(good[0])), okReply(variantsJSON(good[5]))}, "rewrite", "", "[llm_bad_output ok]"},
		{"rewrite: a draft", []reply{okReply(variantsJSON(good[5]))}, "rewrite", "", "[ok]"},

		{"test: only thinking", []reply{okReply(closedThinking)}, "test", CodeBadOutput, "[llm_bad_output]"},
		{"test: thinking cut off", []reply{{body: completionBody(unclosedThinking, "length")}}, "test", CodeTruncated, "[llm_truncated]"},
		{"test: an answer cut off", []reply{{body: completionBody("O", "length")}}, "test", "", "[ok]"},
		{"test: a refusal", []reply{refusal}, "test", "", "[ok]"},
		{"test: an empty answer", []reply{okReply("")}, "test", CodeBadOutput, "[llm_bad_output]"},
		{"test: OK", []reply{okReply("OK")}, "test", "", "[ok]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeLLM(t, tt.script...)
			g := f.generator()
			var n notices
			var err error
			switch tt.call {
			case "drafts":
				_, err = g.Generate(n.ctx(), testBrief)
			case "rewrite":
				_, err = g.Regenerate(n.ctx(), testBrief, nil, good[0], InstructionDifferentAngle)
			default:
				err = g.TestConnection(n.ctx())
			}
			if tt.wantErr == "" && err != nil {
				t.Fatalf("err = %v, want none", err)
			}
			if tt.wantErr != "" {
				wantErrCode(t, err, tt.wantErr)
			}
			if got := n.String(); got != tt.want || f.calls() != len(tt.script) {
				t.Errorf("notices %s for %d requests, want %s for %d", got, f.calls(), tt.want, len(tt.script))
			}
		})
	}
}
