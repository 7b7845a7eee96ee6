/*
 * Resource groups: what a tree of processes may use together.
 *
 * Every process belongs to one group; a child joins its parent's unless
 * it is spawned with SPAWN_GROUP, which makes it the first member of a
 * new group inside the parent's, with the session limits below (login
 * does this for every shell), or the ones the parent chose for the
 * groups it makes (SYS_GROUP_LIMIT: any value; the groups around still
 * bound it). A group counts its processes (zombies
 * included, until collected), threads, owned user pages and
 * address-space areas; a count is charged to the group and to every
 * group around it, so no group can take more than the ones it is in.
 * The root group (init, the servers and drivers) has no limits.
 *
 * Going over a limit is -E_QUOTA for spawn, thread creation and
 * reservations; a page fault that would go over kills the process with
 * "out of memory (group limit)". Pages that arrive in a region are
 * charged without the check (refusing them would lose data; a receiver
 * bounds regions with recv_mem_max instead). docs/security.md lists the
 * limits.
 */
#ifndef PROC_RGROUP_H
#define PROC_RGROUP_H

#include <stdbool.h>
#include <stdint.h>

#include <parley/syscall.h>

enum rgroup_kind { RG_PROCESSES, RG_THREADS, RG_PAGES, RG_AREAS, RG_KINDS };
_Static_assert(RG_PROCESSES == GROUP_PROCESSES && RG_THREADS == GROUP_THREADS &&
                   RG_PAGES == GROUP_PAGES && RG_AREAS == GROUP_AREAS && RG_KINDS == GROUP_KINDS,
               "the kinds SYS_GROUP_LIMIT names");

/* A session's limits (SPAWN_GROUP); pages: a quarter of memory. */
#define RG_SESSION_PROCESSES 64
#define RG_SESSION_THREADS 256
#define RG_SESSION_AREAS 8192

struct rgroup {
    struct rgroup *parent; /* NULL: the root group */
    uint32_t leader;       /* pid of the process it was made for (0: the root group) */
    uint32_t members;      /* processes in it and groups inside it */
    uint64_t max[RG_KINDS];
    uint64_t used[RG_KINDS];
};

struct rgroup *rgroup_root(void);

/*
 * A new group inside `parent` with limits[kind] where it is not 0, else
 * the session limits (limits may be NULL); NULL when the heap is full.
 */
struct rgroup *rgroup_new_session(struct rgroup *parent, const uint64_t *limits);

/* Is g the group `outer` or a group inside it? */
bool rgroup_within(const struct rgroup *g, const struct rgroup *outer);

/* A process or an inner group joins / leaves; the last to leave frees the group. */
void rgroup_join(struct rgroup *g);
void rgroup_leave(struct rgroup *g);

/* Charges n of kind to g and the groups around it if none would go over its limit. */
bool rgroup_charge(struct rgroup *g, enum rgroup_kind kind, uint64_t n);

/* Charges without the check (pages that arrive in a region). */
void rgroup_force(struct rgroup *g, enum rgroup_kind kind, uint64_t n);

/*
 * A thread is charged as one of RG_THREADS and as RG_THREAD_PAGES pages,
 * its kernel stack, which it holds as long as it exists.
 */
#define RG_THREAD_PAGES 4
bool rgroup_charge_thread(struct rgroup *g);
void rgroup_uncharge_threads(struct rgroup *g, uint64_t threads);

/* Would charging n of kind succeed? */
bool rgroup_room(const struct rgroup *g, enum rgroup_kind kind, uint64_t n);

void rgroup_uncharge(struct rgroup *g, enum rgroup_kind kind, uint64_t n);

#endif
