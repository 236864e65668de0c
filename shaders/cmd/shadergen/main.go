// Command shadergen regenerates the committed SPIR-V and Metal files of
// package shaders (run by `make shaders` from the repository root).
package main

import (
	"fmt"
	"os"

	"github.com/metalfaiss/metalfaiss/shaders/internal/shadergen"
)

func main() {
	if err := shadergen.Generate("shaders/src", "shaders"); err != nil {
		fmt.Fprintln(os.Stderr, "shadergen:", err)
		os.Exit(1)
	}
}
