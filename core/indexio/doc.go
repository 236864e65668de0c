// Package indexio writes and reads indexes in faiss's own binary format
// (impl/index_write.cpp, index_read.cpp): a four-character code naming the
// type, the common header, then the type's fields in faiss's order. Files
// written here open in faiss and the other way round.
//
// The reader trusts nothing: every size is checked against the bytes that
// remain before anything is allocated, and a damaged file gives an error
// naming the offset and what was expected, never a panic.
package indexio
