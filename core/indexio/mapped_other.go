//go:build !unix

package indexio

// mapFile does not map on this system: the caller reads the file.
func mapFile(string) ([]byte, any, error) { return nil, nil, nil }
