//go:build cgo

#include "vulkan_linux.h"
#include "vk_min.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef void (*PFN_vkVoidFunction)(void);
typedef PFN_vkVoidFunction (*PFN_vkGetInstanceProcAddr)(VkInstance, const char *);

// The entry points the driver calls, resolved once per device.
#define MBVK_FUNCS(X)                                                                                     \
    X(VkResult, vkEnumeratePhysicalDevices, (VkInstance, uint32_t *, VkPhysicalDevice *))                 \
    X(void, vkGetPhysicalDeviceProperties, (VkPhysicalDevice, VkPhysicalDeviceProperties *))              \
    X(void, vkGetPhysicalDeviceQueueFamilyProperties, (VkPhysicalDevice, uint32_t *, VkQueueFamilyProperties *)) \
    X(void, vkGetPhysicalDeviceMemoryProperties, (VkPhysicalDevice, VkPhysicalDeviceMemoryProperties *))  \
    X(VkResult, vkCreateDevice, (VkPhysicalDevice, const VkDeviceCreateInfo *, const void *, VkDevice *)) \
    X(void, vkDestroyInstance, (VkInstance, const void *))                                                \
    X(void, vkDestroyDevice, (VkDevice, const void *))                                                    \
    X(void, vkGetDeviceQueue, (VkDevice, uint32_t, uint32_t, VkQueue *))                                  \
    X(VkResult, vkDeviceWaitIdle, (VkDevice))                                                             \
    X(VkResult, vkCreateBuffer, (VkDevice, const VkBufferCreateInfo *, const void *, VkBuffer *))         \
    X(void, vkDestroyBuffer, (VkDevice, VkBuffer, const void *))                                          \
    X(void, vkGetBufferMemoryRequirements, (VkDevice, VkBuffer, VkMemoryRequirements *))                  \
    X(VkResult, vkAllocateMemory, (VkDevice, const VkMemoryAllocateInfo *, const void *, VkDeviceMemory *)) \
    X(void, vkFreeMemory, (VkDevice, VkDeviceMemory, const void *))                                       \
    X(VkResult, vkBindBufferMemory, (VkDevice, VkBuffer, VkDeviceMemory, VkDeviceSize))                   \
    X(VkResult, vkMapMemory, (VkDevice, VkDeviceMemory, VkDeviceSize, VkDeviceSize, VkFlags, void **))    \
    X(void, vkUnmapMemory, (VkDevice, VkDeviceMemory))                                                    \
    X(VkResult, vkCreateShaderModule, (VkDevice, const VkShaderModuleCreateInfo *, const void *, VkShaderModule *)) \
    X(void, vkDestroyShaderModule, (VkDevice, VkShaderModule, const void *))                              \
    X(VkResult, vkCreateDescriptorSetLayout, (VkDevice, const VkDescriptorSetLayoutCreateInfo *, const void *, VkDescriptorSetLayout *)) \
    X(void, vkDestroyDescriptorSetLayout, (VkDevice, VkDescriptorSetLayout, const void *))                \
    X(VkResult, vkCreatePipelineLayout, (VkDevice, const VkPipelineLayoutCreateInfo *, const void *, VkPipelineLayout *)) \
    X(void, vkDestroyPipelineLayout, (VkDevice, VkPipelineLayout, const void *))                          \
    X(VkResult, vkCreateComputePipelines, (VkDevice, VkPipelineCache, uint32_t, const VkComputePipelineCreateInfo *, const void *, VkPipeline *)) \
    X(void, vkDestroyPipeline, (VkDevice, VkPipeline, const void *))                                      \
    X(VkResult, vkCreateDescriptorPool, (VkDevice, const VkDescriptorPoolCreateInfo *, const void *, VkDescriptorPool *)) \
    X(void, vkDestroyDescriptorPool, (VkDevice, VkDescriptorPool, const void *))                          \
    X(VkResult, vkResetDescriptorPool, (VkDevice, VkDescriptorPool, VkFlags))                             \
    X(VkResult, vkAllocateDescriptorSets, (VkDevice, const VkDescriptorSetAllocateInfo *, VkDescriptorSet *)) \
    X(void, vkUpdateDescriptorSets, (VkDevice, uint32_t, const VkWriteDescriptorSet *, uint32_t, const void *)) \
    X(VkResult, vkCreateCommandPool, (VkDevice, const VkCommandPoolCreateInfo *, const void *, VkCommandPool *)) \
    X(void, vkDestroyCommandPool, (VkDevice, VkCommandPool, const void *))                                \
    X(VkResult, vkAllocateCommandBuffers, (VkDevice, const VkCommandBufferAllocateInfo *, VkCommandBuffer *)) \
    X(VkResult, vkBeginCommandBuffer, (VkCommandBuffer, const VkCommandBufferBeginInfo *))                \
    X(VkResult, vkEndCommandBuffer, (VkCommandBuffer))                                                    \
    X(VkResult, vkResetCommandBuffer, (VkCommandBuffer, VkFlags))                                         \
    X(void, vkCmdBindPipeline, (VkCommandBuffer, uint32_t, VkPipeline))                                   \
    X(void, vkCmdBindDescriptorSets, (VkCommandBuffer, uint32_t, VkPipelineLayout, uint32_t, uint32_t, const VkDescriptorSet *, uint32_t, const uint32_t *)) \
    X(void, vkCmdPushConstants, (VkCommandBuffer, VkPipelineLayout, VkFlags, uint32_t, uint32_t, const void *)) \
    X(void, vkCmdDispatch, (VkCommandBuffer, uint32_t, uint32_t, uint32_t))                               \
    X(void, vkCmdPipelineBarrier, (VkCommandBuffer, VkFlags, VkFlags, VkFlags, uint32_t, const VkMemoryBarrier *, uint32_t, const void *, uint32_t, const void *)) \
    X(void, vkCmdCopyBuffer, (VkCommandBuffer, VkBuffer, VkBuffer, uint32_t, const VkBufferCopy *))       \
    X(VkResult, vkQueueSubmit, (VkQueue, uint32_t, const VkSubmitInfo *, VkFence))                        \
    X(VkResult, vkCreateFence, (VkDevice, const VkFenceCreateInfo *, const void *, VkFence *))            \
    X(void, vkDestroyFence, (VkDevice, VkFence, const void *))                                            \
    X(VkResult, vkWaitForFences, (VkDevice, uint32_t, const VkFence *, VkBool32, uint64_t))               \
    X(VkResult, vkResetFences, (VkDevice, uint32_t, const VkFence *))

