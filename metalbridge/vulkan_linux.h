// The C side of the Vulkan driver: everything that touches Vulkan
// structures stays in C, and Go sees these few calls.
#ifndef METALBRIDGE_VULKAN_LINUX_H
#define METALBRIDGE_VULKAN_LINUX_H

#include <stdint.h>

typedef struct mbvk mbvk;
typedef struct mbvk_buffer mbvk_buffer;
typedef struct mbvk_pipeline mbvk_pipeline;

typedef struct {
    char name[256];
    uint32_t deviceType, apiVersion, vendorID;
    uint32_t maxStorageBufferRange, maxPushConstantsSize, maxComputeSharedMemorySize;
    uint32_t maxWorkGroupCount[3], maxWorkGroupInvocations;
    uint64_t maxAllocation;  // largest heap the buffers come from
    int hostMapped;          // buffers are read and written in place
} mbvk_info;

enum { MBVK_MAX_BINDINGS = 8, MBVK_MAX_PUSH = 128 };

typedef struct {
    mbvk_pipeline *pipeline;
    uint32_t nbind;
    mbvk_buffer *buffers[MBVK_MAX_BINDINGS];
    uint64_t offsets[MBVK_MAX_BINDINGS];
    uint64_t sizes[MBVK_MAX_BINDINGS];
    uint8_t push[MBVK_MAX_PUSH];
    uint32_t pushSize;
    uint32_t groups[3];
} mbvk_dispatch;

// Every call returns 0 on success, or writes a message to err and returns
// non-zero.
int mbvk_open(mbvk **out, mbvk_info *info, char *err, int errlen);
void mbvk_close(mbvk *vk);
int mbvk_buffer_new(mbvk *vk, uint64_t size, mbvk_buffer **out, char *err, int errlen);
void mbvk_buffer_free(mbvk *vk, mbvk_buffer *b);
int mbvk_buffer_write(mbvk *vk, mbvk_buffer *b, uint64_t off, const void *src, uint64_t n, char *err, int errlen);
int mbvk_buffer_read(mbvk *vk, mbvk_buffer *b, uint64_t off, void *dst, uint64_t n, char *err, int errlen);
int mbvk_pipeline_new(mbvk *vk, const void *code, uint64_t codeSize, const char *entry,
                      uint32_t nbuffers, uint32_t pushSize, mbvk_pipeline **out, char *err, int errlen);
void mbvk_pipeline_free(mbvk *vk, mbvk_pipeline *p);
int mbvk_run(mbvk *vk, const mbvk_dispatch *d, uint32_t n, char *err, int errlen);

#endif
