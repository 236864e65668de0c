package core

// Codes of nbits bits are packed as faiss packs them (BitstringWriter):
// value i starts at bit i*nbits, least significant bit first, and bit b of
// a code lives in byte b/8 at position b%8.

// PutBits writes the low nbits of v at bit offset off of code.
func PutBits(code []byte, off int, nbits int, v uint64) {
	for nbits > 0 {
		byteI, bit := off/8, off%8
		n := min(8-bit, nbits)
		mask := byte((1<<n)-1) << bit
		code[byteI] = code[byteI]&^mask | byte(v<<bit)&mask
		v >>= n
		off += n
		nbits -= n
	}
}

// GetBits reads nbits bits at bit offset off of code.
func GetBits(code []byte, off int, nbits int) uint64 {
	var v uint64
	shift := 0
	for nbits > 0 {
		byteI, bit := off/8, off%8
		n := min(8-bit, nbits)
		v |= uint64(code[byteI]>>bit&byte((1<<n)-1)) << shift
		shift += n
		off += n
		nbits -= n
	}
	return v
}
