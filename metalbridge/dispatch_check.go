package metalbridge

import (
	"encoding/binary"
	"fmt"

	"github.com/metalfaiss/metalfaiss/shaders"
)

func bindingSize(b Binding) int64 {
	if b.Size == 0 {
		return b.Buffer.Size() - b.Offset
	}
	return b.Size
}

// checkDispatch rejects a dispatch that the driver would turn into a GPU
// fault or undefined behaviour: wrong argument counts, ranges outside
// buffers or past the device's limits, empty or oversized grids.
func checkDispatch(d Dispatch, k shaders.Kernel, lim Limits) error {
	op := "Run(" + d.Kernel + ")"
	if want := len(shaders.Bytes(k.Params)); len(d.Params) != want {
		return errorf(op, "%d bytes of parameters, the kernel takes %d", len(d.Params), want)
	}
	if len(d.Bindings) != k.Buffers {
		return errorf(op, "%d buffers bound, the kernel takes %d", len(d.Bindings), k.Buffers)
	}
	for i, b := range d.Bindings {
		if b.Buffer == nil {
			return errorf(op, "binding %d has no buffer", i+1)
		}
		size := bindingSize(b)
		switch {
		case b.Offset < 0 || b.Offset%BindingAlign != 0:
			return errorf(op, "binding %d: offset %d is not a multiple of %d", i+1, b.Offset, BindingAlign)
		case size <= 0 || b.Offset+size > b.Buffer.Size():
			return errorf(op, "binding %d: bytes %d..%d are outside a %d-byte buffer", i+1, b.Offset, b.Offset+size, b.Buffer.Size())
		case size > lim.MaxBinding:
			return errorf(op, "binding %d: %d bytes exceed the device's binding limit of %d", i+1, size, lim.MaxBinding)
		}
	}
	for i, g := range d.Groups {
		if g <= 0 || g > lim.MaxGroups[i] {
			return errorf(op, "%d workgroups along axis %d; the device allows 1..%d", g, i, lim.MaxGroups[i])
		}
	}
	return nil
}

// checkSPIRV checks a module's header and that it declares a GLCompute
// entry point called "main", so that a damaged module is reported instead
// of being handed to a driver that may not validate it.
func checkSPIRV(code []byte) error {
	const magic = 0x07230203
	if len(code) < 20 || len(code)%4 != 0 {
		return fmt.Errorf("not a SPIR-V module (%d bytes)", len(code))
	}
	word := func(i int) uint32 { return binary.LittleEndian.Uint32(code[4*i:]) }
	if word(0) != magic {
		return fmt.Errorf("not a SPIR-V module (magic %#x)", word(0))
	}
	n := len(code) / 4
	for i := 5; i < n; {
		count, opcode := int(word(i)>>16), word(i)&0xffff
		if count == 0 || i+count > n {
			return fmt.Errorf("malformed SPIR-V instruction at word %d", i)
		}
		const opEntryPoint, glCompute = 15, 5
		if opcode == opEntryPoint && count >= 4 && word(i+1) == glCompute {
			name := code[4*(i+3) : 4*(i+count)]
			if end := indexZero(name); end >= 0 && string(name[:end]) == "main" {
				return nil
			}
		}
		i += count
	}
	return fmt.Errorf("SPIR-V module has no compute entry point called main")
}

func indexZero(b []byte) int {
	for i, c := range b {
		if c == 0 {
			return i
		}
	}
	return -1
}
