package experiments

import "errors"

// NewestSchema is the schema version of the newest migration this build
// embeds: the newest database it can open, the version `copylab version`
// names, and the one its refusal of a newer database ("this one knows up
// to N") gives.
func NewestSchema() (int, error) {
	all, err := migrations()
	if err != nil {
		return 0, err
	}
	if len(all) == 0 {
		return 0, errors.New("experiments: no migrations embedded")
	}
	return all[len(all)-1].version, nil
}