#define MBVK_DECLARE(ret, name, args) ret(*name) args;

// Staging memory for buffers the host cannot map: copies go through it in
// pieces of this size, two pieces in flight (the host fills or drains one
// while the GPU copies the other).
#define MBVK_STAGING_BYTES (64u << 20)
#define MBVK_STAGING_SLOTS 2

struct mbvk_buffer {
    VkBuffer buffer;
    VkDeviceMemory memory;
    uint64_t size;
    void *mapped;  // NULL when the memory is not host-visible
};

struct mbvk_pipeline {
    VkShaderModule module;
    VkDescriptorSetLayout setLayout;
    VkPipelineLayout layout;
    VkPipeline pipeline;
    uint32_t nbuffers, pushSize;
};

struct mbvk {
    void *lib;
    VkInstance instance;
    VkPhysicalDevice physical;
    VkDevice device;
    VkQueue queue;
    uint32_t queueFamily;
    VkPhysicalDeviceMemoryProperties memory;
    int deviceType, bufferType, stagingType;  // memory type indices
    VkCommandPool commandPool;
    VkCommandBuffer cmd;
    VkFence fence;
    VkDescriptorPool pool;
    uint32_t poolSets;
    mbvk_buffer *staging[MBVK_STAGING_SLOTS];
    VkCommandBuffer copyCmd[MBVK_STAGING_SLOTS];
    VkFence copyFence[MBVK_STAGING_SLOTS];
    MBVK_FUNCS(MBVK_DECLARE)
    // Set when METALFAISS_VK_STATS asked for kernel statistics and the
    // driver offers them.
    VkResult (*getExecutables)(VkDevice, const VkPipelineInfoKHR *, uint32_t *, VkPipelineExecutablePropertiesKHR *);
    VkResult (*getStatistics)(VkDevice, const VkPipelineExecutableInfoKHR *, uint32_t *, VkPipelineExecutableStatisticKHR *);
};

static int fail(char *err, int errlen, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    vsnprintf(err, (size_t)errlen, format, ap);
    va_end(ap);
    return 1;
}

#define CHECK(call, what)                                                        \
    do {                                                                         \
        VkResult r_ = (call);                                                    \
        if (r_ != VK_SUCCESS) return fail(err, errlen, "%s failed: VkResult %d", what, (int)r_); \
    } while (0)

// pickMemory returns the first memory type allowed by bits that has every
// flag of want, preferring one that also has prefer and none of avoid.
static int pickMemory(const VkPhysicalDeviceMemoryProperties *m, uint32_t bits, uint32_t want, uint32_t prefer, uint32_t avoid) {
    int fallback = -1;
    for (uint32_t i = 0; i < m->memoryTypeCount; i++) {
        uint32_t f = m->memoryTypes[i].propertyFlags;
        if (!(bits & (1u << i)) || (f & want) != want) continue;
        if ((f & prefer) == prefer && !(f & avoid)) return (int)i;
        if (fallback < 0) fallback = (int)i;
    }
    return fallback;
}

