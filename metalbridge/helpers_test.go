package metalbridge

import (
	"os"
	"testing"
)

// RequireEnv makes a missing GPU a test failure instead of a skip: `make
// test` sets it, since CI installs lavapipe so that every kernel runs.
const RequireEnv = "METALFAISS_REQUIRE_GPU"

func testDevice(t *testing.T) Device {
	t.Helper()
	d, err := Default()
	if err != nil {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("%s=1 but no GPU: %v", RequireEnv, err)
		}
		t.Skipf("no GPU: %v", err)
	}
	return d
}
