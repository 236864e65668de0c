// Package pyapi is the only package gopy wraps. Its exported functions take
// and return only C-shaped values: int64 handles, numbers, strings and raw
// buffer addresses (uintptr of numpy arrays) with their sizes.
//
// Rules (DESIGN.md §5): every function returns a status string, "" for
// success, else "<kind>|<message>" where kind is core.ErrorKind's name (or
// "internal" for a recovered panic); results go into caller buffers. No Go
// error crosses gopy (it leaks per call) and no panic escapes (it would kill
// the interpreter). Bulk data never travels as Python lists.
package pyapi
