#version 450
// Squared L2 norm of each row: the database side of the L2 expansion.
layout(local_size_x = 256) in;

layout(push_constant) uniform Params {
    uint n;
    uint d;
} p;

layout(std430, binding = 1) readonly buffer Rows { float x[]; };
layout(std430, binding = 2) writeonly buffer Norms { float norms[]; };

void main() {
    uint i = gl_GlobalInvocationID.x;
    if (i >= p.n) {
        return;
    }
    float s = 0.0;
    for (uint j = 0u; j < p.d; j++) {
        float v = x[i * p.d + j];
        s += v * v;
    }
    norms[i] = s;
}
