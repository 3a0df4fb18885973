// Package variants turns a marketer's brief into drafts of website copy:
// it validates the brief, prompts any OpenAI-compatible model (or, with
// none configured, fills copywriting patterns offline), reads the model's
// answer defensively, and keeps only copy that passes the same rules
// human-typed copy must pass.
//
// It knows nothing of storage or HTTP handlers: the app calls Generate or
// Regenerate, and saves the Candidates it gets back with their provenance.
//
// Model output is untrusted text. The brief goes to the model as delimited
// data, never as instructions; the answer is parsed as data and every
// variant is checked for markup, links, length, banned words and
// near-duplicates before anyone sees it.
package variants
