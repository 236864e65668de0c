package core

import (
	"encoding/binary"
	"math/rand"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testdata/pq4_pack_faiss.bin holds codes and the blocks faiss-cpu 1.15.1's
// IndexPQFastScan made of them (M, bbs, n, nsq; codes; size; blocks, per
// case): our packing gives the same bytes, and reads every code back.
func TestPQ4PackingIsFaiss(t *testing.T) {
	data, err := os.ReadFile("testdata/pq4_pack_faiss.bin")
	require.NoError(t, err)
	cases := 0
	for len(data) > 0 {
		hdr := func(i int) int { return int(int32(binary.LittleEndian.Uint32(data[4*i:]))) }
		M, bbs, n, nsq := hdr(0), hdr(1), hdr(2), hdr(3)
		data = data[16:]
		codes := data[:n*((M+1)/2)]
		data = data[len(codes):]
		size := int(binary.LittleEndian.Uint32(data))
		want := data[4 : 4+size]
		data = data[4+size:]
		nb := (n + bbs - 1) / bbs * bbs
		got := make([]byte, nb*nsq/2)
		for i := range got {
			got[i] = 0xff // packing zeroes what no code fills
		}
		PQ4PackCodes(codes, n, M, nb, bbs, nsq, got)
		require.Equal(t, want, got, "M=%d bbs=%d n=%d", M, bbs, n)
		for i := 0; i < n; i++ {
			for sq := 0; sq < M; sq++ {
				require.Equal(t, pq4Code(codes, n, M, i, sq), PQ4GetPackedElement(got, bbs, nsq, i, sq))
			}
		}
		cases++
	}
	assert.Equal(t, 3, cases)
}

// Packing a range equals packing all at once; set / get round trip.
func TestPQ4PackRangeAndSet(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	const M, nsq, bbs, n = 7, 8, 64, 150
	codes := make([]byte, n*((M+1)/2))
	rng.Read(codes)
	for i := 0; i < n; i++ { // M is odd: the last byte's high nibble is unused
		codes[i*4+3] &= 15
	}
	nb := (n + bbs - 1) / bbs * bbs
	all, parts := make([]byte, nb*nsq/2), make([]byte, nb*nsq/2)
	PQ4PackCodes(codes, n, M, nb, bbs, nsq, all)
	for _, r := range [][2]int{{0, 10}, {10, 64}, {64, 65}, {65, 150}} {
		PQ4PackCodesRange(codes[r[0]*4:r[1]*4], M, r[0], r[1], bbs, nsq, parts)
	}
	assert.Equal(t, all, parts)
	PQ4SetPackedElement(all, bbs, nsq, 77, 3, 9)
	PQ4SetPackedElement(all, bbs, nsq, 100, 6, 14)
	assert.Equal(t, byte(9), PQ4GetPackedElement(all, bbs, nsq, 77, 3))
	assert.Equal(t, byte(14), PQ4GetPackedElement(all, bbs, nsq, 100, 6))
	assert.Equal(t, pq4Code(codes, n, M, 77, 2), PQ4GetPackedElement(all, bbs, nsq, 77, 2))

	lut := make([]byte, 3*nsq*16)
	rng.Read(lut)
	packed := make([]byte, len(lut))
	PQ4PackLUT(3, nsq, lut, packed)
	assert.Equal(t, lut[(2*nsq+5)*16:(2*nsq+6)*16], packed[(2*3+2)*32+16:(2*3+2)*32+32])
}

// The accumulation over packed codes equals the sums over the codes as
// they were given.
func TestPQ4AccumulateMatchesUnpackedSums(t *testing.T) {
	rng := rand.New(rand.NewSource(8))
	const M, nsq, bbs, n, nq = 10, 10, 32, 70, 3
	codes := make([]byte, n*M/2)
	rng.Read(codes)
	nb := (n + bbs - 1) / bbs * bbs
	blocks := make([]byte, nb*nsq/2)
	PQ4PackCodes(codes, n, M, nb, bbs, nsq, blocks)
	lut := make([]byte, nq*nsq*16)
	rng.Read(lut)
	out := make([]uint16, nq*nb)
	PQ4Accumulate(nq, nb, bbs, nsq, blocks, lut, out)
	for q := 0; q < nq; q++ {
		for i := 0; i < nb; i++ {
			var want uint16
			for sq := 0; sq < M; sq++ {
				want += uint16(lut[(q*nsq+sq)*16+int(pq4Code(codes, n, M, i, sq))])
			}
			require.Equal(t, want, out[q*nb+i], "query %d vector %d", q, i)
		}
	}
}

// pq4Code is sub-quantizer sq of vector i of the standard codes (ceil(M/2)
// bytes per vector, two 4-bit codes per byte, low nibble first), 0 past
// the codes given.
func pq4Code(codes []byte, n, M, i, sq int) byte {
	if i < 0 || i >= n || sq >= M {
		return 0
	}
	b := codes[i*((M+1)/2)+sq/2]
	if sq&1 == 1 {
		return b >> 4
	}
	return b & 15
}