static int newBuffer(mbvk *vk, uint64_t size, int staging, mbvk_buffer **out, char *err, int errlen) {
    if (size == 0) size = 16;  // Vulkan has no empty buffers
    mbvk_buffer *b = calloc(1, sizeof *b);
    if (!b) return fail(err, errlen, "out of host memory");
    VkBufferCreateInfo bi = {VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
    bi.size = size;
    bi.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
    bi.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
    VkResult r = vk->vkCreateBuffer(vk->device, &bi, NULL, &b->buffer);
    if (r != VK_SUCCESS) {
        free(b);
        return fail(err, errlen, "vkCreateBuffer(%llu bytes) failed: VkResult %d", (unsigned long long)size, (int)r);
    }
    VkMemoryRequirements req;
    vk->vkGetBufferMemoryRequirements(vk->device, b->buffer, &req);
    int type;
    if (staging) {
        type = pickMemory(&vk->memory, req.memoryTypeBits,
                          VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT,
                          VK_MEMORY_PROPERTY_HOST_CACHED_BIT, 0);
    } else if (vk->deviceType == VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU) {
        // Kernels read device memory; mapped device memory is slow to read back.
        type = pickMemory(&vk->memory, req.memoryTypeBits, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, 0,
                          VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT);
    } else {
        // Shared memory (integrated GPUs, lavapipe): map it directly.
        type = pickMemory(&vk->memory, req.memoryTypeBits,
                          VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT,
                          VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, 0);
    }
    if (type < 0) {
        vk->vkDestroyBuffer(vk->device, b->buffer, NULL);
        free(b);
        return fail(err, errlen, "no suitable memory type for a %llu-byte buffer", (unsigned long long)size);
    }
    VkMemoryAllocateInfo ai = {VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
    ai.allocationSize = req.size;
    ai.memoryTypeIndex = (uint32_t)type;
    r = vk->vkAllocateMemory(vk->device, &ai, NULL, &b->memory);
    if (r != VK_SUCCESS) {
        vk->vkDestroyBuffer(vk->device, b->buffer, NULL);
        free(b);
        return fail(err, errlen, "vkAllocateMemory(%llu bytes) failed: VkResult %d (out of GPU memory?)",
                    (unsigned long long)req.size, (int)r);
    }
    b->size = size;
    r = vk->vkBindBufferMemory(vk->device, b->buffer, b->memory, 0);
    if (r == VK_SUCCESS && (vk->memory.memoryTypes[type].propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT)) {
        r = vk->vkMapMemory(vk->device, b->memory, 0, size, 0, &b->mapped);
    }
    if (r != VK_SUCCESS) {
        mbvk_buffer_free(vk, b);
        return fail(err, errlen, "binding or mapping a buffer failed: VkResult %d", (int)r);
    }
    *out = b;
    return 0;
}

void mbvk_buffer_free(mbvk *vk, mbvk_buffer *b) {
    if (!b) return;
    if (b->mapped) vk->vkUnmapMemory(vk->device, b->memory);
    vk->vkDestroyBuffer(vk->device, b->buffer, NULL);
    vk->vkFreeMemory(vk->device, b->memory, NULL);
    free(b);
}

int mbvk_buffer_new(mbvk *vk, uint64_t size, mbvk_buffer **out, char *err, int errlen) {
    return newBuffer(vk, size, 0, out, err, errlen);
}

static int beginCommands(mbvk *vk, char *err, int errlen) {
    CHECK(vk->vkResetCommandBuffer(vk->cmd, 0), "vkResetCommandBuffer");
    VkCommandBufferBeginInfo bi = {VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    bi.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    CHECK(vk->vkBeginCommandBuffer(vk->cmd, &bi), "vkBeginCommandBuffer");
    return 0;
}

static void barrier(mbvk *vk, VkFlags srcStage, VkFlags srcAccess, VkFlags dstStage, VkFlags dstAccess) {
    VkMemoryBarrier mb = {VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    mb.srcAccessMask = srcAccess;
    mb.dstAccessMask = dstAccess;
    vk->vkCmdPipelineBarrier(vk->cmd, srcStage, dstStage, 0, 1, &mb, 0, NULL, 0, NULL);
}

// submitAndWait ends the command buffer, runs it and waits for the GPU.
static int submitAndWait(mbvk *vk, char *err, int errlen) {
    CHECK(vk->vkEndCommandBuffer(vk->cmd), "vkEndCommandBuffer");
    VkSubmitInfo si = {VK_STRUCTURE_TYPE_SUBMIT_INFO};
    si.commandBufferCount = 1;
    si.pCommandBuffers = &vk->cmd;
    CHECK(vk->vkQueueSubmit(vk->queue, 1, &si, vk->fence), "vkQueueSubmit");
    CHECK(vk->vkWaitForFences(vk->device, 1, &vk->fence, 1, UINT64_MAX), "vkWaitForFences");
    CHECK(vk->vkResetFences(vk->device, 1, &vk->fence), "vkResetFences");
    return 0;
}

// startCopy records and submits the copy of n bytes between b (at off) and
// staging slot i, signalling that slot's fence when done.
static int startCopy(mbvk *vk, int i, mbvk_buffer *b, uint64_t off, uint64_t n, int toDevice, char *err, int errlen) {
    VkCommandBuffer cmd = vk->copyCmd[i];
    CHECK(vk->vkResetCommandBuffer(cmd, 0), "vkResetCommandBuffer");
    VkCommandBufferBeginInfo bi = {VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    bi.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    CHECK(vk->vkBeginCommandBuffer(cmd, &bi), "vkBeginCommandBuffer");
    VkBufferCopy region = {0, 0, n};
    if (toDevice) {
        region.dstOffset = off;
        vk->vkCmdCopyBuffer(cmd, vk->staging[i]->buffer, b->buffer, 1, &region);
    } else {
        region.srcOffset = off;
        vk->vkCmdCopyBuffer(cmd, b->buffer, vk->staging[i]->buffer, 1, &region);
        VkMemoryBarrier mb = {VK_STRUCTURE_TYPE_MEMORY_BARRIER};
        mb.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
        mb.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
        vk->vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &mb, 0, NULL, 0, NULL);
    }
    CHECK(vk->vkEndCommandBuffer(cmd), "vkEndCommandBuffer");
    VkSubmitInfo si = {VK_STRUCTURE_TYPE_SUBMIT_INFO};
    si.commandBufferCount = 1;
    si.pCommandBuffers = &cmd;
    CHECK(vk->vkQueueSubmit(vk->queue, 1, &si, vk->copyFence[i]), "vkQueueSubmit");
    return 0;
}

// waitCopy waits for slot i's copy, if one is in flight.
static int waitCopy(mbvk *vk, int i, int *inFlight, char *err, int errlen) {
    if (!inFlight[i]) return 0;
    inFlight[i] = 0;
    CHECK(vk->vkWaitForFences(vk->device, 1, &vk->copyFence[i], 1, UINT64_MAX), "vkWaitForFences");
    CHECK(vk->vkResetFences(vk->device, 1, &vk->copyFence[i]), "vkResetFences");
    return 0;
}

// waitCopies waits for every slot, also after a failure (the slots must be
// idle before the next transfer reuses them).
static int waitCopies(mbvk *vk, int *inFlight, int rc, char *err, int errlen) {
    for (int i = 0; i < MBVK_STAGING_SLOTS; i++) {
        if (waitCopy(vk, i, inFlight, err, errlen)) rc = 1;
    }
    return rc;
}

// One thread copies at most a few GB/s into staging memory (write-combined
// on discrete GPUs), less than the bus takes: large pieces are copied by
// several threads.
#define MBVK_COPY_THREADS 8
#define MBVK_COPY_MIN (4u << 20)  // bytes a copying thread gets at least

typedef struct {
    char *dst;
    const char *src;
    uint64_t n;
} copyPart;

static void *copyPartMain(void *arg) {
    copyPart *c = arg;
    memcpy(c->dst, c->src, c->n);
    return NULL;
}

// parallelCopy is memcpy over up to MBVK_COPY_THREADS threads; where a
// thread cannot start, its part is copied here.
static void parallelCopy(void *dst, const void *src, uint64_t n) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    uint64_t parts = n / MBVK_COPY_MIN;
    if (parts > MBVK_COPY_THREADS) parts = MBVK_COPY_THREADS;
    if (cpus > 0 && parts > (uint64_t)cpus) parts = (uint64_t)cpus;
    if (parts < 2) {
        memcpy(dst, src, n);
        return;
    }
    copyPart c[MBVK_COPY_THREADS];
    pthread_t th[MBVK_COPY_THREADS];
    int started[MBVK_COPY_THREADS] = {0};
    uint64_t per = (n / parts + 63) & ~(uint64_t)63;
    for (uint64_t i = 0; i < parts; i++) {
        uint64_t lo = i * per < n ? i * per : n;
        uint64_t hi = lo + per < n ? lo + per : n;
        c[i] = (copyPart){(char *)dst + lo, (const char *)src + lo, hi - lo};
        if (i > 0) started[i] = pthread_create(&th[i], NULL, copyPartMain, &c[i]) == 0;
    }
    copyPartMain(&c[0]);
    for (uint64_t i = 1; i < parts; i++) {
        if (started[i]) {
            pthread_join(th[i], NULL);
        } else {
            copyPartMain(&c[i]);
        }
    }
}

// pieceOf is the size of piece j of an n-byte transfer.
static uint64_t pieceOf(uint64_t n, uint64_t j) {
    uint64_t rest = n - j * MBVK_STAGING_BYTES;
    return rest < MBVK_STAGING_BYTES ? rest : MBVK_STAGING_BYTES;
}

static int checkRange(mbvk_buffer *b, uint64_t off, uint64_t n, char *err, int errlen) {
    if (off > b->size || n > b->size - off) {
        return fail(err, errlen, "bytes %llu..%llu are outside a %llu-byte buffer", (unsigned long long)off,
                    (unsigned long long)(off + n), (unsigned long long)b->size);
    }
    return 0;
}

int mbvk_buffer_write(mbvk *vk, mbvk_buffer *b, uint64_t off, const void *src, uint64_t n, char *err, int errlen) {
    if (checkRange(b, off, n, err, errlen)) return 1;
    if (b->mapped) {
        memcpy((char *)b->mapped + off, src, n);
        return 0;
    }
    int inFlight[MBVK_STAGING_SLOTS] = {0};
    int rc = 0;
    for (uint64_t done = 0, i = 0; done < n && !rc; i = (i + 1) % MBVK_STAGING_SLOTS) {
        uint64_t piece = n - done < MBVK_STAGING_BYTES ? n - done : MBVK_STAGING_BYTES;
        if ((rc = waitCopy(vk, (int)i, inFlight, err, errlen))) break;
        parallelCopy(vk->staging[i]->mapped, (const char *)src + done, piece);
        if ((rc = startCopy(vk, (int)i, b, off + done, piece, 1, err, errlen))) break;
        inFlight[i] = 1;
        done += piece;
    }
    return waitCopies(vk, inFlight, rc, err, errlen);
}

int mbvk_buffer_read(mbvk *vk, mbvk_buffer *b, uint64_t off, void *dst, uint64_t n, char *err, int errlen) {
    if (checkRange(b, off, n, err, errlen)) return 1;
    if (b->mapped) {
        memcpy(dst, (const char *)b->mapped + off, n);
        return 0;
    }
    // Piece j goes through slot j % slots; the copy of piece j+1 is in
    // flight while piece j is drained.
    int inFlight[MBVK_STAGING_SLOTS] = {0};
    uint64_t pieces = (n + MBVK_STAGING_BYTES - 1) / MBVK_STAGING_BYTES;
    int rc = startCopy(vk, 0, b, off, pieceOf(n, 0), 0, err, errlen);
    inFlight[0] = !rc;
    for (uint64_t j = 0; j < pieces && !rc; j++) {
        int i = (int)(j % MBVK_STAGING_SLOTS);
        if (j + 1 < pieces) {
            int next = (int)((j + 1) % MBVK_STAGING_SLOTS);
            if ((rc = startCopy(vk, next, b, off + (j + 1) * MBVK_STAGING_BYTES, pieceOf(n, j + 1), 0, err, errlen))) break;
            inFlight[next] = 1;
        }
        if ((rc = waitCopy(vk, i, inFlight, err, errlen))) break;
        parallelCopy((char *)dst + j * MBVK_STAGING_BYTES, vk->staging[i]->mapped, pieceOf(n, j));
    }
    return waitCopies(vk, inFlight, rc, err, errlen);
}

// printStatistics writes the driver's statistics of kernel entry's
// pipeline (registers, spills, shared memory) to stderr: a tuning aid.
static void printStatistics(mbvk *vk, VkPipeline pipeline, const char *entry) {
    VkPipelineInfoKHR pi = {VK_STRUCTURE_TYPE_PIPELINE_INFO_KHR, NULL, pipeline};
    uint32_t ne = 0;
    if (vk->getExecutables(vk->device, &pi, &ne, NULL) != VK_SUCCESS) return;
    for (uint32_t e = 0; e < ne; e++) {
        VkPipelineExecutableInfoKHR ei = {VK_STRUCTURE_TYPE_PIPELINE_EXECUTABLE_INFO_KHR, NULL, pipeline, e};
        VkPipelineExecutableStatisticKHR st[32];
        uint32_t n = 32;
        for (uint32_t i = 0; i < n; i++) {
            memset(&st[i], 0, sizeof st[i]);
            st[i].sType = VK_STRUCTURE_TYPE_PIPELINE_EXECUTABLE_STATISTIC_KHR;
        }
        VkResult r = vk->getStatistics(vk->device, &ei, &n, st);
        if (r != VK_SUCCESS && r != 5 /* VK_INCOMPLETE */) continue;
        fprintf(stderr, "vkstats %s:", entry);
        for (uint32_t i = 0; i < n; i++) {
            switch (st[i].format) {
            case 0: fprintf(stderr, " [%s]=%u", st[i].name, st[i].value.b32); break;
            case 1: fprintf(stderr, " [%s]=%lld", st[i].name, (long long)st[i].value.i64); break;
            case 2: fprintf(stderr, " [%s]=%llu", st[i].name, (unsigned long long)st[i].value.u64); break;
            default: fprintf(stderr, " [%s]=%g", st[i].name, st[i].value.f64);
            }
        }
        fprintf(stderr, "\n");
    }
}

// openWithStatistics creates the device with pipeline statistics on;
// nonzero when the driver refuses (the caller then opens it without).
static int openWithStatistics(mbvk *vk, const VkDeviceCreateInfo *base) {
    static const char *ext[] = {"VK_KHR_pipeline_executable_properties"};
    VkPhysicalDevicePipelineExecutablePropertiesFeaturesKHR feat = {
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PIPELINE_EXECUTABLE_PROPERTIES_FEATURES_KHR, NULL, 1};
    VkDeviceCreateInfo di = *base;
    di.pNext = &feat;
    di.enabledExtensionCount = 1;
    di.ppEnabledExtensionNames = ext;
    if (vk->vkCreateDevice(vk->physical, &di, NULL, &vk->device) != VK_SUCCESS) return 1;
    typedef PFN_vkVoidFunction (*PFN_gdpa)(VkDevice, const char *);
    PFN_gdpa gdpa = (PFN_gdpa)dlsym(vk->lib, "vkGetDeviceProcAddr");
    if (gdpa) {
        vk->getExecutables = (VkResult(*)(VkDevice, const VkPipelineInfoKHR *, uint32_t *, VkPipelineExecutablePropertiesKHR *))gdpa(
            vk->device, "vkGetPipelineExecutablePropertiesKHR");
        vk->getStatistics = (VkResult(*)(VkDevice, const VkPipelineExecutableInfoKHR *, uint32_t *, VkPipelineExecutableStatisticKHR *))gdpa(
            vk->device, "vkGetPipelineExecutableStatisticsKHR");
    }
    if (!vk->getExecutables || !vk->getStatistics) vk->getExecutables = NULL, vk->getStatistics = NULL;
    return 0;
}

int mbvk_pipeline_new(mbvk *vk, const void *code, uint64_t codeSize, const char *entry, uint32_t nbuffers,
                      uint32_t pushSize, mbvk_pipeline **out, char *err, int errlen) {
    if (nbuffers > MBVK_MAX_BINDINGS || pushSize > MBVK_MAX_PUSH) {
        return fail(err, errlen, "%u buffers and %u bytes of parameters exceed the driver's limits", nbuffers, pushSize);
    }
    mbvk_pipeline *p = calloc(1, sizeof *p);
    if (!p) return fail(err, errlen, "out of host memory");
    p->nbuffers = nbuffers;
    p->pushSize = pushSize;
    int rc = 0;
    VkShaderModuleCreateInfo mi = {VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
    mi.codeSize = (size_t)codeSize;
    mi.pCode = code;
    VkDescriptorSetLayoutBinding bindings[MBVK_MAX_BINDINGS];
    for (uint32_t i = 0; i < nbuffers; i++) {
        bindings[i] = (VkDescriptorSetLayoutBinding){i + 1, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1,
                                                     VK_SHADER_STAGE_COMPUTE_BIT, NULL};
    }
    VkDescriptorSetLayoutCreateInfo li = {VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
    li.bindingCount = nbuffers;
    li.pBindings = bindings;
    VkPushConstantRange range = {VK_SHADER_STAGE_COMPUTE_BIT, 0, pushSize};
    VkPipelineLayoutCreateInfo pli = {VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
    pli.setLayoutCount = 1;
    pli.pSetLayouts = &p->setLayout;
    pli.pushConstantRangeCount = pushSize ? 1 : 0;
    pli.pPushConstantRanges = &range;
    VkResult r;
    if ((r = vk->vkCreateShaderModule(vk->device, &mi, NULL, &p->module)) != VK_SUCCESS) {
        rc = fail(err, errlen, "vkCreateShaderModule(%s) failed: VkResult %d", entry, (int)r);
    } else if ((r = vk->vkCreateDescriptorSetLayout(vk->device, &li, NULL, &p->setLayout)) != VK_SUCCESS) {
        rc = fail(err, errlen, "vkCreateDescriptorSetLayout(%s) failed: VkResult %d", entry, (int)r);
    } else if ((r = vk->vkCreatePipelineLayout(vk->device, &pli, NULL, &p->layout)) != VK_SUCCESS) {
        rc = fail(err, errlen, "vkCreatePipelineLayout(%s) failed: VkResult %d", entry, (int)r);
    } else {
        VkComputePipelineCreateInfo ci = {VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
        ci.stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
        ci.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
        ci.stage.module = p->module;
        ci.stage.pName = "main";
        ci.layout = p->layout;
        ci.basePipelineIndex = -1;
        if (vk->getStatistics) ci.flags = VK_PIPELINE_CREATE_CAPTURE_STATISTICS_BIT_KHR;
        if ((r = vk->vkCreateComputePipelines(vk->device, 0, 1, &ci, NULL, &p->pipeline)) != VK_SUCCESS) {
            rc = fail(err, errlen, "vkCreateComputePipelines(%s) failed: VkResult %d", entry, (int)r);
        } else if (vk->getStatistics) {
            printStatistics(vk, p->pipeline, entry);
        }
    }
    if (rc) {
        mbvk_pipeline_free(vk, p);
        return rc;
    }
    *out = p;
    return 0;
}

void mbvk_pipeline_free(mbvk *vk, mbvk_pipeline *p) {
    if (!p) return;
    if (p->pipeline) vk->vkDestroyPipeline(vk->device, p->pipeline, NULL);
    if (p->layout) vk->vkDestroyPipelineLayout(vk->device, p->layout, NULL);
    if (p->setLayout) vk->vkDestroyDescriptorSetLayout(vk->device, p->setLayout, NULL);
    if (p->module) vk->vkDestroyShaderModule(vk->device, p->module, NULL);
    free(p);
}

// ensurePool makes the descriptor pool hold at least n sets and resets it.
static int ensurePool(mbvk *vk, uint32_t n, char *err, int errlen) {
    if (vk->pool && vk->poolSets >= n) {
        CHECK(vk->vkResetDescriptorPool(vk->device, vk->pool, 0), "vkResetDescriptorPool");
        return 0;
    }
    if (vk->pool) vk->vkDestroyDescriptorPool(vk->device, vk->pool, NULL);
    vk->pool = 0;
    uint32_t sets = vk->poolSets ? vk->poolSets : 64;
    while (sets < n) sets *= 2;
    VkDescriptorPoolSize size = {VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, sets * MBVK_MAX_BINDINGS};
    VkDescriptorPoolCreateInfo pi = {VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    pi.maxSets = sets;
    pi.poolSizeCount = 1;
    pi.pPoolSizes = &size;
    CHECK(vk->vkCreateDescriptorPool(vk->device, &pi, NULL, &vk->pool), "vkCreateDescriptorPool");
    vk->poolSets = sets;
    return 0;
}

int mbvk_run(mbvk *vk, const mbvk_dispatch *d, uint32_t n, char *err, int errlen) {
    if (n == 0) return 0;
    if (ensurePool(vk, n, err, errlen)) return 1;
    if (beginCommands(vk, err, errlen)) return 1;
    for (uint32_t i = 0; i < n; i++) {
        const mbvk_dispatch *di = &d[i];
        mbvk_pipeline *p = di->pipeline;
        if (di->nbind != p->nbuffers || di->pushSize != p->pushSize) {
            vk->vkEndCommandBuffer(vk->cmd);
            return fail(err, errlen, "dispatch %u binds %u buffers and %u parameter bytes; its kernel takes %u and %u",
                        i, di->nbind, di->pushSize, p->nbuffers, p->pushSize);
        }
        VkDescriptorSetAllocateInfo ai = {VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
        ai.descriptorPool = vk->pool;
        ai.descriptorSetCount = 1;
        ai.pSetLayouts = &p->setLayout;
        VkDescriptorSet set;
        VkResult r = vk->vkAllocateDescriptorSets(vk->device, &ai, &set);
        if (r != VK_SUCCESS) {
            vk->vkEndCommandBuffer(vk->cmd);
            return fail(err, errlen, "vkAllocateDescriptorSets failed: VkResult %d", (int)r);
        }
        VkDescriptorBufferInfo infos[MBVK_MAX_BINDINGS];
        VkWriteDescriptorSet writes[MBVK_MAX_BINDINGS];
        for (uint32_t j = 0; j < di->nbind; j++) {
            infos[j] = (VkDescriptorBufferInfo){di->buffers[j]->buffer, di->offsets[j], di->sizes[j]};
            writes[j] = (VkWriteDescriptorSet){VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
            writes[j].dstSet = set;
            writes[j].dstBinding = j + 1;
            writes[j].descriptorCount = 1;
            writes[j].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
            writes[j].pBufferInfo = &infos[j];
        }
        vk->vkUpdateDescriptorSets(vk->device, di->nbind, writes, 0, NULL);
        vk->vkCmdBindPipeline(vk->cmd, VK_PIPELINE_BIND_POINT_COMPUTE, p->pipeline);
        vk->vkCmdBindDescriptorSets(vk->cmd, VK_PIPELINE_BIND_POINT_COMPUTE, p->layout, 0, 1, &set, 0, NULL);
        if (di->pushSize) {
            vk->vkCmdPushConstants(vk->cmd, p->layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, di->pushSize, di->push);
        }
        vk->vkCmdDispatch(vk->cmd, di->groups[0], di->groups[1], di->groups[2]);
        // Each dispatch reads what the previous ones wrote.
        barrier(vk, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_WRITE_BIT,
                VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT);
    }
    barrier(vk, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_WRITE_BIT,
            VK_PIPELINE_STAGE_HOST_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_HOST_READ_BIT | VK_ACCESS_TRANSFER_READ_BIT);
    return submitAndWait(vk, err, errlen);
}

static int loadFunctions(mbvk *vk, PFN_vkGetInstanceProcAddr gipa, char *err, int errlen) {
#define MBVK_LOAD(ret, name, args)                                                     \
    vk->name = (ret(*) args)gipa(vk->instance, #name);                                 \
    if (!vk->name) return fail(err, errlen, "the Vulkan loader has no %s", #name);
    MBVK_FUNCS(MBVK_LOAD)
#undef MBVK_LOAD
    return 0;
}

// openDevice picks the first device with a compute queue, preferring a
// discrete GPU, then an integrated one, then anything (lavapipe).
static int openDevice(mbvk *vk, mbvk_info *info, char *err, int errlen) {
    uint32_t n = 0;
    CHECK(vk->vkEnumeratePhysicalDevices(vk->instance, &n, NULL), "vkEnumeratePhysicalDevices");
    if (n == 0) return fail(err, errlen, "the Vulkan loader found no device");
    VkPhysicalDevice devs[16];
    if (n > 16) n = 16;
    VkResult r = vk->vkEnumeratePhysicalDevices(vk->instance, &n, devs);
    if (r != VK_SUCCESS && r != 5 /* VK_INCOMPLETE */) return fail(err, errlen, "vkEnumeratePhysicalDevices failed: %d", (int)r);
    static const int rank[] = {0, 3, 4, 2, 1};  // by VkPhysicalDeviceType: other, integrated, discrete, virtual, cpu
    int best = -1, bestRank = -1;
    uint32_t bestFamily = 0;
    VkPhysicalDeviceProperties props;
    for (uint32_t i = 0; i < n; i++) {
        vk->vkGetPhysicalDeviceProperties(devs[i], &props);
        if (props.apiVersion < VK_API_VERSION_1_1) continue;
        uint32_t nf = 0;
        VkQueueFamilyProperties fams[32];
        vk->vkGetPhysicalDeviceQueueFamilyProperties(devs[i], &nf, NULL);
        if (nf > 32) nf = 32;
        vk->vkGetPhysicalDeviceQueueFamilyProperties(devs[i], &nf, fams);
        for (uint32_t f = 0; f < nf; f++) {
            if (!(fams[f].queueFlags & VK_QUEUE_COMPUTE_BIT)) continue;
            int rk = props.deviceType <= 4 ? rank[props.deviceType] : 0;
            if (rk > bestRank) {
                best = (int)i, bestRank = rk, bestFamily = f;
            }
            break;
        }
    }
    if (best < 0) return fail(err, errlen, "no Vulkan 1.1 device with a compute queue");
    vk->physical = devs[best];
    vk->queueFamily = bestFamily;
    vk->vkGetPhysicalDeviceProperties(vk->physical, &props);
    vk->vkGetPhysicalDeviceMemoryProperties(vk->physical, &vk->memory);
    vk->deviceType = (int)props.deviceType;

    memset(info, 0, sizeof *info);
    memcpy(info->name, props.deviceName, sizeof info->name);
    info->name[sizeof info->name - 1] = 0;
    info->deviceType = props.deviceType;
    info->apiVersion = props.apiVersion;
    info->vendorID = props.vendorID;
    info->maxStorageBufferRange = props.limits.maxStorageBufferRange;
    info->maxPushConstantsSize = props.limits.maxPushConstantsSize;
    info->maxComputeSharedMemorySize = props.limits.maxComputeSharedMemorySize;
    memcpy(info->maxWorkGroupCount, props.limits.maxComputeWorkGroupCount, sizeof info->maxWorkGroupCount);
    info->maxWorkGroupInvocations = props.limits.maxComputeWorkGroupInvocations;
    int discrete = vk->deviceType == VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU;
    info->hostMapped = !discrete;
    for (uint32_t i = 0; i < vk->memory.memoryTypeCount; i++) {
        uint32_t f = vk->memory.memoryTypes[i].propertyFlags;
        uint32_t want = discrete ? VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT : VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT;
        if (f & want) {
            uint64_t heap = vk->memory.memoryHeaps[vk->memory.memoryTypes[i].heapIndex].size;
            if (heap > info->maxAllocation) info->maxAllocation = heap;
        }
    }

    float priority = 1.0f;
    VkDeviceQueueCreateInfo qi = {VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
    qi.queueFamilyIndex = vk->queueFamily;
    qi.queueCount = 1;
    qi.pQueuePriorities = &priority;
    VkDeviceCreateInfo di = {VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
    di.queueCreateInfoCount = 1;
    di.pQueueCreateInfos = &qi;
    if (!getenv("METALFAISS_VK_STATS") || openWithStatistics(vk, &di)) {
        CHECK(vk->vkCreateDevice(vk->physical, &di, NULL, &vk->device), "vkCreateDevice");
    }
    vk->vkGetDeviceQueue(vk->device, vk->queueFamily, 0, &vk->queue);

    VkCommandPoolCreateInfo ci = {VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    ci.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    ci.queueFamilyIndex = vk->queueFamily;
    CHECK(vk->vkCreateCommandPool(vk->device, &ci, NULL, &vk->commandPool), "vkCreateCommandPool");
    VkCommandBufferAllocateInfo ai = {VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    ai.commandPool = vk->commandPool;
    ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    ai.commandBufferCount = 1;
    CHECK(vk->vkAllocateCommandBuffers(vk->device, &ai, &vk->cmd), "vkAllocateCommandBuffers");
    VkFenceCreateInfo fi = {VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    CHECK(vk->vkCreateFence(vk->device, &fi, NULL, &vk->fence), "vkCreateFence");
    if (!discrete) return 0;
    ai.commandBufferCount = MBVK_STAGING_SLOTS;
    CHECK(vk->vkAllocateCommandBuffers(vk->device, &ai, vk->copyCmd), "vkAllocateCommandBuffers");
    for (int i = 0; i < MBVK_STAGING_SLOTS; i++) {
        CHECK(vk->vkCreateFence(vk->device, &fi, NULL, &vk->copyFence[i]), "vkCreateFence");
        if (newBuffer(vk, MBVK_STAGING_BYTES, 1, &vk->staging[i], err, errlen)) return 1;
    }
    return 0;
}

int mbvk_open(mbvk **out, mbvk_info *info, char *err, int errlen) {
    mbvk *vk = calloc(1, sizeof *vk);
    if (!vk) return fail(err, errlen, "out of host memory");
    vk->lib = dlopen("libvulkan.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!vk->lib) {
        fail(err, errlen, "cannot load libvulkan.so.1 (install the Vulkan loader and a driver, e.g. Debian's libvulkan1 and mesa-vulkan-drivers): %s", dlerror());
        free(vk);
        return 1;
    }
    PFN_vkGetInstanceProcAddr gipa = (PFN_vkGetInstanceProcAddr)dlsym(vk->lib, "vkGetInstanceProcAddr");
    typedef VkResult (*PFN_create)(const VkInstanceCreateInfo *, const void *, VkInstance *);
    PFN_create create = gipa ? (PFN_create)gipa(NULL, "vkCreateInstance") : NULL;
    int rc;
    if (!create) {
        rc = fail(err, errlen, "libvulkan.so.1 has no vkCreateInstance");
    } else {
        VkApplicationInfo app = {VK_STRUCTURE_TYPE_APPLICATION_INFO};
        app.pApplicationName = "metalfaiss";
        app.pEngineName = "metalbridge";
        app.apiVersion = VK_API_VERSION_1_1;
        VkInstanceCreateInfo ii = {VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
        ii.pApplicationInfo = &app;
        VkResult r = create(&ii, NULL, &vk->instance);
        if (r != VK_SUCCESS) {
            rc = fail(err, errlen, "vkCreateInstance failed: VkResult %d (no Vulkan driver installed?)", (int)r);
        } else {
            rc = loadFunctions(vk, gipa, err, errlen) || openDevice(vk, info, err, errlen);
        }
    }
    if (rc) {
        mbvk_close(vk);
        return rc;
    }
    *out = vk;
    return 0;
}

void mbvk_close(mbvk *vk) {
    if (!vk) return;
    if (vk->device) {
        vk->vkDeviceWaitIdle(vk->device);
        for (int i = 0; i < MBVK_STAGING_SLOTS; i++) {
            mbvk_buffer_free(vk, vk->staging[i]);
            if (vk->copyFence[i]) vk->vkDestroyFence(vk->device, vk->copyFence[i], NULL);
        }
        if (vk->pool) vk->vkDestroyDescriptorPool(vk->device, vk->pool, NULL);
        if (vk->fence) vk->vkDestroyFence(vk->device, vk->fence, NULL);
        if (vk->commandPool) vk->vkDestroyCommandPool(vk->device, vk->commandPool, NULL);
        vk->vkDestroyDevice(vk->device, NULL);
    }
    if (vk->instance && vk->vkDestroyInstance) vk->vkDestroyInstance(vk->instance, NULL);
    if (vk->lib) dlclose(vk->lib);
    free(vk);
}
