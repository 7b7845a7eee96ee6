/*
 * Resource groups (see rgroup.h).
 */
#include "proc/rgroup.h"

#include <stddef.h>

#include "mm/frame.h"
#include "mm/heap.h"
#include "sched/thread.h"

static struct rgroup root = {
    .members = 1, /* never freed */
    .max = {UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX},
};

struct rgroup *rgroup_root(void)
{
    return &root;
}

struct rgroup *rgroup_new_session(struct rgroup *parent, const uint64_t *limits)
{
    struct rgroup *g = kzalloc(sizeof(*g));
    if (g == NULL)
        return NULL;
    g->parent = parent;
    g->max[RG_PROCESSES] = RG_SESSION_PROCESSES;
    g->max[RG_THREADS] = RG_SESSION_THREADS;
    g->max[RG_PAGES] = frame_total_count() / 4;
    g->max[RG_AREAS] = RG_SESSION_AREAS;
    for (int kind = 0; limits != NULL && kind < RG_KINDS; kind++)
        if (limits[kind] != 0)
            g->max[kind] = limits[kind];
    g->members = 1; /* the process it is made for */
    rgroup_join(parent);
    return g;
}

bool rgroup_within(const struct rgroup *g, const struct rgroup *outer)
{
    for (; g != NULL; g = g->parent)
        if (g == outer)
            return true;
    return false;
}

void rgroup_join(struct rgroup *g)
{
    g->members++;
}

void rgroup_leave(struct rgroup *g)
{
    while (g != NULL && --g->members == 0) {
        struct rgroup *parent = g->parent;
        kfree(g);
        g = parent;
    }
}

bool rgroup_room(const struct rgroup *g, enum rgroup_kind kind, uint64_t n)
{
    for (; g != NULL; g = g->parent)
        if (g->used[kind] + n > g->max[kind] || g->used[kind] + n < n)
            return false;
    return true;
}

void rgroup_force(struct rgroup *g, enum rgroup_kind kind, uint64_t n)
{
    for (; g != NULL; g = g->parent)
        g->used[kind] += n;
}

bool rgroup_charge(struct rgroup *g, enum rgroup_kind kind, uint64_t n)
{
    if (!rgroup_room(g, kind, n))
        return false;
    rgroup_force(g, kind, n);
    return true;
}

void rgroup_uncharge(struct rgroup *g, enum rgroup_kind kind, uint64_t n)
{
    for (; g != NULL; g = g->parent)
        g->used[kind] -= n;
}

_Static_assert(RG_THREAD_PAGES == KERNEL_STACK_PAGES, "a thread's pages are its kernel stack");

bool rgroup_charge_thread(struct rgroup *g)
{
    if (!rgroup_room(g, RG_THREADS, 1) || !rgroup_room(g, RG_PAGES, RG_THREAD_PAGES))
        return false;
    rgroup_force(g, RG_THREADS, 1);
    rgroup_force(g, RG_PAGES, RG_THREAD_PAGES);
    return true;
}

void rgroup_uncharge_threads(struct rgroup *g, uint64_t threads)
{
    rgroup_uncharge(g, RG_THREADS, threads);
    rgroup_uncharge(g, RG_PAGES, threads * RG_THREAD_PAGES);
}
