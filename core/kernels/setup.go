package kernels

import (
	"os"
	"strings"
)

// KernelsEnv names the environment variable that caps the kernels chosen
// at start-up: "go" runs pure Go (like the noasm build tag, without a
// rebuild), "avx2" keeps amd64 off AVX-512. Unset or anything else: the best
// the CPU has.
const KernelsEnv = "METALFAISS_KERNELS"

func requestedKernels() string { return strings.ToLower(strings.TrimSpace(os.Getenv(KernelsEnv))) }
